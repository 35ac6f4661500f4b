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


def random_conditions(n: int, rng: np.random.Generator, drop: float = 0.15) -> np.ndarray:
    labels = np.stack([rng.integers(0, len(v), n) for v in vocab.ATTRIBUTES.values()], axis=1)
    return condition_from_labels(labels, rng.random((n, 3)) < drop)


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
    c = torch.from_numpy(np.repeat(random_conditions(n_c, rng), per, axis=0))
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
            m["men / women"] = p["gender"][:, vocab.keys("gender").index("Women")] - \
                p["gender"][:, vocab.keys("gender").index("Men")]
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
            eff["_typical_change"] = (f"{vocab.keys('category')[pairs[counts.argmax()][0]]} → "
                                      f"{vocab.keys('category')[pairs[counts.argmax()][1]]}") if len(counts) else ""
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
                             "description": d.description} for d in found]
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
