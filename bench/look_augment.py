"""Random shop looks on catalogue photos, for training a product-type judge that is blind to the look.

The attribute classifier (models/attribute-classifier) was trained on products on near-white backdrops in
catalogue light; it reads a real heel on a pink backdrop as something else (0 of 27 val heels, while 20 of
27 on white: bench/results/look-judge.json). A fine-tuned shop model that carries the shop's look to other
products would then be scored as "lost the product" when it has not. This judge sees each training photo
with a random backdrop colour, light and framing (the looks of bench/looks.py with random settings), so
its product-type reading does not depend on them. It is used only to measure product type.
"""

from __future__ import annotations

import colorsys

import numpy as np

from looks import grey_backdrop, pastel_backdrop, tight_framing, warm_light


def random_backdrop(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A pastel, saturated or dark flat colour, or a grey studio sweep, in place of the near-white backdrop."""
    kind = rng.integers(3)
    if kind == 0:
        top = int(rng.integers(90, 235))
        return grey_backdrop(img, top, max(30, top - int(rng.integers(0, 60))))
    light = rng.uniform(0.75, 0.93) if kind == 1 else rng.uniform(0.15, 0.75)
    rgb = colorsys.hls_to_rgb(rng.uniform(0, 1), light, rng.uniform(0.2, 0.9))
    return pastel_backdrop(img, tuple(float(v) * 255 for v in rgb))  # any flat colour, not only pastel


def random_light(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Warm or cool light: per-channel gains, the brightest at most 1."""
    g = rng.uniform(0.72, 1.0, 3)
    if rng.random() < 0.5:  # mostly warm (blue down) or cool (red down), not random tints only
        g = np.sort(g)[::-1] if rng.random() < 0.6 else np.sort(g)
    return warm_light(img, tuple(float(v) for v in g / g.max()))


def random_look(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Each part of a look with its own chance: framing 0.35, backdrop 0.5, light 0.4 (a quarter stay as they are)."""
    if rng.random() < 0.35:
        img = tight_framing(img, float(rng.uniform(0.6, 1.0)))
    if rng.random() < 0.5:
        img = random_backdrop(img, rng)
    if rng.random() < 0.4:
        img = random_light(img, rng)
    return img


def look_augment(seed: int = 0):
    """An augment(batch) for app.engine.classifier.train_classifier: (N, H, W, 3) uint8 → the same, in random looks."""
    rng = np.random.default_rng(seed)

    def augment(batch: np.ndarray) -> np.ndarray:
        return np.stack([random_look(img, rng) for img in batch])

    return augment
