"""Learned 4x super-resolution for 64 px product pictures: a small residual CNN on top of bicubic.

Network: 3x3 head → residual body at the input resolution → two PixelShuffle x2 stages, added to a
bicubic upscale of the input (the network only learns the missing detail). A few hundred K parameters
at most, so it runs on a laptop CPU in tens of milliseconds per 64 → 256 picture.

Training (`UpscalerTrainer.run`) is a generator of `Progress`; pairs are HR 256 px crops with a
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
from app.requests import Progress

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

    def __init__(self, net: Upscaler, device: torch.device | str = "cpu", tile: int = 128, context: int = 12):
        self.device = torch.device(device)
        self.net = net.to(self.device).eval()
        self.tile, self.context = tile, context

    @torch.inference_mode()
    def _run(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x.to(self.device)).float().cpu()

    def __call__(self, images: np.ndarray) -> np.ndarray:
        images = np.asarray(images)
        if images.ndim != 4 or images.shape[-1] != 3 or images.dtype != np.uint8:
            raise ValueError("the upscaler takes (N, h, w, 3) uint8 pictures")
        out = [self._one(_to_tensor(images[i: i + 1])) for i in range(len(images))]  # one at a time: no batch effects
        return np.concatenate([_to_uint8(o) for o in out]) if out else np.zeros((0, 0, 0, 3), np.uint8)

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
    return config


def load_upscaler(folder: Path, device: torch.device | str = "cpu") -> LoadedUpscaler:
    folder = Path(folder)
    config = read_upscaler_config(folder)
    net = Upscaler(UpscalerConfig.from_dict(config.get("network", {})))
    load_state(net, load_tensors(folder, WEIGHTS_STEM, config), "upscaler")
    return LoadedUpscaler(net, device)


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


# ---- training -----------------------------------------------------------------------------------------
def gradient_loss(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """L1 between finite-difference image gradients: a cheap edge-sharpness term."""
    dxa, dxb = a[..., :, 1:] - a[..., :, :-1], b[..., :, 1:] - b[..., :, :-1]
    dya, dyb = a[..., 1:, :] - a[..., :-1, :], b[..., 1:, :] - b[..., :-1, :]
    return (dxa - dxb).abs().mean() + (dya - dyb).abs().mean()


@dataclass
class UpscalerTrainRequest:
    data: str
    out: str
    lr_data: str | None = None  # aligned 64 px dataset (real low-resolution photos of the same ids)
    resume: bool = False
    budget_minutes: float | None = None
    max_steps: int = 3000
    batch: int = 16
    crop: int = 128
    lr: float = 1e-3
    grad_weight: float = 0.5
    real_fraction: float = 0.5
    ema: float = 0.995
    seed: int = 0
    limit: int | None = None
    checkpoint_every: int = 200
    val_images: int = 16
    network: dict = field(default_factory=dict)
    threads: int | None = None
    init: str | None = None  # upscaler folder to start from (the Sharp model starts from the Faithful one)
    perceptual_weight: float = 0.0  # > 0: L1 on frozen Lite0 features (Sharp)
    adversarial_weight: float = 0.0  # > 0: patch discriminator, hinge (Sharp)
    style: str = "faithful"  # what the model is offered as: "faithful" or "sharp"


class UpscalerTrainer:
    """Trains the upscaler; `run()` yields Progress and writes checkpoint.pt + model/ in the output folder."""

    def __init__(self, req: UpscalerTrainRequest, should_stop: Callable[[], bool] | None = None):
        self.req = req
        self.should_stop = should_stop or (lambda: False)
        self.out = Path(req.out)
        if req.threads:
            torch.set_num_threads(req.threads)
        data = Path(req.data)
        lr_data = Path(req.lr_data) if req.lr_data else None
        self.names, self.hr, self.lr = load_pairs(data, "train", lr_data, req.limit)
        if not self.names:
            raise FileNotFoundError(f"{data} has no training photos.")
        self.val_names, self.val_hr, self.val_lr = load_pairs(data, "val", lr_data, req.val_images)
        torch.manual_seed(req.seed)
        self.net = Upscaler(UpscalerConfig.from_dict(req.network) if req.network else UpscalerConfig())
        if req.init:
            start = read_upscaler_config(Path(req.init))
            self.net = Upscaler(UpscalerConfig.from_dict(start.get("network", {})))
            load_state(self.net, load_tensors(Path(req.init), WEIGHTS_STEM, start), "upscaler")
        self.sharp = None
        if req.adversarial_weight > 0 or req.perceptual_weight > 0:
            from app.engine.upscale_gan import SharpTerms

            self.sharp = SharpTerms(req.perceptual_weight, req.adversarial_weight)
        self.ema = Upscaler(self.net.cfg)
        self.ema.load_state_dict(self.net.state_dict())
        self.ema.requires_grad_(False)
        self.opt = torch.optim.Adam(self.net.parameters(), lr=req.lr, betas=(0.9, 0.99))
        self.step, self.elapsed = 0, 0.0
        self.history: list[dict] = []
        self.ckpt = self.out / "checkpoint.pt"
        if req.resume:
            if not self.ckpt.exists():
                raise FileNotFoundError(f"There is no checkpoint to resume in {self.out}.")
            self._load_checkpoint()

    def lr_at(self, step: int) -> float:
        warm = min(1.0, (step + 1) / 100)
        return self.req.lr * warm * (0.02 + 0.98 * 0.5 * (1 + math.cos(math.pi * min(1.0, step / self.req.max_steps))))

    def _save_checkpoint(self) -> None:
        self.out.mkdir(parents=True, exist_ok=True)
        state = {"net": self.net.state_dict(), "ema": self.ema.state_dict(), "opt": self.opt.state_dict(),
                 "step": self.step, "elapsed": self.elapsed, "history": json.dumps(self.history),
                 "request": json.dumps(asdict(self.req)), **({"sharp": self.sharp.state()} if self.sharp else {})}
        tmp = self.ckpt.with_suffix(".tmp")
        torch.save(state, tmp)
        os.replace(tmp, self.ckpt)

    def _load_checkpoint(self) -> None:
        state = torch.load(self.ckpt, map_location="cpu", weights_only=True)
        self.net.load_state_dict(state["net"])
        self.ema.load_state_dict(state["ema"])
        self.opt.load_state_dict(state["opt"])
        self.step, self.elapsed = int(state["step"]), float(state["elapsed"])
        self.history = json.loads(state["history"])
        if self.sharp is not None and "sharp" in state:
            self.sharp.load(state["sharp"])

    @torch.no_grad()
    def validate(self, net: nn.Module | None = None) -> dict[str, float]:
        """PSNR of the model and of bicubic on a few val photos (real LR when present, else HR.resize(64))."""
        net = (net or self.ema).eval()
        pm, pb = [], []
        for n in self.val_names:
            h = decode(self.val_hr[n])
            l = decode(self.val_lr[n]) if n in self.val_lr else h.resize((h.width // 4, h.height // 4), Image.Resampling.BICUBIC)
            ha = np.asarray(h)
            pm.append(psnr(_to_uint8(net(_to_tensor(np.asarray(l)[None])))[0], ha))
            pb.append(psnr(np.asarray(l.resize(h.size, Image.Resampling.BICUBIC)), ha))
        return {"val_psnr": float(np.mean(pm)), "val_gain_db": float(np.mean(pm) - np.mean(pb))} if pm else {}

    def export(self) -> Path:
        r = self.req
        v = self.validate()
        extra = {"id": SHARP_DIR_NAME if r.style == "sharp" else MODEL_DIR_NAME, "training": {"steps": self.step, "seconds": round(self.elapsed, 1), "batch": r.batch, "crop": r.crop,
                              "train_photos": len(self.names), "real_pairs": len(self.lr), "loss": self.loss_name(),
                              "init": Path(r.init).name if r.init else None,
                              "weights": "EMA", **v}}
        card = (f"# upscaler-x4\n\nLearned 4x super-resolution (64 → 256 px) for Vitrine; residual over bicubic.\n\n"
                f"* network: {self.net.cfg.to_dict()}, {param_count(self.net):,} parameters\n"
                f"* trained {self.step} steps ({self.elapsed / 60:.1f} min CPU, batch {r.batch}, HR crops {r.crop} px) on "
                f"{len(self.names)} train photos of {r.data}; {len(self.lr)} with aligned real 64 px LR from {r.lr_data}\n"
                f"* quick val ({len(self.val_names)} photos): {v}\n")
        extra["style"] = r.style
        return save_upscaler(self.out / "model", self.ema, extra, card)

    def loss_name(self) -> str:
        r, name = self.req, f"L1 + {self.req.grad_weight}*gradient L1"
        if r.perceptual_weight > 0:
            name += f" + {r.perceptual_weight}*Lite0 perceptual"
        if r.adversarial_weight > 0:
            name += f" + {r.adversarial_weight}*patch-GAN hinge"
        return name

    def run(self) -> Iterator[Progress]:
        r = self.req
        self.net.train()
        t_last = time.perf_counter()
        start_step, start_elapsed = self.step, self.elapsed
        budget = r.budget_minutes * 60 if r.budget_minutes else None
        metrics: dict[str, float] = {}
        while self.step < r.max_steps and not self.should_stop() and (budget is None or self.elapsed < budget):
            rng = np.random.default_rng([r.seed, self.step])
            x, y = sample_batch(rng, self.names, self.hr, self.lr, r.batch, r.crop, r.real_fraction)
            for g in self.opt.param_groups:
                g["lr"] = self.lr_at(self.step)
            pred = self.net(x)
            l1 = (pred - y).abs().mean()
            gl = gradient_loss(pred, y)
            loss = l1 + r.grad_weight * gl
            extra: dict[str, float] = {}
            if self.sharp is not None:
                extra["loss_d"] = self.sharp.discriminator_step(pred, y)
                terms, more = self.sharp.generator_terms(pred, y)
                loss, extra = loss + terms, {**extra, **more}
            self.opt.zero_grad(set_to_none=True)
            loss.backward()
            self.opt.step()
            with torch.no_grad():
                for pe, p in zip(self.ema.parameters(), self.net.parameters()):
                    pe.lerp_(p, 1 - r.ema)
            self.step += 1
            now = time.perf_counter()
            self.elapsed += now - t_last
            t_last = now
            metrics = {"l1": float(l1.detach()), "grad": float(gl.detach()), **extra, **{k: v for k, v in metrics.items() if k.startswith("val")}}
            if self.step % r.checkpoint_every == 0:
                metrics.update(self.validate())
                self.history.append({"step": self.step, "elapsed": round(self.elapsed, 1), **metrics})
                self._save_checkpoint()
                t_last = time.perf_counter()  # validation/saving is not training time
            rate = (self.elapsed - start_elapsed) / max(1, self.step - start_step)
            left = (r.max_steps - self.step) * rate
            if budget is not None:
                left = min(left, max(0.0, budget - self.elapsed))
            yield Progress(self.step, r.max_steps, "training", left, metrics)
        self._save_checkpoint()
        folder = self.export()
        yield Progress(self.step, r.max_steps, "finished", 0.0, {**metrics, **self.validate()})
        self.model_dir = folder
