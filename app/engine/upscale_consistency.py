"""Downscale consistency for the 4× upscalers: what a 64 px view of the result sees is pinned, detail lives below it.

A consistency-enforcing step (iterative back-projection; Bahat & Michaeli's "consistency enforcing module")
runs after the network: `out ← clamp(out + up(target − down(out)))`, `iterations` times, where `down` is the
4×4 box average (PIL's BOX downscale, the one bench/upscale.py shows the attribute classifier) and `up` spreads
the correction back. With `up: nearest` the step is the exact projection instead: the picture in [0, 1] nearest
to the network's whose box means are the target (one shift per 4×4 block, found with clamping taken into
account), so one iteration is exact and more change nothing; bilinear/bicubic spreads are smoother and
approach it over the iterations.

What the 64 px view must equal (`match`):
* "input": the 64 px picture itself;
* "anchor": the box-downscale of another network's enlargement of it, stored in the same folder as
  `anchor.safetensors` (the Sharp model keeps the Faithful network there): the result then shows exactly what
  Faithful shows at 64 px, and differs from it only in detail finer than one input pixel. `detail_gain` scales
  the network's difference from the anchor before the step (out = anchor + gain · (net − anchor)).

A model folder asks for it in config.json, e.g.
    "consistency": {"match": "anchor", "anchor_id": "upscaler-x4", "down": "box", "up": "nearest",
                    "iterations": 1, "detail_gain": 1.2}
and every value is checked before it is used: a tampered or out-of-range setting refuses the model.
"""

from __future__ import annotations

import math
from pathlib import Path

import torch
import torch.nn.functional as F

from app.engine.checkpoints import ModelError

SCALE = 4
MATCHES = ("input", "anchor")
DOWNS = ("box",)
UPS = ("nearest", "bilinear", "bicubic")
MAX_ITERATIONS = 8
GAIN_RANGE = (0.5, 2.0)
ANCHOR_STEM = "anchor"  # anchor.safetensors: the network whose 64 px view the result keeps
KEYS = {"match", "anchor_id", "down", "up", "iterations", "detail_gain"}
# The step models/upscaler-sharp-x4 ships with, chosen by bench/upscale_consistency.py (its --ship writes it into
# the folder's config.json). Loading never falls back to it: a folder without a "consistency" entry has no step.
SHARP_STEP = {"match": "anchor", "anchor_id": "upscaler-x4", "down": "box", "up": "nearest", "iterations": 1,
              "detail_gain": 1.2}


def _problem(spec, files) -> str:
    """What is wrong with a "consistency" entry, in a few words ("" when nothing is)."""
    if not isinstance(spec, dict):
        return "it is not a set of named values"
    if set(spec) - KEYS:
        return f"unknown setting {sorted(set(spec) - KEYS)[0][:40]!r}"
    if spec.get("match") not in MATCHES:
        return f"match must be {' or '.join(MATCHES)}"
    if spec.get("down", "box") not in DOWNS:
        return f"down must be {' or '.join(DOWNS)}"
    if spec.get("up") not in UPS:
        return f"up must be one of {', '.join(UPS)}"
    it = spec.get("iterations")
    if type(it) is not int or not 1 <= it <= MAX_ITERATIONS:
        return f"iterations must be a whole number from 1 to {MAX_ITERATIONS}"
    gain = spec.get("detail_gain", 1.0)
    if type(gain) not in (int, float) or not math.isfinite(gain) or not GAIN_RANGE[0] <= gain <= GAIN_RANGE[1]:
        return f"detail_gain must be a number from {GAIN_RANGE[0]} to {GAIN_RANGE[1]}"
    if spec["match"] == "input" and gain != 1:
        return "detail_gain needs an anchor network"
    if spec["match"] == "anchor" and f"{ANCHOR_STEM}.safetensors" not in (files or {}):
        return f"it names an anchor network but the folder does not list {ANCHOR_STEM}.safetensors"
    if not isinstance(spec.get("anchor_id", ""), str) or len(spec.get("anchor_id", "")) > 200:
        return "anchor_id must be a short name"
    return ""


def check_consistency(config: dict, name: str) -> dict | None:
    """The upscaler's checked "consistency" entry (None when it has none); ModelError when it is not valid."""
    if "consistency" not in config:
        return None
    problem = _problem(config["consistency"], config.get("files"))
    if problem:
        e = ModelError(f"The upscaler {name} has an invalid consistency setting in its config.json ({problem}).")
        e.reason = "its consistency setting is invalid"
        raise e
    return config["consistency"]


def down(x: torch.Tensor) -> torch.Tensor:
    """(N, 3, 4h, 4w) → (N, 3, h, w): the 4×4 box average (what PIL's BOX resize to a quarter computes)."""
    return F.avg_pool2d(x, SCALE)


def lift(d: torch.Tensor, mode: str) -> torch.Tensor:
    """A correction at the small size spread over the large one."""
    if mode == "nearest":
        return F.interpolate(d, scale_factor=SCALE, mode="nearest")
    return F.interpolate(d, scale_factor=SCALE, mode=mode, align_corners=False)


def _blocks(x: torch.Tensor) -> torch.Tensor:
    """(N, C, 4h, 4w) → (N, C, h, w, 16): each 4×4 block's values on the last axis."""
    n, c, hh, ww = x.shape
    return x.reshape(n, c, hh // SCALE, SCALE, ww // SCALE, SCALE).permute(0, 1, 2, 4, 3, 5).flatten(-2)


def project_box(out: torch.Tensor, target: torch.Tensor, steps: int = 16) -> torch.Tensor:
    """The picture in [0, 1] nearest to `out` (L2) whose 4×4 box means are `target` (values in [0, 1]).

    It is clamp(out + λ) with one λ per block (the KKT conditions of that projection). Where the plain shift
    λ = target − mean stays inside [0, 1] that is the answer; elsewhere a block's clamped mean grows with λ, so λ
    is found by bisection between a shift that makes the block all 0 and one that makes it all 1 (16 halvings:
    under 0.01 of a level).
    """
    b = _blocks(out)
    lam = target - b.mean(-1)
    lam = torch.where(target >= 1, 1.0 - b.amin(-1), torch.where(target <= 0, -b.amax(-1), lam))  # all 1 / all 0
    shifted = b + lam[..., None]
    clipped = ((shifted < 0) | (shifted > 1)).any(-1) & (target > 0) & (target < 1)
    if clipped.any():
        v, t = b[clipped], target[clipped]
        lo, hi = -v.amax(-1), 1.0 - v.amin(-1)
        for _ in range(steps):
            mid = (lo + hi) / 2
            low = (v + mid[..., None]).clamp(0.0, 1.0).mean(-1) < t
            lo, hi = torch.where(low, mid, lo), torch.where(low, hi, mid)
        lam = lam.masked_scatter(clipped, (lo + hi) / 2)
    return (out + lift(lam, "nearest")).clamp(0.0, 1.0)


def enforce(out: torch.Tensor, target: torch.Tensor, up: str = "nearest", iterations: int = 1,
            clamp: bool = True) -> torch.Tensor:
    """`out` (N, 3, 4h, 4w) corrected so that down(out) == target (N, 3, h, w); values in [0, 1] when `clamp`."""
    if up == "nearest" and clamp:
        return project_box(out, target.clamp(0.0, 1.0))
    for _ in range(iterations):
        out = out + lift(target - down(out), up)
        if clamp:
            out = out.clamp(0.0, 1.0)
    return out


class Consistency:
    """The step a LoadedUpscaler runs after its network: (network output, input) → corrected output, both (1, 3, ·, ·)."""

    def __init__(self, spec: dict, anchor=None):
        self.spec, self.anchor = dict(spec), anchor  # anchor: a LoadedUpscaler without a step of its own
        if (spec["match"] == "anchor") != (anchor is not None):
            raise ValueError("an anchor network is needed exactly when the result must match it")

    def __call__(self, out: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
        s = self.spec
        if self.anchor is None:
            target = x
        else:
            a = self.anchor._one(x)  # tiled like the network itself for large pictures
            target = down(a.clamp(0.0, 1.0))  # what the anchor's picture (in [0, 1]) shows at 64 px
            out = a + float(s.get("detail_gain", 1.0)) * (out - a)
        return enforce(out, target, s["up"], s["iterations"])


def build(folder: Path, config: dict, device) -> Consistency | None:
    """The checked consistency step of an upscaler folder (loading its hash-checked anchor network), or None."""
    from app.engine.checkpoints import load_state, load_tensors
    from app.engine.upscale import LoadedUpscaler, Upscaler, UpscalerConfig

    spec = check_consistency(config, Path(folder).name)
    if spec is None:
        return None
    anchor = None
    if spec["match"] == "anchor":
        net = Upscaler(UpscalerConfig.from_dict(config.get("network", {})))  # the anchor has the same shape
        load_state(net, load_tensors(Path(folder), ANCHOR_STEM, config), "anchor upscaler")
        anchor = LoadedUpscaler(net, device)
    return Consistency(spec, anchor)


def save_anchored(dest: Path, net, anchor, spec: dict, extra_config: dict | None = None, card: str = "") -> Path:
    """An upscaler folder whose result keeps `anchor`'s 64 px view (spec: a "consistency" entry matching "anchor")."""
    from app.engine.checkpoints import write_model_dir
    from app.engine.upscale import SCALE as NET_SCALE, WEIGHTS_STEM, param_count

    config = {"kind": "upscaler", "id": Path(dest).name, "scale": NET_SCALE, "input_px": 64,
              "network": net.cfg.to_dict(), "params": param_count(net), **(extra_config or {}), "consistency": dict(spec)}
    check_consistency({**config, "files": {f"{ANCHOR_STEM}.safetensors": ""}}, Path(dest).name)
    return write_model_dir(Path(dest), config, {WEIGHTS_STEM: net.state_dict(), ANCHOR_STEM: anchor.state_dict()},
                           card=card)
