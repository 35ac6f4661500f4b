"""Train the attribute classifier on REAL train photos and report its accuracy on the real val split (the ceiling).

Usage: .venv/bin/python bench/train_classifier.py --data /work/shared/datasets/fashion-small-64 \
           [--limit 15000] [--epochs 6] [--out models/attribute-classifier] [--json bench/results/classifier.json]

Labels are the current product vocabulary (app.engine.vocab); the previous result in --json is kept under
"previous" and quoted in the card for comparison.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import torch  # noqa: E402

import numpy as np  # noqa: E402

from app.data.datasets import load_fashion  # noqa: E402
from app.engine import vocab  # noqa: E402
from app.engine.classifier import DEFAULT_DIR, accuracy, relabel, train_classifier  # noqa: E402
from look_augment import look_augment  # noqa: E402  (bench/look_augment.py)


def per_category(pred: np.ndarray, labels: np.ndarray, voc: vocab.Vocabulary) -> dict[str, dict]:
    """Val accuracy of the category head per category: {key: {"n": photos, "accuracy": …}}."""
    out = {}
    for i, key in enumerate(voc.keys("category")):
        mask = labels[:, 0] == i
        out[key] = {"n": int(mask.sum()), "accuracy": float((pred[mask, 0] == i).mean()) if mask.any() else None}
    return out


def card_text(cmd: str, result: dict, previous: dict | None) -> str:
    """The model card: what it is, its numbers (and the previous classifier's), per-category accuracy."""
    r, t = result, result["training"]
    blind = ("\n\nTrained with random shop looks (bench/look_augment.py: backdrop colour, light, framing), so its "
             "product-type reading does not depend on the look. It reads product type for bench/finetune_looks.py and for "
             "fine-tuning's best-so-far check (a snapshot that lost the shop's product never wins); bench/look_judge.py "
             "compares it with the attribute classifier on real photos in each look." if r.get("looks") else "")
    lines = [f"# {r.get('id', 'attribute-classifier')}{blind}\n\nSmall multi-head CNN (category / colour / gender; masterCategory derived from "
             f"category) used only to *measure* Vitrine models, trained from scratch (no ImageNet weights) on "
             f"{r['train_photos']} real train photos of fashion-small-64 (first train rows of the shards in order), "
             f"{t['steps']} steps, {t['wall_s']} s on CPU. Product vocabulary version {r['vocab_version']} "
             f"({r['categories']} product types).\n\nAccuracy on the real val split ({r['val_photos']} photos), the ceiling "
             f"for conditional accuracy of generated pictures:\n\n| | this classifier |"
             + (f" previous ({previous.get('categories', 44)} types) |" if previous else "") + "\n|---|---:|"
             + ("---:|" if previous else "") + "\n"]
    for k, v in r["val_accuracy"].items():
        old = previous["val_accuracy"].get(k) if previous else None
        lines.append(f"| {k} | {v:.3f} |" + (f" {old:.3f} |" if old is not None else (" – |" if previous else "")) + "\n")
    lines.append(f"\nRead in the 44 types of vocabulary version 1 (its predictions and the val labels mapped onto "
                 f"version 1), for a like-for-like comparison with the previous classifier: category "
                 f"{r['val_accuracy_in_v1']['category']:.3f}, masterCategory {r['val_accuracy_in_v1']['masterCategory']:.3f}.\n")
    if previous:
        lines.append(f"\nPrevious classifier: `{previous.get('command', '?')}` ({previous.get('train_photos')} photos, "
                     f"{previous.get('training', {}).get('steps')} steps).\n")
    lines.append("\nPer product type (val photos, category accuracy):\n\n| product type | val photos | accuracy |\n|---|---:|---:|\n")
    for key, row in sorted(r["per_category_val"].items(), key=lambda kv: -kv[1]["n"]):
        acc = "–" if row["accuracy"] is None else f"{row['accuracy']:.2f}"
        lines.append(f"| {key} | {row['n']} | {acc} |\n")
    lines.append(f"\nProduced by: `{cmd}` (run with `nice -n 5` on a shared 2-core CPU).\n\nData licence: see the "
                 f"dataset's PROVENANCE.md (not verified; treat as research / non-commercial).\n")
    return "".join(lines)


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
    p.add_argument("--looks", action="store_true", help="train on photos in random shop looks (the look-blind judge)")
    p.add_argument("--id", default="attribute-classifier")
    a = p.parse_args(argv)
    torch.set_num_threads(a.threads)
    t0 = time.perf_counter()
    train = load_fashion(Path(a.data), "train", 64, a.limit, workers=a.threads)
    val = load_fashion(Path(a.data), "val", 64, None, workers=a.threads)
    print(f"{len(train)} train / {len(val)} val photos read in {time.perf_counter() - t0:.0f} s", flush=True)
    clf = train_classifier(train.images, train.labels, epochs=a.epochs, batch=a.batch, lr=a.lr,
                           log=lambda s: print(s, flush=True), time_budget_s=a.budget_s, model_id=a.id,
                           augment=look_augment() if a.looks else None)
    voc, v1 = clf.vocabulary, vocab.get(1)
    pred_val = clf.predict(val.images)
    acc_val = accuracy(pred_val, val.labels, voc)
    acc_v1 = accuracy(relabel(pred_val, voc, v1), relabel(val.labels, voc, v1), v1)
    acc_train = accuracy(clf.predict(train.images[:2000]), train.labels[:2000], voc)
    clf.config["training"].update({"data": Path(a.data).name, "split": "train", "shards_read_in_order": True})
    clf.config["val_accuracy"] = acc_val
    cmd = "python bench/train_classifier.py " + " ".join(sys.argv[1:] if argv is None else argv)
    previous = None
    if a.json and Path(a.json).exists():
        previous = json.loads(Path(a.json).read_text(encoding="utf-8"))
        previous.pop("previous", None)
    result = {"command": cmd, "id": a.id, "looks": a.looks, "vocab_version": voc.version, "categories": len(voc.keys("category")),
              "train_photos": len(train), "val_photos": len(val), "val_accuracy": acc_val, "val_accuracy_in_v1": acc_v1,
              "train_accuracy_first2000": acc_train, "training": clf.config["training"],
              "per_category_val": per_category(pred_val, val.labels, voc),
              "previous": previous}
    clf.save(Path(a.out), card_text(cmd, result, previous))
    print(json.dumps({k: v for k, v in result.items() if k not in ("per_category_val", "previous")}, indent=2))
    if a.json:
        Path(a.json).parent.mkdir(parents=True, exist_ok=True)
        Path(a.json).write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
