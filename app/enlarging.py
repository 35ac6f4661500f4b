"""Which learned upscaler enlarges an exported picture: the export's Sharp/Faithful choice, outside the engine."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from app.requests import ENLARGE_STYLES


class BundledUpscalers:
    """The bundled upscalers, loaded on first use on the CPU, for a thread that has no engine (GUI export).

    Meets the part of the engine that export uses: `upscaler(style)` → callable or None when not installed.
    """

    def __init__(self, bundled_dir: Path):
        self.bundled_dir = Path(bundled_dir)
        self._loaded: dict[str, Any] = {}
        self._lock = threading.Lock()

    def upscaler(self, style: str = "faithful"):
        from app.engine.upscalers import load_style

        with self._lock:
            if style not in self._loaded:
                self._loaded[style] = load_style(self.bundled_dir, style, "cpu")
            return self._loaded[style]


class StyledUpscaler:
    """Hands compose() (which asks `engine.upscaler()`) the upscaler of one style."""

    def __init__(self, engine: Any, style: str):
        self.engine, self.style = engine, style

    def upscaler(self):
        return self.engine.upscaler(self.style)


def available(engine: Any, style: str):
    """The upscaler of `style` from engine (None when there is no engine, it is not installed or unreadable)."""
    if engine is None or style not in ENLARGE_STYLES:
        return None
    try:
        return engine.upscaler(style)
    except Exception:  # noqa: BLE001 — export then enlarges with Lanczos and records that it did
        return None


def export_style(engine: Any, wanted: str) -> str:
    """The style an export really enlarges with: the wanted one, else Faithful for Sharp (when installed), else ""
    (Lanczos only, recorded as "upscaler": false)."""
    if available(engine, wanted) is not None:
        return wanted
    if wanted == "sharp" and available(engine, "faithful") is not None:
        return "faithful"
    return ""
