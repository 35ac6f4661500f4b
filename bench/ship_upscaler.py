"""Ship a Sharp-upscaler training checkpoint as models/upscaler-sharp-x4 (config + safetensors, hashes renewed).

    .venv/bin/python bench/ship_upscaler.py runs/sharp2 --weights net|ema [--dest models/upscaler-sharp-x4]

The run folder's checkpoint (safetensors; or an earlier version's checkpoint.pt, read with weights_only=True, which
may also be named directly).
The model card is written by `bench/upscale_card.py` from bench/results/upscale.json after the benchmark.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.engine.upscale import SHARP_DIR_NAME, Upscaler, UpscalerConfig, save_upscaler  # noqa: E402
from app.engine.upscale_train import read_checkpoint  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("checkpoint", type=Path)
    ap.add_argument("--weights", choices=("net", "ema"), default="ema",
                    help="net: the last weights; ema: their running average")
    ap.add_argument("--dest", type=Path, default=REPO / "models" / SHARP_DIR_NAME)
    a = ap.parse_args(argv)
    # A run folder (its checkpoint/ or an earlier version's checkpoint.pt) or a .pt checkpoint itself.
    state = read_checkpoint(a.checkpoint)
    if state is None:
        raise SystemExit(f"no upscaler checkpoint in {a.checkpoint}")
    req = state["request"]
    net = Upscaler(UpscalerConfig.from_dict(req.get("network") or {}))
    net.load_state_dict(state[a.weights])
    history = state["history"]
    loss = (f"L1 + {req['grad_weight']}*gradient L1 + {req['perceptual_weight']}*Lite0 perceptual"
            f" + {req['adversarial_weight']}*patch-GAN hinge")
    extra = {"id": SHARP_DIR_NAME, "style": "sharp",
             "training": {"steps": int(state["step"]), "seconds": round(float(state["elapsed"]), 1),
                          "batch": req["batch"], "crop": req["crop"], "lr": req["lr"], "loss": loss,
                          "init": Path(req["init"]).name if req.get("init") else None, "weights": a.weights,
                          "data": Path(req["data"]).name, "lr_data": Path(req["lr_data"]).name if req.get("lr_data") else None,
                          "history": history[-5:]}}
    folder = save_upscaler(a.dest, net, extra, card=(a.dest / "MODEL_CARD.md").read_text(encoding="utf-8")
                           if (a.dest / "MODEL_CARD.md").exists() else "# upscaler-sharp-x4\n")
    print(f"shipped step {state['step']} ({a.weights}) to {folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
