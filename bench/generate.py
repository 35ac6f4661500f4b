"""Benchmark: images per second at batch 1, 16 and 64, and model load time, on the current device.

Usage: python bench/generate.py [--model ID] [--device auto|cpu|cuda] [--out bench/results/generate.json]
Figures are reported as ratios against batch 1 in the same run (the machine may be shared).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import torch  # noqa: E402

from app.cli.common import make_engine  # noqa: E402
from app.requests import GenerateRequest  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=None)
    ap.add_argument("--device", default="auto")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--out", default="bench/results/generate.json")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    engine = make_engine(args.device)
    t0 = time.perf_counter()
    model = engine.load(args.model)
    load_s = time.perf_counter() - t0
    engine.understand("warm up the text model")
    results = {"device": engine.device_choice.name, "model": model.model_id, "threads": args.threads,
               "load_s": round(load_s, 3), "batches": {}}
    for batch in (1, 16, 64):
        engine.generate(GenerateRequest("navy blue shirt for men", seed=0, count=batch, model_id=model.model_id))
        reps = max(1, 64 // batch)
        t = time.perf_counter()
        for r in range(reps):
            engine.generate(GenerateRequest("navy blue shirt for men", seed=r * batch, count=batch, model_id=model.model_id))
        dt = (time.perf_counter() - t) / reps
        results["batches"][str(batch)] = {"seconds": round(dt, 4), "images_per_s": round(batch / dt, 1)}
    base = results["batches"]["1"]["images_per_s"]
    for b in results["batches"].values():
        b["ratio_vs_batch1"] = round(b["images_per_s"] / base, 2)
    print(json.dumps(results, indent=2))
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
