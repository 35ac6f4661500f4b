"""Which post-process the Sharp upscaler ships with: downscale-consistency variants measured side by side.

    .venv/bin/python bench/upscale_consistency.py [--kinds real] [--out bench/results/upscale-consistency.json]
    .venv/bin/python bench/upscale_consistency.py --ship      # write the chosen step into models/upscaler-sharp-x4

Every row is scored exactly as bench/upscale.py scores a method (same val photos, same classifier view: the
256 px result box-downscaled to 64 px). Rows: the two networks alone; each with its result forced to match the
64 px input (`match: input`); Sharp with its 64 px view pinned to Faithful's (`match: anchor`) at several detail
gains and with a nearest or bicubic spread; and weight interpolation Faithful → Sharp (ESRGAN's network
interpolation) at several alphas. `--ship` copies the Faithful weights into the Sharp folder as its anchor
(byte for byte, hash-listed) and records SHIPPED in its config.json; the Sharp weights are not touched.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.engine.checkpoints import load_state, load_tensors, sha256_file  # noqa: E402
from app.engine.classifier import load_classifier  # noqa: E402
from app.engine.upscale import (LoadedUpscaler, Upscaler, UpscalerConfig, WEIGHTS_STEM, load_pairs,  # noqa: E402
                                read_upscaler_config)
from app.engine.upscale_consistency import ANCHOR_STEM, SHARP_STEP, Consistency, check_consistency  # noqa: E402
from bench.upscale import REPO, parser, pil_method, score_kind  # noqa: E402
from PIL import Image  # noqa: E402

SHIPPED = SHARP_STEP
GAINS = (1.0, 1.1, 1.2, 1.3)
ALPHAS = (0.5, 0.8, 0.9, 0.95)


def network(folder: Path) -> Upscaler:
    config = read_upscaler_config(folder)
    net = Upscaler(UpscalerConfig.from_dict(config.get("network", {})))
    load_state(net, load_tensors(folder, WEIGHTS_STEM, config), "upscaler")
    return net


def blend(a: Upscaler, b: Upscaler, alpha: float) -> Upscaler:
    """(1 − alpha)·a + alpha·b, weight by weight (both have the same shape)."""
    net, sa, sb = Upscaler(a.cfg), a.state_dict(), b.state_dict()
    net.load_state_dict({k: (1 - alpha) * sa[k] + alpha * sb[k] for k in sa})
    return net


def as_method(up: LoadedUpscaler):
    return lambda l: up(l[None])[0]


def variants(faithful: Upscaler, sharp: Upscaler) -> dict:
    """name → (64 px uint8 → 256 px uint8) for every row of the comparison."""
    anchor = LoadedUpscaler(faithful)
    to_input = {"match": "input", "down": "box", "up": "nearest", "iterations": 1}
    m = {"bicubic": pil_method(Image.Resampling.BICUBIC),
         "faithful": as_method(LoadedUpscaler(faithful)), "sharp network alone": as_method(LoadedUpscaler(sharp)),
         "faithful, match input": as_method(LoadedUpscaler(faithful, post=Consistency(to_input))),
         "sharp, match input": as_method(LoadedUpscaler(sharp, post=Consistency(to_input)))}
    for up, it in (("nearest", 1), ("bicubic", 4)):
        for g in GAINS if up == "nearest" else (SHIPPED["detail_gain"],):
            spec = {**SHIPPED, "up": up, "iterations": it, "detail_gain": g}
            m[f"sharp, match Faithful, {up}×{it}, gain {g}"] = as_method(LoadedUpscaler(sharp, post=Consistency(spec, anchor)))
    for a in ALPHAS:
        m[f"blend alpha {a}"] = as_method(LoadedUpscaler(blend(faithful, sharp, a)))
    return m


def ship(sharp_dir: Path, faithful_dir: Path) -> None:
    """Copy Faithful's weights in as the anchor and record SHIPPED (checked) in the Sharp folder's config.json."""
    config = json.loads((sharp_dir / "config.json").read_text(encoding="utf-8"))
    anchor = sharp_dir / f"{ANCHOR_STEM}.safetensors"
    shutil.copyfile(faithful_dir / f"{WEIGHTS_STEM}.safetensors", anchor)
    config["files"][anchor.name] = sha256_file(anchor)
    config["consistency"] = dict(SHIPPED)
    check_consistency(config, sharp_dir.name)
    (sharp_dir / "config.json").write_text(json.dumps(config, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {anchor} and the consistency entry of {sharp_dir / 'config.json'}")


def main(argv=None) -> int:
    ap = parser("upscale-consistency.json")
    ap.add_argument("--kinds", default="real")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--ship", action="store_true")
    a = ap.parse_args(argv)
    if a.ship:
        ship(Path(a.sharp), Path(a.faithful))
        return 0
    torch.set_num_threads(a.threads)
    names, hr, lr = load_pairs(Path(a.data), "val", Path(a.lr_data))
    methods = variants(network(Path(a.faithful)), network(Path(a.sharp)))
    clf = load_classifier(Path(a.classifier))
    results = {}
    for k in a.kinds.split(","):
        results[k] = score_kind(k, methods, names, hr, lr, clf)
        print(k, json.dumps(results[k], indent=1), flush=True)
    report = {"command": "python bench/upscale_consistency.py " + " ".join(argv if argv is not None else sys.argv[1:]),
              "shipped": SHIPPED, "results": results}
    Path(a.out).write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {a.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
