"""The one picture reader of every command (fine-tune photos, inversion, upscale, export's own pixels).

A file becomes an upright plain-RGB 8-bit picture or a PictureError naming why not: the EXIF orientation is
applied, transparency is laid on white, 16-bit and float pictures are scaled into 0–255 (never clipped,
which would turn a 16-bit photo white), and hostile files (decompression bombs, damaged or cut-short data,
unknown formats) are refused with a short reason. No Qt.
"""

from __future__ import annotations

import io
import struct
import warnings
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

# Formats accepted (Pillow's names); MPO is how Pillow reports some camera JPEGs.
FORMATS = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "WEBP": "WebP", "BMP": "BMP", "TIFF": "TIFF"}
MAX_PIXELS = 40_000_000  # 40 megapixels: above any camera a shop uses, well below a decompression bomb
MAX_FILE_BYTES = 100 * 1024 * 1024

# Pillow raises DecompressionBombError above 2× this and warns above it; we refuse above it (see below).
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


class PictureError(Exception):
    """A file that is not a usable picture: `code` for programs, `reason` (short) for the merchant."""

    def __init__(self, code: str, reason: str):
        super().__init__(reason)
        self.code, self.reason = code, reason


def to_8bit(img: Image.Image) -> Image.Image:
    """16-bit, 32-bit and float grey pictures as 8-bit grey, scaled by their bit depth (not clipped)."""
    a = np.asarray(img).astype(np.float64)
    a = np.nan_to_num(a, nan=0.0, posinf=0.0, neginf=0.0)
    top_value = float(a.max()) if a.size else 0.0
    if img.mode.startswith("I;16") or (img.mode == "I" and (img.format == "PNG" or top_value > 255)):
        top = 65535.0  # 16-bit samples (PNG keeps 16-bit grey in mode I)
    elif img.mode == "F" and top_value <= 1.0:
        top = 1.0  # float pictures in 0–1
    elif top_value <= 255:
        top = 255.0
    else:
        top = 65535.0 if top_value <= 65535 else top_value
    return Image.fromarray(np.clip(a * (255.0 / top) + 0.5, 0, 255).astype(np.uint8), "L")


def flatten(img: Image.Image) -> Image.Image:
    """Composite anything with transparency onto white; 16-bit/float to 8-bit; everything to plain RGB."""
    if img.mode.startswith("I") or img.mode == "F":
        img = to_8bit(img)
    if img.mode in ("RGBA", "LA", "PA", "RGBa", "La") or (img.mode == "P" and "transparency" in img.info) or \
            (img.mode in ("RGB", "L") and "transparency" in img.info):
        rgba = img.convert("RGBA")
        canvas = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(canvas, rgba).convert("RGB")
    return img.convert("RGB")


def _bytes(path: Path) -> bytes:
    try:
        if Path(path).is_dir():
            raise PictureError("not_image", "a folder, not a picture")
        size = Path(path).stat().st_size
    except PictureError:
        raise
    except OSError as e:
        if isinstance(e, FileNotFoundError):
            raise PictureError("unreadable", "cannot be read (it does not exist)") from None
        raise PictureError("unreadable", f"cannot be read ({e.strerror or e})") from None
    if size > MAX_FILE_BYTES:
        raise PictureError("too_large", f"too large ({size / 2**20:.0f} MB; at most {MAX_FILE_BYTES // 2**20} MB)")
    if size == 0:
        raise PictureError("not_image", "not an image (empty file)")
    try:
        return Path(path).read_bytes()
    except OSError as e:
        raise PictureError("unreadable", f"cannot be read ({e.strerror or e})") from None


def read_picture(path: Path, data: bytes | None = None) -> Image.Image:
    """An upright, plain RGB 8-bit picture from a file (or its `data`); PictureError saying why not."""
    data = _bytes(path) if data is None else data
    too_large = f"too large (more than {MAX_PIXELS // 1_000_000} megapixels)"
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            img = Image.open(io.BytesIO(data))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise PictureError("too_large", too_large) from None
        except UnidentifiedImageError:
            raise PictureError("not_image", "not an image") from None
        except (OSError, ValueError, SyntaxError):
            raise PictureError("corrupt", "corrupt (the file is damaged)") from None
        fmt = img.format or ""
        if fmt not in FORMATS:
            raise PictureError("not_image", f"not a supported picture format ({fmt or 'unknown'}; "
                               "use JPEG, PNG, WebP, BMP or TIFF)")
        w, h = img.size
        if w * h > MAX_PIXELS:
            raise PictureError("too_large", f"too large ({w}×{h} px, more than {MAX_PIXELS // 1_000_000} megapixels)")
        try:
            img.load()
            upright = ImageOps.exif_transpose(img)  # every reader honours the camera's orientation
            upright.format = fmt
            return flatten(upright)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise PictureError("too_large", too_large) from None
        except (OSError, ValueError, SyntaxError, EOFError, struct.error):
            raise PictureError("corrupt", "corrupt (the file is damaged or cut short)") from None

