"""A shop's framing is measured, not trained: products fill the frame as in the shop's photos, for every product."""

from __future__ import annotations

import numpy as np
import torch

from app.engine.finetune_framing import product_extent, shop_zoom
from app.engine.networks import frame, zoom


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


def _tensor(img: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(img).permute(2, 0, 1)[None].float() / 127.5 - 1


def _pixels(x: torch.Tensor) -> np.ndarray:
    return ((x[0].permute(1, 2, 0) + 1) * 127.5).round().clamp(0, 255).byte().numpy()


def test_a_tighter_framing_crops_a_model_but_never_cuts_a_free_standing_product():
    """A T-shirt on a model runs from the top to the bottom edge: the shop's zoom crops into it, as the shop's
    photos do. A shoe stands free on the backdrop: it is zoomed only as far as it still fits the frame."""
    model = np.full((64, 64, 3), 255, np.uint8)
    model[:, 20:44] = (30, 60, 120)  # a model in a blue outfit, from the top to the bottom edge, 24 px wide
    shoe = np.full((64, 64, 3), 255, np.uint8)
    shoe[28:40, 6:58] = (200, 30, 40)  # wide: 52 of 64 px
    heel = shoe.copy()
    heel[30:32, 58:] = (200, 30, 40)  # a smear that reaches the right edge: still a free-standing shoe
    out = frame(torch.cat([_tensor(model), _tensor(shoe)]), 1.42)
    wide_model = product_extent(_pixels(out[:1]))
    assert wide_model > 1.3 * product_extent(model)  # the model's outfit is seen closer
    shoe_out = _pixels(out[1:])
    cols = np.nonzero((np.abs(shoe_out.astype(int) - 255) > 40).any(2).sum(0) >= 2)[0]
    assert cols[0] > 0 and cols[-1] < 63  # the shoe's toe and heel are still inside the frame
    assert (cols[-1] - cols[0] + 1) > 54  # and it did come closer, as far as it fits
    single = frame(_tensor(shoe), 1.42)
    assert torch.allclose(single, out[1:], atol=1e-6)  # each picture framed on its own: alone == in a batch
    assert torch.allclose(frame(_tensor(heel), 1.42), _tensor(heel), atol=1e-5)  # fills the width already: as it is
