"""Learned 4x super-resolution for 64 px product pictures: a small residual CNN on top of bicubic.

Network: 3x3 head → residual body at the input resolution → two PixelShuffle x2 stages, added to a
bicubic upscale of the input (the network only learns the missing detail). A few hundred K parameters
at most, so it runs on a laptop CPU in tens of milliseconds per 64 → 256 picture.

Training (upscale_train.py, `UpscalerTrainer.run`) is a job of the one training loop; pairs are HR 256 px crops with a
realistic degradation (blur, bicubic/area/... downscale x4, JPEG round trip, noise) mixed with the real
aligned 64 px photos of the same products when a low-resolution dataset is given. Every step's batch
comes from a random generator seeded by (seed, step), so a resumed run is bit-for-bit the same as an
uninterrupted one.
"""

from __future__ import annotations

import json
import math
import os
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Iterator

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image

from app.engine.upscale_data import (  # noqa: F401  (re-exported: callers read data and metrics from here)
    _to_tensor, decode, degrade, load_pairs, psnr, read_split, read_tar_members, rgb_to_y, sample_batch, ssim_y)
from app.engine.checkpoints import CONFIG, ModelError, load_state, load_tensors, read_config_file, write_model_dir
from app.engine.upscale_consistency import build as build_consistency, check_consistency

MODEL_DIR_NAME = "upscaler-x4"  # the Faithful upscaler
SHARP_DIR_NAME = "upscaler-sharp-x4"  # the Sharp upscaler (GAN-trained from the Faithful one)
WEIGHTS_STEM = "upscaler"  # not "generator": the GAN registry must not list this folder
SCALE = 4


# ---- network ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class UpscalerConfig:
    channels: int = 32
    blocks: int = 4
    up_channels: int = 16  # channels after the first PixelShuffle (at 2x)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> "UpscalerConfig":
        return cls(**{k: int(v) for k, v in d.items() if k in cls.__dataclass_fields__})


class _Block(nn.Module):
    def __init__(self, c: int):
        super().__init__()
        self.c1 = nn.Conv2d(c, c, 3, padding=1)
        self.c2 = nn.Conv2d(c, c, 3, padding=1)

    def forward(self, x):
        return x + 0.5 * self.c2(F.leaky_relu(self.c1(x), 0.1))  # residual scaling keeps early training stable


class Upscaler(nn.Module):
    """(N, 3, h, w) in [0, 1] → (N, 3, 4h, 4w) in [0, 1] (not clamped while training)."""

    def __init__(self, cfg: UpscalerConfig = UpscalerConfig()):
        super().__init__()
        c, u = cfg.channels, cfg.up_channels
        self.cfg = cfg
        self.head = nn.Conv2d(3, c, 3, padding=1)
        self.body = nn.Sequential(*[_Block(c) for _ in range(cfg.blocks)])
        self.fuse = nn.Conv2d(c, c, 3, padding=1)
        self.up1 = nn.Conv2d(c, u * 4, 3, padding=1)
        self.up2 = nn.Conv2d(u, 3 * 4, 3, padding=1)
        nn.init.zeros_(self.up2.weight)  # start as exact bicubic
        nn.init.zeros_(self.up2.bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        base = F.interpolate(x, scale_factor=SCALE, mode="bicubic", align_corners=False)
        f = self.head(x - 0.5)
        f = f + self.fuse(self.body(f))
        f = F.leaky_relu(F.pixel_shuffle(self.up1(f), 2), 0.1)
        return base + F.pixel_shuffle(self.up2(f), 2)


def param_count(module: nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())


# ---- inference ----------------------------------------------------------------------------------------
def _to_uint8(x: torch.Tensor) -> np.ndarray:
    return x.clamp(0, 1).mul(255.0).round().to(torch.uint8).permute(0, 2, 3, 1).contiguous().cpu().numpy()


class LoadedUpscaler:
    """The callable the engine uses: (N, h, w, 3) uint8 → (N, 4h, 4w, 3) uint8. Deterministic, batch-independent."""

    def __init__(self, net: Upscaler, device: torch.device | str = "cpu", tile: int = 128, context: int = 12,
                 post: Callable[[torch.Tensor, torch.Tensor], torch.Tensor] | None = None):
        self.device = torch.device(device)
        self.net = net.to(self.device).eval()
        self.tile, self.context = tile, context
        self.post = post  # (output, input) → output: the folder's consistency step (upscale_consistency), if any

    @torch.inference_mode()
    def _run(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x.to(self.device)).float().cpu()

    def __call__(self, images: np.ndarray) -> np.ndarray:
        images = np.asarray(images)
        if images.ndim != 4 or images.shape[-1] != 3 or images.dtype != np.uint8:
            raise ValueError("the upscaler takes (N, h, w, 3) uint8 pictures")
        out = [self._whole(_to_tensor(images[i: i + 1])) for i in range(len(images))]  # one at a time: no batch effects
        return np.concatenate([_to_uint8(o) for o in out]) if out else np.zeros((0, 0, 0, 3), np.uint8)

    def _whole(self, x: torch.Tensor) -> torch.Tensor:
        out = self._one(x)
        return out if self.post is None else self.post(out, x)

    def _one(self, x: torch.Tensor) -> torch.Tensor:
        _, _, h, w = x.shape
        t, c = self.tile, self.context
        if h <= t + 2 * c and w <= t + 2 * c:
            return self._run(x)
        # Large pictures: tiles with `context` px of overlap on every side, only the centres are kept.
        out = torch.empty(1, 3, h * SCALE, w * SCALE)
        for y0 in range(0, h, t):
            for x0 in range(0, w, t):
                y1, x1 = min(h, y0 + t), min(w, x0 + t)
                ya, xa, yb, xb = max(0, y0 - c), max(0, x0 - c), min(h, y1 + c), min(w, x1 + c)
                r = self._run(x[:, :, ya:yb, xa:xb])
                out[:, :, y0 * SCALE:y1 * SCALE, x0 * SCALE:x1 * SCALE] = \
                    r[:, :, (y0 - ya) * SCALE:(y1 - ya) * SCALE, (x0 - xa) * SCALE:(x1 - xa) * SCALE]
        return out


def read_upscaler_config(folder: Path) -> dict:
    """config.json of an upscaler folder (read_config in checkpoints is for GAN folders)."""
    folder = Path(folder)
    config = read_config_file(folder)
    if config.get("kind") != "upscaler" or f"{WEIGHTS_STEM}.safetensors" not in (config.get("files") or {}):
        raise ModelError(f"The folder {folder.name} is not an upscaler model.")
    check_consistency(config, folder.name)  # a tampered or out-of-range post-process refuses the model
    return config


def load_upscaler(folder: Path, device: torch.device | str = "cpu") -> LoadedUpscaler:
    folder = Path(folder)
    config = read_upscaler_config(folder)
    net = Upscaler(UpscalerConfig.from_dict(config.get("network", {})))
    load_state(net, load_tensors(folder, WEIGHTS_STEM, config), "upscaler")
    return LoadedUpscaler(net, device, post=build_consistency(folder, config, device))


def load_default_upscaler(bundled_dir: Path, device: torch.device | str = "cpu") -> LoadedUpscaler | None:
    """The bundled models/upscaler-x4, or None when it is not installed."""
    folder = Path(bundled_dir) / MODEL_DIR_NAME
    if not (folder / CONFIG).exists():
        return None
    return load_upscaler(folder, device)


def save_upscaler(dest: Path, net: Upscaler, extra_config: dict | None = None, card: str = "") -> Path:
    config = {"kind": "upscaler", "id": Path(dest).name, "scale": SCALE, "input_px": 64,
              "network": net.cfg.to_dict(), "params": param_count(net), **(extra_config or {})}
    return write_model_dir(Path(dest), config, {WEIGHTS_STEM: net.state_dict()}, card=card)


# ---- training: upscale_train.py (re-exported here for older callers) ------------------------------------
_TRAINING = ("UpscalerTrainRequest", "UpscalerTrainer", "UpscalerTrainResult", "gradient_loss")


def __getattr__(name: str):
    if name in _TRAINING:
        from app.engine import upscale_train

        return getattr(upscale_train, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
