"""GAN inversion ("start from a photo"): find the latent w whose picture looks like a merchant's photo.

The photo is prepared like a training photo (EXIF rotation, transparency on white, padded square, model size),
a condition is chosen (the merchant's description, else the attribute classifier's guess, else the condition
whose average picture is closest), w starts at the best of a few candidates around that condition's average
and is optimised with Adam on a pixel loss plus a discriminator-feature ("perceptual") loss. A last phase may
let each synthesis layer move on its own (w+), kept close to the shared w so sliders still behave.

Engine API:  job = Inversion(engine, InvertRequest(...)); for p in job.run(should_stop): ...; job.result
Files:       save_inversion(result, folder) writes reconstruction.png, variation-k.png, latent.safetensors and
             request.json; load_inversion(folder) + render_latent(...) remake any of its pictures.
"""

from __future__ import annotations

import copy
import json
import math
import time
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, Callable, Iterator

import numpy as np
import torch
from torch.nn import functional as F

from app.engine import vocab
from app.engine.imaging import from_uint8, grid, to_uint8
from app.engine.latents import w_average
from app.engine.loading import move_latent
from app.requests import GenerateRequest, Progress

INVERT_SCHEMA = 1
MAX_STEPS = 5000
MAX_VARIATIONS = 32
LATENT_FILE = "latent.safetensors"
REQUEST_FILE = "request.json"


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


# ---- losses ------------------------------------------------------------------------------------------
class _Judge:
    """Distance between pictures: pixels (L2 + L1, also at half size), normalised discriminator features and,
    with `semantic`, the attribute classifier's normalised features (what the product is: type, colour)."""

    def __init__(self, D: torch.nn.Module | None, feature_weight: float = 0.5, semantic: torch.nn.Module | None = None,
                 semantic_weight: float = 1.0):
        self.D = D
        self.feature_weight = feature_weight if D is not None else 0.0
        self.semantic = semantic
        self.semantic_weight = semantic_weight if semantic is not None else 0.0

    def features(self, x: torch.Tensor) -> torch.Tensor | None:
        if self.D is None:
            return None
        return F.normalize(self.D.features(x), dim=1)

    def semantic_features(self, x: torch.Tensor) -> torch.Tensor | None:
        if self.semantic is None:
            return None
        if x.shape[-1] != 64:
            x = F.interpolate(x, size=(64, 64), mode="bilinear", antialias=True, align_corners=False)
        return F.normalize(self.semantic.features(x), dim=1)

    def target(self, target: torch.Tensor) -> tuple[torch.Tensor | None, torch.Tensor | None]:
        with torch.no_grad():
            return self.features(target), self.semantic_features(target)

    def loss(self, x: torch.Tensor, target: torch.Tensor, target_feat) -> torch.Tensor:
        """Per-picture loss (N,) of x (N, 3, R, R) against target (1, 3, R, R); target_feat from target()."""
        d_feat, s_feat = target_feat if isinstance(target_feat, tuple) else (target_feat, None)
        d = x - target
        pix = d.pow(2).mean(dim=(1, 2, 3)) + 0.5 * d.abs().mean(dim=(1, 2, 3))
        small = F.avg_pool2d(x, 2) - F.avg_pool2d(target, 2)
        pix = pix + small.pow(2).mean(dim=(1, 2, 3))
        if self.feature_weight and d_feat is not None:
            f = self.features(x)
            pix = pix + self.feature_weight * (1 - (f * d_feat).sum(dim=1))
        if self.semantic_weight and s_feat is not None:
            f = self.semantic_features(x)
            pix = pix + self.semantic_weight * (1 - (f * s_feat).sum(dim=1))
        return pix


class _Adam:
    """Adam on one tensor (torch.optim would import torch._dynamo: seconds of start-up for nothing here)."""

    def __init__(self, param: torch.Tensor, lr: float, betas=(0.9, 0.99), eps: float = 1e-8):
        self.param, self.lr, self.betas, self.eps, self.t = param, lr, betas, eps, 0
        self.m, self.v = torch.zeros_like(param), torch.zeros_like(param)

    @torch.no_grad()
    def step(self) -> None:
        g, (b1, b2) = self.param.grad, self.betas
        self.t += 1
        self.m.mul_(b1).add_(g, alpha=1 - b1)
        self.v.mul_(b2).addcmul_(g, g, value=1 - b2)
        denom = (self.v / (1 - b2 ** self.t)).sqrt_().add_(self.eps)
        self.param.addcdiv_(self.m, denom, value=-self.lr / (1 - b1 ** self.t))
        self.param.grad = None


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

    # main loop ---------------------------------------------------------------------------------------
    def run(self, should_stop: Callable[[], bool] = lambda: False) -> Iterator[Progress]:
        req, engine = self.req, self.engine
        t0 = time.perf_counter()
        model = engine.load(req.model_id or None)
        G = model.generator
        if not hasattr(G, "mapping") or not hasattr(G, "blocks"):
            raise ValueError(f"The model {model.model_id} cannot start from a photo (it has no style latent).")
        device = engine.device
        photo = prepare_photo(req.photo, model.resolution)
        total = req.steps + 2
        yield Progress(0, total, "photo prepared", preview=photo)
        D = engine.discriminator(model)
        clf = engine.classifier() if self.use_classifier else None
        semantic = copy.deepcopy(clf.net).to(device) if clf is not None and req.semantic else None
        judge = _Judge(D, semantic=semantic)
        target = from_uint8(photo[None], device)
        target_feat = judge.target(target)
        cond, chosen, description, source = self._choose_condition(photo, G, judge, target, target_feat, clf)
        c = torch.from_numpy(cond).to(device)
        yield Progress(1, total, f"condition: {description or 'open'} ({source})", preview=photo)

        # Start: the condition's average w or one of a few truncated samples, whichever is closest.
        gen = torch.Generator().manual_seed(req.seed)
        with torch.no_grad():
            w_avg = w_average(G, c)
            z = torch.randn(256, G.cfg.z_dim, generator=gen).to(device)
            w_samples = G.mapping(z, c.expand(256, -1))
            w_std = (w_samples - w_avg).pow(2).sum(1).mean().sqrt()  # typical distance from the average
            starts = torch.cat([w_avg[None], w_avg + 0.7 * (w_samples[:7] - w_avg)])
            start_loss = judge.loss(G.synthesis(starts), target, target_feat)
            w0 = starts[int(start_loss.argmin())].clone()

        plus_steps = int(req.steps * 0.3) if req.per_layer else 0
        w_steps = req.steps - plus_steps
        w = w0.clone()[None].requires_grad_(True)
        opt = _Adam(w, lr=0.05)
        best = (float("inf"), w0[None].clone())
        cancelled, step, ws = False, 0, None
        last_yield = 0.0
        for step in range(1, req.steps + 1):
            if should_stop():
                cancelled = True
                break
            if step == w_steps + 1:  # switch to per-layer w (w+) starting from the best shared w
                base = best[1].detach()
                ws = base[:, None, :].repeat(1, layer_count(G), 1).clone().requires_grad_(True)
                opt = _Adam(ws, lr=0.01)
            phase_len, k = (w_steps, step) if ws is None else (plus_steps, step - w_steps)
            lr0 = 0.05 if ws is None else 0.01
            # cosine decay with a short warm-up per phase
            opt.lr = lr0 * min(1.0, k / 5) * (0.5 + 0.5 * math.cos(math.pi * k / max(1, phase_len))) + 1e-4
            latent = w if ws is None else ws
            x = synthesis_plus(G, latent)
            loss = judge.loss(x, target, target_feat)[0]
            if ws is None:  # stay in the region the mapping network produces
                reg = 0.02 * ((w - w_avg).pow(2).sum() / (w_std ** 2 + 1e-8) - 1).clamp(min=0)
            else:  # layers may differ, but only a little, so sliders still behave
                reg = 0.5 * (ws - ws.mean(dim=1, keepdim=True)).pow(2).sum(-1).mean() / (w_std ** 2 + 1e-8)
            if float(loss.detach()) < best[0]:
                best = (float(loss.detach()), latent.detach().clone())
            (loss + reg).backward()
            opt.step()
            now = time.perf_counter()
            if now - last_yield > 0.5 or step == req.steps:
                last_yield = now
                done = step / req.steps
                eta = (now - t0) / done * (1 - done) if done > 0 else None
                preview = grid(np.stack([photo, to_uint8(x.detach())[0]]), columns=2)
                yield Progress(step + 1, total, f"step {step}/{req.steps}", eta,
                               {"loss": float(loss.detach()), "psnr": psnr(photo, to_uint8(x.detach())[0])}, preview,
                               key="step", args={"step": step, "steps": req.steps})

        with torch.no_grad():
            final = best[1]
            final_loss = float(judge.loss(synthesis_plus(G, final), target, target_feat)[0])
            if final_loss < best[0] or not math.isfinite(best[0]):
                best = (final_loss, final)
            w_best = best[1][0]
            recon = to_uint8(synthesis_plus(G, w_best[None]))[0]
            variations = [] if cancelled else self._variations(G, w_best, w_samples, w_avg)
        metrics = {"psnr": psnr(photo, recon), "loss": best[0], "seconds": time.perf_counter() - t0,
                   "steps": float(step if not cancelled else step - 1)}
        if D is not None:
            with torch.no_grad():
                f = judge.features(from_uint8(recon[None], device))
                metrics["feature_distance"] = float(1 - (f * target_feat[0]).sum())
        self.result = InvertResult(req, model.model_id, model.model_hash, photo, recon, w_best.cpu(), cond, chosen,
                                   description, source, variations, metrics, cancelled)
        pics = [photo, recon] + [v[0] for v in variations]
        yield Progress(total if not cancelled else step, total, "cancelled" if cancelled else "finished",
                       0.0, {"psnr": metrics["psnr"]}, grid(np.stack(pics), columns=min(6, len(pics))),
                       key="cancelled" if cancelled else "finished")

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


def invert(engine: Any, req: InvertRequest, should_stop: Callable[[], bool] = lambda: False,
           on_progress: Callable[[Progress], None] | None = None) -> InvertResult:
    """Run an inversion to the end (or until should_stop) and return its result."""
    job = Inversion(engine, req)
    for p in job.run(should_stop):
        if on_progress:
            on_progress(p)
    assert job.result is not None
    return job.result


# ---- files -----------------------------------------------------------------------------------------------
def found_request(result: InvertResult, w: torch.Tensor) -> GenerateRequest:
    """The GenerateRequest that remakes a picture found from a photo (its latent w) with the engine."""
    from app.latent_code import encode_latent

    return GenerateRequest(description=result.description or "product", model_id=result.model_id,
                           model_hash=result.model_hash, size=int(result.reconstruction.shape[0]),
                           latent=encode_latent(w.detach().float().cpu().numpy(), result.condition))


def save_inversion(result: InvertResult, folder: Path) -> list[Path]:
    """Write reconstruction.png, variation-k.png, latent.safetensors (one w per picture) and request.json."""
    from safetensors.torch import save_file

    from app.output import atomic_write_bytes, png_bytes

    folder = Path(folder)
    written, latents, pictures = [], {}, {}
    items = [("reconstruction", result.reconstruction, result.w)] + \
            [(f"variation-{i + 1}", p, w) for i, (p, w) in enumerate(result.variations)]
    for name, pixels, w in items:
        # The PNG carries the request that remakes it (with its latent): dropped on Vitrine, it reopens editable.
        request = found_request(result, w)
        path = atomic_write_bytes(folder / f"{name}.png", png_bytes(pixels, request))
        written.append(path)
        latents[name] = w.detach().float().cpu().contiguous()
        pictures[path.name] = name
    latents["condition"] = torch.from_numpy(np.ascontiguousarray(result.condition, np.float32))
    tmp = folder / f".{LATENT_FILE}.partial"
    save_file(latents, str(tmp), metadata={"vitrine": "inversion", "model_id": result.model_id,
                                           "model_hash": result.model_hash})
    tmp.replace(folder / LATENT_FILE)
    written.append(folder / LATENT_FILE)
    doc = {"vitrine": 1, "kind": "inversion", "request": result.request.to_dict(), "model_id": result.model_id,
           "model_hash": result.model_hash, "description": result.description, "chosen": result.chosen,
           "condition_source": result.condition_source, "latent_file": LATENT_FILE, "pictures": pictures,
           "per_layer": result.w.dim() == 2, "cancelled": result.cancelled,
           "metrics": {k: round(float(v), 4) for k, v in result.metrics.items()}}
    written.append(atomic_write_bytes(folder / REQUEST_FILE,
                                      json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8")))
    return written


def load_inversion(folder: Path) -> tuple[dict, dict[str, torch.Tensor]]:
    """(request.json contents, latents by picture name) of a saved inversion; ValueError if it is not one."""
    from safetensors.torch import load_file

    folder = Path(folder)
    try:
        doc = json.loads((folder / REQUEST_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValueError(f"{folder} holds no {REQUEST_FILE}.") from None
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise ValueError(f"{folder / REQUEST_FILE} is not valid JSON.") from None
    if not isinstance(doc, dict) or doc.get("kind") != "inversion":
        raise ValueError(f"{folder / REQUEST_FILE} does not describe a Vitrine inversion.")
    try:
        latents = load_file(str(folder / doc.get("latent_file", LATENT_FILE)))
    except Exception as e:  # noqa: BLE001
        raise ValueError(f"The latents of {folder} cannot be read ({e}).") from None
    return doc, latents


@torch.no_grad()
def render_latent(engine: Any, w: torch.Tensor, model_id: str = "", model_hash: str = "",
                  offsets: tuple[tuple[str, float], ...] = ()) -> np.ndarray:
    """Paint a stored w ((w_dim,) or (layers, w_dim)), optionally moved along the model's named sliders."""
    model = engine.load(model_id or None)
    if model_hash and not model.model_hash.startswith(model_hash[:12]):
        raise ValueError(f"This picture was made with another version of the model {model_id or model.model_id}.")
    w = w.to(engine.device).float()
    by_name = {d.name: d for d in model.directions}
    for name, value in offsets:
        if name not in by_name:
            raise ValueError(f"The model {model.model_id} has no slider called {name!r}.")
    w = move_latent(w[None], [(by_name[n], v) for n, v in offsets], model.generator.num_layers)
    return to_uint8(synthesis_plus(model.generator, w))[0]


def rerender(engine: Any, folder: Path, name: str = "reconstruction",
             offsets: tuple[tuple[str, float], ...] = ()) -> np.ndarray:
    """Remake picture `name` of a saved inversion (same pixels on the same device), optionally with sliders."""
    doc, latents = load_inversion(folder)
    if name not in latents or name == "condition":
        raise ValueError(f"{folder} has no picture called {name!r}.")
    return render_latent(engine, latents[name], doc.get("model_id", ""), doc.get("model_hash", ""), offsets)
