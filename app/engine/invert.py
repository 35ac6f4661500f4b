"""GAN inversion ("start from a photo"): find the latent w whose picture looks like a merchant's photo.

The photo is prepared like a training photo (EXIF rotation, transparency on white, padded square, model size),
a condition is chosen (the merchant's description, else the attribute classifier's guess, else the condition
whose average picture is closest), w starts at the best of a few candidates around that condition's average
and is optimised with Adam on a pixel loss plus a discriminator-feature ("perceptual") loss. A last phase may
let each synthesis layer move on its own (w+), kept close to the shared w so sliders still behave.

Engine API:  result = run_job(Inversion(engine, InvertRequest(...)).run(control))   (a job: app.engine.jobs)
Files:       save_inversion(result, folder) writes reconstruction.png, variation-k.png, latent.safetensors and
             request.json; load_inversion(folder) + render_latent(...) remake any of its pictures.
"""

from __future__ import annotations

import copy
import math
import time
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, Callable, Generator

import numpy as np
import torch

from app.engine import vocab
from app.engine.generators import is_style
from app.engine.imaging import from_uint8, grid, to_uint8
from app.engine.invert_judge import _Adam, _Judge
from app.engine.jobs import JobControl, Phase, Progress, run_job
from app.engine.latents import w_average

INVERT_SCHEMA = 1
MAX_STEPS = 5000
MAX_VARIATIONS = 32


@dataclass(frozen=True)
class InvertRequest:
    """Every input of one inversion; written to request.json so the result can be reopened."""

    photo: str  # path of the merchant's photo
    model_id: str = ""  # "" → the default model
    steps: int = 150  # optimisation steps (about 0.1 s each for vitrine-base on two CPU cores)
    variations: int = 4  # neighbours of the reconstruction to paint as well
    seed: int = 0  # random starts and variation directions
    description: str = ""  # "" → guess the description from the photo
    variation_strength: float = 0.6  # distance of variations, in standard deviations along the main directions
    per_layer: bool = True  # let each synthesis layer fine-tune its own w in the last phase (w+)
    semantic: bool = True  # also match the attribute classifier's features, so the product stays the same product
    schema: int = INVERT_SCHEMA

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "InvertRequest":
        if not isinstance(d, dict) or not isinstance(d.get("photo"), str):
            raise ValueError("not a Vitrine inversion request")
        known = {f.name: f for f in fields(cls)}
        out = {}
        for k, v in d.items():
            if k in known:
                kind = type(getattr(cls, k, "")) if k != "photo" else str
                out[k] = kind(v) if kind in (int, float, str, bool) else v
        return cls(**out)


@dataclass
class InvertResult:
    """What an inversion found. w: (w_dim,) or per-layer (layers, w_dim) for w+; pictures are (R, R, 3) uint8."""

    request: InvertRequest
    model_id: str
    model_hash: str
    photo: np.ndarray
    reconstruction: np.ndarray
    w: torch.Tensor
    condition: np.ndarray  # (cond_dim,) float32
    chosen: dict[str, str]  # attribute → catalogue key ("" = left open)
    description: str  # the description used or guessed
    condition_source: str  # "description" | "classifier" | "search"
    variations: list[tuple[np.ndarray, torch.Tensor]] = field(default_factory=list)
    metrics: dict[str, float] = field(default_factory=dict)
    cancelled: bool = False


# ---- photo ------------------------------------------------------------------------------------------
def prepare_photo(path: str | Path, resolution: int = 64) -> np.ndarray:
    """A photo file → (R, R, 3) uint8 prepared like the training photos; ValueError with the reason otherwise."""
    from app.data.photo_import import _Reject, load_photo

    path = Path(path)
    if path.is_dir():
        raise ValueError(f"{path.name} is a folder, not a photo.")
    try:
        pixels, _, _ = load_photo(path, resolution)
        pixels = np.array(pixels, np.uint8)  # writable copy
    except _Reject as r:
        raise ValueError(f"The photo {path.name} cannot be used: it is {r.reason}.") from None
    except Exception as e:  # noqa: BLE001 — a decoder bug must read as a bad photo, not a crash
        raise ValueError(f"The photo {path.name} cannot be used: it is corrupt ({e.__class__.__name__}).") from None
    return pixels


# ---- synthesis with one w per layer ----------------------------------------------------------------
def layer_count(G: torch.nn.Module) -> int:
    """Number of separate style inputs of the generator: input, each block, output modulation."""
    return G.num_layers


def synthesis_plus(G: torch.nn.Module, ws: torch.Tensor) -> torch.Tensor:
    """G.synthesis, which takes (N, w_dim) or one w per style input (N, layers, w_dim); kept for callers."""
    return G.synthesis(ws)


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    """Peak signal-to-noise ratio in dB of two uint8 pictures."""
    mse = float(np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2))
    return 99.0 if mse == 0 else 10 * math.log10(255.0 ** 2 / mse)


def _one_hot_condition(choice: dict[str, int | None], voc: vocab.Vocabulary) -> np.ndarray:
    blocks = []
    for attribute, values in voc.attributes.items():
        n = len(values)
        i = choice.get(attribute)
        blocks.append(np.eye(n, dtype=np.float32)[i] if i is not None else np.full(n, 1.0 / n, np.float32))
    return np.concatenate(blocks)


def describe(choice: dict[str, int | None], voc: vocab.Vocabulary | None = None) -> str:
    """A description the lexicon reads back to the same attributes, e.g. "Navy Blue Tshirts for Men"."""
    voc = voc or vocab.get()

    def en(a):
        i = choice.get(a)
        return voc.attributes[a][i].en if i is not None else ""
    text = " ".join(x for x in (en("colour"), en("category")) if x)
    g = en("gender")
    return (f"{text} for {g}" if g else text).strip()


def _projected(p: np.ndarray, source: vocab.Vocabulary, target: vocab.Vocabulary, attribute: str) -> np.ndarray:
    """The classifier's probabilities (its vocabulary) summed onto a model's vocabulary by catalogue key."""
    if source is target:
        return p
    out = np.zeros(len(target.attributes[attribute]), np.float64)
    for k, key in enumerate(source.keys(attribute)):
        i = target.index_of(attribute, key)
        if i is not None:
            out[i] += p[k]
    return out


@dataclass
class _Setup:
    """What an inversion works with once prepared (the model, the photo, the judge, the condition, the start)."""

    model: Any
    G: torch.nn.Module
    D: torch.nn.Module | None
    device: torch.device
    photo: np.ndarray
    total: int
    judge: _Judge
    target: torch.Tensor
    target_feat: Any
    cond: np.ndarray
    chosen: dict[str, str]
    description: str
    source: str
    c: torch.Tensor
    w_avg: torch.Tensor | None = None
    w_samples: torch.Tensor | None = None
    w_std: torch.Tensor | None = None
    w0: torch.Tensor | None = None


# ---- the job ---------------------------------------------------------------------------------------------
class Inversion:
    """One inversion job on an Engine; iterate run(), then read result (also set when cancelled)."""

    def __init__(self, engine: Any, req: InvertRequest, use_classifier: bool = True):
        if not 1 <= req.steps <= MAX_STEPS:
            raise ValueError(f"The number of steps must be between 1 and {MAX_STEPS}.")
        if not 0 <= req.variations <= MAX_VARIATIONS:
            raise ValueError(f"The number of variations must be between 0 and {MAX_VARIATIONS}.")
        self.engine = engine
        self.req = req
        self.use_classifier = use_classifier
        self.result: InvertResult | None = None

    # condition -------------------------------------------------------------------------------------
    def _choose_condition(self, photo: np.ndarray, G, judge: _Judge, target, target_feat, clf=None):
        req, device = self.req, self.engine.device
        model_id = req.model_id or None
        voc = self.engine.vocabulary(model_id)  # the model's own: its condition vector follows it
        if req.description.strip():
            u = self.engine.understand(req.description, model_id=model_id)
            chosen = {g.attribute: (g.key if g.source != "open" else "") for g in u.guesses}
            return u.condition(), chosen, req.description.strip(), "description"
        if clf is not None:
            _, probs = clf.run(photo[None])
            choice = {}
            for a in voc.attributes:
                p = _projected(probs[a][0], clf.vocabulary, voc, a)
                # Product type and colour are always guessed (an open one lets the picture drift to another
                # product: measured on 50 val photos, 66 % kept type and colour with a 0.35 threshold); gender
                # only when the classifier is fairly sure.
                sure = 0.0 if a in ("category", "colour") else 0.35
                choice[a] = int(p.argmax()) if float(p.max()) >= sure else None
            source = "classifier"
        else:
            choice = self._search_condition(G, judge, target, target_feat, device, voc)
            source = "search"
        chosen = {a: (voc.attributes[a][i].key if i is not None else "") for a, i in choice.items()}
        description = describe(choice, voc)
        if description:  # the condition the engine reads from this description, so pictures remade from it match
            return self.engine.understand(description, model_id=model_id).condition(), chosen, description, source
        return _one_hot_condition(choice, voc), chosen, description, source

    @torch.no_grad()
    def _search_condition(self, G, judge, target, target_feat, device, voc: vocab.Vocabulary) -> dict[str, int | None]:
        """Without a classifier: per attribute in turn, the value whose average picture is closest to the photo."""
        choice: dict[str, int | None] = {a: None for a in voc.attributes}
        z = torch.randn(64, G.cfg.z_dim, generator=torch.Generator().manual_seed(0)).to(device)
        for attribute in ("category", "colour", "gender"):
            n = len(voc.attributes[attribute])
            cands = []
            for i in range(n):
                c = torch.from_numpy(_one_hot_condition({**choice, attribute: i}, voc)).to(device)
                cands.append(G.mapping(z, c.expand(len(z), -1)).mean(0))
            losses = judge.loss(G.synthesis(torch.stack(cands)), target, target_feat)
            choice[attribute] = int(losses.argmin())
        return choice

    # the job ---------------------------------------------------------------------------------------
    def run(self, control: JobControl | Callable[[], bool] | None = None) -> Generator[Progress, None, InvertResult]:
        """The job: prepare, choose the condition, optimise w (then w+), paint the variations; returns the result
        (also kept in self.result), cancelled or not."""
        control, t0 = JobControl.of(control), time.perf_counter()
        s = yield from self._prepare()
        self._start(s)
        best, step, cancelled = yield from self._optimise(s, control, t0)
        self.result = self._finish(s, best, step, cancelled, t0)
        pics = [s.photo, self.result.reconstruction] + [v[0] for v in self.result.variations]
        yield Progress(Phase.CANCELLED if cancelled else Phase.FINISHED, s.total if not cancelled else step, s.total,
                       "invert.cancelled" if cancelled else "invert.finished", {"steps": self.req.steps},
                       grid(np.stack(pics), columns=min(6, len(pics))), 0.0, {"psnr": self.result.metrics["psnr"]})
        return self.result

    def _prepare(self) -> Generator[Progress, None, _Setup]:
        """The model, the prepared photo, the judge and the condition (each announced)."""
        engine = self.engine
        model = engine.load(self.req.model_id or None)
        G = model.generator
        if not is_style(G):
            raise ValueError(f"The model {model.model_id} cannot start from a photo (it has no style latent).")
        device = engine.device
        photo = prepare_photo(self.req.photo, model.resolution)
        total = self.req.steps + 2
        yield Progress(Phase.PREPARING, 0, total, "invert.prepared", preview=photo)
        D = engine.discriminator(model)
        clf = engine.classifier() if self.use_classifier else None
        semantic = copy.deepcopy(clf.net).to(device) if clf is not None and self.req.semantic else None
        judge = _Judge(D, semantic=semantic)
        target = from_uint8(photo[None], device)
        target_feat = judge.target(target)
        cond, chosen, description, source = self._choose_condition(photo, G, judge, target, target_feat, clf)
        yield Progress(Phase.PREPARING, 1, total, "invert.condition", {"description": description, "source": source},
                       preview=photo)
        return _Setup(model, G, D, device, photo, total, judge, target, target_feat, cond, chosen, description,
                      source, torch.from_numpy(cond).to(device))

    @torch.no_grad()
    def _start(self, s: _Setup) -> None:
        """The start: the condition's average w or one of a few truncated samples, whichever is closest."""
        G = s.G
        gen = torch.Generator().manual_seed(self.req.seed)
        s.w_avg = w_average(G, s.c)
        z = torch.randn(256, G.cfg.z_dim, generator=gen).to(s.device)
        s.w_samples = G.mapping(z, s.c.expand(256, -1))
        s.w_std = (s.w_samples - s.w_avg).pow(2).sum(1).mean().sqrt()  # typical distance from the average
        starts = torch.cat([s.w_avg[None], s.w_avg + 0.7 * (s.w_samples[:7] - s.w_avg)])
        start_loss = s.judge.loss(G.synthesis(starts), s.target, s.target_feat)
        s.w0 = starts[int(start_loss.argmin())].clone()

    def _optimise(self, s: _Setup, control: JobControl, t0: float
                  ) -> Generator[Progress, None, tuple[tuple[float, torch.Tensor], int, bool]]:
        """Adam on w (cosine decay, a short warm-up), then on one w per layer (w+) from the best shared w.
        Returns (best loss, best latent), the last step and whether it was stopped."""
        req, G = self.req, s.G
        plus_steps = int(req.steps * 0.3) if req.per_layer else 0
        w_steps = req.steps - plus_steps
        w = s.w0.clone()[None].requires_grad_(True)
        opt = _Adam(w, lr=0.05)
        best = (float("inf"), s.w0[None].clone())
        step, ws, last_yield = 0, None, 0.0
        for step in range(1, req.steps + 1):
            if control.should_stop():
                return best, step, True
            if step == w_steps + 1:  # switch to per-layer w (w+) starting from the best shared w
                ws = best[1].detach()[:, None, :].repeat(1, layer_count(G), 1).clone().requires_grad_(True)
                opt = _Adam(ws, lr=0.01)
            phase_len, k = (w_steps, step) if ws is None else (plus_steps, step - w_steps)
            lr0 = 0.05 if ws is None else 0.01
            opt.lr = lr0 * min(1.0, k / 5) * (0.5 + 0.5 * math.cos(math.pi * k / max(1, phase_len))) + 1e-4
            latent = w if ws is None else ws
            x = synthesis_plus(G, latent)
            loss = s.judge.loss(x, s.target, s.target_feat)[0]
            if float(loss.detach()) < best[0]:
                best = (float(loss.detach()), latent.detach().clone())
            (loss + self._keep_near(s, w, ws)).backward()
            opt.step()
            now = time.perf_counter()
            if now - last_yield > 0.5 or step == req.steps:
                last_yield = now
                yield self._step_progress(s, step, x, loss, now - t0)
        return best, step, False

    def _keep_near(self, s: _Setup, w: torch.Tensor, ws: torch.Tensor | None) -> torch.Tensor:
        """Shared w: stay in the region the mapping network produces. w+: layers may differ, but only a little,
        so sliders still behave."""
        if ws is None:
            return 0.02 * ((w - s.w_avg).pow(2).sum() / (s.w_std ** 2 + 1e-8) - 1).clamp(min=0)
        return 0.5 * (ws - ws.mean(dim=1, keepdim=True)).pow(2).sum(-1).mean() / (s.w_std ** 2 + 1e-8)

    def _step_progress(self, s: _Setup, step: int, x: torch.Tensor, loss: torch.Tensor, seconds: float) -> Progress:
        done = step / self.req.steps
        eta = seconds / done * (1 - done) if done > 0 else None
        painted = to_uint8(x.detach())[0]
        return Progress(Phase.RUNNING, step + 1, s.total, "invert.step", {"step": step, "steps": self.req.steps},
                        grid(np.stack([s.photo, painted]), columns=2), eta,
                        {"loss": float(loss.detach()), "psnr": psnr(s.photo, painted)})

    @torch.no_grad()
    def _finish(self, s: _Setup, best: tuple[float, torch.Tensor], step: int, cancelled: bool,
                t0: float) -> InvertResult:
        """The best latent's picture, its variations (not when cancelled) and the numbers."""
        G = s.G
        final = best[1]
        final_loss = float(s.judge.loss(synthesis_plus(G, final), s.target, s.target_feat)[0])
        if final_loss < best[0] or not math.isfinite(best[0]):
            best = (final_loss, final)
        w_best = best[1][0]
        recon = to_uint8(synthesis_plus(G, w_best[None]))[0]
        variations = [] if cancelled else self._variations(G, w_best, s.w_samples, s.w_avg)
        metrics = {"psnr": psnr(s.photo, recon), "loss": best[0], "seconds": time.perf_counter() - t0,
                   "steps": float(step if not cancelled else step - 1)}
        if s.D is not None:
            f = s.judge.features(from_uint8(recon[None], s.device))
            metrics["feature_distance"] = float(1 - (f * s.target_feat[0]).sum())
        return InvertResult(self.req, s.model.model_id, s.model.model_hash, s.photo, recon, w_best.cpu(), s.cond,
                            s.chosen, s.description, s.source, variations, metrics, cancelled)

    @torch.no_grad()
    def _variations(self, G, w, w_samples, w_avg) -> list[tuple[np.ndarray, torch.Tensor]]:
        """Neighbours: w moved by random amounts along the condition's main directions of variation (PCA)."""
        k = self.req.variations
        if k == 0:
            return []
        centred = (w_samples - w_avg).cpu()
        _, s, v = torch.linalg.svd(centred, full_matrices=False)
        n_dir = min(8, v.shape[0])
        sigma = s[:n_dir] / math.sqrt(max(1, len(centred) - 1))
        gen = torch.Generator().manual_seed(self.req.seed + 1)
        out = []
        for _ in range(k):
            a = torch.randn(n_dir, generator=gen) * self.req.variation_strength
            offset = ((a * sigma)[:, None] * v[:n_dir]).sum(0).to(w.device)
            wk = w + offset  # (w_dim,) or (layers, w_dim): the same move on every layer
            out.append((to_uint8(synthesis_plus(G, wk[None]))[0], wk.cpu()))
        return out


def invert(engine: Any, req: InvertRequest, control: JobControl | Callable[[], bool] | None = None,
           on_progress: Callable[[Progress], None] | None = None) -> InvertResult:
    """Run an inversion to the end (or until stopped) and return its result."""
    return run_job(Inversion(engine, req).run(control), on_progress)


# ---- files: invert_files.py (re-exported here for callers) -----------------------------------------------
_FILES = ("LATENT_FILE", "REQUEST_FILE", "found_request", "save_inversion", "load_inversion", "render_latent",
          "rerender")


def __getattr__(name: str):
    if name in _FILES:
        from app.engine import invert_files

        return getattr(invert_files, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
