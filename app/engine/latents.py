"""Seeds → latents, truncation toward the typical picture, and moves along named directions."""

from __future__ import annotations

import torch

# Latents are drawn on the CPU from a seeded generator, so a seed means the same picture on any device.
_TRUNCATION_SAMPLES = 256


def z_for(seed: int, index: int, z_dim: int, variation: float = 0.0) -> torch.Tensor:
    """The latent of picture `index` of a request: (z_dim,)."""
    if variation > 0:
        base = torch.randn(z_dim, generator=torch.Generator().manual_seed(seed))
        step = torch.randn(z_dim, generator=torch.Generator().manual_seed((seed * 7919 + index + 1) % (2**63)))
        return base + variation * step
    return torch.randn(z_dim, generator=torch.Generator().manual_seed((seed + index) % (2**63)))


@torch.no_grad()
def w_average(G: torch.nn.Module, c: torch.Tensor) -> torch.Tensor:
    """Mean w for one condition c (cond_dim,) → (w_dim,); the centre that truncation pulls toward."""
    z = torch.randn(_TRUNCATION_SAMPLES, G.cfg.z_dim, generator=torch.Generator().manual_seed(0)).to(c.device)
    return G.mapping(z, c.expand(_TRUNCATION_SAMPLES, -1)).mean(dim=0)


def truncate(w: torch.Tensor, w_avg: torch.Tensor, psi: float) -> torch.Tensor:
    """psi = 1 keeps w; psi = 0 gives the average picture of the description."""
    return w_avg + psi * (w - w_avg)
