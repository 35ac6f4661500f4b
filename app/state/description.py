"""The product description being typed, the merchant's corrections of it, and how Vitrine understood it."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from app.state import engine_jobs as jobs
from app.state.settings_model import SettingsModel
from app.workers import EngineWorker

UNDERSTAND_DELAY_MS = 300  # wait this long after the last keystroke before reading the description


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


class DescriptionModel(QObject):
    """Readings go to the worker's "understand" lane: only the newest description's reading is ever delivered."""

    understanding_changed = Signal(object)  # Understanding, or None for an empty description
    overrides_changed = Signal(dict)

    def __init__(self, worker: EngineWorker, settings: SettingsModel, parent=None):
        super().__init__(parent)
        self.worker, self.settings = worker, settings
        self.text = settings.description
        self.overrides: dict[str, str] = {}
        # Chip corrections belong to the description they were made on (normalised text → corrections).
        self._overrides_by_text: dict[str, dict[str, str]] = {}
        self.understanding = None
        self._timer = QTimer(self, singleShot=True, interval=UNDERSTAND_DELAY_MS)
        self._timer.timeout.connect(self.read)

    @property
    def stripped(self) -> str:
        return self.text.strip()

    def start(self) -> None:
        """Read the description restored from the settings (after the worker started)."""
        if self.stripped:
            self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def set_text(self, text: str) -> None:
        if text == self.text:
            return
        self.text = self.settings.description = text
        # Another description starts with no corrections (or with the ones made on it before).
        corrections = self._overrides_by_text.get(_key(text), {})
        if corrections != self.overrides:
            self.overrides = dict(corrections)
            self.overrides_changed.emit(dict(self.overrides))
        self._timer.start()

    def set_override(self, attribute: str, key: str | None) -> None:
        """The merchant corrected how an attribute was understood (None: let Vitrine decide again)."""
        if key:
            self.overrides[attribute] = key
        else:
            self.overrides.pop(attribute, None)
        self._overrides_by_text[_key(self.text)] = dict(self.overrides)
        self.overrides_changed.emit(dict(self.overrides))
        self.read()

    def sorted_overrides(self) -> tuple[tuple[str, str], ...]:
        return tuple(sorted(self.overrides.items()))

    def read(self) -> None:
        """Ask the worker how the description reads now (an empty one reads as nothing)."""
        self._timer.stop()
        if self.stripped:
            h = self.worker.submit(jobs.understand(self.text, self.overrides), "understand", lane="understand")
            h.finished.connect(self._understood)
        else:
            self.understanding = None
            self.understanding_changed.emit(None)

    def _understood(self, understanding) -> None:
        self.understanding = understanding
        self.understanding_changed.emit(understanding)
