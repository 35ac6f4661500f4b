"""A shop's framing: how much of the picture its products fill, learned by measuring, not by training.

A GAN's few-shot steps move colour and light quickly but not where and how large it paints the product (that lives
in the early layers, which a handful of photos cannot retrain without losing the product). So fine-tuning measures
the product's extent in the shop's photos and in the base model's pictures of the same descriptions, and the shop
model paints every picture through a fixed zoom by their ratio (networks.GanConfig.look_zoom, applied in
Generator.finish): products fill the frame as in the shop's photos, for every product, and the fine-tuning steps
then learn the rest of the look on pictures already framed like the shop's.
"""

from __future__ import annotations

import numpy as np
import torch

from app.engine.imaging import to_uint8
from app.engine.networks import line_span, product_lines

SAME_FRAMING = 0.12  # ratios within 1 ± this: the shop frames like the base model (its own pictures of catalogue
# T-shirts differ from the catalogue photos by 9 % on bench/finetune_looks.py): no zoom
ZOOM_RANGE = (0.7, 1.6)  # the zoom a shop model may apply (beyond: a mixed set of photos, not a framing)


def product_extent(img: np.ndarray) -> float | None:
    """(H, W, 3) uint8 → the product's size as a share of the picture's side: its bounding box's shorter side
    (None: no product found). The shorter side, because a tall product (a T-shirt on a model) already spans the
    whole height, and a tighter framing then shows only in its width.

    The product's rows and columns are found as the network's framing finds them (networks.product_lines: each
    row's backdrop is the colour at its two ends, so a coloured backdrop or a grey sweep counts as backdrop too)."""
    x = torch.from_numpy(np.ascontiguousarray(img)).permute(2, 0, 1)[None].float() / 127.5 - 1
    rows, cols = product_lines(x)
    if not rows.any() or not cols.any():
        return None
    return float(torch.minimum(line_span(rows), line_span(cols))[0])


def median_extent(images: np.ndarray) -> float | None:
    found = [e for e in (product_extent(i) for i in images) if e is not None]
    return float(np.median(found)) if found else None


def shop_zoom(photos: np.ndarray, base_pictures: np.ndarray) -> float:
    """The zoom that makes the base model's products fill the frame as the shop's do (1.0: the same framing)."""
    shop, base = median_extent(photos), median_extent(base_pictures)
    if not shop or not base:
        return 1.0
    ratio = shop / base
    if abs(ratio - 1) <= SAME_FRAMING:
        return 1.0
    return round(float(np.clip(ratio, *ZOOM_RANGE)), 3)


def measure_zoom(generator, conditions: np.ndarray, photos: np.ndarray, n: int = 32, seed: int = 0) -> float:
    """shop_zoom of the shop's photos against `n` pictures of the base `generator` for their conditions (cycled)."""
    g = torch.Generator().manual_seed(seed)
    z = torch.randn(n, generator.cfg.z_dim, generator=g)
    c = torch.from_numpy(np.asarray(conditions, np.float32)[np.arange(n) % len(conditions)])
    was = generator.training
    generator.eval()
    with torch.no_grad():
        pictures = to_uint8(generator(z.to(next(generator.parameters()).device), c.to(z.device)))
    generator.train(was)
    return shop_zoom(photos, pictures)
