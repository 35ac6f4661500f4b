"""The two bundled 4x upscalers the merchant chooses between: "sharp" (GAN-trained, the default) and "faithful".

Each style lives in its own bundled folder; a folder's config.json may say which style it holds ("style"; none
means faithful, the first upscaler shipped). Loading checks the weights' hash like every Vitrine model, so a
changed file is refused with a sentence, never used.
"""

from __future__ import annotations

from pathlib import Path

from app.engine.checkpoints import CONFIG, ModelError
from app.engine.requests import ENLARGE_STYLES

FOLDERS = {"faithful": "upscaler-x4", "sharp": "upscaler-sharp-x4"}  # style → bundled folder name
NAMES = {"faithful": ("Faithful", "忠实原图"), "sharp": ("Sharp", "清晰")}  # what the merchant reads


class UpscalerMissing(ModelError):
    """The upscaler a request names is not installed."""


def check_style(style: str) -> str:
    if style not in ENLARGE_STYLES:
        raise ValueError(f"unknown enlarging style {style!r}; choose {' or '.join(ENLARGE_STYLES)}")
    return style


def style_folder(bundled_dir: Path, style: str) -> Path:
    return Path(bundled_dir) / FOLDERS[check_style(style)]


def installed(bundled_dir: Path, style: str) -> bool:
    return (style_folder(bundled_dir, style) / CONFIG).exists()


def load_style(bundled_dir: Path, style: str, device="cpu"):
    """The bundled upscaler of `style` (a LoadedUpscaler), or None when its folder is not installed.

    Raises ModelError when the folder is damaged, changed after saving (hash mismatch) or holds the other style.
    """
    from app.engine.upscale import load_upscaler, read_upscaler_config

    folder = style_folder(bundled_dir, style)
    if not (folder / CONFIG).exists():
        return None
    holds = str(read_upscaler_config(folder).get("style") or "faithful")
    if holds != style:
        raise ModelError(f"The upscaler folder {folder.name} holds the {holds} upscaler, not the {style} one.")
    return load_upscaler(folder, device)


def missing_message(style: str, bundled_dir: Path | None = None) -> str:
    """One sentence (current language) saying that the upscaler of `style` is not installed."""
    from app.engine.messages import say

    where = str(style_folder(bundled_dir, style)) if bundled_dir is not None else FOLDERS[style]
    return say("upscaler_missing", style=display_name(style), folder=where)


def display_name(style: str) -> str:
    from app.engine.messages import language

    en, zh = NAMES[style]
    return zh if language() == "zh" else en
