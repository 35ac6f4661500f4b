"""Few-shot fine-tuning: teach a base model a shop's own look from a few dozen of its photos.

Recipe (FreezeD + DiffAugment + EMA, after Mo et al. 2020 and Zhao et al. 2020): start from the base
generator and discriminator, freeze the discriminator's early blocks, train the rest with a small
learning rate and strong differentiable augmentation, and keep an EMA of the generator. The condition of
each photo is what the TextConditioner reads in its description. Presets are *numbers of steps*
(finetune_plan.py), so a busy machine gives the same model as an idle one; only the estimate is timed.

A recipe of the one training loop (train_loop.py) with the shared GAN step (gan_step.py): its own batch (the
shop's photos and descriptions), its own extra generator term (keep the catalogue), a "best so far" check at
each preview (finetune_judge.py), and a job that ends by publishing the best EMA generator (finetune_result.py).
"""

from __future__ import annotations

import copy
import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, Generator, Sequence

import numpy as np
import torch
from PIL import Image

from app.data.photo_import import ImportedPhoto, import_photos
from app.engine import networks
from app.engine.checkpoints import ModelError, load_tensors
from app.engine.device import pick_device
from app.engine.finetune_data import COND_DROP, ShopData  # noqa: F401 — re-exported
from app.engine.finetune_judge import PRODUCT_KEPT, BestSoFar  # noqa: F401 — re-exported
from app.engine.finetune_framing import measure_zoom
from app.engine.finetune_plan import (CALIBRATION_STEPS, PRESETS, FinetuneControl, SpeedMeter,  # noqa: F401 — re-exported
                                      check_name, measured_speed, preset_estimate, preset_steps, remember_speed,
                                      safe_name)
from app.engine.finetune_result import (features, kid, mean_feature_distance, model_card,  # noqa: F401 — re-exported
                                        publish_shop_model)
from app.engine.gan_recipe import GanRecipe
from app.engine.gan_step import GanParams, GanStep
from app.engine.imaging import grid, to_uint8
from app.engine.jobs import JobControl, Phase, Progress
from app.engine.loading import load_model
from app.engine.registry import Registry
from app.engine.text import TextConditioner
from app.engine.train_checkpoint import Checkpointer
from app.engine.train_loop import Budget, Recovery, TrainLoop
from app.engine.paths import AppPaths

LOOK_GRADE_WIDTH = 16  # hidden width of a shop model's colour grade (networks.LookGrade)
MAX_COLLAPSES_IN_ROW = 3  # restores after a collapse before the run stops and keeps the best so far
MIN_PHOTOS = 1
R1_EVERY = 16
COLLAPSE_THRESHOLD = 0.01  # preview spread below this means mode collapse
COLLAPSE_AFTER = 20  # steps into a session before a low spread counts as collapse
FINISHED_BY = {"nan": "stopped: repeated numerical problems",
               "collapse": "stopped: the pictures kept collapsing; the best so far was kept"}


@dataclass(frozen=True)
class FinetuneRequest:
    """Every input of one fine-tuning run."""

    photos: tuple[str, ...]  # files and/or folders
    name: str  # display name of the new shop model
    base: str = "vitrine-base"  # id or name of the model to start from
    preset: str = "quick"  # quick | standard | thorough
    max_steps: int | None = None  # hard cap (tests, quick looks); None → the preset's number of steps
    description: str = ""  # one description for all photos ("" → file-name hints)
    descriptions: tuple[tuple[str, str], ...] = ()  # per-photo overrides: (path, description)
    seed: int = 0
    device: str = "auto"
    resume: bool = False
    whiten: bool = False  # whiten near-white backgrounds on import
    batch: int = 8
    lr_g: float = 1e-4
    lr_d: float = 2e-4
    framing: bool = True  # paint products as large in the frame as the shop's photos show them (measured zoom)
    lr_grade: float = 3e-3  # the colour grade's learning rate (a few hundred weights: it may move fast)
    # Generator weights that learn: "" (the preset's) or parts joined by "+": "grade" (a colour grade after the
    # picture: backdrop, sweep, light, the same for every product) | "shared" (the late blocks' biases and to_rgb)
    # | "late" (also the late modulations) | "styles" (mapping, condition embedding, every modulation) | "all".
    # Measured per look in bench/results/finetune-looks.json (Finetuner._trainable_g).
    adapt: str = ""
    freeze_d: int = 2  # FreezeD: discriminator blocks (from the image side) kept as they are
    augment: str = "colour,translation,cutout"
    ema_beta: float = 0.9  # a short half-life: CPU runs are tens to hundreds of steps, not hundreds of thousands
    keep_catalogue: float = 10.0  # weight of "other descriptions still paint what the base model paints" (0 = off)
    keep_batch: int = 4  # catalogue pictures per step for that term
    keep_where: str = "product"  # "product": the term ignores the base picture's backdrop (finetune_data.product_mask) | "everywhere"
    # Mode-seeking weight (the trainer's hinged MSGAN term): pictures of one description must differ, as the shop's
    # photos do. Measured (bench/finetune.py, Standard): 36 % → 50 % closer to held-back photos with 10.
    diversity: float = 10.0
    judge: str = "classifier"  # features of the best-so-far check: "classifier" (when installed) | "discriminator"
    eval_every: int = 0  # steps between "best so far" checks; 0 → about 12 checks per run
    checkpoint_every: int = 50
    eval_samples: int = 32  # generated pictures per "best so far" check


@dataclass(frozen=True)
class FinetuneResult:
    """How a fine-tuning run ended: the shop model it published (None when cancelled) and its numbers."""

    model_folder: Path | None
    outcome: str  # "finished", "cancelled", "stopped early, best kept", "stopped: …"
    steps: int
    best_step: int
    distance_start: float | None
    distance_best: float | None


def _moves(part: str, name: str, n_blocks: int) -> bool:
    """Whether generator weight `name` learns in adaptation `part` (Finetuner._trainable_g)."""
    late = tuple(f"blocks.{i}." for i in range(n_blocks - 2, n_blocks))
    if part == "grade":
        return name.startswith("grade.")
    if part == "shared":
        return (name.startswith(late + ("out_mod.",)) and name.endswith(".bias")) or name.startswith("to_rgb.")
    if part == "late":
        return (name.startswith(late) and ".affine." in name) or name.startswith(("out_mod.", "to_rgb."))
    if part == "styles":
        return name.startswith(("mapping_net.", "embed.", "out_mod.")) or ".affine." in name
    if part == "all":
        return True
    raise ValueError(f"unknown adaptation {part!r}")


class Finetuner(ShopData, BestSoFar, GanRecipe):
    """The few-shot recipe: a base model's GAN, the shop's photos, per-photo text conditions (module docstring)."""

    key = "finetune"

    def __init__(self, req: FinetuneRequest, paths: AppPaths, photos: Sequence[ImportedPhoto],
                 text: TextConditioner | None = None, registry: Registry | None = None):
        if len(photos) < MIN_PHOTOS:
            raise ValueError("no usable photos to learn from")
        self.req = self.freq = req
        self.paths = paths
        base = self._load_base(registry or Registry(paths.bundled_models, paths.user_models))
        self.model_id = safe_name(req.name)
        self.run_dir = self.out = paths.data / "finetune-runs" / self.model_id
        self.checkpointer = Checkpointer(self.out / "checkpoint")
        self.metrics_path = self.out / "metrics.jsonl"
        self.shop_photos = list(photos)
        understood = self._read_descriptions(text or TextConditioner())
        self.choice = pick_device(req.device)
        self.device = self.choice.device
        self.gan = self._gan_step(base)
        pixels = np.stack([p.pixels for p in photos])
        self.images = torch.from_numpy(pixels).to(self.device)  # (N, R, R, 3) uint8
        self.data_gen = torch.Generator().manual_seed(req.seed * 1000)
        self.step, self.wall, self.cpu_s, self.recoveries = 0, 0.0, 0.0, 0
        self.conds = torch.from_numpy(np.stack([u.condition() for u in self.understandings])).to(self.device)
        self.blocks = self._condition_blocks()
        g = torch.Generator().manual_seed(4321)
        self._preview_inputs(understood, g)
        self._judge_inputs(pixels, req.eval_samples, g)
        # The run's length is a number of steps, never a time: the same photos, seed and preset, the same model.
        self.planned_steps: int = req.max_steps or preset_steps(req.preset)
        self.seconds_per_step: float | None = measured_speed(paths, self.base_info.id)  # re-measured as it runs
        self.clock: Callable[[], float] = time.perf_counter  # only estimates use it (tests inject a slow one)
        self.outcome: str = ""
        self.model_folder: Path | None = None

    # ---- building ------------------------------------------------------------------------------------
    def _load_base(self, registry: Registry):
        """The base model (with its discriminator), its vocabulary and sliders; refuses what cannot be fine-tuned."""
        self.base_info = registry.find(self.freq.base)
        base = load_model(self.base_info.folder, self.base_info.id, with_discriminator=True)
        if base.discriminator is None:
            raise ModelError(f"The model {self.base_info.id} has no discriminator, so it cannot be fine-tuned.")
        if base.config["gan"].get("arch") != "vitrine-modres-v1":
            raise ModelError(f"The model {self.base_info.id} is not a Vitrine model and cannot be fine-tuned.")
        self.base_config = base.config
        self.vocabulary = base.vocabulary  # a shop model keeps its base model's product vocabulary for life
        # Directions (sliders) travel with the model; read now, so a base model replaced later cannot break publishing.
        try:
            self.base_directions = load_tensors(self.base_info.folder, "directions", base.config) \
                if "directions.safetensors" in base.config.get("files", {}) else None
        except ModelError:
            self.base_directions = None
        return base

    def _read_descriptions(self, text: TextConditioner) -> dict:
        """Each photo's description (its own, the run's, or its file name's hints) and what the engine reads in it."""
        descs = dict(self.freq.descriptions)
        self.descriptions = [descs.get(str(p.path)) or p.effective_description(self.freq.description)
                             for p in self.shop_photos]
        understood = {d: text.understand(d, vocabulary=self.vocabulary) for d in set(self.descriptions)}
        self.understandings = [understood[d] for d in self.descriptions]
        return understood

    def _gan_step(self, base) -> GanStep:
        """Fresh networks loaded with the base weights (seeded first, so a run is reproducible), FreezeD, optimisers."""
        req = self.freq
        torch.manual_seed(req.seed)
        adapt = req.adapt or PRESETS[req.preset].adapt
        gan = {**networks.GanConfig().to_dict(), "cond_dim": self.vocabulary.condition_size(), **base.config["gan"]}
        if "grade" in adapt.split("+") and not gan.get("look_grade"):
            gan["look_grade"] = LOOK_GRADE_WIDTH
        if req.framing and gan.get("look_zoom", 1.0) == 1.0:  # the shop's framing, measured (finetune_framing.py)
            gan["look_zoom"] = measure_zoom(base.generator, np.stack([u.condition() for u in self.understandings]),
                                            np.stack([p.pixels for p in self.shop_photos]))
        self.cfg = networks.GanConfig.from_dict(gan)
        self.G, self.D = networks.Generator(self.cfg).to(self.device), networks.build_discriminator(self.cfg).to(self.device)
        missing = self.G.load_state_dict(base.generator.state_dict(), strict=False).missing_keys
        if any(not k.startswith("grade.") for k in missing):
            raise ModelError(f"The model {self.base_info.id} cannot be fine-tuned: its files do not match each other.")
        G_ema = copy.deepcopy(self.G).eval().requires_grad_(False)
        self.D.load_state_dict(base.discriminator.state_dict())
        # The judge of "best so far" when no attribute classifier is installed: the untouched base discriminator.
        self.base_D = copy.deepcopy(self.D).eval().requires_grad_(False)
        # The base generator, frozen: other descriptions should keep painting what it paints (extra_generator_loss).
        self.base_G = copy.deepcopy(base.generator).to(self.device).eval().requires_grad_(False)
        # FreezeD: the first blocks keep the base model's low-level features; only the rest ever requires grad.
        self._frozen_blocks = list(self.D.blocks[: req.freeze_d])
        frozen_ids = {id(p) for b in self._frozen_blocks for p in b.parameters()}
        self.trainable_d = [p for p in self.D.parameters() if id(p) not in frozen_ids]
        for b in self._frozen_blocks:
            b.requires_grad_(False)
        moving = self._trainable_g(adapt)
        grade = {id(p) for p in self.G.grade.parameters()} if self.G.grade is not None else set()
        groups = [{"params": [p for p in moving if id(p) not in grade], "lr": req.lr_g},
                  {"params": [p for p in moving if id(p) in grade], "lr": req.lr_grade}]
        opt_g = torch.optim.Adam([g for g in groups if g["params"]], betas=(0.0, 0.99))
        opt_d = torch.optim.Adam(self.trainable_d, lr=req.lr_d, betas=(0.0, 0.99))
        params = GanParams(batch=req.batch, r1_every=R1_EVERY, diversity_weight=req.diversity, augment=req.augment)
        return GanStep(self.G, self.D, G_ema, opt_g, opt_d, params, self.device, d_params=self.trainable_d)

    def _trainable_g(self, adapt: str) -> list[torch.nn.Parameter]:
        """The generator weights that learn (the others stop requiring grad): the parts of `adapt`, joined by "+".

        "grade": the shop's colour grade after the picture (networks.LookGrade: backdrop colour, sweep, light; the
        same for every product). "shared": the late blocks' biases and to_rgb (the same change for every
        description). "late": the modulations of the last two blocks, the output modulation and to_rgb. "styles":
        the mapping, the condition embedding and every modulation (the synthesis convolutions keep the base
        model's drawing skills). "all": everything."""
        named = list(self.G.named_parameters())
        ids = set()
        for part in adapt.split("+"):
            ids |= {id(p) for n, p in named if _moves(part, n, len(self.G.blocks))}
        for _, p in named:
            p.requires_grad_(id(p) in ids)
        return [p for _, p in named if id(p) in ids]

    def train_step(self) -> dict[str, float]:
        return self.gan(self.step, self._batch, self.extra_generator_loss, self.freq.ema_beta)

    # ---- previews, logs, recovery --------------------------------------------------------------------
    def preview_due(self, start_step: int, max_steps: int) -> bool:
        every = self.freq.eval_every or max(5, max_steps // 12)
        return self.step % every == 0 or self.step == max_steps or self.step == start_step + 1

    @torch.no_grad()
    def preview(self) -> tuple[np.ndarray, float]:
        """The sample grid of the EMA generator, and the spread of its pictures (collapse check)."""
        G = self.G_ema
        was = G.training
        G.eval()
        x = G(self.preview_z, self.preview_c)
        G.train(was)
        spread = float(x.reshape(x.shape[0] // 8, 8, -1).std(dim=1).mean())  # across the 8 seeds of each row
        return grid(to_uint8(x), columns=8), spread

    def keep(self, metrics: dict[str, float], preview: np.ndarray) -> None:
        self._check_best(metrics)
        Image.fromarray(preview).save(self.out / "samples-latest.png")

    def log(self, metrics: dict[str, float], preview: np.ndarray | None) -> None:
        if self._meter.tick(self.step, self._start_step):
            self.seconds_per_step = self._meter.seconds_per_step
            remember_speed(self.paths, self.base_info.id, self.seconds_per_step)
        with open(self.metrics_path, "a", encoding="utf-8") as f:
            f.write(json.dumps({"step": self.step, "wall_s": round(self.wall, 2), **metrics}) + "\n")

    def eta(self, total: int, seconds_per_step: float | None = None) -> float | None:
        """Seconds left from this machine's measured step time (this run's, else an earlier run's)."""
        return None if not self.seconds_per_step else max(0.0, (total - self.step) * self.seconds_per_step)

    # ---- checkpoint: the GAN state (gan_recipe.GanRecipe) plus the planned steps and the best state ---------
    def save_checkpoint(self) -> Path:
        tensors, meta = self.gan_checkpoint()
        meta.update({"request": asdict(self.freq), "gan": self.cfg.to_dict(), "vocab_version": self.vocabulary.version})
        extra = {"planned_steps": self.planned_steps, "seconds_per_step": self.seconds_per_step,
                 "start_distance": self.start_distance, "start_type_accuracy": self.start_type_accuracy,
                 "best": None if self.best is None else {k: v for k, v in self.best.items() if k != "state"},
                 "photos": [p.sha256 for p in self.shop_photos], "request": asdict(self.freq)}
        best = {"best.safetensors": self.best["state"]} if self.best is not None else {}
        return self.checkpointer.save(self.step, tensors, meta, best, {"finetune.json": extra})

    def save(self, checkpointer: Checkpointer, metrics: dict[str, float]) -> None:
        self.save_checkpoint()

    def load_checkpoint(self) -> bool:
        extra = self.checkpointer.read_json("finetune.json")
        if extra is None:
            return False
        if sorted(extra.get("photos", [])) != sorted(p.sha256 for p in self.shop_photos):
            raise ValueError("the photos differ from the run being resumed; start a new run instead")
        if not self.checkpointer.exists():
            return False
        self.load_gan_checkpoint(*self.checkpointer.load())
        self.planned_steps = self.freq.max_steps or extra.get("planned_steps") or preset_steps(self.freq.preset)
        self.seconds_per_step = extra.get("seconds_per_step") or self.seconds_per_step
        self.start_distance = extra.get("start_distance")
        self.start_type_accuracy = extra.get("start_type_accuracy")
        best = self.checkpointer.read_tensors("best.safetensors") if extra.get("best") else None
        if best is not None:
            self.best = {**extra["best"], "state": best}
        return True

    # ---- the result ------------------------------------------------------------------------------
    def publish(self, elapsed_wall: float = 0.0) -> Path:  # noqa: ARG002 — kept for callers; the wall time is self.wall
        """Write the shop model (the best EMA generator) atomically into the user's models."""
        self.model_folder = publish_shop_model(self)
        return self.model_folder

    def model_card(self, t: dict) -> str:
        return model_card(self.freq.name, t)

    # ---- the job -----------------------------------------------------------------------------------
    def run(self, control: JobControl | Callable[[], bool] | None = None) -> Generator[Progress, None, FinetuneResult]:
        """Train `planned_steps` steps (the preset's, or max_steps); the time taken never changes the result."""
        control = JobControl.of(control)
        yield from self._begin()
        self._meter, self._start_step = SpeedMeter(self.clock), self.step
        loop = TrainLoop(self, Recovery(nan_raises=False, collapse_threshold=COLLAPSE_THRESHOLD,
                                        collapse_min_run=COLLAPSE_AFTER, collapse_limit=MAX_COLLAPSES_IN_ROW),
                         self.checkpointer, Budget(self.planned_steps, clock=lambda: self.clock()),
                         self.freq.checkpoint_every)
        ended = yield from loop.run(control)
        self.outcome = FINISHED_BY.get(ended, "")
        return (yield from self._end(control))

    def _begin(self) -> Generator[Progress, None, None]:
        """Resume when asked, then measure where the base model stands (the first "best so far")."""
        if self.freq.resume and self.load_checkpoint():
            yield Progress(Phase.PREPARING, self.step, self.planned_steps, "finetune.resumed",
                           {"step": self.step, "total": self.planned_steps})
        yield Progress(Phase.PREPARING, self.step, self.planned_steps, "finetune.preparing",
                       eta_s=self.eta(self.planned_steps))
        self.out.mkdir(parents=True, exist_ok=True)
        self.G.train()
        self.D.train()
        for b in self._frozen_blocks:
            b.eval()
        self._start_best()

    def _end(self, control: JobControl) -> Generator[Progress, None, FinetuneResult]:
        """Cancelled: keep the checkpoint (resumable), write nothing. Otherwise publish the best EMA generator."""
        self.save_checkpoint()
        total = self.planned_steps
        if control.cancelled:
            self.outcome = "cancelled"
            yield Progress(Phase.CANCELLED, self.step, total, "finetune.cancelled",
                           {"resumable": True, "step": self.step, "total": total}, eta_s=0.0,
                           metrics={"wall_s": self.wall})
            return self._result()
        self._check_best({})  # a last look at the final EMA
        if not self.outcome:
            self.outcome = "stopped early, best kept" if control.keep_best_event.is_set() else "finished"
        folder = self.publish()
        yield Progress(Phase.FINISHED, self.step, self.step, "finetune.finished",
                       {"name": self.freq.name, "model_id": self.model_id}, self.preview()[0], 0.0,
                       {"wall_s": self.wall, "distance_start": self.start_distance,
                        "distance_best": self.best["distance"], "best_step": float(self.best["step"])})
        self.model_folder = folder
        return self._result()

    def _result(self) -> FinetuneResult:
        return FinetuneResult(self.model_folder, self.outcome, self.step, self.best["step"], self.start_distance,
                              self.best["distance"])


def finetune(req: FinetuneRequest, paths: AppPaths | None = None,
             control: JobControl | Callable[[], bool] | None = None, text: TextConditioner | None = None,
             photos: Sequence[ImportedPhoto] | None = None, registry: Registry | None = None
             ) -> Generator[Progress, None, FinetuneResult]:
    """Engine API: import the photos, fine-tune, publish. A job: its result says where it went.
    `registry`: the app's (app.services); None: one over `paths`."""
    paths = paths or AppPaths.default()
    registry = registry or Registry(paths.bundled_models, paths.user_models)
    check_name(paths, req.name)
    if photos is None:
        resolution = registry.find(req.base).resolution
        res = import_photos(req.photos, resolution, req.whiten)
        for r in res.rejected:
            yield Progress(Phase.PREPARING, 0, 0, "finetune.skipped",
                           {"file": r.path.name, "reason": r.reason, "code": r.code})
        photos = res.photos
    if not photos:
        raise ValueError("none of the given files is a usable photo")
    return (yield from Finetuner(req, paths, photos, text, registry).run(control))
