"""What the engine may ask of a generator network: a typed protocol instead of `hasattr(G, "mapping")` checks.

Every generator paints `G(z, c) → (N, 3, R, R)` in [-1, 1]. A *style* generator (networks.Generator) also has a
style latent: `mapping(z, c) → w`, `synthesis(w or per-layer w+) → picture`, `num_layers` style inputs. Sliders,
start-from-photo, truncation and latent codes need one; the seed DCGAN (baseline.py) is not one.
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

import torch


@runtime_checkable
class StyleGenerator(Protocol):
    cfg: Any
    num_layers: int

    def mapping(self, z: torch.Tensor, c: torch.Tensor) -> torch.Tensor:
        """(N, z_dim), (N, cond_dim) → w (N, w_dim)."""
        ...

    def synthesis(self, w: torch.Tensor) -> torch.Tensor:
        """w (N, w_dim) or w+ (N, num_layers, w_dim) → (N, 3, R, R)."""
        ...


def is_style(G: Any) -> bool:
    """True for a generator with a style latent (see StyleGenerator)."""
    return isinstance(G, StyleGenerator)


def style_layers(G: Any) -> int | None:
    """A style generator's number of style inputs; None for a generator without a style latent."""
    return G.num_layers if isinstance(G, StyleGenerator) else None
