"""Benchmark: pictures per second at batch 1, 16 and 64 and model load time, on the current device.

Usage: python bench/generate.py [--model ID] [--device auto|cpu|cuda] [--threads 2] [--rounds 5]
                                [--out bench/results/generate.json]
The batches are timed in interleaved rounds and each reports its median round, so a machine shared with other
work slows all of them alike; compare the ratios against batch 1 of the same run. Each batch also reports its
rate per CPU-second given to the threads (× threads), and the load average is recorded. The run also checks that
pictures made alone are bit-identical to the same pictures made inside a batch of 16 and of 64.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402
import torch  # noqa: E402

from app.cli.common import make_engine  # noqa: E402
from app.engine.generate import SYNTH_BATCH  # noqa: E402
from app.requests import GenerateRequest  # noqa: E402

DESCRIPTION = "navy blue shirt for men"
BATCHES = (1, 16, 64)


def _cpu_s() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _time_batch(engine, model_id: str, batch: int, round_: int) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) per picture for `batch`-sized requests covering 64 pictures."""
    reps = max(1, 64 // batch) if batch > 1 else 16
    t, c = time.perf_counter(), _cpu_s()
    for r in range(reps):
        engine.generate(GenerateRequest(DESCRIPTION, seed=1000 * round_ + r * batch, count=batch, model_id=model_id))
    n = reps * batch
    return (time.perf_counter() - t) / n, (_cpu_s() - c) / n


def _old_way(engine, model_id: str):
    """The way before batching, for reference: the generator as loaded (channels-first), one picture per call."""
    import copy

    G = copy.deepcopy(engine.load(model_id).generator).to(memory_format=torch.contiguous_format)
    w = torch.randn(16, G.cfg.w_dim, generator=torch.Generator().manual_seed(0)).to(engine.device)

    @torch.no_grad()
    def seconds_per_picture() -> float:
        t = time.perf_counter()
        for k in range(16):
            G.synthesis(w[k:k + 1])
        return (time.perf_counter() - t) / 16

    seconds_per_picture()
    return seconds_per_picture


def identical_alone_and_in_batches(engine, model_id: str) -> bool:
    for count in (16, 64):
        batch = engine.generate(GenerateRequest(DESCRIPTION, seed=5, count=count, model_id=model_id))
        for k in (0, 7, count - 1):
            alone = engine.generate(batch[k].request)[0]
            if not np.array_equal(alone.pixels, batch[k].pixels):
                return False
    return True


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=None)
    ap.add_argument("--device", default="auto")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--out", default="bench/results/generate.json")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    engine = make_engine(args.device)
    t0 = time.perf_counter()
    model = engine.load(args.model)
    load_s = time.perf_counter() - t0
    engine.understand("warm up the text model")
    for batch in BATCHES:  # warm-up: first calls allocate and pick kernels
        engine.generate(GenerateRequest(DESCRIPTION, seed=0, count=batch, model_id=model.model_id))
    per_picture: dict[int, list[float]] = {b: [] for b in BATCHES}
    cpu_per_picture: dict[int, list[float]] = {b: [] for b in BATCHES}
    load_before = os.getloadavg()[0]
    old_way, old_times = _old_way(engine, model.model_id), []
    for r in range(args.rounds):
        for batch in BATCHES:
            wall, cpu = _time_batch(engine, model.model_id, batch, r)
            per_picture[batch].append(wall)
            cpu_per_picture[batch].append(cpu)
        old_times.append(old_way())  # synthesis only: an upper bound on the old way's rate
    results = {"command": "python bench/generate.py " + " ".join(sys.argv[1:]),
               "device": engine.device_choice.name, "model": model.model_id, "threads": args.threads,
               "resolution": model.resolution, "synthesis_batch": SYNTH_BATCH, "rounds": args.rounds,
               "load_s": round(load_s, 3), "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)],
               "batches": {}}
    for batch, times in per_picture.items():
        s = statistics.median(times)
        cpu = statistics.median(cpu_per_picture[batch])
        results["batches"][str(batch)] = {"seconds_per_request": round(s * batch, 4),
                                          "images_per_s": round(1 / s, 1),
                                          "images_per_s_rounds": [round(1 / t, 1) for t in times],
                                          # What the threads got: pictures per second of CPU time given to all
                                          # of them (a busy shared machine lowers images_per_s, not this).
                                          "images_per_s_of_threads_cpu": round(args.threads / cpu, 1)}
    base = results["batches"]["1"]["images_per_s"]
    for b in results["batches"].values():
        b["ratio_vs_batch1"] = round(b["images_per_s"] / base, 2)
    old = 1 / statistics.median(old_times)
    results["old_way_synthesis_only_images_per_s"] = round(old, 1)
    results["batch16_vs_old_way"] = round(results["batches"]["16"]["images_per_s"] / old, 2)
    results["alone_equals_in_batch_16_and_64"] = identical_alone_and_in_batches(engine, model.model_id)
    print(json.dumps(results, indent=2))
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(results, indent=2) + "\n")
    return 0 if results["alone_equals_in_batch_16_and_64"] else 1


if __name__ == "__main__":
    sys.exit(main())
