"""Long jobs on the command line: drive a job (app.engine.jobs) to its end, printing a progress bar with ETA.

What is printed is the English sentence of each Progress's message key (Progress.message, from
app.engine.jobs.MESSAGE_KEYS); nothing here reads a message to decide anything.
"""

from __future__ import annotations

import sys
import time
from typing import Any, Callable, Generator

from app.engine.jobs import Phase, Progress

LAST = (Phase.FINISHED, Phase.CANCELLED)


def _fmt(seconds: float | None) -> str:
    if seconds is None:
        return "--:--"
    seconds = int(seconds)
    h, rem = divmod(seconds, 3600)
    return f"{h}:{rem // 60:02d}:{rem % 60:02d}" if h else f"{rem // 60:02d}:{rem % 60:02d}"


class ProgressPrinter:
    """Prints at most every `interval` seconds; a bar on a TTY, plain lines otherwise (logs, CI)."""

    def __init__(self, interval: float = 2.0, stream=None):
        # Resolve sys.stderr now, not at import: it may have been replaced (tests, GUI redirection).
        stream = stream if stream is not None else sys.stderr
        self.interval, self.stream, self.last = interval, stream, 0.0
        self.tty = hasattr(stream, "isatty") and stream.isatty()

    def __call__(self, p: Progress, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.last < self.interval and p.phase not in LAST:
            return
        self.last = now
        width = 30
        filled = int(width * p.fraction)
        metrics = " ".join(f"{k}={v:.3g}" for k, v in list(p.metrics.items())[:5])
        line = f"[{'#' * filled}{'.' * (width - filled)}] {p.done}/{p.total} ETA {_fmt(p.eta_s)} {p.message} {metrics}"
        self.stream.write(("\r" + line[:160]) if self.tty else line + "\n")
        self.stream.flush()


def drive(job: Generator[Progress, Any, Any], show: ProgressPrinter | None = None,
          force: Callable[[Progress], bool] = lambda p: False) -> Any:
    """Run a job to its end on this thread, printing its progress (always the last one, and those `force` picks);
    returns the job's result."""
    show = show or ProgressPrinter()
    last = None
    while True:
        try:
            p = next(job)
        except StopIteration as done:
            result = done.value
            break
        last = p
        show(p, force=force(p))
    if last is not None and last.phase not in LAST:
        show(last, force=True)
    return result
