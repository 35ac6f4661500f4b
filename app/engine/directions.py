"""Named latent directions (GANSpace-style sliders): PCA of w over random conditions, measured and named.

Each kept principal component is measured by moving probe latents by ±2σ along it and reading what
changes in the pictures: brightness, colour saturation, colour warmth (red − blue), object size (share of
non-white pixels: "zoom") and, with the attribute classifier, how often the product type, colour or
gender reading flips. The component is named after its largest effect (effect sizes: mean change ÷ the
spread of that measure over the probe pictures; flips: flip rate ÷ 0.25), oriented so that a positive
slider means "more" of the named measure, and given sigma = std of w along the component, so the
engine's move w + value·sigma·vector is in units of the natural spread of w.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from app.data.datasets import condition_from_labels
from app.engine import vocab
from app.engine.checkpoints import CARD, CONFIG, load_tensors, read_config, write_model_dir
from app.engine.imaging import to_uint8
from app.engine.generators import style_layers

# name, Chinese label, what a positive move does
NAMES = {
    "brightness": ("亮度", "brighter picture"),
    "colour strength": ("色彩饱和度", "more saturated colours"),
    "colour warmth": ("色调冷暖", "warmer (redder) colours"),
    "zoom": ("大小", "larger product in the frame (less white background)"),
    "product type": ("品类变化", "changes the kind of product"),
    "colour": ("颜色变化", "changes the product colour"),
    "men / women": ("男款 / 女款", "from men's toward women's styling"),
}
MEASURES = ("brightness", "colour strength", "colour warmth", "zoom", "men / women", "product type", "colour")
FLIP_SCALE = 0.25  # a flip rate of 25 % counts like a one-spread change


@dataclass
class Found:
    name: str
    label_zh: str
    vector: torch.Tensor
    sigma: float
    description: str
    variance_share: float
    effects: dict
    layers: tuple[int, int] | None = None  # synthesis layers the slider moves (first, last + 1); None = all


def picture_measures(images: np.ndarray) -> dict[str, np.ndarray]:
    """Per-picture scalars of (N, R, R, 3) uint8 pictures."""
    x = images.astype(np.float32) / 255.0
    mx, mn = x.max(-1), x.min(-1)
    fg = mn < 0.92  # not (near-)white background
    sat = np.where(mx > 0, (mx - mn) / np.maximum(mx, 1e-6), 0)
    area = fg.mean((1, 2))
    fgc = np.maximum(fg.sum((1, 2)), 1)
    return {
        "brightness": (0.299 * x[..., 0] + 0.587 * x[..., 1] + 0.114 * x[..., 2]).mean((1, 2)),
        "colour strength": (sat * fg).sum((1, 2)) / fgc,
        "colour warmth": ((x[..., 0] - x[..., 2]) * fg).sum((1, 2)) / fgc,
        "zoom": area,
    }


def random_conditions(n: int, rng: np.random.Generator, drop: float = 0.15, G: torch.nn.Module | None = None) -> np.ndarray:
    """n random conditions in the vocabulary of generator G (set by load_model; default the current one)."""
    voc = vocab.get(getattr(G, "vocab_version", None))
    labels = np.stack([rng.integers(0, len(v), n) for v in voc.attributes.values()], axis=1)
    return condition_from_labels(labels, rng.random((n, 3)) < drop, voc)


@torch.no_grad()
def sample_by_description(G: torch.nn.Module, n_conditions: int, per_condition: int,
                          seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    """(w, w minus its description's mean w in float64): per_condition latents of n_conditions random descriptions."""
    n = n_conditions * per_condition
    z = torch.randn(n, G.cfg.z_dim, generator=torch.Generator().manual_seed(seed))
    c = torch.from_numpy(np.repeat(random_conditions(n_conditions, np.random.default_rng(seed), G=G), per_condition, 0))
    w = torch.cat([G.mapping(z[i: i + 512], c[i: i + 512]) for i in range(0, n, 512)])
    wd = w.double().view(n_conditions, per_condition, -1)
    return w, (wd - wd.mean(1, keepdim=True)).view(n, -1)


@torch.no_grad()
def probe_latents(G: torch.nn.Module, probe: int, seed: int) -> torch.Tensor:
    """Fresh latents of fresh random descriptions (not in any fit) that sliders are checked on."""
    zp = torch.randn(probe, G.cfg.z_dim, generator=torch.Generator().manual_seed(seed + 1))
    return G.mapping(zp, torch.from_numpy(random_conditions(probe, np.random.default_rng(seed + 1), G=G)))


@torch.no_grad()
def find_directions(G: torch.nn.Module, clf=None, n_w: int = 4000, components: int = 10, keep: int = 8,
                    min_keep: int = 6, probe: int = 32, step: float = 2.0, seed: int = 0, per_condition: int = 20,
                    log=print) -> list[Found]:
    """PCA of w = mapping(z, c) over random z and random conditions; measure, name and keep components.

    With per_condition > 1 (default) the PCA runs on w minus the mean w of its own condition: the
    variation *within* one description (pose, size, light), not the switch between products, which the
    description already controls. per_condition = 1 gives plain GANSpace over all w (those components
    mostly change the product type and colour, measured: bad sliders for a merchant).
    """
    rng = np.random.default_rng(seed)
    per = max(1, per_condition)
    n_c = max(2, n_w // per)
    n_w = n_c * per
    z = torch.randn(n_w, G.cfg.z_dim, generator=torch.Generator().manual_seed(seed))
    c = torch.from_numpy(np.repeat(random_conditions(n_c, rng, G=G), per, axis=0))
    w = torch.cat([G.mapping(z[i: i + 512], c[i: i + 512]) for i in range(0, n_w, 512)]).double()
    if per > 1:
        centred = (w.view(n_c, per, -1) - w.view(n_c, per, -1).mean(1, keepdim=True)).view(n_w, -1)
    else:
        centred = w - w.mean(0)
    _, s, vh = torch.linalg.svd(centred, full_matrices=False)
    var = s ** 2 / (n_w - 1)
    share = (var / var.sum()).tolist()
    w0 = w[torch.randperm(n_w, generator=torch.Generator().manual_seed(seed + 1))[:probe]].float()

    def read(images):
        m = picture_measures(images)
        if clf is not None:
            _, p = clf.run(images)
            genders = getattr(clf, "vocabulary", vocab.get()).keys("gender")  # the classifier's own heads
            m["men / women"] = p["gender"][:, genders.index("Women")] - p["gender"][:, genders.index("Men")]
            m["_category"] = p["category"].argmax(1)
            m["_colour"] = p["colour"].argmax(1)
        return m

    base = read(to_uint8(G.synthesis(w0)))
    spread = {k: float(np.std(v)) + 1e-6 for k, v in base.items() if not k.startswith("_")}
    found: list[tuple[int, dict]] = []
    for i in range(min(components, len(s))):
        v = vh[i].float()
        sig = float(var[i].sqrt())
        plus = read(to_uint8(G.synthesis(w0 + step * sig * v)))
        minus = read(to_uint8(G.synthesis(w0 - step * sig * v)))
        eff = {k: float(np.mean(plus[k] - minus[k])) for k in spread}
        score = {k: abs(eff[k]) / spread[k] for k in spread}
        if clf is not None:
            for k, key in (("product type", "_category"), ("colour", "_colour")):
                flip = float(np.mean(plus[key] != minus[key]))
                eff[k] = flip
                score[k] = flip / FLIP_SCALE
            a, b = minus["_category"], plus["_category"]
            pairs, counts = np.unique(np.stack([a, b], 1)[a != b], axis=0, return_counts=True) \
                if (a != b).any() else (np.zeros((0, 2), int), np.zeros(0, int))
            cats = getattr(clf, "vocabulary", vocab.get()).keys("category")
            eff["_typical_change"] = (f"{cats[pairs[counts.argmax()][0]]} → "
                                      f"{cats[pairs[counts.argmax()][1]]}") if len(counts) else ""
        found.append((i, {"effect": eff, "score": score, "sigma": sig, "vector": v}))
        log(f"  PC{i} {share[i]:.1%}: " + ", ".join(f"{k} {score[k]:.2f}" for k in sorted(score, key=lambda k: -score[k])[:3]))
    # Keep the components with a clear effect (score ≥ 0.5), most variance first; at least min_keep.
    strong = [f for f in found if max(f[1]["score"].values()) >= 0.5]
    chosen = strong[:keep]
    for f in found:
        if len(chosen) >= min_keep:
            break
        if f not in chosen:
            chosen.append(f)
    chosen.sort(key=lambda f: f[0])
    used: dict[str, int] = {}
    out = []
    for i, f in chosen:
        ranked = sorted(f["score"], key=lambda k: -f["score"][k])
        visual = [k for k in ranked if k not in ("product type", "colour")]
        # A slider is named after what it does to the look; a flip of the product reading is reported, and
        # only names the slider when nothing visual changes clearly.
        name = next((k for k in visual if k not in used and f["score"][k] >= 0.5),
                    visual[0] if f["score"][visual[0]] >= 0.3 else ranked[0])
        used[name] = used.get(name, 0) + 1
        vec = f["vector"]
        eff = f["effect"]
        if name in ("brightness", "colour strength", "colour warmth", "zoom", "men / women") and eff[name] < 0:
            vec = -vec  # positive slider = more of the named measure
            eff = {k: (-x if isinstance(x, float) and k not in ("product type", "colour") else x) for k, x in eff.items()}
        zh, what = NAMES[name]
        display = name if used[name] == 1 else f"{name} {used[name]}"
        zh_display = zh if used[name] == 1 else f"{zh} {used[name]}"
        parts = [f"{k} {eff[k]:+.3f}" for k in visual[:3]]
        parts += [f"{k} reading flips {eff[k]:.0%}" for k in ("product type", "colour") if k in eff]
        desc = (f"PC{i} ({share[i]:.1%} of w variance): {what}. Measured over ±{step:g} sigma on {probe} pictures: "
                + "; ".join(parts))
        if eff.get("_typical_change"):
            desc += f" (typical type change {eff['_typical_change']})"
        out.append(Found(display, zh_display, vec / vec.norm(), f["sigma"], desc, share[i],
                         {k: v for k, v in eff.items()}))
    return out


def write_directions(folder: Path, found: list[Found]) -> Path:
    """Rewrite the whole model folder with directions.safetensors + config['directions'] (hashes stay valid)."""
    folder = Path(folder)
    config = read_config(folder)
    tensors = {}
    for name in config["files"]:
        stem = name[: -len(".safetensors")]
        if stem != "directions":
            tensors[stem] = load_tensors(folder, stem, config)
    tensors["directions"] = {d.name: d.vector.float().contiguous() for d in found}
    config = {k: v for k, v in config.items() if k not in ("files", "format_version")}
    config["directions"] = [{"name": d.name, "label_zh": d.label_zh, "sigma": round(d.sigma, 6),
                             "description": d.description, **({"layers": list(d.layers)} if d.layers else {})}
                            for d in found]
    card_path = folder / CARD
    card = card_path.read_text(encoding="utf-8") if card_path.exists() else ""
    extra = {p.name: p.read_bytes() for p in folder.iterdir()
             if p.is_file() and p.name not in (CONFIG, CARD) and not p.name.endswith(".safetensors")}
    mode = folder.stat().st_mode & 0o777
    out = write_model_dir(folder, config, tensors, card=card, extra_files=extra)
    # write_model_dir stages in mkdtemp (0700, files 0600); keep the shipped folder's permissions.
    out.chmod(mode | 0o700)
    for p in out.iterdir():
        p.chmod((mode | 0o700) & 0o666 | 0o600)
    return out


# ---- supervised (InterFaceGAN-style) directions ------------------------------------------------------------
# Each slider is fitted, not discovered: sample many (z, c), measure one property of every picture, regress it
# (ridge) on w minus the mean w of its own description, and take the coefficient vector. The slider then moves
# the measured property while the description (and so the product) stays put. Priority order for Gram–Schmidt.
SUPERVISED = {
    # key: (name, 中文, what a positive move does)
    "brightness": ("brightness", "亮度", "brighter product (mean luminance of the product pixels)"),
    "size": ("size", "大小", "zoom: larger product in the frame (share of non-white pixels)"),
    "warmth": ("colour warmth", "色温", "warmer colours (red − blue of the product pixels)"),
    "saturation": ("colour strength", "饱和度", "stronger colours (saturation of the product pixels)"),
    "position": ("position", "位置", "product moves to the right (horizontal centre of the product)"),
    "contrast": ("contrast", "对比度", "more light–dark contrast inside the product (std of its luminance)"),
    "detail": ("detail", "细节", "more texture and print detail (luminance change between neighbouring product pixels)"),
}
PROBE_VALUES = (-2.0, -1.0, 0.0, 1.0, 2.0)
# Which synthesis layers a slider moves (layer order: see networks.Generator.synthesis). Moving the whole w also
# changes the product (measured on vitrine-base: product-type reading flips 30–50 % at ±2), so style sliders move
# only the late (fine) layers and shape sliders only the early/middle ones. The split is measured per model:
# each candidate range is tried and the one with the best effect / flip trade-off is kept.
STYLE_KEYS = ("brightness", "warmth", "saturation", "contrast", "detail")


def layer_candidates(key: str, num_layers: int) -> list[tuple[int, int]]:
    """Candidate (first, last + 1) layer ranges for a slider: late layers for style, early/middle for shape."""
    L = num_layers
    if key in STYLE_KEYS:
        return [(a, L) for a in range(max(1, L // 2 - 1), L)]  # 6 layers: 2.., 3.., 4.., 5..
    return [(0, b) for b in range(max(1, L // 2 - 1), L - 1)]  # 6 layers: ..2, ..3, ..4


def _layer_text(layers: tuple[int, int] | None, num_layers: int) -> str:
    return "all" if layers is None else f"{layers[0]}–{layers[1] - 1} of 0–{num_layers - 1}"


def move(w: torch.Tensor, vector: torch.Tensor, amount: float, layers: tuple[int, int] | None,
         num_layers: int) -> torch.Tensor:
    """w (N, w_dim) moved by amount·vector on `layers` only (then per-layer (N, L, w_dim)), else everywhere."""
    if layers is None:
        return w + amount * vector
    ws = w[:, None, :].repeat(1, num_layers, 1)
    ws[:, layers[0]:layers[1]] += amount * vector
    return ws


def product_measures(images: np.ndarray) -> dict[str, np.ndarray]:
    """Per-picture scalars measured on the product pixels (not near-white) of (N, R, R, 3) uint8 pictures."""
    x = images.astype(np.float32) / 255.0
    mx, mn = x.max(-1), x.min(-1)
    fg = (mn < 0.92).astype(np.float32)
    n = np.maximum(fg.sum((1, 2)), 1.0)
    lum = 0.299 * x[..., 0] + 0.587 * x[..., 1] + 0.114 * x[..., 2]
    sat = np.where(mx > 0, (mx - mn) / np.maximum(mx, 1e-6), 0)
    cols = (np.arange(x.shape[2], dtype=np.float32) + 0.5) / x.shape[2] - 0.5
    rows = (np.arange(x.shape[1], dtype=np.float32) + 0.5) / x.shape[1] - 0.5
    mean_lum = (lum * fg).sum((1, 2)) / n
    # texture: luminance change to the right and below neighbours, where both pixels are product
    dx = np.abs(np.diff(lum, axis=2)) * fg[:, :, 1:] * fg[:, :, :-1]
    dy = np.abs(np.diff(lum, axis=1)) * fg[:, 1:, :] * fg[:, :-1, :]
    return {
        "brightness": mean_lum,
        "size": fg.mean((1, 2)),
        "warmth": ((x[..., 0] - x[..., 2]) * fg).sum((1, 2)) / n,
        "saturation": (sat * fg).sum((1, 2)) / n,
        "position": (fg * cols[None, None, :]).sum((1, 2)) / n,
        "height_position": (fg * rows[None, :, None]).sum((1, 2)) / n,
        "width": (fg.sum(1) >= 2).mean(1),  # share of columns the product spans
        "height": (fg.sum(2) >= 2).mean(1),  # share of rows the product spans
        "contrast": np.sqrt(np.maximum((lum ** 2 * fg).sum((1, 2)) / n - mean_lum ** 2, 0)),
        "detail": (dx.sum((1, 2)) + dy.sum((1, 2))) / n,
    }


def _synth(G, w: torch.Tensor, batch: int = 256) -> np.ndarray:
    return np.concatenate([to_uint8(G.synthesis(w[i: i + batch])) for i in range(0, len(w), batch)])


def _ridge(x: np.ndarray, y: np.ndarray, alpha: float) -> np.ndarray:
    """Ridge coefficients of centred y on centred x; alpha is relative to the mean eigenvalue of xᵀx."""
    xtx = x.T @ x
    lam = alpha * np.trace(xtx) / x.shape[1]
    return np.linalg.solve(xtx + lam * np.eye(x.shape[1]), x.T @ y)


def _spearman(a: np.ndarray, b: np.ndarray) -> float:
    def rank(x):  # average ranks, so ties (a flat measure) give no correlation
        _, inv, counts = np.unique(x, return_inverse=True, return_counts=True)
        return (np.cumsum(counts) - (counts - 1) / 2.0)[inv]
    ra, rb = rank(np.asarray(a, float)), rank(np.asarray(b, float))
    ra, rb = ra - ra.mean(), rb - rb.mean()
    d = np.sqrt((ra ** 2).sum() * (rb ** 2).sum())
    return float((ra * rb).sum() / d) if d > 0 else 0.0


@torch.no_grad()
def probe_direction(G, clf, w0: torch.Tensor, vector: torch.Tensor, sigma: float, key: str,
                    values=PROBE_VALUES, layers: tuple[int, int] | None = None) -> dict:
    """Move probe latents w0 by value·sigma·vector (on `layers`); the measured change of `key` and type flips."""
    vals = list(values)
    L = style_layers(G) or 1
    pics = [_synth(G, move(w0, vector, v * sigma, layers, L)) for v in vals]
    per = [product_measures(p) for p in pics]
    m = np.stack([p[key] for p in per], 1)  # (probe, values)
    rho = [_spearman(np.array(vals), row) for row in m]
    lo, hi = m[:, 0], m[:, -1]
    slope = np.polyfit(np.array(vals), m.mean(0), 1)[0]
    out = {"values": vals, "mean": [float(v) for v in m.mean(0)], "per_unit": float(slope),
           "spearman": float(np.mean(rho)), "sign_consistency": float(np.mean(hi > lo)),
           "other": {k: float(np.polyfit(np.array(vals), np.stack([p[k] for p in per], 1).mean(0), 1)[0])
                     for k in per[0] if k != key}}
    if clf is not None:
        i0 = vals.index(0.0) if 0.0 in vals else len(vals) // 2
        cats = []
        for pic in pics:
            _, p = clf.run(pic)
            cats.append(p["category"].argmax(1))
        ends = [j for j, v in enumerate(vals) if abs(v) == max(abs(x) for x in vals)]
        out["type_flip"] = float(np.mean([np.mean(cats[j] != cats[i0]) for j in ends]))
    return out


@torch.no_grad()
def find_supervised_directions(G: torch.nn.Module, clf=None, n_conditions: int = 250, per_condition: int = 8,
                               probe: int = 24, alpha: float = 5.0, seed: int = 0, keys=tuple(SUPERVISED),
                               target: float = 0.5, max_scale: float = 8.0, min_spearman: float = 0.7,
                               max_flip: float = 0.2, per_layer: bool = True, protect_types: int = 8,
                               log=print) -> tuple[list[Found], dict]:
    """Fitted sliders (see SUPERVISED); returns the ones that pass the probe, and the full report.

    Sampling: n_conditions random catalogue descriptions × per_condition latents. Fit: ridge of each measure
    (centred within its description) on w − mean w of its description. Directions are Gram–Schmidt
    orthogonalised in the order of `keys`. sigma: start from the within-description std of w along the
    direction, then scale (at most max_scale×) so that a slider value of 1 moves the measure by `target`
    within-description standard deviations of it (so ±3, the UI range, is a strong change). A direction is
    kept when, on `probe` held-out pictures at −2..+2, the measure rises monotonically (mean Spearman ≥
    min_spearman) and the classifier's product-type reading flips for at most max_flip of them at ±2.
    With per_layer (default), each slider moves only some synthesis layers (see layer_candidates): every
    candidate range is calibrated and probed, and the best (passing, reaching the target, fewest flips) is kept.
    With a classifier, shape sliders are made orthogonal to the protect_types directions that move the
    classifier's product-type reading most (0 = off).
    """
    L = style_layers(G) or 1
    n = n_conditions * per_condition
    w, centred = sample_by_description(G, n_conditions, per_condition, seed)
    pictures = _synth(G, w)
    meas = product_measures(pictures)
    x = centred.numpy()
    held = np.arange(n_conditions) % 5 == 4  # every fifth description is held out for R²
    rows_fit = np.repeat(~held, per_condition)
    # Shape sliders must not change the product: fit the directions along which the classifier's product-type
    # reading moves (within a description) and project them out of shape sliders (InterFaceGAN's
    # conditional manipulation).
    protect = None
    if clf is not None and protect_types > 0:
        _, probs = clf.run(pictures)
        pc = probs["category"].astype(np.float64).reshape(n_conditions, per_condition, -1)
        pc = (pc - pc.mean(1, keepdims=True)).reshape(n, -1)
        top = np.argsort(-pc.var(0))[:protect_types]
        betas = np.stack([_ridge(x[rows_fit], pc[rows_fit, k], alpha) for k in top], 1)
        protect = np.linalg.qr(betas)[0]  # (w_dim, k) orthonormal
    w0 = probe_latents(G, probe, seed)
    basis: list[np.ndarray] = []
    found, report = [], {"samples": n, "conditions": n_conditions, "per_condition": per_condition, "alpha": alpha,
                         "num_layers": L, "per_layer": per_layer, "directions": [],
                         "protected_type_directions": 0 if protect is None else int(protect.shape[1])}
    for key in keys:
        y = meas[key].astype(np.float64).reshape(n_conditions, per_condition)
        y = (y - y.mean(1, keepdims=True)).reshape(n)
        y_sd = float(y.std())
        name, zh, what = SUPERVISED[key]
        if not y_sd > 1e-6:
            report["directions"].append({"key": key, "name": name, "label_zh": zh, "passed": False,
                                         "why": "the measure does not vary between pictures"})
            log(f"  {name}: the measure does not vary between pictures → dropped")
            continue
        beta = _ridge(x[rows_fit], y[rows_fit] / y_sd, alpha)
        pred = x[~rows_fit] @ beta
        r2 = 1 - np.mean((y[~rows_fit] / y_sd - pred) ** 2) / np.var(y[~rows_fit] / y_sd)
        v = beta / np.linalg.norm(beta)
        if protect is not None and key not in STYLE_KEYS:
            v = v - protect @ (protect.T @ v)
            v = v / max(np.linalg.norm(v), 1e-12)
        for b in basis:
            v = v - (v @ b) * b
        cos_kept = float(np.linalg.norm(v))
        if not cos_kept > 1e-6:
            report["directions"].append({"key": key, "name": name, "label_zh": zh, "passed": False,
                                         "why": "no direction left after orthogonalisation"})
            continue
        v = v / np.linalg.norm(v)
        basis.append(v)
        vec = torch.from_numpy(v).float()
        sigma0 = float((x @ v).std())
        tried = []
        for layers in (layer_candidates(key, L) if per_layer and L > 1 else [None]):
            # calibrate: measured change per sigma0 unit on the probe pictures
            cal = probe_direction(G, None, w0, vec, sigma0, key, values=(-1.0, 0.0, 1.0), layers=layers)
            per_sigma0 = cal["per_unit"] / y_sd  # in within-description stds per sigma0
            scale = float(np.clip(target / per_sigma0, 0.5, max_scale)) if per_sigma0 > 0 else max_scale
            res = probe_direction(G, clf, w0, vec, sigma0 * scale, key, layers=layers)
            ok = res["spearman"] >= min_spearman and res.get("type_flip", 0.0) <= max_flip and res["per_unit"] > 0
            tried.append((layers, scale, res, ok))
            log(f"    {name} on layers {_layer_text(layers, L)}: scale {scale:.2f}, "
                f"{res['per_unit'] / y_sd:+.2f} std per unit, Spearman {res['spearman']:.2f}"
                + (f", type flips {res['type_flip']:.0%}" if "type_flip" in res else ""))

        def rank(t):  # passing first; then effect (up to the target) against flips (half weight at max_flip)
            _, _, r, passed = t
            effect = min(max(r["per_unit"] / y_sd, 0.0), target) / target
            return (passed, effect - 0.5 * r.get("type_flip", 0.0) / max(max_flip, 1e-6))

        layers, scale, res, ok = max(tried, key=rank)
        sigma = sigma0 * scale
        row = {"key": key, "name": name, "label_zh": zh, "passed": bool(ok), "r2_heldout": float(r2),
               "kept_after_orthogonalisation": cos_kept, "layers": list(layers) if layers else None,
               "sigma_within_std": sigma0, "sigma": sigma,
               "scale": scale, "measure_within_std": y_sd, "per_unit": res["per_unit"],
               "per_unit_in_std": res["per_unit"] / y_sd, "spearman": res["spearman"],
               "sign_consistency": res["sign_consistency"], "type_flip_at_2": res.get("type_flip"),
               "mean_at_values": dict(zip([str(v) for v in res["values"]], res["mean"])),
               "side_effects_per_unit": res["other"],
               "layer_trials": [{"layers": list(t[0]) if t[0] else None, "scale": t[1],
                                 "per_unit_in_std": t[2]["per_unit"] / y_sd, "spearman": t[2]["spearman"],
                                 "type_flip_at_2": t[2].get("type_flip"), "passed": bool(t[3])} for t in tried]}
        report["directions"].append(row)
        flip = f"; product-type reading flips {res['type_flip']:.0%} at ±2 (classifier noise included)" \
            if "type_flip" in res else ""
        log(f"  {name}: R² {r2:.2f}, layers {_layer_text(layers, L)}, per unit {res['per_unit']:+.4f} "
            f"({res['per_unit'] / y_sd:+.2f} std), Spearman {res['spearman']:.2f}, sign {res['sign_consistency']:.0%}"
            f"{flip} → {'kept' if ok else 'dropped'}")
        if ok:
            desc = (f"Fitted (ridge on w − mean w of the description, {n} pictures, held-out R² {r2:.2f}): {what}; "
                    f"moves synthesis layers {_layer_text(layers, L)}. "
                    f"Measured on {probe} pictures: {res['per_unit']:+.3f} per slider unit "
                    f"({res['per_unit'] / y_sd:.2f} within-description std), "
                    f"Spearman {res['spearman']:.2f}, rises for {res['sign_consistency']:.0%} of pictures{flip}")
            found.append(Found(name, zh, vec, sigma, desc, 0.0, {"per_unit": res["per_unit"],
                                                                 "per_unit_in_std": res["per_unit"] / y_sd,
                                                                 "spearman": res["spearman"],
                                                                 "type_flip": res.get("type_flip")},
                               tuple(layers) if layers else None))
    return found, report


@torch.no_grad()
def slider_sheet(G: torch.nn.Module, found: list[Found], path: Path, pictures: int = 3, seed: int = 7,
                 values=(-3, -2, -1, 0, 1, 2, 3)) -> Path:
    """Visual check: for each direction `pictures` rows (random descriptions), columns = slider values."""
    from PIL import Image

    z = torch.randn(pictures, G.cfg.z_dim, generator=torch.Generator().manual_seed(seed))
    c = torch.from_numpy(random_conditions(pictures, np.random.default_rng(seed), drop=0.0, G=G))
    w0 = G.mapping(z, c)
    rows = []
    for d in found:
        L = style_layers(G) or 1
        cols = [_synth(G, move(w0, d.vector, v * d.sigma, d.layers, L)) for v in values]  # (pictures, R, R, 3)
        for p in range(pictures):
            rows.append(np.concatenate([col[p] for col in cols], axis=1))
        rows.append(np.full((4, rows[-1].shape[1], 3), 128, np.uint8))  # grey line between directions
    sheet = np.concatenate(rows[:-1], axis=0) if rows else np.zeros((8, 8, 3), np.uint8)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(sheet).resize((sheet.shape[1] * 2, sheet.shape[0] * 2), Image.Resampling.NEAREST).save(path)
    return Path(path)
