"""Does a product-type reading depend on the shop's look? Real val photos of the fine-tuning benchmark's product
types, as they are and in each look of bench/looks.py, read by the attribute classifier and by the look-blind
product judge (bench/train_classifier.py --looks). Writes bench/results/look-judge.json.

Usage: .venv/bin/python bench/look_judge.py [--per-type 40]
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from app.engine.classifier import load_classifier  # noqa: E402
from finetune import read_images  # noqa: E402  (bench/finetune.py)
from finetune_looks import type_accuracy  # noqa: E402
from looks import LOOKS, make_look  # noqa: E402

DATA = ROOT.parent / "shared/datasets/fashion-small-64"
TYPES = ("Tshirts", "Shirts", "Handbags", "Heels", "Jeans", "Sports Shoes", "Watches", "Wallets")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--per-type", type=int, default=40)
    a = ap.parse_args()
    torch.set_num_threads(1)
    judges = {"attribute-classifier": load_classifier(ROOT / "models/attribute-classifier"),
              "product-judge": load_classifier(ROOT / "models/product-judge")}
    rows = [r for r in csv.DictReader(open(DATA / "captions.csv", encoding="utf-8"))
            if r["split"] == "val" and r["articleType"] in TYPES]
    random.Random(0).shuffle(rows)
    result = {"command": "python bench/look_judge.py " + " ".join(sys.argv[1:]),
              "what": "share of real val photos read as their own product type, as they are and in each look",
              "per_type": {}, "mean": {}}
    for t in TYPES:
        rs = [r for r in rows if r["articleType"] == t][: a.per_type]
        raw = read_images(rs)
        imgs = np.stack([raw[r["file_name"]] for r in rs if r["file_name"] in raw])
        variants = {"as is": imgs, **{lk: make_look(lk, imgs) for lk in LOOKS}}
        result["per_type"][t] = {"photos": len(imgs), **{name: {v: type_accuracy(c, x, t) for v, x in variants.items()}
                                                         for name, c in judges.items()}}
    for name in judges:
        result["mean"][name] = {v: round(float(np.mean([result["per_type"][t][name][v] for t in TYPES])), 3)
                                for v in ("as is", *LOOKS)}
    out = ROOT / "bench/results/look-judge.json"
    out.write_text(json.dumps(result, indent=1), encoding="utf-8")
    print(json.dumps(result["mean"], indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
