"""Listing pictures a marketplace accepts: Amazon framing centred at 85 % despite specks, pure white backdrops."""

from __future__ import annotations

import numpy as np
import pytest

from app.engine.generate import Engine
from app.engine.registry import Registry
from app.engine.text import TextConditioner
from app.export import PRESETS, ExportRequest, export_images, product_bbox
from app.export_frame import compose
from app.metadata import read_pixels
from app.paths import REPO_ROOT
from app.requests import GenerateRequest

from conftest import fake_embedder

DESCRIPTIONS = ["red leather handbag for women", "black watch for men", "white sneakers", "blue jeans for men",
                "男士深蓝色棉质衬衫", "brown wallet for men", "粉色连衣裙", "sunglasses"]


def _check_amazon(out: np.ndarray, bbox) -> None:
    size = out.shape[0]
    l, t, r, b = bbox
    assert abs(max(r - l, b - t) / size - 0.85) <= 0.02, f"product fills {max(r - l, b - t) / size:.1%}"
    assert abs((l + r) / 2 / size - 0.5) <= 0.02 and abs((t + b) / 2 / size - 0.5) <= 0.02, f"off-centre {bbox}"
    outside = np.ones(out.shape[:2], bool)
    pad = size // 100
    outside[max(0, t - pad):b + pad, max(0, l - pad):r + pad] = False
    assert (out[outside] == 255).all(), "the margin around the product is not pure white"


def test_a_near_invisible_speck_does_not_pull_the_amazon_framing_off_centre():
    src = np.full((64, 64, 3), 250, np.uint8)  # a generated backdrop: near white, not pure
    src[10:40, 8:28] = (40, 60, 150)  # the product: 20 wide, 30 tall, left of centre
    src[60, 61] = 237  # a near-invisible speck in the far corner
    src[2:5, 55:58] = 239  # and a faint smudge
    out = compose(src, 1600, PRESETS["amazon"].fill, True)
    ys, xs = np.nonzero((out < 128).any(axis=-1))  # the dark product, measured on its own
    _check_amazon(out, (xs.min(), ys.min(), xs.max() + 1, ys.max() + 1))


@pytest.fixture(scope="module")
def pictures(tmp_path_factory):
    engine = Engine(Registry(REPO_ROOT / "models", tmp_path_factory.mktemp("user")), device="cpu",
                    text=TextConditioner(embedder=fake_embedder))
    return [im for d in DESCRIPTIONS for im in engine.generate(GenerateRequest(d, seed=1, count=1))]


def test_amazon_export_of_every_picture_is_centred_and_fills_85_percent(pictures, tmp_path):
    result = export_images(pictures, ExportRequest(folder=str(tmp_path), preset="amazon", format="png"))
    for path in result.files:
        out = read_pixels(path)
        assert out.shape == (1600, 1600, 3)
        _check_amazon(out, product_bbox(out))


@pytest.mark.parametrize("preset", ["taobao", "jd", "shopify"])
def test_presets_that_promise_white_give_a_pure_white_backdrop(pictures, tmp_path, preset):
    assert PRESETS[preset].white_background
    result = export_images(pictures, ExportRequest(folder=str(tmp_path), preset=preset, format="png"))
    checked = 0
    for src, path in zip(pictures, result.files):
        out = read_pixels(path)
        k = out.shape[0] // 64
        for y, x in ((0, 0), (0, 60), (60, 0), (60, 60)):  # 4×4 source corners that are backdrop (light, grey)
            corner = src.pixels[y:y + 4, x:x + 4].astype(int)
            if corner.min() >= 236 and (corner.max(-1) - corner.min(-1)).max() <= 10:
                assert (out[y * k:(y + 4) * k, x * k:(x + 4) * k] == 255).all(), f"{preset} corner {y},{x}"
                checked += 1
    assert checked >= len(pictures)  # most pictures have a light backdrop: the check ran
