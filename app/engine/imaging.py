"""Tensor ↔ picture conversions and contact-sheet grids."""

from __future__ import annotations

import numpy as np
import torch


def to_uint8(x: torch.Tensor) -> np.ndarray:
    """(N, 3, H, W) in [-1, 1] → (N, H, W, 3) uint8, rounded the same way on every device."""
    x = ((x.detach().float().clamp(-1, 1) + 1) * 127.5).round().to(torch.uint8)
    return x.permute(0, 2, 3, 1).cpu().numpy()


def from_uint8(images: np.ndarray, device: torch.device | str = "cpu") -> torch.Tensor:
    """(N, H, W, 3) uint8 → (N, 3, H, W) float in [-1, 1]."""
    x = torch.from_numpy(np.ascontiguousarray(images)).to(device)
    return x.permute(0, 3, 1, 2).float() / 127.5 - 1


def grid(images: np.ndarray, columns: int = 8, gap: int = 2, fill: int = 200) -> np.ndarray:
    """Lay (N, H, W, 3) uint8 pictures out in rows of `columns` on a grey background."""
    n, h, w, _ = images.shape
    columns = max(1, min(columns, n))
    rows = (n + columns - 1) // columns
    out = np.full((rows * (h + gap) + gap, columns * (w + gap) + gap, 3), fill, np.uint8)
    for i, img in enumerate(images):
        r, c = divmod(i, columns)
        out[gap + r * (h + gap): gap + r * (h + gap) + h, gap + c * (w + gap): gap + c * (w + gap) + w] = img
    return out
