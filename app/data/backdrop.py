"""The backdrop of a catalogue photo: its near-white pixels connected to the picture's border (numpy only, so a
bench script can use it without loading torch). Photo import whitens it; bench/looks.py recolours it."""

from __future__ import annotations

import numpy as np


def border_connected_near_white(pixels: np.ndarray, threshold: int) -> np.ndarray:
    """(H, W) bool: pixels whose three channels are all at least `threshold` and that reach the picture's border
    through such pixels (4-connectivity) — the backdrop, not the white parts of the product."""
    near = (pixels >= threshold).all(axis=2)
    reach = np.zeros_like(near)
    reach[0, :], reach[-1, :], reach[:, 0], reach[:, -1] = near[0, :], near[-1, :], near[:, 0], near[:, -1]
    while True:
        grown = reach.copy()
        grown[1:, :] |= reach[:-1, :]
        grown[:-1, :] |= reach[1:, :]
        grown[:, 1:] |= reach[:, :-1]
        grown[:, :-1] |= reach[:, 1:]
        grown &= near
        if (grown == reach).all():
            return reach
        reach = grown
