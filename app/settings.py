"""Typed user settings with a schema_version, stored as JSON; a bad value falls back to its default."""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from app.output import atomic_write_bytes

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
FILE_NAME = "settings.json"
HISTORY_LIMIT = 30
DEFAULT_TEMPLATES = ("{colour} {material} {category} for {gender}", "{colour} {category}, studio photo, white background")


@dataclass
class Settings:
    """Everything Vitrine remembers between runs (no Qt types: geometry/state are base64 strings)."""

    schema_version: int = SCHEMA_VERSION
    language: str = "auto"  # "auto" (system locale) | "en" | "zh"
    theme: str = "light"  # "light" | "dark"
    window_geometry: str = ""  # base64 of QMainWindow.saveGeometry()
    window_state: str = ""  # base64 of QMainWindow.saveState()
    count: int = 8
    seed: int = 0
    seed_locked: bool = False
    creativity: float = 0.8
    picture_size: int = 256  # 64 = the model's own pixels; larger sizes go through the learned upscaler
    enlarge: str = "sharp"  # which learned upscaler: "sharp" (GAN-trained) or "faithful" (app.requests.ENLARGE_STYLES)
    model_id: str = ""
    thumb_size: int = 128
    description: str = ""
    history: list[str] = field(default_factory=list)
    templates: list[str] = field(default_factory=lambda: list(DEFAULT_TEMPLATES))

    _CHOICES = {"language": ("auto", "en", "zh"), "theme": ("light", "dark"), "enlarge": ("sharp", "faithful")}
    _RANGES = {"count": (1, 256), "seed": (0, 2**31 - 1), "creativity": (0.0, 2.0), "picture_size": (64, 1024), "thumb_size": (48, 512)}

    @classmethod
    def from_dict(cls, data: dict) -> "Settings":
        """Build settings from stored JSON; every missing or invalid value takes its default."""
        s = cls()
        if not isinstance(data, dict):
            return s
        for f in fields(cls):
            if f.name not in data or f.name == "schema_version":
                continue
            value, default = data[f.name], getattr(s, f.name)
            if isinstance(default, bool):
                ok = isinstance(value, bool)
            elif isinstance(default, int):
                ok = isinstance(value, int) and not isinstance(value, bool)
            elif isinstance(default, float):
                ok = isinstance(value, (int, float)) and not isinstance(value, bool)
                value = float(value) if ok else value
            elif isinstance(default, str):
                ok = isinstance(value, str)
            else:  # list[str]
                ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
            if ok and f.name in cls._CHOICES:
                ok = value in cls._CHOICES[f.name]
            if ok and f.name in cls._RANGES:
                lo, hi = cls._RANGES[f.name]
                ok = lo <= value <= hi
            if ok:
                setattr(s, f.name, value)
        return s

    def to_dict(self) -> dict:
        return asdict(self)

    def remember_description(self, text: str) -> None:
        """Put a description at the top of the history (no duplicates, bounded)."""
        text = text.strip()
        if not text:
            return
        self.history = [text] + [h for h in self.history if h != text]
        del self.history[HISTORY_LIMIT:]


def settings_file(config_dir: Path) -> Path:
    return Path(config_dir) / FILE_NAME


def load_settings(config_dir: Path, notices: list[str] | None = None) -> Settings:
    """Read the settings; a damaged file is renamed to *.bad and the defaults are used.

    When that happens a sentence for the merchant is appended to `notices` (and logged).
    """
    path = settings_file(config_dir)
    if not path.exists():
        return Settings()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise ValueError("settings are not a JSON object")
    except (OSError, ValueError, UnicodeDecodeError, RecursionError) as e:
        bad = path.with_suffix(path.suffix + ".bad")
        try:
            os.replace(path, bad)
            where = f"it was kept as {bad.name}"
        except OSError:
            where = "it could not be set aside"
        message = f"The settings file was damaged ({type(e).__name__}); default settings are used and {where}."
        log.warning("%s: %s", path, message)
        if notices is not None:
            notices.append(message)
        return Settings()
    return Settings.from_dict(data)


def save_settings(config_dir: Path, settings: Settings) -> Path:
    path = settings_file(config_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    return atomic_write_bytes(path, json.dumps(settings.to_dict(), ensure_ascii=False, indent=2).encode("utf-8"))
