"""The job worker (app/workers.py): generator jobs, typed signals, pause and stop between yields, newest-wins lanes."""

from __future__ import annotations

import threading

import pytest

from app.engine.jobs import Phase, Progress
from app.workers import FAILED, JobWorker

TIMEOUT = 10_000


def steps(n: int, gate: threading.Event | None = None, result="done"):
    """A job of n steps; with a gate, each step waits for it (so a test can act between yields)."""

    def job(_context, control):
        for i in range(1, n + 1):
            if gate is not None:
                gate.wait(5)
            if control.should_stop():
                return "stopped"
            yield Progress(Phase.RUNNING, i, n, "generate.pictures", {"done": i, "total": n})
        return result

    return job


@pytest.fixture
def worker(qapp):
    w = JobWorker({"preview": "newer", "understand": "latest"})
    w.start()
    yield w
    w.stop()


def test_a_generator_job_reports_progress_then_its_result_then_ends(worker, qtbot):
    seen = []
    h = worker.submit(steps(3), "job")
    h.progress.connect(lambda p: seen.append(("progress", p.done)))
    h.finished.connect(lambda r: seen.append(("finished", r)))
    with qtbot.waitSignal(h.ended, timeout=TIMEOUT):
        pass
    assert seen == [("progress", 1), ("progress", 2), ("progress", 3), ("finished", "done")]
    assert worker.submit(lambda _c, _control: 42, "plain") is not None  # a plain call is a job too


def test_a_failure_is_a_typed_message_and_the_worker_goes_on(worker, qtbot):
    def boom(_c, _control):
        raise RuntimeError("the disk fell off")

    h = worker.submit(boom, "job")
    with qtbot.waitSignal(h.failed, timeout=TIMEOUT) as failed:
        pass
    f = failed.args[0]
    assert f.key == FAILED and f.error == "the disk fell off" and "RuntimeError" in f.text
    again = worker.submit(steps(1), "job")
    with qtbot.waitSignal(again.finished, timeout=TIMEOUT) as done:
        pass
    assert done.args == ["done"]


def test_pause_holds_the_job_between_yields_and_cancel_stops_it(worker, qtbot):
    gate = threading.Event()
    h = worker.submit(steps(5, gate), "job")
    seen = []
    h.progress.connect(lambda p: seen.append(p.done))
    h.pause()
    gate.set()
    qtbot.waitUntil(lambda: seen == [1], timeout=TIMEOUT)
    qtbot.wait(200)
    assert seen == [1] and h.paused  # held after its first yield
    with qtbot.waitSignal(h.finished, timeout=TIMEOUT) as done:
        h.cancel()  # a paused job that is cancelled goes on to its end and says it stopped
    assert done.args == ["stopped"]


def test_cancel_drops_queued_jobs_of_those_kinds_and_each_still_ends(worker, qtbot):
    gate = threading.Event()
    running = worker.submit(steps(2, gate), "generate")
    queued = worker.submit(steps(1), "generate")
    other = worker.submit(steps(1), "models")
    ended = []
    for h in (running, queued, other):
        h.ended.connect(lambda h=h: ended.append(h.kind))
    dropped = worker.cancel(("generate",))
    assert queued in dropped and running in dropped and other not in dropped
    gate.set()
    qtbot.waitUntil(lambda: len(ended) == 3, timeout=TIMEOUT)
    assert queued.dropped and not other.dropped


def test_a_lane_keeps_only_the_newest_pending_job(worker, qtbot):
    gate = threading.Event()
    busy = worker.submit(steps(1, gate), "job")  # holds the thread while three previews are asked
    results = []
    handles = [worker.submit(steps(1, result=k), "preview", lane="preview") for k in range(3)]
    for h in handles:
        h.finished.connect(results.append)
    gate.set()
    qtbot.waitUntil(lambda: all(h.done for h in handles) and busy.done, timeout=TIMEOUT)
    assert results == [2] and handles[0].dropped and handles[1].dropped


def test_newest_wins_is_decided_on_delivery(worker, qtbot):
    lane = worker.lanes["preview"]
    a = worker.submit(lambda _c, _control: "a", "preview", lane="preview")
    with qtbot.waitSignal(a.finished, timeout=TIMEOUT):
        pass
    b = worker.submit(lambda _c, _control: "b", "preview", lane="preview")
    with qtbot.waitSignal(b.finished, timeout=TIMEOUT):
        pass
    late = []
    a.finished.connect(late.append)
    before = worker.stale_dropped
    a._result_out.emit("a again")  # an older result arriving after a newer one was shown
    qtbot.waitUntil(lambda: worker.stale_dropped == before + 1, timeout=TIMEOUT)
    assert late == [] and lane.shown == b.id
    worker.reset_lane("preview")  # e.g. another picture was selected: b's result is stale now too
    b._result_out.emit("b again")
    qtbot.waitUntil(lambda: worker.stale_dropped == before + 2, timeout=TIMEOUT)
    # "latest": only the newest request's answer counts, even when an older one finishes later.
    first = worker.submit(lambda _c, _control: 1, "understand", lane="understand")
    second = worker.submit(lambda _c, _control: 2, "understand", lane="understand")
    got = []
    first.finished.connect(got.append)
    second.finished.connect(got.append)
    qtbot.waitUntil(lambda: first.done and second.done, timeout=TIMEOUT)
    assert got == [2]


def test_an_idle_exit_worker_ends_its_thread_and_starts_again(qapp, qtbot):
    w = JobWorker(idle_exit=True)
    try:
        for n in (1, 2):
            h = w.submit(steps(n), "job")
            with qtbot.waitSignal(h.finished, timeout=TIMEOUT):
                pass
            qtbot.waitUntil(lambda: not w.isRunning(), timeout=TIMEOUT)
    finally:
        w.stop()
    late = w.submit(steps(1), "job")  # stopped for good: the job ends without running
    with qtbot.waitSignal(late.ended, timeout=TIMEOUT):
        pass
    assert late.dropped
