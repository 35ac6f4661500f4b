"""Export pictures to listing folders: marketplace presets, safe file-name templates, embedded requests, no half-done batches."""

from __future__ import annotations

import datetime as _dt
import functools
import os  # noqa: F401 (tests patch app.export.os)
import re
import string
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, Sequence

import numpy as np

from app.export_frame import NEAR_WHITE, background_mask, compose, product_bbox, product_mask, upscale  # noqa: F401
from app.metadata import EXTENSIONS, FORMATS
from app.requests import ENLARGE_STYLES, GenerateRequest


class ExportError(Exception):
    """An export that cannot be done or was undone; the message is one sentence for the merchant.

    `template` is the English sentence with %1, %2… for `args`: the dialog translates the template, then fills it.
    """

    def __init__(self, template: str, *args: Any):
        self.template, self.args_ = template, tuple(str(a) for a in args)
        text = template
        for n, a in enumerate(self.args_, 1):
            text = text.replace(f"%{n}", a)
        super().__init__(text)


@dataclass(frozen=True)
class Preset:
    """A marketplace's picture rules."""

    name: str
    label: str
    size: int  # square side in pixels
    white_background: bool = False  # force the background to pure white (255, 255, 255)
    fill: float | None = None  # product's longer side as a fraction of the frame (None: keep framing)


PRESETS: dict[str, Preset] = {
    "taobao": Preset("taobao", "Taobao / Tmall (800×800, white background)", 800, True),
    "jd": Preset("jd", "JD.com (800×800, white background)", 800, True),
    "amazon": Preset("amazon", "Amazon (1600×1600, white background, product fills 85%)", 1600, True, 0.85),
    "shopify": Preset("shopify", "Shopify (2048×2048, white background)", 2048, True),
}
CUSTOM = "custom"
MIN_SIZE, MAX_SIZE = 16, 4096
SUBFOLDERS = ("", "sku", "name")
OVERWRITE_POLICIES = ("suffix", "ask")
TEMPLATE_FIELDS = ("sku", "name", "index", "date", "seed", "colour", "category", "model")
DEFAULT_TEMPLATE = "{name}-{index}"
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
    sku: str = ""  # for pictures of no group below
    product_name: str = ""  # for pictures of no group below; "" → the description of each picture
    # (description, product name, SKU) per product: every picture takes those of its own description, so one
    # export of several products never puts one product's name or SKU on another's pictures.
    groups: tuple[tuple[str, str, str], ...] = ()
    enlarge: str = "sharp"  # which learned upscaler enlarges pictures at the model's size: "sharp" | "faithful"

    def validate(self) -> None:
        if self.format not in FORMATS:
            raise ExportError(f"Unknown format {self.format!r}; choose png, jpeg or webp.")
        if self.preset != CUSTOM and self.preset not in PRESETS:
            raise ExportError(f"Unknown preset {self.preset!r}; choose {', '.join(PRESETS)} or custom.")
        if self.preset == CUSTOM and not MIN_SIZE <= int(self.size) <= MAX_SIZE:
            raise ExportError("The custom size must be between %1 and %2 pixels.", MIN_SIZE, MAX_SIZE)
        if not 1 <= int(self.quality) <= 100:
            raise ExportError("The quality must be between 1 and 100.")
        if self.subfolder not in SUBFOLDERS:
            raise ExportError("The subfolder must be by SKU, by product name or none.")
        if self.overwrite not in OVERWRITE_POLICIES:
            raise ExportError("The overwrite policy must be 'suffix' or 'ask'.")
        if self.enlarge not in ENLARGE_STYLES:
            raise ExportError("Enlarge with Sharp or Faithful.")
        check_template(self.template)

    def product_for(self, request: GenerateRequest) -> tuple[str, str]:
        """(product name, SKU) of a picture: those of its product group, else the export's, else its description."""
        key = group_key(request.description)
        for description, name, sku in self.groups:
            if group_key(description) == key:
                return name.strip() or request.description, sku.strip()
        return self.product_name or request.description, self.sku

    def settings(self, engine_upscaler: bool = False, enlarge: str = "") -> dict[str, Any]:
        """What `regenerate` needs to make an exported file again; written into every exported file.

        "enlarge" names the learned upscaler that enlarged small pictures ("" with no upscaler: Lanczos only).
        """
        return {"version": 1, "preset": self.preset, "size": self.target_size, "fill": self.fill,
                "white": self.force_white, "format": self.format, "quality": int(self.quality),
                "upscaler": bool(engine_upscaler), "enlarge": (enlarge or self.enlarge) if engine_upscaler else ""}

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


def group_key(description: str) -> str:
    """Pictures whose descriptions differ only in spacing or letter case show the same product."""
    return " ".join(str(description).split()).casefold()


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
            raise ExportError("The file-name template has an unknown field %1; use %2.", "{" + name + "}",
                              " ".join("{" + f + "}" for f in TEMPLATE_FIELDS))
        if spec and (name not in ("index", "seed") or not re.fullmatch(r"0?\d{1,2}d?", spec)):
            raise ExportError("Only {index} and {seed} take a width, like {index:03} (not %1).",
                              "{" + name + ":" + spec + "}")


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
                    date: _dt.date | None = None, width: int = 1) -> dict[str, Any]:
    """The values the template's fields take for picture `index` (1-based, within its product) of an export;
    a plain {index} is zero-padded to `width` digits so the files sort in order."""
    name, sku = export.product_for(request)
    return {
        "sku": sku,
        "name": name,
        "index": index,
        "index_width": width,
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
        elif name == "index" and isinstance(value, int):
            out.append(format(value, f"0{max(1, int(values.get('index_width', 1)))}d"))
        else:
            out.append(safe_name(str(value), fallback=""))
    return safe_name("".join(out))


def subfolder_name(export: ExportRequest, request: GenerateRequest) -> str:
    name, sku = export.product_for(request)
    if export.subfolder == "sku":
        return safe_name(sku, fallback="no-sku")
    if export.subfolder == "name":
        return safe_name(name, fallback="product")
    return ""


def product_groups(requests: Sequence[GenerateRequest]) -> list[tuple[str, int]]:
    """(description, number of pictures) per product, in the order the products first appear."""
    counts: dict[str, list] = {}
    for r in requests:
        counts.setdefault(group_key(r.description), [r.description, 0])[1] += 1
    return [(d, n) for d, n in counts.values()]


def planned_names(items: Sequence[ExportItem], export: ExportRequest, date: _dt.date | None = None) -> list[str]:
    """Relative paths (subfolder/stem.ext) the items would get before conflicts are resolved; for previews.

    Pictures are numbered within their product (1, 2, 3… per description), zero-padded to that product's count.
    """
    sizes = {group_key(d): n for d, n in product_groups([it.request for it in items])}
    seen: dict[str, int] = {}
    out = []
    for item in items:
        key = group_key(item.request.description)
        seen[key] = i = seen.get(key, 0) + 1
        fields = template_fields(item.request, export, i, date, width=len(str(sizes[key])))
        stem = render_name(export.template, fields)
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


# The writing half lives in app.export_write; its names are part of this module's interface (read on first use, so
# either module can be imported first).
_WRITING = ("check_folder", "checked_settings", "export_images", "export_job", "remake_exported", "render_item",
            "sidecar_bytes")


def __getattr__(name: str):
    if name in _WRITING:
        from app import export_write

        return getattr(export_write, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
