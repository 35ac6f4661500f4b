"""The selected picture as the sliders show it: the slider offsets and the picture painted with them, live.

Requests go to the worker's "preview" lane (newest wins there: a result from before the selection changed, or
older than the one shown, is never delivered), so this model only ever receives current pictures.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QObject, QTimer, Signal

from app.requests import GeneratedImage, GenerateRequest
from app.state import engine_jobs as jobs
from app.state.selection import SelectionModel
from app.workers import EngineWorker

SLIDER_DELAY_MS = 15  # coalesce slider moves a little; the worker's lane drops the rest


class LivePreview(QObject):
    offsets_changed = Signal(dict)
    image_changed = Signal(object)  # GeneratedImage of the selected picture with the sliders applied, or None

    def __init__(self, worker: EngineWorker, selection: SelectionModel, parent=None):
        super().__init__(parent)
        self.worker, self.selection = worker, selection
        self.offsets: dict[str, float] = {}
        self.image: GeneratedImage | None = None
        self.request: GenerateRequest | None = None  # the newest request sent (what "Keep this version" keeps)
        self.last_id = 0  # id of the newest preview job
        self._timer = QTimer(self, singleShot=True, interval=SLIDER_DELAY_MS)
        self._timer.timeout.connect(self.send)
        selection.changed.connect(self._selected)

    def stop(self) -> None:
        self._timer.stop()

    def pending(self) -> bool:
        """A slider move waits to be sent."""
        return self._timer.isActive()

    def sorted_offsets(self) -> tuple[tuple[str, float], ...]:
        return tuple(sorted(self.offsets.items()))

    def set_offset(self, name: str, value: float) -> None:
        if abs(value) < 1e-9:
            self.offsets.pop(name, None)
        else:
            self.offsets[name] = float(value)
        self.offsets_changed.emit(dict(self.offsets))
        self._timer.start()

    def reset_offsets(self, name: str | None = None) -> None:
        if name is None:
            self.offsets.clear()
        else:
            self.offsets.pop(name, None)
        self.offsets_changed.emit(dict(self.offsets))
        self.send()

    def clear_offsets(self) -> None:
        """Another model: its sliders are others."""
        self.offsets.clear()

    def send(self) -> None:
        """Paint the selected picture with the sliders as they are now."""
        self._timer.stop()
        base = self.selection.request()
        if base is None:
            return
        req = replace(base, offsets=self.sorted_offsets())
        self.request = req
        if req == base:
            self._show(None)
        h = self.worker.submit(jobs.preview(req), "preview", lane="preview")
        self.last_id = h.id
        h.finished.connect(self._show)

    def _show(self, image: GeneratedImage | None) -> None:
        self.image = image
        self.image_changed.emit(image)

    def _selected(self, _ids: list) -> None:
        self.image = None
        self.request = None
        self.worker.reset_lane("preview")  # whatever was asked for the picture selected before is stale now
        req = self.selection.request()
        self.offsets = dict(req.offsets) if req is not None else {}
        self.offsets_changed.emit(dict(self.offsets))
        self.image_changed.emit(None)
