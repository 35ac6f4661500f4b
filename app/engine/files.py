"""Files the engine writes, never half-written: the one set of temp-then-rename writers (flushed, then renamed;
checkpoint files also make the folder's entry durable), and PNGs that carry the request that remakes them.
app/output.py re-exports them."""

from __future__ import annotations

import io
import json
import os
import tempfile
from pathlib import Path

import numpy as np
import torch
from PIL import Image, PngImagePlugin
from safetensors.torch import save_file

from app.engine.checkpoints import fsync_dir
from app.engine.requests import GenerateRequest

METADATA_KEY = "vitrine:request"


def fsync_file(path: Path) -> None:
    with open(path, "rb+") as f:
        os.fsync(f.fileno())


def atomic_write_bytes(path: Path, data: bytes) -> Path:
    """Write to a temporary file beside `path`, flush it to disk, then rename: never a truncated file."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return path


def atomic_write_json(path: Path, doc: dict, **dumps) -> Path:
    """JSON through atomic_write_bytes, the folder's entry made durable too (checkpoints, run state)."""
    atomic_write_bytes(path, json.dumps(doc, **dumps).encode("utf-8"))
    fsync_dir(Path(path).parent)
    return Path(path)


def atomic_save_tensors(path: Path, tensors: dict[str, torch.Tensor], metadata: dict[str, str] | None = None) -> Path:
    """safetensors written beside `path`, flushed, renamed over it (the folder's entry made durable too)."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.partial")
    try:
        save_file({k: v.detach().cpu().contiguous() for k, v in tensors.items()}, str(tmp), metadata=metadata)
        fsync_file(tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)
    return path


def png_bytes(pixels: np.ndarray, request: GenerateRequest | None = None) -> bytes:
    """Encode (H, W, 3) uint8 as PNG with the request embedded as an iTXt chunk."""
    info = PngImagePlugin.PngInfo()
    if request is not None:
        info.add_itxt(METADATA_KEY, request.to_json())
    buf = io.BytesIO()
    Image.fromarray(pixels).save(buf, format="PNG", pnginfo=info)
    return buf.getvalue()
