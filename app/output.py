"""Write pictures safely: temporary name then rename, PNG text metadata and a JSON sidecar."""

from __future__ import annotations

import json
import os  # noqa: F401 — tests reach the writers' os through here (output.os)
from pathlib import Path

import numpy as np
from PIL import Image

from app.engine.files import METADATA_KEY, atomic_write_bytes, png_bytes  # noqa: F401 — re-exported
from app.requests import GenerateRequest


def write_png_with_sidecar(path: Path, pixels: np.ndarray, request: GenerateRequest, sidecar: bool = True) -> Path:
    """Write `path` (PNG, request embedded) and, beside it, `path.json` with the same request."""
    path = Path(path)
    atomic_write_bytes(path, png_bytes(pixels, request))
    if sidecar:
        atomic_write_bytes(path.with_suffix(".json"),
                           json.dumps({"vitrine": 1, "request": request.to_dict()}, ensure_ascii=False, indent=2).encode("utf-8"))
    return path


def read_request(path: Path) -> GenerateRequest:
    """The request stored in a Vitrine PNG or JSON sidecar.

    Raises:
        FileNotFoundError: the file does not exist.
        ValueError: the file is not a picture or sidecar, or carries no (readable) Vitrine request.
    """
    path = Path(path)
    if path.suffix.lower() == ".json":
        from app.request_limits import RequestLimitError

        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return GenerateRequest.from_dict(data.get("request", data) if isinstance(data, dict) else data)
        except FileNotFoundError:
            raise
        except RequestLimitError as e:
            raise ValueError(f"{path.name}: {e}") from None
        except (OSError, ValueError, RecursionError) as e:  # JSON/Unicode errors are ValueErrors
            raise ValueError(f"{path.name} is not a Vitrine sidecar ({_short(e)}).") from None
    text = picture_text(path)
    if not text:
        raise ValueError(f"{path.name} carries no Vitrine request")
    return request_from_text(text, path)


def _short(e: BaseException) -> str:
    text = str(e).strip().splitlines()[0][:120] if str(e).strip() else ""
    return f"{type(e).__name__}: {text}" if text else type(e).__name__


def open_picture_error(e: Exception, path: Path) -> Exception:
    """The error to raise for a picture file Pillow could not read: FileNotFoundError stays, all else ValueError."""
    if isinstance(e, FileNotFoundError):
        return e
    return ValueError(f"{Path(path).name} is not a picture Vitrine can read ({_short(e)}).")


def picture_text(path: Path, extra=None) -> str | None:
    """The Vitrine request text inside a picture (PNG text, or whatever `extra(im)` finds); None if none.

    Any failure of the decoder on a hostile file (truncated, a decompression bomb, broken EXIF…) becomes
    ValueError; a missing file stays FileNotFoundError.
    """
    try:
        with Image.open(path) as im:
            text = im.info.get(METADATA_KEY) or getattr(im, "text", {}).get(METADATA_KEY)
            if not text and extra is not None:
                text = extra(im)
    except Exception as e:  # noqa: BLE001 — decoders raise many types on hostile input
        raise open_picture_error(e, path) from None
    return text if isinstance(text, str) else None


def request_from_text(text: str, path: Path) -> GenerateRequest:
    from app.request_limits import RequestLimitError

    try:
        return GenerateRequest.from_dict(json.loads(text))
    except RequestLimitError as e:  # readable, but outside the app's limits: say which limit
        raise ValueError(f"{Path(path).name}: {e}") from None
    except (ValueError, RecursionError):
        raise ValueError(f"The Vitrine request inside {Path(path).name} is damaged.") from None
