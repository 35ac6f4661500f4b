"""The result of a fine-tuning run: how close its pictures are to the shop's photos (feature distances, KID) and
the shop model folder it writes (weights, config, model card)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from app.engine.checkpoints import ModelError, write_model_dir
from app.engine.imaging import from_uint8


# ---- distances in the base discriminator's feature space (fallback "FID" for few-shot) -----------
@torch.no_grad()
def features(D: torch.nn.Module, images: np.ndarray, batch: int = 64) -> np.ndarray:
    """(N, R, R, 3) uint8 → (N, C) L2-normalised pooled discriminator features."""
    was = D.training
    D.eval()
    out = []
    for i in range(0, len(images), batch):
        x = from_uint8(images[i: i + batch], next(D.parameters()).device)
        out.append(torch.nn.functional.normalize(D.features(x).float(), dim=1).cpu())
    D.train(was)
    return torch.cat(out).numpy()


def mean_feature_distance(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.linalg.norm(a.mean(axis=0) - b.mean(axis=0)))


def kid(a: np.ndarray, b: np.ndarray) -> float:
    """Kernel inception distance (unbiased MMD², cubic polynomial kernel) between two feature sets."""
    d = a.shape[1]
    k = lambda x, y: (x @ y.T / d + 1) ** 3  # noqa: E731
    m, n = len(a), len(b)
    kxx, kyy, kxy = k(a, a), k(b, b), k(a, b)
    return float((kxx.sum() - np.trace(kxx)) / (m * (m - 1)) + (kyy.sum() - np.trace(kyy)) / (n * (n - 1))
                 - 2 * kxy.mean())


def publish_shop_model(tuner) -> Path:
    """Write a Finetuner's shop model (its best EMA generator) atomically into the user's models."""
    if tuner.best is not None and tuner.best["step"] == 0:  # never beat the base: a copy would only mislead
        from app.engine.messages import say

        raise ModelError(say("unchanged", steps=tuner.step, base=tuner.base_info.id))
    state = tuner.best["state"] if tuner.best else {k: v.detach().cpu() for k, v in tuner.G_ema.state_dict().items()}
    best_step = tuner.best["step"] if tuner.best else tuner.step
    cfg = tuner.base_config
    training = {"recipe": "vitrine-fewshot (FreezeD + DiffAugment + EMA)", "base_model": tuner.base_info.id,
                "base_hash": tuner.base_info.model_hash, "preset": tuner.freq.preset, "steps": tuner.step,
                "best_step": best_step, "batch": tuner.freq.batch, "wall_s": round(tuner.wall, 1),
                "device": tuner.choice.name, "photos": len(tuner.shop_photos), "recoveries": tuner.recoveries,
                "lr_g": tuner.freq.lr_g, "lr_d": tuner.freq.lr_d, "freeze_d": tuner.freq.freeze_d,
                "augment": tuner.freq.augment, "ema_beta": tuner.freq.ema_beta,
                "keep_catalogue": tuner.freq.keep_catalogue, "judge": tuner.judge_name,
                "diversity": tuner.freq.diversity,
                "distance_start": tuner.start_distance,
                "distance_best": tuner.best["distance"] if tuner.best else None,
                "photo_sha256": [p.sha256 for p in tuner.shop_photos],
                "descriptions": sorted(set(tuner.descriptions)), "outcome": tuner.outcome,
                "base_training": cfg.get("training", {})}
    config = {k: v for k, v in cfg.items() if k not in ("files", "format_version", "training")}
    config.update({"id": tuner.model_id, "name": tuner.freq.name, "training": training,
                   "vocab_version": tuner.vocabulary.version,
                   "gan": {**cfg.get("gan", {}), "look_grade": tuner.cfg.look_grade,
                           "look_zoom": tuner.cfg.look_zoom}})
    tensors = {"generator": state, "discriminator": tuner.D.state_dict()}
    if tuner.base_directions is not None:
        tensors["directions"] = tuner.base_directions
    else:
        config.pop("directions", None)
    dest = tuner.paths.user_models / tuner.model_id
    return write_model_dir(dest, config, tensors, card=model_card(tuner.freq.name, training))


def model_card(name: str, t: dict) -> str:
    lines = [f"# {name}", "",
             f"A shop model fine-tuned from **{t['base_model']}** (weights {t['base_hash']}) on "
             f"{t['photos']} of the shop's own photos.", "",
             "## Training", "",
             f"- recipe: {t['recipe']}; preset {t['preset']}; batch {t['batch']}; lr G {t['lr_g']}, D {t['lr_d']};"
             f" frozen discriminator blocks {t['freeze_d']}; augmentation {t['augment']}; EMA β {t['ema_beta']};"
             f" keep-the-catalogue weight {t.get('keep_catalogue', 0)}; mode-seeking weight {t.get('diversity', 0)}",
             f"- steps: {t['steps']} (kept the EMA generator of step {t['best_step']}); time {t['wall_s']} s on {t['device']}",
             f"- outcome: {t['outcome']}; NaN/collapse recoveries: {t['recoveries']}", "",
             "## Metrics", "",
             f"Mean-feature distance of generated pictures to the shop photos ({t.get('judge', 'base discriminator features')};"
             " lower is closer):", "",
             f"- base model: {t['distance_start']}", f"- this model: {t['distance_best']}", "",
             "## Descriptions", ""] + [f"- {d}" for d in t["descriptions"]] + [
             "", "## Photos (sha256)", ""] + [f"- {h}" for h in t["photo_sha256"]]
    return "\n".join(lines) + "\n"
