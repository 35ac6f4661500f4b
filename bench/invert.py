"""Benchmark: start from a photo (GAN inversion) on validation photos of fashion-small-64.

Usage: python bench/invert.py [--photos 50] [--steps 150] [--model ID] [--threads 2] [--out bench/results/invert.json]
Reports PSNR and a perceptual distance (attribute-classifier features, else discriminator features) between
photo and reconstruction, seconds per photo on this device, and — with models/attribute-classifier — whether the
classifier reads the same category and colour in the reconstruction as in the photo (target ≥ 90 %, < 20 s).
The classifier also guesses the condition, so its agreement is a measure of reconstruction, not of labels.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402
import torch  # noqa: E402
from PIL import Image  # noqa: E402

from app.cli.common import make_engine  # noqa: E402
from app.data.datasets import load_fashion  # noqa: E402
from app.engine import vocab  # noqa: E402
from app.engine.classifier import unit_rows  # noqa: E402
from app.engine.invert import Inversion, InvertRequest, psnr  # noqa: E402

DATA = Path("/work/shared/datasets/fashion-small-64")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--photos", type=int, default=50)
    ap.add_argument("--steps", type=int, default=150)
    ap.add_argument("--model", default=None)
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--shared-w", action="store_true", help="no per-layer (w+) phase")
    ap.add_argument("--no-semantic", action="store_true", help="no attribute-classifier feature term in the loss")
    ap.add_argument("--sheet", default=None, help="also save photo | reconstruction pairs as one PNG")
    ap.add_argument("--data", default=str(DATA))
    ap.add_argument("--budget-s", type=float, default=None, help="stop after the photo that passes this wall time")
    ap.add_argument("--out", default="bench/results/invert.json")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    photos = load_fashion(Path(args.data), "val", limit=args.photos)
    engine = make_engine(args.device)
    model = engine.load(args.model)
    clf = engine.classifier()
    if clf is None:
        print("no attribute classifier; using discriminator features only")
    rows, recons = [], []
    start = time.perf_counter()
    tmp = Path(tempfile.mkdtemp(prefix="vitrine-invert-bench-"))
    for i in range(len(photos)):
        path = tmp / f"{photos.ids[i]}.png"
        Image.fromarray(photos.images[i]).save(path)
        job = Inversion(engine, InvertRequest(str(path), model_id=model.model_id, steps=args.steps, variations=0,
                                              per_layer=not args.shared_w, semantic=not args.no_semantic))
        t0 = time.perf_counter()
        for _ in job.run():
            pass
        seconds = time.perf_counter() - t0
        r = job.result
        recons.append(r.reconstruction)
        rows.append({"id": photos.ids[i], "title": photos.titles[i], "psnr": round(psnr(r.photo, r.reconstruction), 2),
                     "d_feature_distance": round(r.metrics.get("feature_distance", float("nan")), 4),
                     "seconds": round(seconds, 2), "condition": r.description, "source": r.condition_source})
        print(f"{i + 1}/{len(photos)} {photos.ids[i]} PSNR {rows[-1]['psnr']:.1f} dB  {seconds:.1f} s  "
              f"{r.description!r} ({r.condition_source})", flush=True)
        write(args, photos, model, engine, clf, rows, recons)  # partial results survive an interrupted run
        if args.budget_s and time.perf_counter() - start > args.budget_s:
            print(f"time budget reached after {len(rows)} photos")
            break
    return 0


def write(args, photos, model, engine, clf, rows, recons) -> None:
    result = {"model": model.model_id, "device": engine.device_choice.name, "threads": args.threads,
              "photos": len(rows), "photos_requested": args.photos, "steps": args.steps,
              "per_layer": not args.shared_w, "semantic_loss": not args.no_semantic,
              "command": "python bench/invert.py " + " ".join(sys.argv[1:]),
              "psnr_mean": round(float(np.mean([r["psnr"] for r in rows])), 2),
              "psnr_median": round(float(np.median([r["psnr"] for r in rows])), 2),
              "d_feature_distance_mean": round(float(np.mean([r["d_feature_distance"] for r in rows])), 4),
              "seconds_per_photo": round(float(np.mean([r["seconds"] for r in rows])), 2),
              "target_seconds_per_photo": 20.0}
    if clf is not None:
        real = photos.images[: len(rows)]
        fa, pa = clf.run(real)
        fb, pb = clf.run(np.stack(recons))
        fa, fb = unit_rows(fa), unit_rows(fb)
        result["classifier_feature_distance_mean"] = round(float(np.mean(1 - (fa * fb).sum(1))), 4)
        for j, a in enumerate(("category", "colour")):
            same = pa[a].argmax(1) == pb[a].argmax(1)
            result[f"{a}_match"] = round(float(same.mean()), 3)
            known = photos.labels[: len(rows), j] >= 0
            if known.any():
                result[f"{a}_label_accuracy_reconstruction"] = round(
                    float((pb[a].argmax(1)[known] == photos.labels[: len(rows), j][known]).mean()), 3)
                result[f"{a}_label_accuracy_photo"] = round(
                    float((pa[a].argmax(1)[known] == photos.labels[: len(rows), j][known]).mean()), 3)
        both = (pa["category"].argmax(1) == pb["category"].argmax(1)) & (pa["colour"].argmax(1) == pb["colour"].argmax(1))
        result["category_and_colour_match"] = round(float(both.mean()), 3)
        result["target_match"] = 0.9
        for row, a, b in zip(rows, pa["category"].argmax(1), pb["category"].argmax(1)):
            row["category_photo_recon"] = [vocab.keys("category")[a], vocab.keys("category")[b]]
        for row, a, b in zip(rows, pa["colour"].argmax(1), pb["colour"].argmax(1)):
            row["colour_photo_recon"] = [vocab.keys("colour")[a], vocab.keys("colour")[b]]
    # An independent perceptual check (a network the inversion never sees): Inception-v3 pool features.
    from app.engine.evaluate import inception_extractor
    inc = inception_extractor() if len(rows) in (args.photos, len(photos)) else None
    if inc is not None:
        fa, fb = inc(photos.images[: len(rows)]), inc(np.stack(recons))
        fa, fb = unit_rows(fa), unit_rows(fb)
        result["inception_feature_distance_mean"] = round(float(np.mean(1 - (fa * fb).sum(1))), 4)
        others = np.roll(fa, 1, axis=0)  # baseline: distance between two different photos
        result["inception_distance_between_different_photos"] = round(float(np.mean(1 - (fa * others).sum(1))), 4)
    if args.sheet:
        pairs = [np.concatenate([p, r], 1) for p, r in zip(photos.images[: len(rows)], recons)]
        cols = 5
        pairs += [np.full_like(pairs[0], 255)] * (-len(pairs) % cols)
        sheet = np.concatenate([np.concatenate(pairs[i: i + cols], 1) for i in range(0, len(pairs), cols)], 0)
        Image.fromarray(sheet).save(args.sheet)
    result["per_photo"] = rows
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    print(json.dumps({k: v for k, v in result.items() if k != "per_photo"}, indent=2))


if __name__ == "__main__":
    raise SystemExit(main())
