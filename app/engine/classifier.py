"""A small attribute classifier (category, colour, gender; masterCategory derived) for measuring models.

Trained on real train photos only; used by `python -m app evaluate` to read generated pictures (conditional
accuracy), as a feature space for "classifier-FID" and diversity, and by `python -m app directions` to name
latent directions. Saved as a model folder with the weight stem "classifier" (no generator, so the model
registry never lists it as a picture model).
"""

from __future__ import annotations

import json
import math
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from app.engine import vocab
from app.engine.checkpoints import ModelError, load_state, load_tensors, write_model_dir

ARCH = "vitrine-attr-cnn-v1"
HEADS = tuple(vocab.ATTRIBUTES)  # ("category", "colour", "gender"), the label column order of PhotoSet
DIR_NAME = "attribute-classifier"  # its folder among the bundled models
DEFAULT_DIR = Path(__file__).resolve().parents[2] / "models" / DIR_NAME

# masterCategory of each vocabulary category (from the catalogue); derived from the category head.
# Categories not listed are Accessories.
MASTER = {
    "Apparel": ("Tshirts", "Shirts", "Kurtas", "Tops", "Briefs", "Socks", "Jeans", "Shorts", "Trousers", "Bra",
                "Dresses", "Sarees", "Sweatshirts", "Sweaters", "Jackets", "Innerwear Vests", "Tunics", "Nightdress",
                "Leggings", "Skirts", "Track Pants", "Kurtis", "Capris", "Night suits", "Trunk", "Dupatta",
                "Kurta Sets", "Lounge Pants"),
    "Footwear": ("Casual Shoes", "Sports Shoes", "Heels", "Flip Flops", "Sandals", "Formal Shoes", "Flats",
                 "Sports Sandals"),
    "Personal Care": ("Perfume and Body Mist", "Nail Polish", "Deodorant", "Lipstick", "Lip Gloss", "Kajal and Eyeliner",
                      "Foundation and Primer", "Fragrance Gift Set"),
}
MASTER_NAMES = ("Apparel", "Accessories", "Footwear", "Personal Care")


def master_index(category_index: np.ndarray, vocabulary: vocab.Vocabulary | None = None) -> np.ndarray:
    """Category indices of `vocabulary` (default: the current one) → masterCategory indices (into MASTER_NAMES);
    -1 stays -1."""
    voc = vocabulary or vocab.get()
    master_of = {c: MASTER_NAMES.index(m) for m, cats in MASTER.items() for c in cats}
    table = np.asarray([master_of.get(k, MASTER_NAMES.index("Accessories")) for k in voc.keys("category")], np.int64)
    category_index = np.asarray(category_index)
    return np.where(category_index >= 0, table[np.clip(category_index, 0, None)], -1)


class AttributeNet(nn.Module):
    """64 px RGB → pooled features (feat_dim) → one linear head per attribute."""

    def __init__(self, width: int = 24, feat_dim: int = 192, vocabulary: vocab.Vocabulary | None = None):
        super().__init__()
        w = width
        voc = vocabulary or vocab.get()
        def block(a, b, stride):  # noqa: E306
            return nn.Sequential(nn.Conv2d(a, b, 3, stride=stride, padding=1, bias=False), nn.BatchNorm2d(b),
                                 nn.ReLU(inplace=True))
        # 64 → 32 → 16 → 8 → 4 px; kept cheap so it trains in minutes on two CPU cores.
        self.body = nn.Sequential(block(3, w, 2), block(w, 2 * w, 2), block(2 * w, 2 * w, 1), block(2 * w, 4 * w, 2),
                                  block(4 * w, 4 * w, 1), block(4 * w, 8 * w, 2))
        self.proj = nn.Sequential(nn.Flatten(), nn.Linear(8 * w * 16, feat_dim), nn.ReLU(inplace=True))
        self.drop = nn.Dropout(0.3)
        self.heads = nn.ModuleDict({a: nn.Linear(feat_dim, len(v)) for a, v in voc.attributes.items()})

    def features(self, x: torch.Tensor) -> torch.Tensor:
        """x: (N, 3, 64, 64) in [-1, 1] → (N, feat_dim) penultimate features."""
        return self.proj(self.body(x))

    def forward(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        h = self.drop(self.features(x))
        return {a: head(h) for a, head in self.heads.items()}


def _to_input(images: np.ndarray | torch.Tensor) -> torch.Tensor:
    """(N, R, R, 3) uint8 → (N, 3, 64, 64) float in [-1, 1]."""
    x = torch.as_tensor(np.ascontiguousarray(images)).permute(0, 3, 1, 2).float() / 127.5 - 1
    if x.shape[-1] != 64:
        x = F.interpolate(x, size=(64, 64), mode="bilinear", antialias=True, align_corners=False)
    return x


def unit_rows(f: np.ndarray) -> np.ndarray:
    """(N, D) features → float64 rows of length 1."""
    f = np.asarray(f, np.float64)
    return f / (np.linalg.norm(f, axis=1, keepdims=True) + 1e-8)


class AttributeClassifier:
    """A trained AttributeNet in eval mode with convenience methods on uint8 pictures."""

    def __init__(self, net: AttributeNet, config: dict | None = None):
        self.net = net.eval().requires_grad_(False)
        self.config = config or {}
        # The classifier reads pictures in its own vocabulary (config `vocab_version`, absent = 1).
        self.vocabulary = vocab.get(vocab.version_of(self.config)) if self.config else vocab.get()

    @torch.no_grad()
    def run(self, images: np.ndarray, batch: int = 256) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """(features (N, D), {attribute: probabilities (N, K)}) for (N, R, R, 3) uint8 pictures."""
        feats, probs = [], {a: [] for a in HEADS}
        for i in range(0, len(images), batch):
            x = _to_input(images[i: i + batch])
            h = self.net.features(x)
            feats.append(h.numpy())
            for a, head in self.net.heads.items():
                probs[a].append(F.softmax(head(h), dim=1).numpy())
        return np.concatenate(feats), {a: np.concatenate(v) for a, v in probs.items()}

    def unit_features(self, images: np.ndarray) -> np.ndarray:
        """Features of run(), each row scaled to length 1 (a cosine distance is then 1 − a dot product)."""
        return unit_rows(self.run(images)[0])

    def predict(self, images: np.ndarray, vocabulary: vocab.Vocabulary | None = None) -> np.ndarray:
        """(N, 3) predicted indices: category, colour, gender, in the classifier's own vocabulary, or projected
        onto `vocabulary` (a model's) by catalogue key: -1 where that vocabulary has no such value."""
        _, p = self.run(images)
        pred = np.stack([p[a].argmax(1) for a in HEADS], axis=1)
        return pred if vocabulary is None else relabel(pred, self.vocabulary, vocabulary)

    def save(self, folder: Path, card: str = "") -> Path:
        return write_model_dir(folder, self.config, {"classifier": self.net.state_dict()}, card=card)


def relabel(labels: np.ndarray, source: vocab.Vocabulary, target: vocab.Vocabulary) -> np.ndarray:
    """(N, 3) indices of `source` → indices of `target` by catalogue key (aliases apply); unknown → -1."""
    labels = np.asarray(labels)
    if source is target:
        return labels.copy()
    out = np.full(labels.shape, -1, np.int64)
    for j, a in enumerate(HEADS):
        table = np.asarray([-1 if (i := target.index_of(a, k)) is None else i for k in source.keys(a)] + [-1], np.int64)
        out[:, j] = table[np.where(labels[:, j] >= 0, labels[:, j], len(table) - 1)]
    return out


def accuracy(pred: np.ndarray, labels: np.ndarray, vocabulary: vocab.Vocabulary | None = None) -> dict[str, float]:
    """Per-attribute accuracy over rows whose label is known, plus masterCategory derived from category
    (indices of `vocabulary`, default the current one)."""
    out = {}
    for j, a in enumerate(HEADS):
        known = labels[:, j] >= 0
        out[a] = float((pred[known, j] == labels[known, j]).mean()) if known.any() else float("nan")
    known = labels[:, 0] >= 0
    out["masterCategory"] = float((master_index(pred[known, 0], vocabulary)
                                   == master_index(labels[known, 0], vocabulary)).mean()) \
        if known.any() else float("nan")
    return out


def load_classifier(folder: Path | str = DEFAULT_DIR) -> AttributeClassifier:
    """Load a classifier folder (hash-verified safetensors, never unpickled)."""
    folder = Path(folder)
    try:
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelError(f"No attribute classifier in {folder} (train one with bench/train_classifier.py).") from None
    if config.get("arch") != ARCH:
        raise ModelError(f"{folder.name} is not an attribute classifier ({config.get('arch')!r}).")
    try:
        voc = vocab.get(vocab.version_of(config))
    except ModelError as e:
        raise ModelError(f"The attribute classifier in {folder.name}: {e}") from None
    net = AttributeNet(**config.get("net", {}), vocabulary=voc)
    load_state(net, load_tensors(folder, "classifier", config), "classifier")
    return AttributeClassifier(net, config)


def one_cycle_lr(peak: float, progress: float, warmup: float = 0.15) -> float:
    """One-cycle learning rate at `progress` (0..1): linear warm-up from peak/25, then cosine down to peak/25e4."""
    start, end = peak / 25, peak / 25e4
    progress = min(max(progress, 0.0), 1.0)
    if progress < warmup:
        return start + (peak - start) * progress / warmup
    return end + (peak - end) * 0.5 * (1 + math.cos(math.pi * (progress - warmup) / (1 - warmup)))


def _spent(t0: float, budget_s: float | None) -> float:
    """Fraction of the time budget used (0 without a budget)."""
    return (time.perf_counter() - t0) / budget_s if budget_s else 0.0


def train_classifier(images: np.ndarray, labels: np.ndarray, epochs: int = 6, batch: int = 128, lr: float = 2e-3,
                     width: int = 24, feat_dim: int = 192, seed: int = 0, log=print,
                     time_budget_s: float | None = None, vocabulary: vocab.Vocabulary | None = None,
                     augment=None, model_id: str = "attribute-classifier") -> AttributeClassifier:
    """Train on (N, 64, 64, 3) uint8 photos with (N, 3) labels of `vocabulary` (default the current one;
    -1 = unknown, ignored by that head). `augment` (optional): (B, H, W, 3) uint8 numpy → the same, applied
    to each batch (the look-blind product judge's random looks). The learning rate follows one cycle over the planned steps or the
    time budget, whichever runs out first, so a budget-cut run still ends annealed."""
    voc = vocabulary or vocab.get()
    torch.manual_seed(seed)
    net = AttributeNet(width, feat_dim, voc)
    opt = torch.optim.AdamW(net.parameters(), lr=lr, weight_decay=1e-4)
    n = len(images)
    steps = epochs * ((n + batch - 1) // batch)
    x_all = torch.from_numpy(np.ascontiguousarray(images))
    y_all = torch.from_numpy(np.asarray(labels, np.int64))
    g = torch.Generator().manual_seed(seed)
    t0, step = time.perf_counter(), 0
    net.train()
    for epoch in range(epochs):
        perm = torch.randperm(n, generator=g)
        total, count = 0.0, 0
        for i in range(0, n, batch):
            idx = perm[i: i + batch]
            x = _to_input(x_all[idx] if augment is None else torch.from_numpy(augment(x_all[idx].numpy())))
            if torch.rand(1, generator=g).item() < 0.5:
                x = x.flip(3)  # mirror; colour is never augmented (it is a label)
            y = y_all[idx]
            out = net(x)
            loss = sum(F.cross_entropy(out[a], y[:, j], ignore_index=-1) for j, a in enumerate(HEADS)
                       if (y[:, j] >= 0).any())
            opt.zero_grad(set_to_none=True)
            loss.backward()
            for group in opt.param_groups:
                group["lr"] = one_cycle_lr(lr, max(step / max(1, steps), _spent(t0, time_budget_s)))
            opt.step()
            step += 1
            total += float(loss.detach()) * len(idx)
            count += len(idx)
            if time_budget_s and time.perf_counter() - t0 > time_budget_s:
                break
        log(f"epoch {epoch + 1}/{epochs} loss {total / max(1, count):.3f} ({time.perf_counter() - t0:.0f} s)")
        if time_budget_s and time.perf_counter() - t0 > time_budget_s:
            log("time budget reached")
            break
    config = {"id": model_id, "arch": ARCH, "net": {"width": width, "feat_dim": feat_dim},
              "vocab_version": voc.version, "heads": voc.as_config(), "master_categories": list(MASTER_NAMES),
              "training": {"photos": int(n), "epochs_planned": epochs, "steps": step, "batch": batch, "lr": lr,
                           "wall_s": round(time.perf_counter() - t0, 1), "seed": seed}}
    return AttributeClassifier(net, config)
