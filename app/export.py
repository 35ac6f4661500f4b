"""Export pictures to listing folders: marketplace presets, safe file-name templates, embedded requests, no half-done batches."""

from __future__ import annotations

import datetime as _dt
import errno
import functools
import json
import os
import re
import string
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Protocol, Sequence

import numpy as np
from PIL import Image, ImageDraw

from app.metadata import EXTENSIONS, FORMATS, encode_image
from app.staging import Staging
from app.requests import GenerateRequest, Progress


class ExportError(Exception):
    """An export that cannot be done or was undone; the message is one sentence for the merchant."""


@dataclass(frozen=True)
class Preset:
    """A marketplace's picture rules."""

    name: str
    label: str
    size: int  # square side in pixels
    white_background: bool = False  # force the background to pure white (255, 255, 255)
    fill: float | None = None  # product's longer side as a fraction of the frame (None: keep framing)


PRESETS: dict[str, Preset] = {
    "taobao": Preset("taobao", "Taobao / Tmall (800×800)", 800),
    "jd": Preset("jd", "JD.com (800×800)", 800),
    "amazon": Preset("amazon", "Amazon (1600×1600, pure white, product 85%)", 1600, True, 0.85),
    "shopify": Preset("shopify", "Shopify (2048×2048)", 2048),
}
CUSTOM = "custom"
MIN_SIZE, MAX_SIZE = 16, 4096
SUBFOLDERS = ("", "sku", "name")
OVERWRITE_POLICIES = ("suffix", "ask")
TEMPLATE_FIELDS = ("sku", "name", "index", "date", "seed", "colour", "category", "model")
DEFAULT_TEMPLATE = "{name}-{index}"
NEAR_WHITE = 242  # every channel at least this → counts as white background
MAX_NAME_BYTES = 120  # stem limit; leaves room for "-12", ".webp", the sidecar and the temporary prefix


@dataclass(frozen=True)
class ExportRequest:
    """Every choice of one export; the dialog and the command line both build one."""

    folder: str  # an existing folder chosen by the merchant
    template: str = DEFAULT_TEMPLATE
    format: str = "jpeg"  # png | jpeg | webp
    quality: int = 92  # jpeg / webp quality 1..100
    preset: str = "taobao"  # a PRESETS key or "custom"
    size: int = 800  # custom square side (ignored for presets)
    white_background: bool = False  # force near-white background to pure white (amazon always does)
    sidecar: bool = True  # write NAME.json beside every picture
    subfolder: str = ""  # "" | "sku" | "name": put the files in FOLDER/<sku or product name>/
    overwrite: str = "suffix"  # "suffix": name-1, name-2…; "ask": the caller decides via `replace`
    sku: str = ""
    product_name: str = ""  # "" → the description of each picture

    def validate(self) -> None:
        if self.format not in FORMATS:
            raise ExportError(f"Unknown format {self.format!r}; choose png, jpeg or webp.")
        if self.preset != CUSTOM and self.preset not in PRESETS:
            raise ExportError(f"Unknown preset {self.preset!r}; choose {', '.join(PRESETS)} or custom.")
        if self.preset == CUSTOM and not MIN_SIZE <= int(self.size) <= MAX_SIZE:
            raise ExportError(f"The custom size must be between {MIN_SIZE} and {MAX_SIZE} pixels.")
        if not 1 <= int(self.quality) <= 100:
            raise ExportError("The quality must be between 1 and 100.")
        if self.subfolder not in SUBFOLDERS:
            raise ExportError("The subfolder must be by SKU, by product name or none.")
        if self.overwrite not in OVERWRITE_POLICIES:
            raise ExportError("The overwrite policy must be 'suffix' or 'ask'.")
        check_template(self.template)

    @property
    def target_size(self) -> int:
        return int(self.size) if self.preset == CUSTOM else PRESETS[self.preset].size

    @property
    def fill(self) -> float | None:
        return None if self.preset == CUSTOM else PRESETS[self.preset].fill

    @property
    def force_white(self) -> bool:
        return self.white_background or (self.preset != CUSTOM and PRESETS[self.preset].white_background)

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.format]


class ExportItem(Protocol):
    pixels: np.ndarray  # (H, W, 3) uint8
    request: GenerateRequest


@dataclass
class ExportResult:
    """What an export wrote."""

    folder: Path  # where the pictures are (the subfolder when there is one)
    files: list[Path] = field(default_factory=list)  # the pictures, in item order
    sidecars: list[Path] = field(default_factory=list)


# ---- names -------------------------------------------------------------------------------------------
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
                     *(f"COM{i}" for i in "123456789¹²³"), *(f"LPT{i}" for i in "123456789¹²³")}
_FORBIDDEN = re.compile(r'[<>:"/\\|?*]')
_INVISIBLE = {"\u200b", "\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
              "\u2066", "\u2067", "\u2068", "\u2069", "\ufeff"}


def safe_name(text: str, max_bytes: int = MAX_NAME_BYTES, fallback: str = "vitrine") -> str:
    """One file or folder name component that is valid on Windows, macOS and Linux.

    Removes control and bidi characters, replaces path separators and characters Windows forbids,
    defuses `..` and reserved device names (CON, NUL.txt, COM1…), trims trailing dots/spaces and
    cuts to `max_bytes` of UTF-8 on a character boundary. Chinese and emoji are kept.
    """
    text = unicodedata.normalize("NFC", str(text))
    text = "".join(" " if ch in "\t\n\r" else ch for ch in text
                   if ch in "\t\n\r" or (unicodedata.category(ch) != "Cc" and ch not in _INVISIBLE))
    text = _FORBIDDEN.sub("_", text)
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\.{2,}", ".", text)  # no ".." anywhere
    text = text.strip(" .")  # no hidden files, no trailing dot/space (Windows drops them)
    encoded = text.encode("utf-8")
    if len(encoded) > max_bytes:
        text = encoded[:max_bytes].decode("utf-8", "ignore")
        # Do not leave a lone combining mark or joiner at the cut.
        while text and unicodedata.category(text[-1]) in ("Mn", "Me", "Cf"):
            text = text[:-1]
        text = text.rstrip(" .")
    if not text:
        return fallback
    if text.split(".")[0].rstrip(" ").upper() in _WINDOWS_RESERVED:
        text = "_" + text
    return text


def check_template(template: str) -> None:
    """Raise ExportError unless every {field} of the template is known (no attribute or index access)."""
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError:
        raise ExportError("The file-name template has an unmatched { or }; write {{ or }} for a brace.") from None
    for _, name, spec, _ in parsed:
        if name is None:
            continue
        if name not in TEMPLATE_FIELDS:
            raise ExportError(f"The file-name template has an unknown field {{{name}}}; "
                              f"use {' '.join('{' + f + '}' for f in TEMPLATE_FIELDS)}.")
        if spec and (name not in ("index", "seed") or not re.fullmatch(r"0?\d{1,2}d?", spec)):
            raise ExportError(f"Only {{index}} and {{seed}} take a width, like {{index:03}} (not {{{name}:{spec}}}).")


@functools.lru_cache(maxsize=256)
def _lexicon_attributes(description: str) -> dict[str, str]:
    """Attributes named by the words of a description (lexicon only: exporting never loads the sentence embedder)."""
    try:
        from app.engine import vocab
        found = _conditioner().match_words(" ".join(description.split()))
        return {a: vocab.ATTRIBUTES[a][i].en for a, (i, _) in found.items()}
    except Exception:  # noqa: BLE001 — a name field is a nicety, never a reason to fail an export
        return {}


@functools.lru_cache(maxsize=1)
def _conditioner():
    from app.engine.text import TextConditioner

    return TextConditioner(embedder=lambda texts: None)


def _attribute(request: GenerateRequest, attribute: str) -> str:
    return dict(request.overrides).get(attribute) or _lexicon_attributes(request.description).get(attribute, "")


def template_fields(request: GenerateRequest, export: ExportRequest, index: int,
                    date: _dt.date | None = None) -> dict[str, Any]:
    """The values the template's fields take for picture `index` (1-based) of an export."""
    return {
        "sku": export.sku,
        "name": export.product_name or request.description,
        "index": index,
        "date": (date or _dt.date.today()).isoformat(),
        "seed": request.seed + request.start,  # the picture's own seed, as `generate` names files
        "colour": _attribute(request, "colour"),
        "category": _attribute(request, "category"),
        "model": request.model_id,
    }


def render_name(template: str, values: dict[str, Any]) -> str:
    """The safe file stem a template gives (no extension); fields are made safe before they are joined."""
    check_template(template)
    out = []
    for literal, name, spec, _ in string.Formatter().parse(template):
        out.append(literal)
        if name is None:
            continue
        value = values.get(name, "")
        if isinstance(value, int) and spec:
            out.append(format(value, spec if spec.endswith("d") else spec + "d"))
        else:
            out.append(safe_name(str(value), fallback=""))
    return safe_name("".join(out))


def subfolder_name(export: ExportRequest, request: GenerateRequest) -> str:
    if export.subfolder == "sku":
        return safe_name(export.sku, fallback="no-sku")
    if export.subfolder == "name":
        return safe_name(export.product_name or request.description, fallback="product")
    return ""


def planned_names(items: Sequence[ExportItem], export: ExportRequest, date: _dt.date | None = None) -> list[str]:
    """Relative paths (subfolder/stem.ext) the items would get before conflicts are resolved; for previews."""
    out = []
    for i, item in enumerate(items, 1):
        stem = render_name(export.template, template_fields(item.request, export, i, date))
        sub = subfolder_name(export, item.request)
        out.append(f"{sub}/{stem}{export.extension}" if sub else f"{stem}{export.extension}")
    return out


def _inside(folder: Path, path: Path) -> bool:
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except OSError:
        return False


def plan_paths(items: Sequence[ExportItem], export: ExportRequest, date: _dt.date | None = None,
               replace: frozenset[Path] | set[Path] = frozenset()) -> tuple[list[Path], list[Path]]:
    """(final paths, existing files that the plain names would overwrite).

    A name already on disk (or taken earlier in the batch) gets -1, -2… unless it is in `replace`.
    """
    root = Path(export.folder)
    taken: set[str] = set()
    paths, conflicts = [], []
    for rel in planned_names(items, export, date):
        path = root / rel
        if not _inside(root, path):
            raise ExportError("The file-name template would write outside the chosen folder.")
        stem, ext = path.stem, path.suffix

        def busy(p: Path) -> bool:
            if str(p).casefold() in taken:
                return True
            if p in replace:
                return False
            return p.exists() or (export.sidecar and p.with_suffix(".json").exists())

        if busy(path) and str(path).casefold() not in taken:
            conflicts.append(path)
        n = 0
        while busy(path):
            n += 1
            path = path.with_name(f"{stem}-{n}{ext}")
        taken.add(str(path).casefold())
        paths.append(path)
    return paths, conflicts


# ---- pixels ------------------------------------------------------------------------------------------
def upscale(pixels: np.ndarray, size: int, engine: Any = None) -> np.ndarray:
    """Square (H, W, 3) uint8 → size × size: the engine's learned 4× upscaler while it helps, then Lanczos."""
    up = None
    if engine is not None and size > pixels.shape[0]:
        try:
            up = engine.upscaler()
        except Exception:  # noqa: BLE001 — a broken upscaler falls back to Lanczos, never fails the export
            up = None
    while up is not None and pixels.shape[0] == pixels.shape[1] and pixels.shape[0] * 4 <= 2 * size:
        pixels = np.asarray(up(pixels[None]))[0]
    if pixels.shape[:2] == (size, size):
        return pixels
    return np.asarray(Image.fromarray(pixels).resize((size, size), Image.Resampling.LANCZOS))


def _near_white(pixels: np.ndarray) -> np.ndarray:
    return (pixels >= NEAR_WHITE).all(axis=-1)


def background_mask(pixels: np.ndarray, work: int = 256) -> np.ndarray:
    """(H, W) bool: near-white pixels connected to the picture's border (the backdrop, not white parts of the product)."""
    h, w = pixels.shape[:2]
    small = pixels
    if max(h, w) > work:
        k = work / max(h, w)
        small = np.asarray(Image.fromarray(pixels).resize((max(1, round(w * k)), max(1, round(h * k))),
                                                          Image.Resampling.BOX))
    # .copy(): an image made by fromarray may share the array's memory, and floodfill must write.
    mask = Image.fromarray(np.pad(_near_white(small), 1, constant_values=True).astype(np.uint8) * 255).copy()
    ImageDraw.floodfill(mask, (0, 0), 128, thresh=0)
    bg = (np.asarray(mask) == 128)[1:-1, 1:-1]
    if bg.shape != (h, w):
        bg = np.asarray(Image.fromarray(bg.astype(np.uint8) * 255).resize((w, h), Image.Resampling.NEAREST)) > 0
    return bg & _near_white(pixels)


def product_bbox(pixels: np.ndarray) -> tuple[int, int, int, int]:
    """(left, top, right, bottom) of what is not white backdrop; the whole picture when there is no white backdrop."""
    fg = ~background_mask(pixels)
    ys, xs = np.nonzero(fg)
    if len(xs) == 0:
        return 0, 0, pixels.shape[1], pixels.shape[0]
    return int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1


def _square(pixels: np.ndarray) -> np.ndarray:
    h, w = pixels.shape[:2]
    if h == w:
        return pixels
    side = max(h, w)
    canvas = np.full((side, side, 3), 255, np.uint8)
    canvas[(side - h) // 2:(side - h) // 2 + h, (side - w) // 2:(side - w) // 2 + w] = pixels
    return canvas


def compose(pixels: np.ndarray, size: int, fill: float | None = None, white: bool = False,
            engine: Any = None) -> np.ndarray:
    """The listing picture: size × size; with `fill` the product is cropped, scaled so its longer side is
    fill × size and centred on pure white; with `white` the backdrop becomes exactly (255, 255, 255)."""
    pixels = _square(np.asarray(pixels, np.uint8)[..., :3])
    if fill is None:
        out = upscale(pixels, size, engine)
        if white:
            out = out.copy()
            out[background_mask(out)] = 255
        return out
    left, top, right, bottom = product_bbox(pixels)
    long_side = max(right - left, bottom - top)
    target = max(1, round(fill * size))
    scale = target / long_side
    whole = max(1, round(pixels.shape[0] * scale))
    big = upscale(pixels, whole, engine)
    l, t = int(round(left * scale)), int(round(top * scale))
    r, b = min(whole, int(round(right * scale))), min(whole, int(round(bottom * scale)))
    crop = big[t:b, l:r]
    # Snap the crop's longer side to exactly `target` (rounding can leave it a pixel off).
    ch, cw = crop.shape[:2]
    k = target / max(ch, cw)
    nh, nw = min(size, max(1, round(ch * k))), min(size, max(1, round(cw * k)))
    if (nh, nw) != (ch, cw):
        crop = np.asarray(Image.fromarray(crop).resize((nw, nh), Image.Resampling.LANCZOS))
    canvas = np.full((size, size, 3), 255, np.uint8)
    y0, x0 = (size - nh) // 2, (size - nw) // 2
    canvas[y0:y0 + nh, x0:x0 + nw] = crop
    canvas[background_mask(canvas)] = 255
    return canvas


# ---- writing -----------------------------------------------------------------------------------------
def check_folder(folder: Path) -> Path:
    """Prove the chosen folder exists and can be written, before anything is done."""
    folder = Path(folder)
    if not str(folder).strip():
        raise ExportError("Choose a folder to export to.")
    if not folder.exists():
        raise ExportError(f"The folder {folder} does not exist; choose another one or create it first.")
    if not folder.is_dir():
        raise ExportError(f"{folder} is a file, not a folder.")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ExportError(f"The folder {folder} is read-only; choose another one.")
    try:
        fd, probe = tempfile.mkstemp(prefix=".vitrine-probe-", dir=folder)
        os.close(fd)
        os.unlink(probe)
    except OSError as e:
        raise ExportError(_os_message(e, folder)) from None
    return folder


def _os_message(e: OSError, folder: Path) -> str:
    if e.errno == errno.ENOSPC or e.errno == getattr(errno, "EDQUOT", -1):
        return f"The disk is full: nothing was exported to {folder}. Free some space and try again."
    if isinstance(e, PermissionError) or e.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"The folder {folder} is read-only; nothing was exported. Choose another folder."
    return f"Could not write to {folder} ({e.strerror or e}); nothing was exported."


def sidecar_bytes(request: GenerateRequest, export: ExportRequest, size: int) -> bytes:
    data = {"vitrine": 1, "request": request.to_dict(),
            "export": {"preset": export.preset, "size": size, "format": export.format,
                       "white_background": export.force_white}}
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


def export_images(items: Sequence[ExportItem], export: ExportRequest, engine: Any = None,
                  progress: Callable[[Progress], None] | None = None,
                  should_stop: Callable[[], bool] = lambda: False,
                  replace: frozenset[Path] | set[Path] = frozenset(),
                  date: _dt.date | None = None) -> ExportResult:
    """Write every item as a listing-ready file (request embedded, optional sidecar); all or nothing.

    Args:
        items: objects with `.pixels` (H, W, 3) uint8 and `.request` (the GenerateRequest that makes them).
        engine: optional Engine; its learned upscaler is used for enlarging when it has one.
        replace: existing files the merchant agreed to overwrite ("ask" policy); all others get -1, -2….
    Returns:
        ExportResult listing the written files.
    Raises:
        ExportError: nothing was left behind (files written by this batch are removed, replaced ones restored).
    """
    export.validate()
    if not items:
        raise ExportError("There are no pictures to export.")
    root = check_folder(Path(export.folder))
    paths, _ = plan_paths(items, export, date, replace)
    size = export.target_size
    result = ExportResult(folder=paths[0].parent)
    total = len(items)
    # The batch is written into a hidden staging folder and renamed into place at the end, under a journal
    # that the next start settles (app.staging): all or nothing even when the process is killed.
    stage = None
    try:
        stage = Staging(root)
        for i, (item, path) in enumerate(zip(items, paths)):
            if should_stop():
                raise ExportError("Export cancelled; nothing was written.")
            if progress:
                progress(Progress(i, total, f"Exporting {path.name}"))
            pixels = compose(item.pixels, size, export.fill, export.force_white, engine)
            stage.write(path, encode_image(pixels, item.request, export.format, export.quality))
            result.files.append(path)
            if export.sidecar:
                side = path.with_suffix(".json")
                stage.write(side, sidecar_bytes(item.request, export, size))
                result.sidecars.append(side)
        stage.commit()
    except BaseException as e:
        if stage is not None:
            stage.abandon()
        if isinstance(e, OSError):
            raise ExportError(_os_message(e, root)) from e
        raise
    if progress:
        progress(Progress(total, total, f"Exported {total} picture(s)"))
    return result
