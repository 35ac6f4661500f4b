"""Ship a training snapshot as the bundled base model, keeping the model's training history in its config.

The snapshot's generator and discriminator replace `models/vitrine-base`'s (written atomically, hashes renewed);
`config.json → training` keeps every earlier stage and gains this one under `--stage`. Directions are dropped
(they belong to the old weights): rerun the card's `directions`, `evaluate` commands and `bench/model_card.py` next.

    .venv/bin/python bench/ship_snapshot.py runs/anneal/model --stage cpu_anneal \
        --what "continued from the shipped model at a quarter of the learning rate ..." \
        --command "python -m app train ..." --fid-before 99.33 --checkpoint-fid '{"300": 95.95, "1055": 92.03}'
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from safetensors.torch import load_file

from app.engine.checkpoints import write_model_dir

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("snapshot", type=Path, help="a model folder written by `python -m app train`")
    ap.add_argument("--dest", type=Path, default=REPO / "models" / "vitrine-base")
    ap.add_argument("--stage", required=True, help="key under training (e.g. cpu_anneal)")
    ap.add_argument("--what", required=True, help="one sentence: what this stage changed")
    ap.add_argument("--command", required=True, help="the training command of this stage")
    ap.add_argument("--fid-before", type=float, required=True, help="Inception FID of the model being replaced")
    ap.add_argument("--checkpoint-fid", default="{}", help="JSON {step: Inception FID} of the scored snapshots")
    a = ap.parse_args()
    old = json.loads((a.dest / "config.json").read_text(encoding="utf-8"))
    t = json.loads((a.snapshot / "config.json").read_text(encoding="utf-8"))["training"]
    config = {k: v for k, v in old.items() if k not in ("files", "format_version", "directions")}
    config["training"] = {**old["training"], a.stage: {
        "what": a.what, "command": a.command, "steps": t["steps"], "images_seen": t["images_seen"],
        "wall_s": t["wall_s"], "device": t["device"], "photos": t["photos"], "recoveries": t["recoveries"],
        "fid_before": a.fid_before, "checkpoint_fid": json.loads(a.checkpoint_fid), "shipped_step": t["steps"]}}
    tensors = {stem: load_file(str(a.snapshot / f"{stem}.safetensors")) for stem in ("generator", "discriminator")}
    card = a.dest / "MODEL_CARD.md"
    write_model_dir(a.dest, config, tensors, card=card.read_text(encoding="utf-8") if card.exists() else "")
    print(f"shipped {a.snapshot} (step {t['steps']}) as {a.dest}; now rerun directions, evaluate and the card")


if __name__ == "__main__":
    main()
