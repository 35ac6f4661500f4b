"""A latent found from a photo as text: w (shared or one per layer) and its condition, exact float32 in base64.

GenerateRequest.latent carries this text so a picture found from a photo is remade, moved by the sliders,
varied and re-described like any other picture, and so an exported file holds everything that made it.
Format: "w1:<layers>x<w_dim>:<cond_dim>:<base64 of float32 little-endian w then c>" (layers 0 = one shared w).
"""

from __future__ import annotations

import base64
import binascii

import numpy as np

PREFIX = "w1"
MAX_LAYERS = 64
MAX_DIM = 4096
MAX_CHARS = 4 * (MAX_LAYERS * MAX_DIM + MAX_DIM) * 4 // 3 + 64


def encode_latent(w: np.ndarray, condition: np.ndarray) -> str:
    """(w_dim,) or (layers, w_dim) w and its (cond_dim,) condition → text for GenerateRequest.latent."""
    w = np.asarray(w, dtype="<f4")
    c = np.asarray(condition, dtype="<f4").reshape(-1)
    if w.ndim not in (1, 2) or not np.isfinite(w).all() or not np.isfinite(c).all():
        raise ValueError("a latent must be a finite (w_dim,) or (layers, w_dim) array")
    layers, dim = (0, w.shape[0]) if w.ndim == 1 else w.shape
    payload = base64.b64encode(np.ascontiguousarray(w).tobytes() + np.ascontiguousarray(c).tobytes()).decode("ascii")
    return f"{PREFIX}:{layers}x{dim}:{c.shape[0]}:{payload}"


def decode_latent(text: str) -> tuple[np.ndarray, np.ndarray]:
    """Text from encode_latent → (w, condition) float32 arrays; ValueError for anything else."""
    if not isinstance(text, str) or len(text) > MAX_CHARS:
        raise ValueError("not a Vitrine latent")
    parts = text.split(":")
    if len(parts) != 4 or parts[0] != PREFIX:
        raise ValueError("not a Vitrine latent (unknown format)")
    try:
        layers, dim = (int(x) for x in parts[1].split("x"))
        cond_dim = int(parts[2])
        raw = base64.b64decode(parts[3].encode("ascii"), validate=True)
    except (ValueError, binascii.Error, UnicodeEncodeError):
        raise ValueError("not a Vitrine latent (damaged)") from None
    if not (0 <= layers <= MAX_LAYERS and 1 <= dim <= MAX_DIM and 0 <= cond_dim <= MAX_DIM):
        raise ValueError("not a Vitrine latent (impossible size)")
    n_w = max(1, layers) * dim
    if len(raw) != 4 * (n_w + cond_dim):
        raise ValueError("not a Vitrine latent (wrong length)")
    values = np.frombuffer(raw, dtype="<f4").astype(np.float32)
    if not np.isfinite(values).all():
        raise ValueError("not a Vitrine latent (not finite)")
    w = values[:n_w].reshape((dim,) if layers == 0 else (layers, dim))
    return w, values[n_w:].copy()
