"""The shop looks of bench/finetune_looks.py (bench/looks.py) on tiny synthetic photos: each look changes what
defines it and leaves the product alone where it should; a set's look distance to itself is 0."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import looks  # noqa: E402


def product_photo(size: int = 32, colour=(30, 60, 160), box=(8, 10, 26, 22)) -> np.ndarray:
    """A coloured product (a rectangle with a white stripe inside it) on a slightly noisy near-white backdrop."""
    rng = np.random.default_rng(0)
    img = np.clip(250 + rng.integers(-3, 4, (size, size, 3)), 0, 255).astype(np.uint8)
    t, l, b, r = box
    img[t:b, l:r] = colour
    img[(t + b) // 2, l + 2: r - 2] = 255  # white inside the product: not connected to the border, must stay
    return img


def test_background_mask_is_the_border_connected_near_white():
    img = product_photo()
    m = looks.background_mask(img)
    assert m[0, 0] and m[-1, -1] and not m[16, 16]
    assert not m[17, 14]  # the white stripe inside the product is not backdrop
    assert m.sum() == 32 * 32 - 18 * 12


def test_coloured_backdrop_changes_the_corners_not_the_product():
    img = product_photo()
    out = looks.pastel_backdrop(img)
    assert np.linalg.norm(looks.corner_colour(out) - np.asarray(looks.PASTEL)) < 12  # keeps the photo's ≈5 shade
    assert np.linalg.norm(looks.corner_colour(img) - np.asarray(looks.PASTEL)) > 40
    assert (out[10:25, 12:20] == img[10:25, 12:20]).all()  # the product's centre, stripe included, untouched
    assert looks.look_distance("pastel", out[None], img[None]) > 40


def test_grey_backdrop_is_a_sweep_and_leaves_the_product():
    img = product_photo()
    out = looks.grey_backdrop(img)
    assert abs(int(out[0, 0, 0]) - looks.GREY_TOP) <= 4 and abs(int(out[-1, 0, 0]) - looks.GREY_BOTTOM) <= 4
    assert (out[10:25, 12:20] == img[10:25, 12:20]).all()


def test_warm_light_warms_and_tight_framing_fills_the_frame():
    img = product_photo()
    warm = looks.warm_light(img)
    assert looks.colour_temperature(warm) > looks.colour_temperature(img) + 20
    tight = looks.tight_framing(img)
    assert tight.shape == img.shape
    assert looks.bbox_fill(tight) > looks.bbox_fill(img) + 0.3
    assert looks.bbox_fill(img) == pytest.approx(18 * 12 / 32 ** 2)


@pytest.mark.parametrize("look", looks.LOOKS)
def test_look_distance_of_a_set_to_itself_is_zero(look):
    imgs = np.stack([product_photo(colour=c) for c in ((30, 60, 160), (200, 40, 40), (20, 20, 20))])
    made = looks.make_look(look, imgs)
    assert looks.look_distance(look, imgs, imgs) == pytest.approx(0, abs=1e-9)
    assert looks.look_distance(look, made, made) == pytest.approx(0, abs=1e-9)
    assert looks.look_distance(look, made, imgs) > 0.1  # every look moves its own statistic
    assert looks.make_look(look, imgs).dtype == np.uint8


def test_an_empty_picture_has_no_product():
    blank = np.full((16, 16, 3), 255, np.uint8)
    assert looks.product_box(blank) is None and looks.bbox_fill(blank) == 0.0
    assert (looks.tight_framing(blank) == blank).all()
