"""The Qt bridge: one QThread owns the engine, drives its generators and reports back through signals.

Batch jobs (model loads, generations) wait in a FIFO queue. Interactive slider requests and description
readings each have a single pending slot where the newest request replaces an older one that has not started.
Every signal carries the id of the job it belongs to so the UI can drop results of stale jobs. A finished
interactive picture is always reported, even when a newer request waits: during a drag the merchant sees
every picture the engine manages to paint, and the newest request is painted last.
"""

from __future__ import annotations

import itertools
import logging
import threading
import traceback
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Callable

from PySide6.QtCore import QThread, Signal

from app.engine_protocol import EngineFactory, EngineProtocol
from app.requests import GeneratedImage, GenerateRequest

log = logging.getLogger(__name__)

# Pictures per chunk of a batch: small enough that thumbnails appear (and Cancel acts) within a moment.
CHUNK = 8


@dataclass
class Job:
    id: int
    kind: str  # "load" | "generate" | "interactive" | "understand" | "models" | "task"
    request: GenerateRequest | None = None
    model_id: str | None = None
    description: str = ""
    overrides: dict[str, str] = field(default_factory=dict)
    keep: bool = True  # hand finished pictures to the store sink (gallery)
    task: Callable[..., Any] | None = None  # kind "task": task(engine, should_stop, report) -> result


class EngineWorker(QThread):
    """Exactly one of these exists; it is the only thread that touches the engine."""

    engine_ready = Signal(object)  # dict: device (name), note, models (list of (id, name)) — read on the worker
    engine_failed = Signal(str)  # the engine could not be built: a sentence for the merchant
    model_loaded = Signal(int, object)  # job id, loaded model (model_id, model_hash, resolution, directions)
    understood = Signal(int, object)  # job id, Understanding
    progress_changed = Signal(int, int, int)  # job id, pictures done, pictures total
    results_ready = Signal(int, object)  # job id, list[GeneratedImage] so far (growing)
    stored = Signal(int, object)  # job id, whatever the sink returned for the new pictures (gallery items)
    failed = Signal(int, str)  # job id, message
    job_finished = Signal(int, str, float)  # job id, kind, engine seconds (last_seconds) — also after cancel/failure
    models_listed = Signal(int, object)  # job id, list of (id, name) read again from the model folders
    task_progress = Signal(int, object)  # job id, Progress of a long engine task (e.g. start from a photo)
    task_done = Signal(int, object)  # job id, whatever the task returned (also when it stopped early)

    def __init__(self, engine_factory: EngineFactory, store_sink: Callable[[list[GeneratedImage]], Any] | None = None,
                 parent=None):
        super().__init__(parent)
        self._factory = engine_factory
        self._sink = store_sink
        self._cond = threading.Condition()
        self._queue: deque[Job] = deque()
        self._interactive: Job | None = None
        self._understand: Job | None = None
        self._cancelled: set[int] = set()
        self._current: Job | None = None
        self._stopping = False
        self._ids = itertools.count(1)
        self.engine: EngineProtocol | None = None

    # ---- called from the UI thread ---------------------------------------------------------------
    def _next_id(self) -> int:
        return next(self._ids)

    def submit_load(self, model_id: str | None) -> int:
        return self._enqueue(Job(self._next_id(), "load", model_id=model_id))

    def submit_generate(self, req: GenerateRequest, keep: bool = True) -> int:
        return self._enqueue(Job(self._next_id(), "generate", request=req, keep=keep))

    def submit_models(self) -> int:
        """Read the model list again (after a shop model was created); answered by models_listed."""
        return self._enqueue(Job(self._next_id(), "models"))

    def submit_task(self, task: Callable[..., Any]) -> int:
        """A long engine job that is not a plain generation, run in turn with the others on this thread.

        `task(engine, should_stop, report)` may call report(Progress) any number of times, must poll
        should_stop() (cancel() sets it) and returns its result, which task_done carries.
        """
        return self._enqueue(Job(self._next_id(), "task", task=task))

    def submit_interactive(self, req: GenerateRequest) -> int:
        """Newest wins: replaces an interactive request that has not started yet."""
        job = Job(self._next_id(), "interactive", request=req, keep=False)
        with self._cond:
            self._interactive = job
            self._cond.notify_all()
        return job.id

    def submit_understand(self, description: str, overrides: dict[str, str] | None = None) -> int:
        job = Job(self._next_id(), "understand", description=description, overrides=dict(overrides or {}))
        with self._cond:
            self._understand = job
            self._cond.notify_all()
        return job.id

    def _enqueue(self, job: Job) -> int:
        with self._cond:
            self._queue.append(job)
            self._cond.notify_all()
        return job.id

    def cancel(self) -> list[int]:
        """Stop the running generation or task (at its next step) and drop queued ones; returns the ids cancelled."""
        with self._cond:
            dropped = [j.id for j in self._queue if j.kind in ("generate", "task")]
            self._queue = deque(j for j in self._queue if j.kind not in ("generate", "task"))
            if self._current is not None and self._current.kind in ("generate", "interactive", "task"):
                dropped.append(self._current.id)
            self._cancelled.update(dropped)
        return dropped

    def is_idle(self) -> bool:
        with self._cond:
            return self._current is None and not self._queue and self._interactive is None and self._understand is None

    def stop(self, timeout_ms: int = 30000) -> bool:
        """Ask the thread to finish (a running generation stops at its next chunk) and wait for it."""
        with self._cond:
            self._stopping = True
            self._queue.clear()
            self._interactive = self._understand = None
            self._cond.notify_all()
        return self.wait(timeout_ms) if self.isRunning() else True

    # ---- the worker thread -----------------------------------------------------------------------
    def _take(self) -> Job | None:
        with self._cond:
            while not self._stopping and not (self._interactive or self._understand or self._queue):
                self._cond.wait()
            if self._stopping:
                return None
            # Loads come first (everything else needs the model), then what the merchant is touching now.
            if self._queue and self._queue[0].kind == "load":
                job = self._queue.popleft()
            elif self._interactive is not None:
                job, self._interactive = self._interactive, None
            elif self._understand is not None:
                job, self._understand = self._understand, None
            else:
                job = self._queue.popleft()
            self._current = job
            return job

    def _should_stop(self, job: Job) -> bool:
        return self._stopping or job.id in self._cancelled

    def run(self) -> None:
        try:
            self.engine = self._factory()
        except Exception as e:  # noqa: BLE001 — any failure here must become a message, not a dead thread
            log.exception("engine could not be built")
            self.engine_failed.emit(str(e) or e.__class__.__name__)
            return
        try:
            models = [(m.id, m.name) for m in self.engine.models()]
        except Exception:  # noqa: BLE001 — an unreadable model folder must not stop the app
            models = []
        choice = self.engine.device_choice
        self.engine_ready.emit({"device": str(getattr(choice, "name", "")), "note": str(getattr(choice, "note", "") or ""),
                                "models": models})
        while True:
            job = self._take()
            if job is None:
                break
            try:
                self._run_job(job)
            except Exception as e:  # noqa: BLE001
                log.debug("job %s failed:\n%s", job.id, traceback.format_exc())
                self.failed.emit(job.id, _message(e))
            finally:
                with self._cond:
                    self._current = None
                    self._cancelled.discard(job.id)
                self.job_finished.emit(job.id, job.kind, float(getattr(self.engine, "last_seconds", 0.0) or 0.0))

    def _run_job(self, job: Job) -> None:
        engine = self.engine
        if job.kind == "load":
            self.model_loaded.emit(job.id, engine.load(job.model_id or None))
        elif job.kind == "understand":
            self.understood.emit(job.id, engine.understand(job.description, job.overrides))
        elif job.kind == "models":
            self.models_listed.emit(job.id, [(m.id, m.name) for m in engine.models()])
        elif job.kind == "task":
            result = job.task(engine, lambda: self._should_stop(job), lambda p: self.task_progress.emit(job.id, p))
            self.task_done.emit(job.id, result)
        else:
            req = job.request
            kept = 0
            self.progress_changed.emit(job.id, 0, req.count)
            # A slider drag shows previews (faster for one picture) when the engine offers them; kept pictures
            # always come from generate_iter, whose pixels never depend on the batch.
            paint = getattr(engine, "preview_iter", None) if job.kind == "interactive" else None
            for images in (paint or engine.generate_iter)(req, lambda: self._should_stop(job), chunk=CHUNK):
                self.results_ready.emit(job.id, list(images))
                if job.keep and self._sink is not None:
                    self.stored.emit(job.id, self._sink(images[kept:]))
                    kept = len(images)
                self.progress_changed.emit(job.id, len(images), req.count)


def _message(e: Exception) -> str:
    text = str(e).strip()
    if type(e).__name__ in ("GenerationError", "ModelError") and text:
        return text
    return f"{text} ({type(e).__name__})" if text else type(e).__name__
