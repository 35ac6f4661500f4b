"""Import a shop's own photos for fine-tuning: files or folders in, square model-size pictures out.

No Qt here: the training panel, the command line and the engine all call `import_photos`. Every file
that cannot be used is listed with a one-line reason; one bad file never stops the others.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import numpy as np
from PIL import Image

from app.data.backdrop import border_connected_near_white
from app.data.datasets import pad_to_square
from app.data.pictures import FORMATS, MAX_FILE_BYTES, MAX_PIXELS, PictureError, read_picture  # noqa: F401
from app.data.pictures import _bytes as _read_bytes

EXTENSIONS = {".jpg", ".jpeg", ".jpe", ".png", ".webp", ".bmp", ".tif", ".tiff"}
MIN_SIDE = 32  # pixels; anything smaller carries too little of the product
WHITE_THRESHOLD = 238  # "near white" for background whitening (all three channels at least this)
DUPLICATE_HAMMING = 3  # perceptual-hash bits that may differ for two photos to count as the same
BLANK_SPREAD = 6.0  # a photo whose pixels all lie this close (standard deviation, 0–255) to one colour is blank
DUPLICATE_COLOUR = 6.0  # … and at most this mean colour difference (a red and a blue variant are not duplicates)

# Words in camera/file names that say nothing about the product.
_NOISE = {"img", "image", "dsc", "dscn", "dcim", "photo", "pic", "picture", "copy", "final", "edit", "edited",
          "scan", "screenshot", "whatsapp", "pxl", "new", "jpg", "jpeg", "png"}


@dataclass
class ImportedPhoto:
    """One usable photo: pixels at the model's resolution plus what is known about it."""

    path: Path
    pixels: np.ndarray  # (R, R, 3) uint8 RGB
    sha256: str  # of the original file's bytes (recorded in the model card)
    hint: str  # description guessed from the file name ("red-heels-01.jpg" → "red heels")
    description: str = ""  # the merchant's description for this photo ("" → the common one)
    original_size: tuple[int, int] = (0, 0)
    phash: int = 0

    def effective_description(self, common: str = "") -> str:
        return self.description or common or self.hint


@dataclass(frozen=True)
class Rejected:
    path: Path
    reason: str  # short, for the merchant: "not an image", "corrupt", "too small (20×18 px)", …
    code: str  # machine-readable: not_image | corrupt | too_small | too_large | duplicate | unreadable | blank


@dataclass
class ImportResult:
    photos: list[ImportedPhoto] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)

    def descriptions(self, common: str = "") -> list[str]:
        return [p.effective_description(common) for p in self.photos]

    def images(self) -> np.ndarray:
        return np.stack([p.pixels for p in self.photos]) if self.photos else np.zeros((0, 0, 0, 3), np.uint8)


def hint_from_name(path: str | Path) -> str:
    """File name → description hint: separators to spaces, numbers and camera words dropped."""
    stem = Path(path).stem.lower()
    words = [w for w in re.split(r"[\s_\-.,+()\[\]]+", stem) if w]
    words = [w for w in words if not re.fullmatch(r"[a-z]?\d+[a-z]?|v\d+", w) and w not in _NOISE]
    return " ".join(words)


def expand_sources(sources: Iterable[str | Path]) -> list[Path]:
    """Files as given, folders walked (sorted, recursively); hidden files and folders are skipped."""
    return _expand(sources)[0]


def _walk(folder: Path, files: list[Path], skipped: list[Rejected]) -> None:
    """The files under `folder`; what is passed over (hidden, empty folders, devices) is named in `skipped`."""
    try:
        entries = sorted(folder.iterdir())
    except OSError as e:
        skipped.append(Rejected(folder, f"cannot be read ({e.strerror or e})", "unreadable"))
        return
    if not entries:
        skipped.append(Rejected(folder, "an empty folder, not a picture", "not_image"))
    for f in entries:
        if f.name.startswith("."):
            skipped.append(Rejected(f, "a hidden file or folder (skipped)", "hidden"))
            continue
        try:
            is_dir, is_file = f.is_dir(), f.is_file()
        except OSError:
            is_dir, is_file = False, True  # let load_photo say why it cannot be read
        if is_dir and not f.is_symlink():
            _walk(f, files, skipped)
        elif is_file:
            files.append(f)
        elif is_dir:
            skipped.append(Rejected(f, "a link to a folder (not followed)", "not_image"))
        elif f.is_symlink():
            files.append(f)  # a broken or looping link: load_photo says why it cannot be read
        else:
            skipped.append(Rejected(f, "not a regular file", "not_image"))


def _expand(sources: Iterable[str | Path]) -> tuple[list[Path], list[Rejected]]:
    files: list[Path] = []
    skipped: list[Rejected] = []
    for src in sources:
        p = Path(src)
        try:
            is_dir = p.is_dir()
        except OSError:  # a name too long for the OS, a symlink loop…: load_photo reports it as unreadable
            is_dir = False
        if is_dir:
            _walk(p, files, skipped)
        else:
            files.append(p)
    return files, skipped


def whiten_background(pixels: np.ndarray, threshold: int = WHITE_THRESHOLD) -> np.ndarray:
    """Near-white pixels connected to the border become pure white (the product itself is left alone)."""
    out = pixels.copy()
    out[border_connected_near_white(pixels, threshold)] = 255
    return out


def perceptual_hash(pixels: np.ndarray) -> int:
    """64-bit difference hash of the grey picture (robust to re-encoding and small resizes)."""
    grey = Image.fromarray(pixels).convert("L").resize((9, 8), Image.Resampling.BILINEAR)
    a = np.asarray(grey, np.int16)
    bits = (a[:, 1:] > a[:, :-1]).flatten()
    return int("".join("1" if b else "0" for b in bits), 2)


def is_blank(pixels: np.ndarray, spread: float = BLANK_SPREAD) -> bool:
    """A blank or near-uniform picture (an empty backdrop, a lens cap, a white page): no channel varies."""
    return float(pixels.reshape(-1, pixels.shape[-1]).astype(np.float32).std(axis=0).max()) < spread


def load_photo(path: Path, resolution: int = 64, whiten: bool = False) -> tuple[np.ndarray, str, tuple[int, int]]:
    """Read one file (through the one picture reader) into (R, R, 3) uint8. Raises _Reject with the reason."""
    data = _read_bytes(path)
    digest = hashlib.sha256(data).hexdigest()
    img = read_picture(path, data)
    w, h = img.size
    if min(w, h) < MIN_SIDE:
        raise _Reject("too_small", f"too small ({w}×{h} px; at least {MIN_SIDE} px on each side)")
    img = pad_to_square(img).resize((resolution, resolution), Image.Resampling.LANCZOS)
    pixels = np.asarray(img, np.uint8)
    if is_blank(pixels):
        raise _Reject("blank", "blank or almost one colour: there is no product to learn from")
    if whiten:
        pixels = whiten_background(pixels)
    return pixels, digest, (w, h)


_Reject = PictureError  # the reason a file is skipped (code + short reason)


def import_photos(sources: Iterable[str | Path], resolution: int = 64, whiten: bool = False,
                  existing: Iterable[ImportedPhoto] = ()) -> ImportResult:
    """Import files and folders. `existing` photos (an earlier drop) count for duplicate detection."""
    result = ImportResult()
    known = list(existing)
    files, result.rejected = _expand(sources)
    for path in files:
        try:
            pixels, digest, size = load_photo(path, resolution, whiten)
        except _Reject as r:
            result.rejected.append(Rejected(path, r.reason, r.code))
            continue
        except Exception as e:  # noqa: BLE001 — a decoder bug in one file must not stop the import
            result.rejected.append(Rejected(path, f"corrupt ({e.__class__.__name__})", "corrupt"))
            continue
        ph = perceptual_hash(pixels)
        mean = pixels.reshape(-1, 3).mean(axis=0)
        dup = None
        for other in known + result.photos:
            if other.sha256 == digest or np.array_equal(other.pixels, pixels):
                dup = other
                break
            if bin(other.phash ^ ph).count("1") <= DUPLICATE_HAMMING and \
                    float(np.abs(other.pixels.reshape(-1, 3).mean(axis=0) - mean).max()) <= DUPLICATE_COLOUR and \
                    float(np.abs(other.pixels.astype(np.int16) - pixels).mean()) <= 8.0:
                dup = other
                break
        if dup is not None:
            result.rejected.append(Rejected(path, f"duplicate of {dup.path.name}", "duplicate"))
            continue
        result.photos.append(ImportedPhoto(path, pixels, digest, hint_from_name(path), "", size, ph))
    return result
