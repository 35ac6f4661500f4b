"""The merchant's choices as a model: generation controls (count, seed, creativity, size, upscaler, model) and
preferences (language, theme, thumbnail size, history, templates, window geometry), saved on shutdown."""

from __future__ import annotations

import random
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from app.i18n import resolve_language, tr
from app.settings import Settings, save_settings
from app.state.messages import Messages


def _setting(name: str) -> property:
    """A property reading and writing one field of the Settings the model holds."""
    return property(lambda self: getattr(self._data, name), lambda self, value: setattr(self._data, name, value))


class SettingsModel(QObject):
    """Widgets read and change the settings here, never the Settings object or its file."""

    changed = Signal()  # controls changed by the state itself (a new seed, another model loaded): widgets re-read

    count = _setting("count")
    seed = _setting("seed")
    seed_locked = _setting("seed_locked")
    creativity = _setting("creativity")
    picture_size = _setting("picture_size")
    enlarge = _setting("enlarge")  # "sharp" | "faithful": the upscaler new pictures above 64 px ask for
    model_id = _setting("model_id")
    language = _setting("language")  # "auto" | "en" | "zh" (a change applies at the next start)
    theme = _setting("theme")
    thumb_size = _setting("thumb_size")
    templates = _setting("templates")
    window_geometry = _setting("window_geometry")
    window_state = _setting("window_state")
    description = _setting("description")  # the description typed last (restored at the next start)

    def __init__(self, data: Settings, config_dir: Path | None, messages: Messages, parent=None):
        super().__init__(parent)
        self._data = data
        self.config_dir = config_dir  # where settings (and the export dialog's recent folders) are saved; None: not
        self.messages = messages

    @property
    def zh(self) -> bool:
        """True when the window speaks Chinese."""
        return resolve_language(self._data.language) == "zh"

    @property
    def history(self) -> list[str]:
        return list(self._data.history)

    def remember_description(self, text: str) -> None:
        self._data.remember_description(text)

    def shuffle_seed(self) -> None:
        self._data.seed = random.randrange(0, 1_000_000)
        self.changed.emit()

    def save(self) -> None:
        if self.config_dir is None:
            return
        try:
            save_settings(self.config_dir, self._data)
        except OSError as e:
            self.messages.error(tr("Settings could not be saved: %1", e))
