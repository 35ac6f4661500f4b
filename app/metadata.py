"""Embed a GenerateRequest in PNG, JPEG and WebP files and read it back from any of them (or a sidecar)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from xml.sax.saxutils import escape, unescape

import numpy as np
from PIL import Image, PngImagePlugin

from app.output import METADATA_KEY, open_picture_error, picture_text, png_bytes, \
    read_request as _read_png_or_json, request_from_text
from app.requests import GenerateRequest

FORMATS = ("png", "jpeg", "webp")
EXTENSIONS = {"png": ".png", "jpeg": ".jpg", "webp": ".webp"}
# EXIF tags: ImageDescription (0th IFD, ASCII) and UserComment (Exif IFD, 8-byte charset prefix + text).
TAG_IMAGE_DESCRIPTION = 0x010E
TAG_EXIF_IFD = 0x8769
TAG_USER_COMMENT = 0x9286
_PREFIX = METADATA_KEY + "="
_XMP_NS = "https://vitrine.app/ns/1.0/"
EXPORT_KEY = "vitrine:export"  # the export settings of an exported file (PNG text chunk / XMP attribute)


def _ascii_json(request: GenerateRequest) -> str:
    # EXIF ASCII fields cannot hold Chinese: \u escapes keep the JSON exact and 7-bit.
    return json.dumps(request.to_dict(), ensure_ascii=True, sort_keys=True)


def _xmp(request: GenerateRequest, export: dict | None = None) -> bytes:
    body = escape(request.to_json(), {'"': "&quot;"})
    if export is not None:
        body += '" vitrine:export="' + escape(json.dumps(export, sort_keys=True), {'"': "&quot;"})
    return ('<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
            '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
            f'<rdf:Description rdf:about="" xmlns:vitrine="{_XMP_NS}" vitrine:request="{body}"/>'
            '</rdf:RDF></x:xmpmeta><?xpacket end="w"?>').encode("utf-8")


def _exif(request: GenerateRequest) -> Image.Exif:
    exif = Image.Exif()
    text = _PREFIX + _ascii_json(request)
    exif[TAG_IMAGE_DESCRIPTION] = text
    exif.get_ifd(TAG_EXIF_IFD)[TAG_USER_COMMENT] = b"ASCII\0\0\0" + text.encode("ascii")
    return exif


def encode_image(pixels: np.ndarray, request: GenerateRequest | None, fmt: str, quality: int = 92,
                 export: dict | None = None) -> bytes:
    """(H, W, 3) uint8 → file bytes in `fmt` with the request embedded (PNG iTXt; EXIF + XMP for JPEG/WebP) and,
    for an exported file, the export settings that made it (read back by `read_export`)."""
    fmt = fmt.lower()
    if fmt == "png":
        if request is not None and export is not None:
            info = PngImagePlugin.PngInfo()
            info.add_itxt(METADATA_KEY, request.to_json())
            info.add_itxt(EXPORT_KEY, json.dumps(export, sort_keys=True))
            buf = io.BytesIO()
            Image.fromarray(np.ascontiguousarray(pixels)).save(buf, format="PNG", pnginfo=info)
            return buf.getvalue()
        return png_bytes(np.ascontiguousarray(pixels), request)
    if fmt not in FORMATS:
        raise ValueError(f"Unknown picture format {fmt!r}; use png, jpeg or webp.")
    im = Image.fromarray(np.ascontiguousarray(pixels))
    kw: dict = {"quality": int(quality)}
    if fmt == "jpeg":
        kw.update(subsampling=0 if quality >= 90 else 2, optimize=True)
    else:
        kw.update(method=4)
    if request is not None:
        kw.update(exif=_exif(request).tobytes(), xmp=_xmp(request, export))
    buf = io.BytesIO()
    im.save(buf, format=fmt.upper(), **kw)
    return buf.getvalue()


def _from_exif(im: Image.Image) -> str | None:
    exif = im.getexif()
    candidates = []
    comment = exif.get_ifd(TAG_EXIF_IFD).get(TAG_USER_COMMENT)
    if isinstance(comment, bytes):
        candidates.append(comment[8:].decode("utf-8", "replace"))
    elif isinstance(comment, str):
        candidates.append(comment)
    desc = exif.get(TAG_IMAGE_DESCRIPTION)
    if isinstance(desc, bytes):
        desc = desc.decode("utf-8", "replace")
    if isinstance(desc, str):
        candidates.append(desc)
    for text in candidates:
        text = text.strip("\0 ")
        if text.startswith(_PREFIX):
            return text[len(_PREFIX):]
    return None


def _from_xmp(im: Image.Image) -> str | None:
    xmp = im.info.get("xmp")
    if not xmp:
        return None
    if isinstance(xmp, bytes):
        xmp = xmp.decode("utf-8", "replace")
    start = xmp.find('vitrine:request="')
    if start < 0:
        return None
    start += len('vitrine:request="')
    end = xmp.find('"', start)
    return unescape(xmp[start:end], {"&quot;": '"'}) if end > 0 else None


def read_request(path: Path) -> GenerateRequest:
    """The request stored in a Vitrine PNG, JPEG, WebP or JSON sidecar.

    Raises:
        FileNotFoundError: the file does not exist.
        ValueError: the file carries no (readable) Vitrine request.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"The file {path} does not exist.")
    if path.suffix.lower() == ".json":
        return _read_png_or_json(path)  # ValueError for anything that is not a sidecar
    text = picture_text(path, lambda im: _from_exif(im) or _from_xmp(im))
    if not text:
        raise ValueError(f"{path.name} carries no Vitrine request (it was not made by Vitrine, "
                         "or its metadata was removed).")
    return request_from_text(text, path)


def read_pixels(path: Path) -> np.ndarray:
    """The RGB pixels of a picture file as (H, W, 3) uint8.

    Raises:
        FileNotFoundError: the file does not exist.
        ValueError: the file is not a picture Vitrine can read (damaged, cut short, too large…).
    """
    from app.data.pictures import PictureError, read_picture

    if not Path(path).exists():
        raise FileNotFoundError(f"The file {path} does not exist.")
    try:
        return np.asarray(read_picture(Path(path)))  # the one reader: upright, 16-bit scaled, alpha on white
    except PictureError as e:
        raise ValueError(f"{Path(path).name} is not a picture Vitrine can read ({e.reason}).") from None
    except Exception as e:  # noqa: BLE001 — decoders raise many types on hostile input
        raise open_picture_error(e, path) from None


def read_export(path: Path) -> dict | None:
    """The export settings recorded in a file exported by Vitrine (or in its sidecar); None when there are none."""
    path = Path(path)
    try:
        if path.suffix.lower() == ".json":
            data = json.loads(path.read_text(encoding="utf-8"))
            found = data.get("export") if isinstance(data, dict) else None
            return found if isinstance(found, dict) and "version" in found else None
        with Image.open(path) as im:
            text = getattr(im, "text", {}).get(EXPORT_KEY) if im.format == "PNG" else _xmp_value(im, EXPORT_KEY)
        found = json.loads(text) if isinstance(text, str) else None
    except Exception:  # noqa: BLE001 — no readable settings: regenerate makes the plain picture
        return None
    return found if isinstance(found, dict) and "version" in found else None


def _xmp_value(im: Image.Image, key: str) -> str | None:
    xmp = im.info.get("xmp")
    if isinstance(xmp, bytes):
        xmp = xmp.decode("utf-8", "replace")
    if not isinstance(xmp, str) or f'{key}="' not in xmp:
        return None
    start = xmp.index(f'{key}="') + len(key) + 2
    end = xmp.find('"', start)
    return unescape(xmp[start:end], {"&quot;": '"'}) if end > 0 else None
