"""Listing pictures from generated ones: enlarging, finding the product, framing it and whitening the backdrop."""

from __future__ import annotations

from collections import deque
from typing import Any

import numpy as np
from PIL import Image, ImageDraw

NEAR_WHITE = 242  # every channel at least this → counts as white background when looking for the product
# Whitening reaches a little further: light, grey (not tinted) pixels joined to the border are backdrop too —
# generated backdrops fade to about 240 in the corners, which a listing must show as pure white.
BACKDROP_MIN, BACKDROP_TINT = 232, 14
# The learned upscalers were trained on 64 px pictures: larger ones (a 256 px picture, the merchant's own photo)
# are only ever enlarged with Lanczos.
UPSCALER_MAX_INPUT = 128
WORK = 128  # side the product is looked for at (the generated pictures are 64 px; speed, not accuracy, above)
SPECK_FRACTION = 0.04  # a separate blob smaller than this share of the largest one is a speck, not product
FAINT_DARKNESS = 24  # a blob never darker than 255 - this is near-invisible haze …
FAINT_FRACTION = 0.25  # … and is ignored unless it is at least this share of the largest blob


def upscale(pixels: np.ndarray, size: int, engine: Any = None) -> np.ndarray:
    """Square (H, W, 3) uint8 → size × size: the engine's learned 4× upscaler once, for a picture at the model's
    size (≤ UPSCALER_MAX_INPUT px) when it helps, then Lanczos: 256 → 800/1600/2048 stays Lanczos."""
    up = None
    if engine is not None and size > pixels.shape[0] and pixels.shape[0] <= UPSCALER_MAX_INPUT:
        try:
            up = engine.upscaler()
        except Exception:  # noqa: BLE001 — a broken upscaler falls back to Lanczos, never fails the export
            up = None
    if up is not None and pixels.shape[0] == pixels.shape[1] and pixels.shape[0] * 4 <= 2 * size:
        pixels = np.asarray(up(pixels[None]))[0]
    if pixels.shape[:2] == (size, size):
        return pixels
    return np.asarray(Image.fromarray(pixels).resize((size, size), Image.Resampling.LANCZOS))


def _near_white(pixels: np.ndarray, loose: bool = False) -> np.ndarray:
    if not loose:
        return (pixels >= NEAR_WHITE).all(axis=-1)
    p = pixels.astype(np.int16)
    return (p.min(axis=-1) >= BACKDROP_MIN) & (p.max(axis=-1) - p.min(axis=-1) <= BACKDROP_TINT)


def _small(pixels: np.ndarray, work: int) -> np.ndarray:
    h, w = pixels.shape[:2]
    if max(h, w) <= work:
        return pixels
    k = work / max(h, w)
    return np.asarray(Image.fromarray(pixels).resize((max(1, round(w * k)), max(1, round(h * k))),
                                                     Image.Resampling.BOX))


def _grow(mask: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    if mask.shape == shape:
        return mask
    return np.asarray(Image.fromarray(mask.astype(np.uint8) * 255).resize((shape[1], shape[0]),
                                                                          Image.Resampling.NEAREST)) > 0


def background_mask(pixels: np.ndarray, work: int = 256, loose: bool = False) -> np.ndarray:
    """(H, W) bool: near-white pixels connected to the picture's border (the backdrop, not white parts of the
    product); `loose` also takes the light grey fade of a generated backdrop."""
    h, w = pixels.shape[:2]
    small = _small(pixels, work)
    # .copy(): an image made by fromarray may share the array's memory, and floodfill must write.
    mask = Image.fromarray(np.pad(_near_white(small, loose), 1, constant_values=True).astype(np.uint8) * 255).copy()
    ImageDraw.floodfill(mask, (0, 0), 128, thresh=0)
    bg = (np.asarray(mask) == 128)[1:-1, 1:-1]
    return _grow(bg, (h, w)) & _near_white(pixels, loose)


def _blobs(fg: np.ndarray) -> list[np.ndarray]:
    """The 8-connected blobs of a (small) boolean mask, each as an (n, 2) array of (y, x)."""
    seen = np.zeros_like(fg)
    h, w = fg.shape
    out = []
    for y0, x0 in zip(*np.nonzero(fg)):
        if seen[y0, x0]:
            continue
        seen[y0, x0] = True
        queue, cells = deque([(y0, x0)]), []
        while queue:
            y, x = queue.popleft()
            cells.append((y, x))
            for dy in (-1, 0, 1):
                for dx in (-1, 0, 1):
                    yy, xx = y + dy, x + dx
                    if 0 <= yy < h and 0 <= xx < w and fg[yy, xx] and not seen[yy, xx]:
                        seen[yy, xx] = True
                        queue.append((yy, xx))
        out.append(np.array(cells))
    return out


def product_mask(pixels: np.ndarray, work: int = WORK) -> np.ndarray:
    """(H, W) bool: the product — what is not backdrop, without isolated specks and faint haze.

    A generated picture often has a stray, near-invisible dot on its backdrop; counted as product it pulls the
    framing off-centre. Blobs much smaller than the largest one, or faint and small, are left out.
    """
    small = _small(np.asarray(pixels, np.uint8), work)
    fg = ~background_mask(small, work)
    blobs = _blobs(fg)
    if not blobs:
        return np.zeros(pixels.shape[:2], bool)
    darkness = 255 - small.min(axis=-1).astype(int)
    largest = max(len(b) for b in blobs)
    keep = np.zeros_like(fg)
    for b in blobs:
        faint = darkness[b[:, 0], b[:, 1]].max() < FAINT_DARKNESS
        if len(b) >= SPECK_FRACTION * largest and not (faint and len(b) < FAINT_FRACTION * largest):
            keep[b[:, 0], b[:, 1]] = True
    if keep.shape == pixels.shape[:2]:
        return keep
    # Back to full size: the kept blobs, grown by one work pixel, intersected with the full-size foreground.
    grown = keep.copy()
    for dy, dx in ((0, 1), (0, -1), (1, 0), (-1, 0), (1, 1), (1, -1), (-1, 1), (-1, -1)):
        grown |= np.roll(keep, (dy, dx), axis=(0, 1))
    return _grow(grown, pixels.shape[:2]) & ~background_mask(pixels)


def product_bbox(pixels: np.ndarray) -> tuple[int, int, int, int]:
    """(left, top, right, bottom) of the product; the whole picture when there is no white backdrop."""
    ys, xs = np.nonzero(product_mask(pixels))
    if len(xs) == 0:
        return 0, 0, pixels.shape[1], pixels.shape[0]
    return int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1


def _square(pixels: np.ndarray) -> np.ndarray:
    h, w = pixels.shape[:2]
    if h == w:
        return pixels
    side = max(h, w)
    canvas = np.full((side, side, 3), 255, np.uint8)
    canvas[(side - h) // 2:(side - h) // 2 + h, (side - w) // 2:(side - w) // 2 + w] = pixels
    return canvas


def whiten(pixels: np.ndarray) -> np.ndarray:
    """The backdrop (near-white, connected to the border) set to exactly (255, 255, 255)."""
    out = np.array(pixels, np.uint8, copy=True)
    # The light grey fade counts as backdrop only away from the product, so a white product keeps its shading.
    out[background_mask(out) | (background_mask(out, loose=True) & ~product_mask(out))] = 255
    return out


def compose(pixels: np.ndarray, size: int, fill: float | None = None, white: bool = False,
            engine: Any = None) -> np.ndarray:
    """The listing picture: size × size; with `fill` the product is cropped, scaled so its longer side is
    fill × size and centred on pure white; with `white` the backdrop becomes exactly (255, 255, 255)."""
    pixels = _square(np.asarray(pixels, np.uint8)[..., :3])
    if fill is None:
        out = upscale(pixels, size, engine)
        return whiten(out) if white else out
    left, top, right, bottom = product_bbox(pixels)
    long_side = max(right - left, bottom - top)
    target = max(1, round(fill * size))
    scale = target / long_side
    whole = max(1, round(pixels.shape[0] * scale))
    big = upscale(pixels, whole, engine)
    l, t = int(round(left * scale)), int(round(top * scale))
    r, b = min(whole, int(round(right * scale))), min(whole, int(round(bottom * scale)))
    crop = big[t:b, l:r]
    # Snap the crop's longer side to exactly `target` (rounding can leave it a pixel off).
    ch, cw = crop.shape[:2]
    k = target / max(ch, cw)
    nh, nw = min(size, max(1, round(ch * k))), min(size, max(1, round(cw * k)))
    if (nh, nw) != (ch, cw):
        crop = np.asarray(Image.fromarray(crop).resize((nw, nh), Image.Resampling.LANCZOS))
    canvas = np.full((size, size, 3), 255, np.uint8)
    y0, x0 = (size - nh) // 2, (size - nw) // 2
    canvas[y0:y0 + nh, x0:x0 + nw] = crop
    return whiten(canvas)
