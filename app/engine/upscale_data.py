"""What the upscalers learn from and how they are judged: paired photos, degradations, PSNR / SSIM.

Pairs are HR 256 px crops with a realistic degradation (blur, bicubic/area/... downscale ×4, JPEG round trip,
noise), mixed with the real aligned 64 px photos of the same products when a low-resolution dataset is given.
"""

from __future__ import annotations

import csv
import io
import math
import os
import tarfile
from pathlib import Path

import numpy as np
import torch
from PIL import Image, ImageFilter

SCALE = 4


def _to_tensor(images: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(np.array(images, dtype=np.uint8, copy=True)).permute(0, 3, 1, 2).float().div_(255.0)


# ---- metrics ------------------------------------------------------------------------------------------
def psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2)
    return float("inf") if mse == 0 else float(10 * math.log10(255.0 ** 2 / mse))


def _gauss_window(size: int = 11, sigma: float = 1.5) -> np.ndarray:
    g = np.exp(-((np.arange(size) - size // 2) ** 2) / (2 * sigma ** 2))
    g /= g.sum()
    return g


def _filter2(x: np.ndarray, g: np.ndarray) -> np.ndarray:
    """Separable 'valid' filtering of a 2-D array."""
    k = len(g)
    h, w = x.shape
    tmp = sum(g[i] * x[:, i: w - k + 1 + i] for i in range(k))
    return sum(g[i] * tmp[i: h - k + 1 + i, :] for i in range(k))


def rgb_to_y(img: np.ndarray) -> np.ndarray:
    """BT.601 luma (0–255 range, as in the SR literature's 'Y channel')."""
    img = img.astype(np.float64)
    return 16.0 + (65.481 * img[..., 0] + 128.553 * img[..., 1] + 24.966 * img[..., 2]) / 255.0


def ssim_y(a: np.ndarray, b: np.ndarray) -> float:
    """SSIM (Wang et al. 2004) on the Y channel, 11x11 gaussian σ=1.5, K1=0.01, K2=0.03, L=255."""
    x, y = rgb_to_y(a), rgb_to_y(b)
    g = _gauss_window()
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2
    mx, my = _filter2(x, g), _filter2(y, g)
    sxx = _filter2(x * x, g) - mx * mx
    syy = _filter2(y * y, g) - my * my
    sxy = _filter2(x * y, g) - mx * my
    m = ((2 * mx * my + c1) * (2 * sxy + c2)) / ((mx * mx + my * my + c1) * (sxx + syy + c2))
    return float(m.mean())


# ---- data ---------------------------------------------------------------------------------------------
def read_split(data: Path, split: str | None) -> list[str]:
    """File names of a split from captions.csv (all rows when split is None)."""
    with open(Path(data) / "captions.csv", newline="", encoding="utf-8") as f:
        return [r["file_name"] for r in csv.DictReader(f) if split is None or r.get("split") == split]


def read_tar_members(tars: list[Path], wanted: set[str] | None) -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    for t in tars:
        with tarfile.open(t) as tf:
            for m in tf:
                name = os.path.basename(m.name)
                if m.isfile() and (wanted is None or name in wanted):
                    out[name] = tf.extractfile(m).read()
    return out


def load_pairs(data: Path, split: str | None, lr_data: Path | None = None, limit: int | None = None
               ) -> tuple[list[str], dict[str, bytes], dict[str, bytes]]:
    """(names, HR jpeg bytes, aligned real LR jpeg bytes) for a split; LR is {} without lr_data."""
    data = Path(data)
    if not (data / "captions.csv").exists():
        raise FileNotFoundError(f"{data} has no captions.csv.")
    names = read_split(data, split)[: limit or None]
    hr = read_tar_members(sorted(data.glob("*.tar")), set(names))
    names = [n for n in names if n in hr]
    lr: dict[str, bytes] = {}
    if lr_data is not None and Path(lr_data).exists():
        lr = read_tar_members(sorted(Path(lr_data).glob("*.tar")), set(names))
    return names, hr, lr


def decode(b: bytes) -> Image.Image:
    return Image.open(io.BytesIO(b)).convert("RGB")


_DOWN = (Image.Resampling.BICUBIC, Image.Resampling.BOX, Image.Resampling.BILINEAR, Image.Resampling.LANCZOS)


def degrade(hr: Image.Image, rng: np.random.Generator) -> Image.Image:
    """A realistic 4x low-resolution version: slight blur, random-kernel downscale, JPEG, noise."""
    w, h = hr.size
    if rng.random() < 0.5:
        hr = hr.filter(ImageFilter.GaussianBlur(float(rng.uniform(0.2, 1.2))))
    lr = hr.resize((w // SCALE, h // SCALE), _DOWN[int(rng.integers(len(_DOWN)))])
    if rng.random() < 0.25:
        a = np.asarray(lr).astype(np.float32) + rng.normal(0, rng.uniform(0.5, 3.0), (h // SCALE, w // SCALE, 3))
        lr = Image.fromarray(np.clip(a + 0.5, 0, 255).astype(np.uint8))
    if rng.random() < 0.8:
        buf = io.BytesIO()
        lr.save(buf, "JPEG", quality=int(rng.integers(70, 96)),
                subsampling=int(rng.choice([0, 2])))
        lr = Image.open(io.BytesIO(buf.getvalue())).convert("RGB")
    return lr


def sample_batch(rng: np.random.Generator, names: list[str], hr: dict[str, bytes], lr: dict[str, bytes],
                 batch: int, crop: int, real_fraction: float) -> tuple[torch.Tensor, torch.Tensor]:
    """(LR (B,3,crop/4,crop/4), HR (B,3,crop,crop)) in [0, 1]; crops avoid the blank white margins."""
    xs, ys = [], []
    lc = crop // SCALE
    while len(xs) < batch:
        name = names[int(rng.integers(len(names)))]
        himg = decode(hr[name])
        W, H = himg.size
        a = np.asarray(himg)
        for _ in range(6):  # prefer crops with content
            cy = int(rng.integers(0, (H - crop) // SCALE + 1)) * SCALE
            cx = int(rng.integers(0, (W - crop) // SCALE + 1)) * SCALE
            patch = a[cy: cy + crop, cx: cx + crop]
            if patch.std() > 12:
                break
        use_real = name in lr and rng.random() < real_fraction
        if use_real:
            limg = np.asarray(decode(lr[name]))
            if limg.shape[0] * SCALE != H or limg.shape[1] * SCALE != W:
                use_real = False
            else:
                lpatch = limg[cy // SCALE: cy // SCALE + lc, cx // SCALE: cx // SCALE + lc]
        if not use_real:
            lpatch = np.asarray(degrade(Image.fromarray(patch), rng))
        if rng.random() < 0.5:  # horizontal flip (product photos are not mirror-sensitive)
            patch, lpatch = patch[:, ::-1], lpatch[:, ::-1]
        xs.append(np.ascontiguousarray(lpatch))
        ys.append(np.ascontiguousarray(patch))
    return _to_tensor(np.stack(xs)), _to_tensor(np.stack(ys))
