"""The one way the window runs long work: a QThread-owned worker that drives generator jobs (app.engine.jobs).

A job is `fn(context, control)`: it returns a plain value, or a generator that yields jobs.Progress and returns
its result (superqt's GeneratorWorker is the model). Between two yields the worker waits while the job is paused;
stop and pause reach the job through its JobControl. Each submitted job gets a JobHandle, a QObject of the UI
thread whose typed signals say what happened:

    progress(Progress)   finished(result)   failed(Failure)   ended()  (always last, once)

Jobs wait in a FIFO queue, except in a *lane*: a lane holds one pending job, and a newer one replaces it before
it starts (slider previews, description readings). Newest-request-wins is decided here, on delivery in the UI
thread: a lane's `newer` policy delivers a result only when it is newer than the last one delivered and was asked
after the lane was last reset (so during a slider drag every picture painted is shown, the newest last); its
`latest` policy delivers only the newest request's result. Stale results are counted, never delivered.

EngineWorker is the instance that owns the engine (built on its thread); the training panel and the export dialog
run their own JobWorker (no engine), so a 30-minute fine-tuning never holds up a slider.
"""

from __future__ import annotations

import inspect
import itertools
import logging
import threading
import traceback
from collections import deque
from dataclasses import dataclass
from typing import Any, Callable

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

from app.engine.jobs import JobControl

log = logging.getLogger(__name__)

JobFn = Callable[[Any, JobControl], Any]  # (context, control) → result, or a generator of Progress returning it
FAILED = "job.failed"  # the message key of a failure whose sentence came from the engine (args: error)


@dataclass(frozen=True)
class Failure:
    """Why a job failed: a message key and its args for the UI to translate, the sentence to show, and the error
    as raised (its own words, or its type when it has none)."""

    key: str
    args: tuple = ()
    text: str = ""
    error: str = ""


def failure_of(e: BaseException) -> Failure:
    """An exception as a Failure: one with a translatable template (ExportError) keeps it; the engine's own
    errors (already in the merchant's language) travel as their sentence; anything else also names its type."""
    error = str(e).strip() or type(e).__name__
    template = getattr(e, "template", None)
    if isinstance(template, str):
        return Failure(template, tuple(str(a) for a in getattr(e, "args_", ())), str(e), error)
    text = str(e).strip()
    if type(e).__name__ not in ("GenerationError", "ModelError") or not text:
        text = f"{text} ({type(e).__name__})" if text else type(e).__name__
    return Failure(FAILED, (text,), text, error)


@dataclass
class Lane:
    """One pending job at a time (newer replaces it) and the newest-wins rule for its results."""

    policy: str = "newer"  # "newer": any result newer than the last shown; "latest": only the newest request's
    pending: "JobHandle | None" = None
    latest: int = 0  # id of the newest job submitted to the lane
    floor: int = 0  # results of jobs before this id are stale (set by reset)
    shown: int = 0  # id of the last result delivered
    stale_dropped: int = 0

    def accept(self, job_id: int) -> bool:
        ok = job_id == self.latest if self.policy == "latest" else (job_id >= self.floor and job_id > self.shown)
        if ok:
            self.shown = job_id
        else:
            self.stale_dropped += 1
        return ok

    def reset(self) -> None:
        """Whatever was asked so far is stale (e.g. another picture was selected)."""
        self.floor = self.latest + 1
        self.shown = 0


class JobHandle(QObject):
    """A submitted job, seen from the UI thread: its signals, and stop / pause / resume / finish early."""

    progress = Signal(object)  # app.engine.jobs.Progress
    finished = Signal(object)  # the job's result
    failed = Signal(object)  # Failure
    ended = Signal()  # last, once: after finished or failed, when dropped before it started, or when stale
    # Emitted on the worker thread; their slots run on this object's (the UI) thread.
    _progress_out = Signal(object)
    _result_out = Signal(object)
    _failure_out = Signal(object)
    _end_out = Signal()

    def __init__(self, job_id: int, kind: str, fn: JobFn, lane: Lane | None, control: JobControl,
                 release: Callable[["JobHandle"], None] = lambda h: None):
        super().__init__()
        self.id, self.kind, self.fn, self.lane, self.control = job_id, kind, fn, lane, control
        self._release = release  # the worker keeps the handle alive until its last signal is delivered
        self.done = False
        self.dropped = False  # its result was stale and not delivered (or it never ran)
        # Always queued: even a job dropped before it started says so from the event loop, after the caller
        # connected to it.
        queued = Qt.ConnectionType.QueuedConnection
        self._progress_out.connect(self._deliver_progress, queued)
        self._result_out.connect(self._deliver_result, queued)
        self._failure_out.connect(self._deliver_failure, queued)
        self._end_out.connect(self._deliver_end, queued)

    # ---- control (any thread) --------------------------------------------------------------------
    def cancel(self) -> None:
        self.control.cancel()

    def pause(self) -> None:
        self.control.pause()

    def resume(self) -> None:
        self.control.resume()

    def finish_early(self) -> None:
        self.control.finish_early()

    @property
    def paused(self) -> bool:
        return self.control.paused

    # ---- delivery (UI thread) --------------------------------------------------------------------
    @Slot(object)
    def _deliver_progress(self, p) -> None:
        self.progress.emit(p)

    @Slot(object)
    def _deliver_result(self, result) -> None:
        if self.lane is not None and not self.lane.accept(self.id):
            self.dropped = True
            return
        self.finished.emit(result)

    @Slot(object)
    def _deliver_failure(self, failure: Failure) -> None:
        self.failed.emit(failure)

    @Slot()
    def _deliver_end(self) -> None:
        if not self.done:
            self.done = True
            self.ended.emit()
            self._release(self)


class JobWorker(QThread):
    """One thread, one job at a time. `lanes` names the newest-wins lanes (name → policy).

    idle_exit: the thread ends when it has nothing to do and starts again with the next job (the dialogs' and
    panels' workers, so no idle thread outlives its window); the engine worker keeps its thread (and engine).
    """

    def __init__(self, lanes: dict[str, str] | None = None, parent=None, idle_exit: bool = False):
        super().__init__(parent)
        self.idle_exit = idle_exit
        self._exited = False  # (idle_exit) the thread decided to end: the next submit starts it again
        self._cond = threading.Condition()
        self._queue: deque[JobHandle] = deque()
        self.lanes: dict[str, Lane] = {name: Lane(policy) for name, policy in (lanes or {}).items()}
        self._current: JobHandle | None = None
        self._stopping = False
        self._ids = itertools.count(1)
        self.context: Any = None  # what jobs receive first (the engine, for EngineWorker)
        self._alive: set[JobHandle] = set()  # handles whose signals are not all delivered yet (UI thread)

    # ---- called from the UI thread ---------------------------------------------------------------
    def submit(self, fn: JobFn, kind: str = "job", lane: str | None = None, first: bool = False) -> JobHandle:
        """Run `fn(context, control)` in turn; `lane`: replace that lane's pending job; `first`: jump the queue."""
        h = JobHandle(next(self._ids), kind, fn, self.lanes[lane] if lane else None,
                      JobControl(lambda: self._stopping), self._alive.discard)
        self._alive.add(h)
        replaced = None
        with self._cond:
            if h.lane is not None:
                replaced, h.lane.pending = h.lane.pending, h
                h.lane.latest = h.id
            elif first:
                self._queue.appendleft(h)
            else:
                self._queue.append(h)
            self._cond.notify_all()
            exited, self._exited = self._exited, False
            stopping = self._stopping
        if replaced is not None:
            self._drop(replaced)
        if stopping:
            self.cancel()  # stopped for good: nothing runs any more
        elif self.idle_exit:
            if exited:
                self.wait()  # it is returning from run() already
            if not self.isRunning():
                self.start()
        return h

    def reset_lane(self, lane: str) -> None:
        """Results of what was asked in `lane` so far are stale from now on."""
        self.lanes[lane].reset()

    @property
    def stale_dropped(self) -> int:
        return sum(lane.stale_dropped for lane in self.lanes.values())

    def cancel(self, kinds: tuple[str, ...] | None = None) -> list[JobHandle]:
        """Stop the running job (at its next step) and drop queued ones, of `kinds` (None: all); returns them."""
        with self._cond:
            dropped = [h for h in self._queue if kinds is None or h.kind in kinds]
            self._queue = deque(h for h in self._queue if h not in dropped)
            for lane in self.lanes.values():
                if lane.pending is not None and (kinds is None or lane.pending.kind in kinds):
                    dropped.append(lane.pending)
                    lane.pending = None
            running = self._current if self._current is not None and (kinds is None or self._current.kind in kinds) \
                else None
        for h in dropped:
            self._drop(h)
        if running is not None:
            running.cancel()
        return dropped + ([running] if running is not None else [])

    def is_idle(self) -> bool:
        with self._cond:
            return (self._current is None and not self._queue
                    and all(lane.pending is None for lane in self.lanes.values()))

    def stop(self, timeout_ms: int = 30000) -> bool:
        """Ask the thread to finish (a running job stops at its next step) and wait for it."""
        with self._cond:
            self._stopping = True
            waiting = list(self._queue) + [lane.pending for lane in self.lanes.values() if lane.pending is not None]
            self._queue.clear()
            for lane in self.lanes.values():
                lane.pending = None
            self._cond.notify_all()
        for h in waiting:
            self._drop(h)
        return self.wait(timeout_ms) if self.isRunning() else True

    def ensure_running(self) -> None:
        if not self.isRunning() and not self._stopping:
            self.start()

    @staticmethod
    def _drop(h: JobHandle) -> None:
        h.dropped = True
        h._end_out.emit()

    # ---- the worker thread -----------------------------------------------------------------------
    def setup(self) -> bool:
        """Build `context` on this thread before the first job (False: do not run jobs)."""
        return True

    def run(self) -> None:
        if not self.setup():
            return
        while True:
            h = self._take()
            if h is None:
                break
            try:
                self._run_job(h)
            finally:
                with self._cond:
                    self._current = None
                h._end_out.emit()

    def _take(self) -> JobHandle | None:
        with self._cond:
            while not self._stopping and not (self._queue or any(l.pending for l in self.lanes.values())):
                if self.idle_exit:
                    self._exited = True
                    return None
                self._cond.wait()
            if self._stopping:
                return None
            # Lanes first, in their order (the engine worker's "load" lane leads: everything else needs the model).
            lane = next((l for l in self.lanes.values() if l.pending is not None), None)
            if lane is not None:
                h, lane.pending = lane.pending, None
            else:
                h = self._queue.popleft()
            self._current = h
            return h

    def _run_job(self, h: JobHandle) -> None:
        try:
            out = h.fn(self.context, h.control)
            if inspect.isgenerator(out):
                out = self._drive(h, out)
        except Exception as e:  # noqa: BLE001 — any failure becomes a message for the merchant, not a dead thread
            log.debug("job %s (%s) failed:\n%s", h.id, h.kind, traceback.format_exc())
            h._failure_out.emit(failure_of(e))
            return
        h._result_out.emit(out)

    @staticmethod
    def _drive(h: JobHandle, gen) -> Any:
        while True:
            try:
                p = next(gen)
            except StopIteration as stop:
                return stop.value
            h._progress_out.emit(p)
            if h.control.paused:
                h.control.wait_while_paused()


class EngineWorker(JobWorker):
    """The only thread that touches the engine: builds it, then runs the engine's jobs.

    Lanes, taken in this order before the queue: "load" (the model to paint with: only the newest choice is loaded
    and answered), "preview" (slider pictures, newer-wins), "understand" (description readings) and "models" (the
    model list read again), both latest-wins.
    """

    engine_ready = Signal(object)  # dict: device (name), note, models (list of (id, name)) — read on the worker
    engine_failed = Signal(str)  # the engine could not be built: a sentence for the merchant

    def __init__(self, engine_factory: Callable[[], Any], parent=None):
        super().__init__({"load": "latest", "preview": "newer", "understand": "latest", "models": "latest"}, parent)
        self._factory = engine_factory

    @property
    def engine(self):
        return self.context

    def setup(self) -> bool:
        try:
            self.context = self._factory()
        except Exception as e:  # noqa: BLE001 — any failure here must become a message, not a dead thread
            log.exception("engine could not be built")
            self.engine_failed.emit(str(e) or e.__class__.__name__)
            return False
        try:
            models = [(m.id, m.name) for m in self.context.models()]
        except Exception:  # noqa: BLE001 — an unreadable model folder must not stop the app
            models = []
        choice = self.context.device_choice
        self.engine_ready.emit({"device": str(choice.name), "note": str(choice.note or ""), "models": models})
        return True
