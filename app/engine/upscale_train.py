"""Training the learned 4x upscaler: a recipe of the one training loop (train_loop.py).

Pairs are HR crops with a realistic degradation (blur, bicubic/area/... downscale x4, JPEG round trip, noise) mixed
with the real aligned 64 px photos of the same products when a low-resolution dataset is given. Every step's batch
comes from a random generator seeded by (seed, step), so a resumed run is bit-for-bit the same as an uninterrupted
one. Loss: L1 + gradient L1, plus for the Sharp upscaler a Lite0 perceptual term and a patch discriminator
(upscale_gan.py). Checkpoints are the one safetensors writer's (train_checkpoint.py) in <out>/checkpoint; a
checkpoint.pt written by earlier versions still resumes.

    trainer = UpscalerTrainer(UpscalerTrainRequest(data=..., out=...))
    result = run_job(trainer.run())              # yields Progress, returns UpscalerTrainResult; model in <out>/model
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Generator

import numpy as np
import torch
from PIL import Image

from app.engine.checkpoints import load_state, load_tensors
from app.engine.jobs import JobControl, Phase, Progress
from app.engine.train_checkpoint import (Checkpointer, module_tensors, optimizer_state, optimizer_tensors,
                                         prefixed)
from app.engine.train_loop import Budget, Recipe, Recovery, TrainLoop
from app.engine.upscale import (MODEL_DIR_NAME, SHARP_DIR_NAME, WEIGHTS_STEM, Upscaler, UpscalerConfig, _to_uint8,
                                param_count, read_upscaler_config, save_upscaler)
from app.engine.upscale_data import _to_tensor, decode, load_pairs, psnr, sample_batch

LEGACY_CHECKPOINT = "checkpoint.pt"  # torch.save checkpoints of earlier versions (read, never written)


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


@dataclass(frozen=True)
class UpscalerTrainResult:
    model_dir: Path
    steps: int
    ended: str  # "done", "stopped", "budget"


def read_checkpoint(out: Path) -> dict | None:
    """A run folder's checkpoint as one dict (net, ema, opt state dicts; step, elapsed, history, request; sharp),
    from <out>/checkpoint (safetensors) or an earlier version's <out>/checkpoint.pt (or that .pt file itself);
    None when there is none."""
    if Path(out).suffix == ".pt":
        out, legacy = Path(out).parent, Path(out)
    else:
        legacy = Path(out) / LEGACY_CHECKPOINT
    ckpt = Checkpointer(Path(out) / "checkpoint")
    if ckpt.exists() and legacy.name == LEGACY_CHECKPOINT:
        t, meta = ckpt.load()
        state = {"net": prefixed("net", t), "ema": prefixed("ema", t), "opt": optimizer_state("opt", t, meta["opt"]),
                 "step": meta["step"], "elapsed": meta["elapsed"], "history": meta["history"],
                 "request": meta["request"]}
        if "sharp" in meta:
            state["sharp"] = {"D": prefixed("sharp.D", t), "opt_D": optimizer_state("sharp.opt_D", t, meta["sharp"])}
        return state
    if not legacy.exists():
        return None
    state = torch.load(legacy, map_location="cpu", weights_only=True)
    return {**state, "history": json.loads(state["history"]), "request": json.loads(state["request"])}


class UpscalerTrainer(Recipe):
    """Trains the upscaler; `run()` yields Progress and writes checkpoint/ and model/ in the output folder."""

    key = "upscale"

    def __init__(self, req: UpscalerTrainRequest):
        self.req = req
        self.out = Path(req.out)
        self.checkpointer = Checkpointer(self.out / "checkpoint")
        if req.threads:
            torch.set_num_threads(req.threads)
        data = Path(req.data)
        lr_data = Path(req.lr_data) if req.lr_data else None
        self.names, self.hr, self.lr = load_pairs(data, "train", lr_data, req.limit)
        if not self.names:
            raise FileNotFoundError(f"{data} has no training photos.")
        self.val_names, self.val_hr, self.val_lr = load_pairs(data, "val", lr_data, req.val_images)
        self._networks()
        self.step, self.wall, self.cpu_s, self.recoveries = 0, 0.0, 0.0, 0
        self.history: list[dict] = []
        self._metrics: dict[str, float] = {}
        self.model_dir: Path | None = None
        if req.resume:
            state = read_checkpoint(self.out)
            if state is None:
                raise FileNotFoundError(f"There is no checkpoint to resume in {self.out}.")
            self._load(state)

    def _networks(self) -> None:
        req = self.req
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

    @property
    def elapsed(self) -> float:
        """Seconds of training so far (over resumes)."""
        return self.wall

    def lr_at(self, step: int) -> float:
        warm = min(1.0, (step + 1) / 100)
        return self.req.lr * warm * (0.02 + 0.98 * 0.5 * (1 + math.cos(math.pi * min(1.0, step / self.req.max_steps))))

    # ---- the step ----------------------------------------------------------------------------------
    def train_step(self) -> dict[str, float]:
        r = self.req
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
        # The last validation's numbers stay in every step's metrics until the next one.
        self._metrics = {"l1": float(l1.detach()), "grad": float(gl.detach()), **extra,
                         **{k: v for k, v in self._metrics.items() if k.startswith("val")}}
        return self._metrics

    # ---- checkpoints ---------------------------------------------------------------------------------
    def save(self, checkpointer: Checkpointer, metrics: dict[str, float]) -> None:
        """Every checkpoint_every steps: validate (into the step's metrics and the history), then the checkpoint."""
        metrics.update(self.validate())
        self.history.append({"step": self.step, "elapsed": round(self.wall, 1), **metrics})
        self.save_checkpoint()

    def save_checkpoint(self) -> Path:
        self.out.mkdir(parents=True, exist_ok=True)
        tensors = {**module_tensors("net", self.net), **module_tensors("ema", self.ema)}
        t, opt_meta = optimizer_tensors("opt", self.opt)
        tensors.update(t)
        meta = {"step": self.step, "elapsed": self.wall, "history": self.history, "request": asdict(self.req),
                "opt": opt_meta}
        if self.sharp is not None:
            t, meta["sharp"] = optimizer_tensors("sharp.opt_D", self.sharp.opt)
            tensors.update({**t, **module_tensors("sharp.D", self.sharp.D)})
        return self.checkpointer.save(self.step, tensors, meta)

    def _load(self, state: dict) -> None:
        self.net.load_state_dict(state["net"])
        self.ema.load_state_dict(state["ema"])
        self.opt.load_state_dict(state["opt"])
        self.step, self.wall = int(state["step"]), float(state["elapsed"])
        self.history = list(state["history"])
        if self.sharp is not None and "sharp" in state:
            self.sharp.load(state["sharp"])

    def snapshot(self) -> dict:
        raise NotImplementedError("upscaler training runs without recovery")

    # ---- validation and the model ----------------------------------------------------------------------
    @torch.no_grad()
    def validate(self, net: torch.nn.Module | None = None) -> dict[str, float]:
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

    # ---- the job -------------------------------------------------------------------------------------
    def run(self, control: JobControl | Callable[[], bool] | None = None
            ) -> Generator[Progress, None, UpscalerTrainResult]:
        r = self.req
        self.net.train()
        loop = TrainLoop(self, Recovery(enabled=False), self.checkpointer, Budget.of(r.max_steps, r.budget_minutes),
                         r.checkpoint_every)
        ended = yield from loop.run(JobControl.of(control))
        self.save_checkpoint()
        folder = self.export()
        yield Progress(Phase.FINISHED, self.step, r.max_steps, "upscale.finished", {"steps": self.step}, eta_s=0.0,
                       metrics={**self._metrics, **self.validate()})
        self.model_dir = folder
        return UpscalerTrainResult(folder, self.step, ended)
