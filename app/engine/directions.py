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
    w, vh, var, share = _pca_of_w(G, n_w, per_condition, seed)
    w0 = w[torch.randperm(len(w), generator=torch.Generator().manual_seed(seed + 1))[:probe]].float()
    base = _read_pictures(to_uint8(G.synthesis(w0)), clf)
    spread = {k: float(np.std(v)) + 1e-6 for k, v in base.items() if not k.startswith("_")}
    found: list[tuple[int, dict]] = []
    for i in range(min(components, len(var))):
        f = _measure_component(G, clf, w0, vh[i].float(), float(var[i].sqrt()), step, spread)
        found.append((i, f))
        score = f["score"]
        log(f"  PC{i} {share[i]:.1%}: " + ", ".join(f"{k} {score[k]:.2f}" for k in sorted(score, key=lambda k: -score[k])[:3]))
    used: dict[str, int] = {}
    return [_named(i, f, used, share[i], step, probe) for i, f in _chosen(found, keep, min_keep)]


def _pca_of_w(G, n_w: int, per_condition: int, seed: int):
    """w over random z and conditions, and the principal components of w (within each condition when
    per_condition > 1): (w, components, variances, variance shares)."""
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
    return w, vh, var, (var / var.sum()).tolist()


def _read_pictures(images: np.ndarray, clf) -> dict[str, np.ndarray]:
    """picture_measures, plus with a classifier its men/women reading and its product type and colour."""
    m = picture_measures(images)
    if clf is not None:
        _, p = clf.run(images)
        genders = getattr(clf, "vocabulary", vocab.get()).keys("gender")  # the classifier's own heads
        m["men / women"] = p["gender"][:, genders.index("Women")] - p["gender"][:, genders.index("Men")]
        m["_category"] = p["category"].argmax(1)
        m["_colour"] = p["colour"].argmax(1)
    return m


def _measure_component(G, clf, w0: torch.Tensor, v: torch.Tensor, sig: float, step: float, spread: dict) -> dict:
    """The effects of moving w0 by ±step·sigma along v: per measure (÷ its spread = score), and flips."""
    plus = _read_pictures(to_uint8(G.synthesis(w0 + step * sig * v)), clf)
    minus = _read_pictures(to_uint8(G.synthesis(w0 - step * sig * v)), clf)
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
    return {"effect": eff, "score": score, "sigma": sig, "vector": v}


def _chosen(found: list[tuple[int, dict]], keep: int, min_keep: int) -> list[tuple[int, dict]]:
    """The components with a clear effect (score ≥ 0.5), most variance first; at least min_keep."""
    strong = [f for f in found if max(f[1]["score"].values()) >= 0.5]
    chosen = strong[:keep]
    for f in found:
        if len(chosen) >= min_keep:
            break
        if f not in chosen:
            chosen.append(f)
    chosen.sort(key=lambda f: f[0])
    return chosen


def _named(i: int, f: dict, used: dict[str, int], share: float, step: float, probe: int) -> Found:
    """Component i as a slider: named after what it does to the look, oriented so that positive means more."""
    ranked = sorted(f["score"], key=lambda k: -f["score"][k])
    visual = [k for k in ranked if k not in ("product type", "colour")]
    # A slider is named after what it does to the look; a flip of the product reading is reported, and
    # only names the slider when nothing visual changes clearly.
    name = next((k for k in visual if k not in used and f["score"][k] >= 0.5),
                visual[0] if f["score"][visual[0]] >= 0.3 else ranked[0])
    used[name] = used.get(name, 0) + 1
    vec, eff = f["vector"], f["effect"]
    if name in ("brightness", "colour strength", "colour warmth", "zoom", "men / women") and eff[name] < 0:
        vec = -vec  # positive slider = more of the named measure
        eff = {k: (-x if isinstance(x, float) and k not in ("product type", "colour") else x) for k, x in eff.items()}
    zh, what = NAMES[name]
    display = name if used[name] == 1 else f"{name} {used[name]}"
    zh_display = zh if used[name] == 1 else f"{zh} {used[name]}"
    parts = [f"{k} {eff[k]:+.3f}" for k in visual[:3]]
    parts += [f"{k} reading flips {eff[k]:.0%}" for k in ("product type", "colour") if k in eff]
    desc = (f"PC{i} ({share:.1%} of w variance): {what}. Measured over ±{step:g} sigma on {probe} pictures: "
            + "; ".join(parts))
    if eff.get("_typical_change"):
        desc += f" (typical type change {eff['_typical_change']})"
    return Found(display, zh_display, vec / vec.norm(), f["sigma"], desc, share, {k: v for k, v in eff.items()})


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


# ---- fitted sliders: directions_fit.py (re-exported here for callers) -------------------------------------
_FIT = ("find_supervised_directions", "probe_direction", "_spearman")


def __getattr__(name: str):
    if name in _FIT:
        from app.engine import directions_fit

        return getattr(directions_fit, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
