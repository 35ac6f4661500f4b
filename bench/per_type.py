"""Per product type: is each type recognisable in the pictures? (issue #15's per-type table for the model card)

For every category of the model's vocabulary: a description in English and one in Chinese (the type with its
most common colour and gender in the catalogue, in the words a merchant would type), `--per-type` pictures of
each at the app's default creativity, and the share the project's classifier reads as that type — beside the
classifier's accuracy on the real val photos of that type (its ceiling). The classifier was trained from
scratch on product photos (never ImageNet).

Usage: python bench/per_type.py --data ../shared/datasets/fashion-small-64 --model models/vitrine-base \
           [--model runs/x/model] [--per-type 16] [--out bench/results/per-type.json]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402
import torch  # noqa: E402

from app.data.captions import caption  # noqa: E402
from app.data.datasets import load_fashion  # noqa: E402
from app.engine.classifier import load_classifier, relabel  # noqa: E402
from app.engine.evaluate import attributes_of, generate  # noqa: E402
from app.engine.loading import load_model  # noqa: E402
from app.engine.text import TextConditioner  # noqa: E402

DEFAULT_TRUNCATION = 0.8  # the app's default creativity


def type_rows(labels: np.ndarray, n_types: int) -> list[np.ndarray]:
    """Per category index: (category, most common colour, most common gender) among the catalogue photos."""
    rows = []
    for ci in range(n_types):
        sub = labels[labels[:, 0] == ci]
        row = [ci, -1, -1]
        for j in (1, 2):
            vals, counts = np.unique(sub[sub[:, j] >= 0, j], return_counts=True) if len(sub) else ([], [])
            if len(vals):
                row[j] = int(vals[np.argmax(counts)])
        rows.append(np.asarray(row))
    return rows


def ceiling_per_type(clf, val, voc) -> dict[int, tuple[int, float]]:
    """Category index → (real val photos of it, share the classifier reads as it)."""
    labels = relabel(val.labels, clf.vocabulary, voc)
    pred = clf.predict(val.images, voc)
    out = {}
    for ci in np.unique(labels[labels[:, 0] >= 0, 0]):
        m = labels[:, 0] == ci
        out[int(ci)] = (int(m.sum()), float((pred[m, 0] == ci).mean()))
    return out


def measure(folder: Path, clf, text: TextConditioner, data: Path, per_type: int, seed: int) -> dict:
    model = load_model(folder)
    voc = model.vocabulary
    val = load_fashion(data, "val", 64, None, workers=2, vocabulary=clf.vocabulary)
    train = load_fashion(data, "train", 64, 8000, workers=2, vocabulary=clf.vocabulary)
    ceiling = ceiling_per_type(clf, val, voc)
    rows, keys = type_rows(relabel(train.labels, clf.vocabulary, voc), len(voc.keys("category"))), voc.keys("category")
    table = []
    for ci, row in enumerate(rows):
        entry = {"type": keys[ci], "val_photos": ceiling.get(ci, (0, float("nan")))[0],
                 "ceiling": ceiling.get(ci, (0, float("nan")))[1]}
        for lang in ("en", "zh"):
            desc = caption(attributes_of(row, voc), lang, random.Random(seed + ci), voc)
            c = text.understand(desc, vocabulary=voc).condition()
            imgs = generate(model, np.repeat(c[None], per_type, 0), per_type, seed=seed + ci, truncation=DEFAULT_TRUNCATION)
            entry[lang] = float((clf.predict(imgs, voc)[:, 0] == ci).mean())
            entry[f"{lang}_description"] = desc
        table.append(entry)
    return {"model": str(folder), "hash": model.model_hash, "vocab_version": voc.version, "types": table,
            "summary": summary(table)}


def summary(table: list[dict]) -> dict:
    """Mean accuracy ÷ mean ceiling per language, and the types below half their ceiling (types with ≥ 5 val photos)."""
    judged = [t for t in table if t["val_photos"] >= 5 and t["ceiling"] > 0]
    out = {"types": len(table), "types_with_5_val_photos": len(judged)}
    for lang in ("en", "zh"):
        out[f"{lang}_mean"] = float(np.mean([t[lang] for t in table]))
        out[f"{lang}_relative_to_ceiling"] = float(np.mean([t[lang] for t in judged]) / np.mean([t["ceiling"] for t in judged]))
        out[f"{lang}_below_half_ceiling"] = [t["type"] for t in judged if t[lang] < 0.5 * t["ceiling"]]
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", required=True)
    p.add_argument("--model", action="append", required=True)
    p.add_argument("--classifier", default="models/attribute-classifier")
    p.add_argument("--per-type", type=int, default=16)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--out", default="bench/results/per-type.json")
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    clf, text, t0 = load_classifier(args.classifier), TextConditioner(), time.perf_counter()
    results = {"command": "python bench/per_type.py " + " ".join(sys.argv[1:]), "per_type": args.per_type,
               "truncation": DEFAULT_TRUNCATION, "classifier": args.classifier, "models": []}
    for m in args.model:
        r = measure(Path(m), clf, text, Path(args.data), args.per_type, args.seed)
        results["models"].append(r)
        print(m, json.dumps(r["summary"], ensure_ascii=False))
    results["seconds"] = round(time.perf_counter() - t0, 1)
    Path(args.out).write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
