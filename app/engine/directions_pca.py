"""Per-layer GANSpace sliders: principal components of w within a description, each applied to a range of
synthesis layers (Härkönen et al. 2020, edits "E(v_i, j–k)"), measured on the pictures, named and checked.

1. Sample w = mapping(z, c) for many random descriptions, subtract each description's mean w (so the
   components describe variation *within* a description: pose, size, light, not the product switch), PCA.
2. Screen every (component, layer range): pictures at ±2 sigma, change of every picture measure
   (directions.product_measures) in within-description standard deviations; the largest names it.
3. Walk the candidates strongest first; a component and a name are used once. A candidate is scaled so one
   slider unit moves its named measure by `target` standard deviations (at most max_scale × its own spread),
   then probed at −2..+2 on fresh pictures: kept when the measure rises monotonically (Spearman), visibly, and
   the attribute classifier's product-type reading flips for at most max_flip of the pictures at ±2.
"""

from __future__ import annotations

import numpy as np
import torch

from app.engine.directions import (SUPERVISED, Found, _layer_text, _synth, move, probe_latents,
                                   product_measures, sample_by_description)
from app.engine.directions_fit import probe_direction
from app.engine.generators import style_layers

# measure key → (slider name, 中文, what a positive move does): the fitted sliders' names, plus shape measures
NAMED = {**SUPERVISED,
         "height_position": ("up / down", "上下位置", "the product moves down (vertical centre of the product)"),
         "width": ("width", "宽度", "wider product (share of the frame's columns it spans)"),
         "height": ("length", "长度", "longer product (share of the frame's rows it spans)")}


def layer_ranges(num_layers: int) -> list[tuple[int, int]]:
    """Coarse (shape), middle and fine (colour, light) ranges of synthesis layers, as GANSpace edits them."""
    L = num_layers
    if L < 3:
        return [(0, L)]
    half = L // 2
    ranges = {(0, half - 1 if half > 1 else 1), (0, half), (1, half + 1), (half - 1, L), (half, L), (L - 2, L)}
    return sorted(r for r in ranges if 0 <= r[0] < r[1] <= L)


@torch.no_grad()
def find_layered_directions(G: torch.nn.Module, clf=None, n_conditions: int = 200, per_condition: int = 10,
                            components: int = 12, probe: int = 24, target: float = 0.5, max_scale: float = 4.0,
                            min_spearman: float = 0.8, min_effect: float = 0.2, max_flip: float = 0.2,
                            keep: int = 8, skip_names: tuple[str, ...] = (), seed: int = 0,
                            log=print) -> tuple[list[Found], dict]:
    """Sliders from per-layer principal components (see the module docstring); returns (kept, report)."""
    L = style_layers(G) or 1
    n = n_conditions * per_condition
    w, centred = sample_by_description(G, n_conditions, per_condition, seed)
    _, s, vh = torch.linalg.svd(centred, full_matrices=False)
    var = s ** 2 / (n - 1)
    share = (var / var.sum()).tolist()
    # the natural spread of each measure within one description (pictures of the sample)
    meas = product_measures(_synth(G, w))
    spread = {}
    for k, v in meas.items():
        v = v.astype(np.float64).reshape(n_conditions, per_condition)
        spread[k] = float((v - v.mean(1, keepdims=True)).std()) + 1e-6
    w0 = probe_latents(G, probe, seed)
    ranges = layer_ranges(L) if L > 1 else [None]
    candidates = _screen(G, w0, vh, var, min(components, len(s)), ranges, spread, L, log)
    found: list[Found] = []
    used_components, used_names = set(), set(skip_names)
    report = {"samples": n, "conditions": n_conditions, "per_condition": per_condition, "components": components,
              "layer_ranges": [list(r) if r else None for r in ranges], "variance_share": share[:components],
              "measure_within_std": spread, "checked": []}
    for t in candidates:  # 3. check, strongest first
        name = NAMED[t["key"]][0]
        if len(found) >= keep:
            break
        if t["component"] in used_components or name in used_names or abs(t["effect"]) < 0.05:
            continue
        row, d = _check(G, clf, w0, vh, t, spread, share, L, probe, log, target=target, max_scale=max_scale,
                        min_spearman=min_spearman, min_effect=min_effect, max_flip=max_flip)
        report["checked"].append(row)
        if d is not None:
            used_components.add(t["component"])
            used_names.add(name)
            found.append(d)
    return found, report


def _screen(G, w0, vh, var, components: int, ranges, spread: dict, L: int, log) -> list[dict]:
    """2. screen: every (component, layer range) pair by its strongest effect (std per sigma), strongest first."""
    candidates = []
    for i in range(components):
        v = vh[i].float()
        sig = float(var[i].sqrt())
        for r in ranges:
            plus = product_measures(_synth(G, move(w0, v, 2 * sig, r, L)))
            minus = product_measures(_synth(G, move(w0, v, -2 * sig, r, L)))
            eff = {k: float(np.mean(plus[k] - minus[k])) / (4 * spread[k]) for k in NAMED}  # std per sigma
            key = max(eff, key=lambda k: abs(eff[k]))
            candidates.append({"component": i, "layers": r, "key": key, "effect": eff[key], "sigma": sig,
                               "all_effects": eff})
    candidates.sort(key=lambda t: -abs(t["effect"]))
    log(f"  screened {len(candidates)} (component, layers) pairs; strongest: " + ", ".join(
        f"PC{t['component']}@{_layer_text(t['layers'], L)} {NAMED[t['key']][0]} {abs(t['effect']):.2f}"
        for t in candidates[:5]))
    return candidates


def _check(G, clf, w0, vh, t: dict, spread: dict, share: list, L: int, probe: int, log, *, target: float,
           max_scale: float, min_spearman: float, min_effect: float, max_flip: float) -> tuple[dict, Found | None]:
    """Probe one screened candidate as a slider: its report row, and the slider when it passes."""
    name, zh, what = NAMED[t["key"]]
    sign = 1.0 if t["effect"] > 0 else -1.0
    vec = sign * vh[t["component"]].float()
    scale = float(np.clip(target / abs(t["effect"]), 0.5, max_scale))
    sigma = t["sigma"] * scale
    res = probe_direction(G, clf, w0, vec, sigma, t["key"], layers=t["layers"])
    per_std = res["per_unit"] / spread[t["key"]]
    flips = res.get("type_flip", 0.0)
    ok = res["spearman"] >= min_spearman and per_std >= min_effect and flips <= max_flip
    row = {"name": name, "key": t["key"], "component": t["component"],
           "layers": list(t["layers"]) if t["layers"] else None, "screen_effect": t["effect"], "scale": scale,
           "sigma": sigma, "per_unit": res["per_unit"], "per_unit_in_std": per_std,
           "spearman": res["spearman"], "sign_consistency": res["sign_consistency"],
           "type_flip_at_2": res.get("type_flip"), "side_effects_per_unit": res["other"], "passed": bool(ok)}
    log(f"  PC{t['component']} on layers {_layer_text(t['layers'], L)} → {name}: {per_std:+.2f} std per unit, "
        f"Spearman {res['spearman']:.2f}" + (f", type flips {flips:.0%}" if "type_flip" in res else "")
        + (" → kept" if ok else " → dropped"))
    if not ok:
        return row, None
    flip = f"; product-type reading flips {flips:.0%} at ±2 (classifier noise included)" if "type_flip" in res else ""
    desc = (f"PC{t['component']} of within-description w ({share[t['component']]:.1%} of its variance) on "
            f"synthesis layers {_layer_text(t['layers'], L)}: {what}. Measured on {probe} pictures: "
            f"{per_std:.2f} within-description std per slider unit, Spearman {res['spearman']:.2f}, "
            f"rises for {res['sign_consistency']:.0%} of pictures{flip}")
    return row, Found(name, zh, vec, sigma, desc, share[t["component"]],
                      {"per_unit": res["per_unit"], "per_unit_in_std": per_std, "spearman": res["spearman"],
                       "type_flip": res.get("type_flip")}, tuple(t["layers"]) if t["layers"] else None)
