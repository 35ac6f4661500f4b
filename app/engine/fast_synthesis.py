"""A leaner forward pass of the generator's synthesis network for painting (same maths, fewer temporaries).

`networks.Generator.synthesis` is written for clarity and training; painting runs it thousands of times on two
CPU cores, where its element-wise steps (pixel norm, modulation, ReLU) cost as much as the convolutions. This
does the same sums in place where it can. `lean_synthesis(G)` returns it only for a generator it was checked
against on probe latents (within 1e-4 of `G.synthesis`, i.e. the same uint8 pixels but for a rare rounding);
any other network gets None and is painted by its own `synthesis`.
"""

from __future__ import annotations

from typing import Callable

import torch
from torch.nn import functional as F

TOLERANCE = 1e-4  # in [-1, 1] units: 0.013 of a pixel level


def _modulate(mod, x: torch.Tensor, w: torch.Tensor) -> torch.Tensor:
    """networks.Modulation: pixel-normalise x, then scale by (1 + gamma) and shift by beta from the style w."""
    gamma, beta = mod.affine(w).chunk(2, dim=1)
    x = x * torch.rsqrt(x.square().mean(dim=1, keepdim=True).add_(1e-8))
    return torch.addcmul(beta[..., None, None], x, (1 + gamma)[..., None, None])


def _forward(G, w: torch.Tensor) -> torch.Tensor:
    """w: (N, w_dim) or per layer (N, num_layers, w_dim) → (N, 3, R, R) in [-1, 1]."""
    ws = [w[:, i] for i in range(G.num_layers)] if w.dim() == 3 else [w] * G.num_layers
    x = G.input(ws[0]).view(w.shape[0], G.cfg.g_channels[0], 4, 4)
    for i, block in enumerate(G.blocks):
        h = F.interpolate(F.relu_(_modulate(block.mod1, x, ws[i + 1])), scale_factor=2, mode="nearest")
        h = block.conv2(F.relu_(_modulate(block.mod2, block.conv1(h), ws[i + 1])))
        x = h.add_(block.skip(F.interpolate(x, scale_factor=2, mode="nearest")))
    return torch.tanh_(G.to_rgb(F.relu_(_modulate(G.out_mod, x, ws[-1]))))


@torch.no_grad()
def lean_synthesis(G) -> Callable[[torch.Tensor], torch.Tensor] | None:
    """The lean forward for G when it gives G.synthesis's values on probe latents; None otherwise."""
    from app.engine import networks

    if type(G) is not networks.Generator or not all(
            type(b) is networks.GBlock for b in G.blocks) or type(G.out_mod) is not networks.Modulation:
        return None
    device = next(G.parameters()).device
    g = torch.Generator().manual_seed(0)
    probe = torch.randn(4, G.cfg.w_dim, generator=g).to(device)
    layered = torch.randn(4, G.num_layers, G.cfg.w_dim, generator=g).to(device)
    try:
        for w in (probe, layered):
            if (_forward(G, w) - G.synthesis(w)).abs().max().item() > TOLERANCE:
                return None
    except Exception:  # noqa: BLE001 — a network this does not know: paint with its own forward
        return None
    return lambda w: _forward(G, w)
