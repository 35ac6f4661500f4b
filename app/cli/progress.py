"""A text progress bar with ETA for long jobs on the command line."""

from __future__ import annotations

import sys
import time

from app.requests import Progress


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
        if not force and now - self.last < self.interval and p.message != "finished":
            return
        self.last = now
        width = 30
        filled = int(width * p.fraction)
        metrics = " ".join(f"{k}={v:.3g}" for k, v in list(p.metrics.items())[:5])
        line = f"[{'#' * filled}{'.' * (width - filled)}] {p.step}/{p.total} ETA {_fmt(p.eta_s)} {p.message} {metrics}"
        self.stream.write(("\r" + line[:160]) if self.tty else line + "\n")
        self.stream.flush()
