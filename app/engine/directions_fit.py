"""Fitted sliders (directions.SUPERVISED): a ridge fit of each picture measure on w, checked on held-out pictures.

See find_supervised_directions. directions.py re-exports what is here.
"""

from __future__ import annotations

import numpy as np
import torch

from app.engine.directions import (PROBE_VALUES, STYLE_KEYS, SUPERVISED, Found, _layer_text, _ridge, _synth,
                                   layer_candidates, move, probe_latents, product_measures, sample_by_description)
from app.engine.generators import style_layers


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
    x, meas, rows_fit, protect = _sample(G, clf, n_conditions, per_condition, seed, alpha, protect_types)
    w0 = probe_latents(G, probe, seed)
    basis: list[np.ndarray] = []
    found, report = [], {"samples": n, "conditions": n_conditions, "per_condition": per_condition, "alpha": alpha,
                         "num_layers": L, "per_layer": per_layer, "directions": [],
                         "protected_type_directions": 0 if protect is None else int(protect.shape[1])}
    check = dict(target=target, max_scale=max_scale, min_spearman=min_spearman, max_flip=max_flip)
    for key in keys:
        name, zh, what = SUPERVISED[key]
        fit = _fit(key, meas, x, rows_fit, alpha, protect, basis, n_conditions, per_condition)
        if isinstance(fit, str):
            report["directions"].append({"key": key, "name": name, "label_zh": zh, "passed": False, "why": fit})
            if fit.startswith("the measure"):
                log(f"  {name}: {fit} → dropped")
            continue
        v, y_sd, r2, cos_kept = fit
        basis.append(v)
        vec, sigma0 = torch.from_numpy(v).float(), float((x @ v).std())
        candidates = layer_candidates(key, L) if per_layer and L > 1 else [None]
        tried = [_try_layers(G, clf, w0, vec, sigma0, key, y_sd, layers, L, name, log, **check) for layers in candidates]
        layers, scale, res, ok = max(tried, key=lambda t: _rank(t, y_sd, target, max_flip))
        report["directions"].append(_row(key, name, zh, r2, cos_kept, sigma0, y_sd, tried, (layers, scale, res, ok)))
        flip = f"; product-type reading flips {res['type_flip']:.0%} at ±2 (classifier noise included)" \
            if "type_flip" in res else ""
        log(f"  {name}: R² {r2:.2f}, layers {_layer_text(layers, L)}, per unit {res['per_unit']:+.4f} "
            f"({res['per_unit'] / y_sd:+.2f} std), Spearman {res['spearman']:.2f}, sign {res['sign_consistency']:.0%}"
            f"{flip} → {'kept' if ok else 'dropped'}")
        if ok:
            found.append(_found(name, zh, what, vec, sigma0 * scale, layers, res, y_sd, r2, n, probe, L, flip))
    return found, report


def _sample(G, clf, n_conditions: int, per_condition: int, seed: int, alpha: float, protect_types: int):
    """(w − mean w of its description, the pictures' measures, the rows to fit on, the product-type directions
    to protect or None). Every fifth description is held out for R²."""
    n = n_conditions * per_condition
    w, centred = sample_by_description(G, n_conditions, per_condition, seed)
    pictures = _synth(G, w)
    meas = product_measures(pictures)
    x = centred.numpy()
    held = np.arange(n_conditions) % 5 == 4
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
    return x, meas, rows_fit, protect


def _fit(key: str, meas: dict, x: np.ndarray, rows_fit: np.ndarray, alpha: float, protect, basis: list,
         n_conditions: int, per_condition: int):
    """The unit direction of `key` (ridge on w, protected, orthogonal to the earlier ones), the measure's std,
    the held-out R² and how much of the direction the orthogonalisation kept; or why there is none."""
    n = n_conditions * per_condition
    y = meas[key].astype(np.float64).reshape(n_conditions, per_condition)
    y = (y - y.mean(1, keepdims=True)).reshape(n)
    y_sd = float(y.std())
    if not y_sd > 1e-6:
        return "the measure does not vary between pictures"
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
        return "no direction left after orthogonalisation"
    return v / np.linalg.norm(v), y_sd, r2, cos_kept


def _try_layers(G, clf, w0, vec, sigma0: float, key: str, y_sd: float, layers, L: int, name: str, log, *,
                target: float, max_scale: float, min_spearman: float, max_flip: float):
    """Calibrate the slider on `layers` (measured change per sigma0 unit), then probe it: (layers, scale, result,
    passed)."""
    cal = probe_direction(G, None, w0, vec, sigma0, key, values=(-1.0, 0.0, 1.0), layers=layers)
    per_sigma0 = cal["per_unit"] / y_sd  # in within-description stds per sigma0
    scale = float(np.clip(target / per_sigma0, 0.5, max_scale)) if per_sigma0 > 0 else max_scale
    res = probe_direction(G, clf, w0, vec, sigma0 * scale, key, layers=layers)
    ok = res["spearman"] >= min_spearman and res.get("type_flip", 0.0) <= max_flip and res["per_unit"] > 0
    log(f"    {name} on layers {_layer_text(layers, L)}: scale {scale:.2f}, "
        f"{res['per_unit'] / y_sd:+.2f} std per unit, Spearman {res['spearman']:.2f}"
        + (f", type flips {res['type_flip']:.0%}" if "type_flip" in res else ""))
    return layers, scale, res, ok


def _rank(t, y_sd: float, target: float, max_flip: float):
    """Passing first; then effect (up to the target) against flips (half weight at max_flip)."""
    _, _, r, passed = t
    effect = min(max(r["per_unit"] / y_sd, 0.0), target) / target
    return (passed, effect - 0.5 * r.get("type_flip", 0.0) / max(max_flip, 1e-6))


def _row(key, name, zh, r2, cos_kept, sigma0, y_sd, tried, best) -> dict:
    """The report's row of one slider: the chosen layers and every layer range tried."""
    layers, scale, res, ok = best
    return {"key": key, "name": name, "label_zh": zh, "passed": bool(ok), "r2_heldout": float(r2),
            "kept_after_orthogonalisation": cos_kept, "layers": list(layers) if layers else None,
            "sigma_within_std": sigma0, "sigma": sigma0 * scale,
            "scale": scale, "measure_within_std": y_sd, "per_unit": res["per_unit"],
            "per_unit_in_std": res["per_unit"] / y_sd, "spearman": res["spearman"],
            "sign_consistency": res["sign_consistency"], "type_flip_at_2": res.get("type_flip"),
            "mean_at_values": dict(zip([str(v) for v in res["values"]], res["mean"])),
            "side_effects_per_unit": res["other"],
            "layer_trials": [{"layers": list(t[0]) if t[0] else None, "scale": t[1],
                              "per_unit_in_std": t[2]["per_unit"] / y_sd, "spearman": t[2]["spearman"],
                              "type_flip_at_2": t[2].get("type_flip"), "passed": bool(t[3])} for t in tried]}


def _found(name, zh, what, vec, sigma, layers, res, y_sd, r2, n, probe, L, flip) -> Found:
    desc = (f"Fitted (ridge on w − mean w of the description, {n} pictures, held-out R² {r2:.2f}): {what}; "
            f"moves synthesis layers {_layer_text(layers, L)}. "
            f"Measured on {probe} pictures: {res['per_unit']:+.3f} per slider unit "
            f"({res['per_unit'] / y_sd:.2f} within-description std), "
            f"Spearman {res['spearman']:.2f}, rises for {res['sign_consistency']:.0%} of pictures{flip}")
    return Found(name, zh, vec, sigma, desc, 0.0, {"per_unit": res["per_unit"], "per_unit_in_std": res["per_unit"] / y_sd,
                                                   "spearman": res["spearman"], "type_flip": res.get("type_flip")},
                 tuple(layers) if layers else None)
