"""Train the attribute classifier on REAL train photos and report its accuracy on the real val split (the ceiling).

Usage: .venv/bin/python bench/train_classifier.py --data /work/shared/datasets/fashion-small-64 \
           [--limit 15000] [--epochs 6] [--out models/attribute-classifier] [--json bench/results/classifier.json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import torch  # noqa: E402

from app.data.datasets import load_fashion  # noqa: E402
from app.engine.classifier import DEFAULT_DIR, accuracy, train_classifier  # noqa: E402


def main(argv=None) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--data", required=True)
    p.add_argument("--limit", type=int, default=15000, help="train photos (read from the first shards)")
    p.add_argument("--epochs", type=int, default=6)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--budget-s", type=float, default=None, help="stop training after this many seconds")
    p.add_argument("--out", default=str(DEFAULT_DIR))
    p.add_argument("--json", default="bench/results/classifier.json")
    a = p.parse_args(argv)
    torch.set_num_threads(a.threads)
    t0 = time.perf_counter()
    train = load_fashion(Path(a.data), "train", 64, a.limit, workers=a.threads)
    val = load_fashion(Path(a.data), "val", 64, None, workers=a.threads)
    print(f"{len(train)} train / {len(val)} val photos read in {time.perf_counter() - t0:.0f} s", flush=True)
    clf = train_classifier(train.images, train.labels, epochs=a.epochs, batch=a.batch, lr=a.lr,
                           log=lambda s: print(s, flush=True), time_budget_s=a.budget_s)
    acc_val = accuracy(clf.predict(val.images), val.labels)
    acc_train = accuracy(clf.predict(train.images[:2000]), train.labels[:2000])
    clf.config["training"].update({"data": Path(a.data).name, "split": "train", "shards_read_in_order": True})
    clf.config["val_accuracy"] = acc_val
    cmd = "python bench/train_classifier.py " + " ".join(sys.argv[1:] if argv is None else argv)
    card = (f"# attribute-classifier\n\nSmall multi-head CNN (category / colour / gender; masterCategory derived from "
            f"category) used only to *measure* Vitrine models. Trained on {len(train)} real train photos of "
            f"fashion-small-64 (first train rows of the shards in order), {clf.config['training']['steps']} steps, "
            f"{clf.config['training']['wall_s']} s on CPU.\n\nAccuracy on the real val split ({len(val)} photos), "
            f"the ceiling for conditional accuracy of generated pictures:\n\n"
            + "".join(f"* {k}: {v:.3f}\n" for k, v in acc_val.items())
            + f"\nProduced by: `{cmd}`\n\nData licence: see the dataset's PROVENANCE.md (not verified; treat as "
            f"research / non-commercial).\n")
    clf.save(Path(a.out), card)
    result = {"command": cmd, "train_photos": len(train), "val_photos": len(val), "val_accuracy": acc_val,
              "train_accuracy_first2000": acc_train, "training": clf.config["training"]}
    print(json.dumps(result, indent=2))
    if a.json:
        Path(a.json).parent.mkdir(parents=True, exist_ok=True)
        Path(a.json).write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
