"""Differentiable augmentation (DiffAugment) applied to real and generated images alike."""

from __future__ import annotations

import torch
from torch.nn import functional as F


def _colour(x: torch.Tensor) -> torch.Tensor:
    n = x.shape[0]
    x = x + (torch.rand(n, 1, 1, 1, device=x.device) - 0.5) * 0.5  # brightness
    mean = x.mean(dim=1, keepdim=True)
    x = (x - mean) * (torch.rand(n, 1, 1, 1, device=x.device) * 2) + mean  # saturation
    mean = x.mean(dim=[1, 2, 3], keepdim=True)
    return (x - mean) * (torch.rand(n, 1, 1, 1, device=x.device) + 0.5) + mean  # contrast


def _translation(x: torch.Tensor, ratio: float = 0.125) -> torch.Tensor:
    n, _, h, w = x.shape
    sh, sw = int(h * ratio + 0.5), int(w * ratio + 0.5)
    tx = torch.randint(-sh, sh + 1, (n, 1, 1), device=x.device)
    ty = torch.randint(-sw, sw + 1, (n, 1, 1), device=x.device)
    gy, gx = torch.meshgrid(torch.arange(h, device=x.device), torch.arange(w, device=x.device), indexing="ij")
    gy = torch.clamp(gy.unsqueeze(0) + tx + 1, 0, h + 1)
    gx = torch.clamp(gx.unsqueeze(0) + ty + 1, 0, w + 1)
    # Pad with white (+1): product photos sit on white, so the shift looks like a re-framed photo.
    padded = F.pad(x, [1, 1, 1, 1], value=1.0)
    idx = torch.arange(n, device=x.device).view(n, 1, 1)
    return padded.permute(0, 2, 3, 1)[idx, gy, gx].permute(0, 3, 1, 2)


def _cutout(x: torch.Tensor, ratio: float = 0.25) -> torch.Tensor:
    n, _, h, w = x.shape
    ch, cw = int(h * ratio + 0.5), int(w * ratio + 0.5)
    ox = torch.randint(0, h + (1 - ch % 2), (n, 1, 1), device=x.device)
    oy = torch.randint(0, w + (1 - cw % 2), (n, 1, 1), device=x.device)
    gy, gx = torch.meshgrid(torch.arange(ch, device=x.device), torch.arange(cw, device=x.device), indexing="ij")
    gy = torch.clamp(gy.unsqueeze(0) + ox - ch // 2, 0, h - 1)
    gx = torch.clamp(gx.unsqueeze(0) + oy - cw // 2, 0, w - 1)
    mask = torch.ones(n, h, w, dtype=x.dtype, device=x.device)
    mask[torch.arange(n, device=x.device).view(n, 1, 1), gy, gx] = 0
    return x * mask.unsqueeze(1)


POLICIES = {"colour": _colour, "translation": _translation, "cutout": _cutout}


def diff_augment(x: torch.Tensor, policy: str = "colour,translation,cutout") -> torch.Tensor:
    """Apply each named augmentation in `policy` (comma-separated) with fresh randomness per image."""
    for name in filter(None, (p.strip() for p in policy.split(","))):
        x = POLICIES[name](x)
    return x
