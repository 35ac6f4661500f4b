"""Paint (optionally), wait until the window is settled, and save a PNG of the whole window."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer


def _wait(qt, condition, timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            return False
        qt.processEvents(QEventLoop.AllEvents, 50)
        loop = QEventLoop()
        QTimer.singleShot(20, loop.quit)
        loop.exec()
    return True


def take_screenshot(app, path: str | Path, paint: bool = True, timeout_s: float = 120.0) -> tuple[bool, str]:
    """Returns (ok, message). Waits for the model (or the no-model message), then for the pictures."""
    state, window, qt = app.state, app.window, app.qt
    ready = _wait(qt, lambda: state.models.loaded is not None or bool(window.last_error), timeout_s)
    if not ready:
        return False, "The window did not become ready in time."
    if paint and state.models.loaded is not None:
        job = state.generation.generate()
        if job is not None:
            _wait(qt, lambda: not state.generation.busy, timeout_s)
            # Show the first picture as selected so the preview and sliders are part of the picture.
            if window.gallery.count():
                window.gallery.setCurrentRow(0)
            _wait(qt, lambda: state.description.understanding is not None, min(timeout_s, 30))
    _wait(qt, lambda: False, 0.3)  # let layouts and style settle
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(path)):
        return False, f"Could not write {path}."
    return True, f"Saved {path}"
