"""Shop "looks" made from catalogue photos, and the statistics that define each look (bench/finetune_looks.py).

A look is a deterministic change of a catalogue photo (64 px, product on near-white):
- ``pastel``: the near-white backdrop (near-white pixels connected to the border) becomes a pastel colour;
- ``grey``: the same backdrop becomes a grey studio sweep (lighter at the top, darker at the bottom);
- ``warm``: warm light, a colour-temperature shift of the whole photo (blue and some green taken out);
- ``tight``: tighter framing, a square crop around the product's bounding box, slightly into the product,
  resized back to the full frame, so the product fills more of it.

Each look is judged by the one statistic that defines it (``LOOK_STAT``), measured per picture and averaged:
the backdrop colour in the corners (RGB, 0–255), the colour temperature (mean R − B, 0–255), or the product's
bounding-box fill (share of the frame, 0–1). The look distance of a set of pictures to a reference set is the
difference of the two averages (Euclidean for colours); it is 0 for a set against itself.
Pure numpy + Pillow; no model here.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from app.data.backdrop import border_connected_near_white

NEAR_WHITE = 225  # a backdrop pixel: all three channels at least this, and connected to the border
CORNER = 6  # px: the four CORNER×CORNER corner patches are "the backdrop in the corners"
PASTEL = (244, 204, 218)  # pastel pink
GREY_TOP, GREY_BOTTOM = 196, 158  # the grey sweep's top and bottom rows
WARM_GAINS = (1.0, 0.93, 0.78)  # R, G, B gains: white paper under ≈3500 K light reads (255, 237, 199)
TIGHT_ZOOM = 0.7  # crop side = this × the bounding box's longer side (a little into the product)

LOOKS = ("pastel", "grey", "warm", "tight")
LOOK_STAT = {"pastel": "corner_colour", "grey": "corner_colour", "warm": "colour_temperature", "tight": "bbox_fill"}
LOOK_TEXT = {"pastel": "coloured backdrop: near-white backdrop → pastel pink " + str(PASTEL),
             "grey": f"grey studio backdrop: near-white backdrop → grey sweep {GREY_TOP} (top) to {GREY_BOTTOM} (bottom)",
             "warm": f"warm light: R, G, B gains {WARM_GAINS} on the whole photo",
             "tight": f"tighter framing: square crop of {TIGHT_ZOOM} × the product box's longer side around its centre, "
                      "resized to the full frame"}
STAT_UNIT = {"corner_colour": "RGB distance (0–255) of the mean corner colour",
             "colour_temperature": "difference of mean R − B (0–255)",
             "bbox_fill": "difference of mean product bounding-box fill (share of the frame, 0–1)"}


# ---- the backdrop ------------------------------------------------------------------------------------
def background_mask(img: np.ndarray, threshold: int = NEAR_WHITE) -> np.ndarray:
    """(H, W) bool: near-white pixels connected to the picture's border (4-connectivity)."""
    return border_connected_near_white(img, threshold)


def _replace_backdrop(img: np.ndarray, backdrop: np.ndarray) -> np.ndarray:
    """Backdrop pixels take the new backdrop; the product's anti-aliased rim (near-white-ish pixels next to the
    backdrop) is blended by its whiteness, so no white halo is left around the product."""
    mask = background_mask(img)
    out = img.astype(np.float32)
    # Rim: one pixel around the backdrop, weighted by how white it is (200 → 0, NEAR_WHITE → 1).
    rim = np.zeros_like(mask)
    rim[1:, :] |= mask[:-1, :]
    rim[:-1, :] |= mask[1:, :]
    rim[:, 1:] |= mask[:, :-1]
    rim[:, :-1] |= mask[:, 1:]
    rim &= ~mask
    w = np.clip((img.min(axis=2).astype(np.float32) - 200) / (NEAR_WHITE - 200), 0, 1) * rim
    w = np.where(mask, 1.0, w)[..., None]
    # The backdrop keeps the photo's own shading (its deviation from pure white) on top of the new colour.
    shade = out - 255.0
    out = out * (1 - w) + (backdrop + shade) * w
    return np.clip(np.rint(out), 0, 255).astype(np.uint8)


def pastel_backdrop(img: np.ndarray, colour: tuple[int, int, int] = PASTEL) -> np.ndarray:
    return _replace_backdrop(img, np.broadcast_to(np.asarray(colour, np.float32), img.shape))


def grey_backdrop(img: np.ndarray, top: int = GREY_TOP, bottom: int = GREY_BOTTOM) -> np.ndarray:
    h = img.shape[0]
    ramp = np.linspace(top, bottom, h, dtype=np.float32)[:, None, None]
    return _replace_backdrop(img, np.broadcast_to(ramp, img.shape))


def warm_light(img: np.ndarray, gains: tuple[float, float, float] = WARM_GAINS) -> np.ndarray:
    return np.clip(np.rint(img.astype(np.float32) * np.asarray(gains, np.float32)), 0, 255).astype(np.uint8)


# ---- framing -----------------------------------------------------------------------------------------
def product_box(img: np.ndarray) -> tuple[int, int, int, int] | None:
    """(top, left, bottom, right), exclusive ends, of everything that is not backdrop; None for an empty picture."""
    ys, xs = np.nonzero(~background_mask(img))
    if len(ys) == 0:
        return None
    return int(ys.min()), int(xs.min()), int(ys.max()) + 1, int(xs.max()) + 1


def tight_framing(img: np.ndarray, zoom: float = TIGHT_ZOOM) -> np.ndarray:
    """A square crop around the product's box (side = zoom × its longer side), resized to the full frame;
    parts of the crop outside the photo are white."""
    box = product_box(img)
    if box is None:
        return img.copy()
    t, l, b, r = box
    h, w = img.shape[:2]
    side = max(8, int(round(max(b - t, r - l) * zoom)))
    cy, cx = (t + b) / 2, (l + r) / 2
    y0, x0 = int(round(cy - side / 2)), int(round(cx - side / 2))
    canvas = np.full((side, side, 3), 255, np.uint8)
    sy0, sx0, sy1, sx1 = max(0, y0), max(0, x0), min(h, y0 + side), min(w, x0 + side)
    canvas[sy0 - y0: sy1 - y0, sx0 - x0: sx1 - x0] = img[sy0:sy1, sx0:sx1]
    return np.asarray(Image.fromarray(canvas).resize((w, h), Image.Resampling.LANCZOS))


MAKERS = {"pastel": pastel_backdrop, "grey": grey_backdrop, "warm": warm_light, "tight": tight_framing}


def make_look(look: str, images: np.ndarray) -> np.ndarray:
    """(N, H, W, 3) uint8 → the same photos in the look."""
    return np.stack([MAKERS[look](i) for i in images])


# ---- the statistics ----------------------------------------------------------------------------------
def corner_colour(img: np.ndarray, k: int = CORNER) -> np.ndarray:
    """Mean RGB of the four k×k corner patches."""
    p = np.concatenate([img[:k, :k], img[:k, -k:], img[-k:, :k], img[-k:, -k:]]).reshape(-1, 3)
    return p.astype(np.float64).mean(axis=0)


def colour_temperature(img: np.ndarray) -> float:
    """Warmth: mean R − mean B over the whole picture (0 for neutral grey/white, > 0 warm, < 0 cool)."""
    f = img.astype(np.float64)
    return float(f[..., 0].mean() - f[..., 2].mean())


def bbox_fill(img: np.ndarray) -> float:
    """Share of the frame inside the product's bounding box (0 for an empty picture)."""
    box = product_box(img)
    if box is None:
        return 0.0
    t, l, b, r = box
    return (b - t) * (r - l) / float(img.shape[0] * img.shape[1])


STATS = {"corner_colour": corner_colour, "colour_temperature": colour_temperature, "bbox_fill": bbox_fill}


def stat_mean(stat: str, images: np.ndarray) -> np.ndarray:
    return np.mean([np.atleast_1d(STATS[stat](i)) for i in images], axis=0)


def stat_distance(stat: str, images: np.ndarray, reference: np.ndarray) -> float:
    """Distance of the average statistic of `images` to that of `reference` (0 for a set against itself)."""
    return float(np.linalg.norm(stat_mean(stat, images) - stat_mean(stat, reference)))


def look_distance(look: str, images: np.ndarray, reference: np.ndarray) -> float:
    return stat_distance(LOOK_STAT[look], images, reference)


def all_stats(images: np.ndarray) -> dict:
    """Every look statistic's average, rounded, for the record."""
    return {"corner_colour": [round(float(v), 1) for v in stat_mean("corner_colour", images)],
            "colour_temperature": round(float(stat_mean("colour_temperature", images)[0]), 2),
            "bbox_fill": round(float(stat_mean("bbox_fill", images)[0]), 3)}
