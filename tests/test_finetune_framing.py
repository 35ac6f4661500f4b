"""A shop's framing is measured, not trained: products fill the frame as in the shop's photos, for every product."""

from __future__ import annotations

import numpy as np
import torch

from app.engine.finetune_framing import product_extent, shop_zoom
from app.engine.networks import zoom


def _photo(side: int, backdrop=(255, 255, 255), product=(30, 60, 120), size: int = 64, sweep: bool = False) -> np.ndarray:
    img = np.empty((size, size, 3), np.uint8)
    img[:] = backdrop
    if sweep:  # a grey studio sweep: lighter at the top
        img[:] = np.linspace(200, 150, size).astype(np.uint8)[:, None, None]
    a = (size - side) // 2
    img[a:a + side, a + 4:a + side - 4] = product
    return img


def test_the_product_extent_is_found_on_white_coloured_and_swept_backdrops():
    for kw in ({}, {"backdrop": (244, 204, 218)}, {"sweep": True}):
        assert abs(product_extent(_photo(40, **kw)) - 32 / 64) < 0.02, kw
    assert product_extent(np.full((64, 64, 3), 250, np.uint8)) is None  # nothing but backdrop


def test_a_tighter_shop_gets_a_zoom_and_the_same_framing_none():
    tight = np.stack([_photo(56)] * 4)
    base = np.stack([_photo(40)] * 4)
    assert abs(shop_zoom(tight, base) - 48 / 32) < 0.05
    assert shop_zoom(base, base) == 1.0
    assert shop_zoom(np.stack([_photo(62)] * 4), np.stack([_photo(20)] * 4)) == 1.6  # never beyond the range


def test_the_zoom_makes_the_product_fill_the_frame_as_measured():
    x = torch.from_numpy(_photo(32)).permute(2, 0, 1)[None].float() / 127.5 - 1
    out = ((zoom(x, 1.5)[0].permute(1, 2, 0) + 1) * 127.5).round().clamp(0, 255).byte().numpy()
    assert abs(product_extent(out) - 1.5 * 24 / 64) < 0.04
    assert torch.allclose(zoom(x, 1.0), x, atol=1e-5)
