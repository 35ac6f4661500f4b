"""Benchmark of the 4× upscalers on the validation photos: sharpness, PSNR / SSIM, classifier-FID, CPU time.

    .venv/bin/python bench/upscale.py [--sharp models/upscaler-sharp-x4] [--faithful models/upscaler-x4]
                                      [--out bench/results/upscale.json] [--compare docs/upscale-compare.png]

Inputs: "real" = the aligned fashion-small-64 picture of each val photo (an independent downscale of the
original + JPEG), "synthetic" = HR.resize(64) (PIL bicubic). Per method, against the real 256 px photo:
* sharpness: mean |∇Y| over the product pixels (not the near-white backdrop), output ÷ real photo;
* PSNR (RGB, 0–255) and SSIM (BT.601 Y, 11×11 gaussian σ 1.5) over the whole picture;
* classifier-FID: the attribute classifier's features of the 256 px result downscaled to 64 px (box),
  against the real 256 px photos downscaled the same way (n = the val photos, so compare methods, not
  against numbers elsewhere);
* time: one picture per call, median, as a ratio to bicubic in the same run.
A model folder with a consistency step (config.json "consistency", app/engine/upscale_consistency.py) is also
measured without it, as "<name>_net" (the network alone).
"""

from __future__ import annotations

import argparse
import json
import platform
import shlex
import sys
import time
from pathlib import Path

import numpy as np
import torch
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.engine.classifier import load_classifier  # noqa: E402
from app.engine.evaluate import fid  # noqa: E402
from app.engine.upscale import LoadedUpscaler, decode, load_pairs, load_upscaler, psnr, ssim_y  # noqa: E402
from app.engine.upscale_gan import sharpness_ratio  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


def pil_method(resample):
    return lambda l: np.asarray(Image.fromarray(l).resize((l.shape[1] * 4, l.shape[0] * 4), resample))


def methods_for(a) -> dict:
    m = {"bicubic": pil_method(Image.Resampling.BICUBIC), "lanczos": pil_method(Image.Resampling.LANCZOS)}
    for name, folder in (("faithful", a.faithful), ("sharp", a.sharp)):
        if folder and Path(folder).exists():
            up = load_upscaler(Path(folder), "cpu")
            m[name] = lambda l, up=up: up(l[None])[0]
            if up.post is not None:  # also the network alone, without the folder's consistency step
                bare = LoadedUpscaler(up.net, "cpu")
                m[f"{name}_net"] = lambda l, up=bare: up(l[None])[0]
    return m


def small(img: np.ndarray) -> np.ndarray:
    return np.asarray(Image.fromarray(img).resize((64, 64), Image.Resampling.BOX))


def inputs(kind: str, names, hr, lr):
    for n in names:
        h = decode(hr[n])
        if kind == "real":
            if n not in lr:
                continue
            yield n, np.asarray(decode(lr[n])), np.asarray(h)
        else:
            yield n, np.asarray(h.resize((h.width // 4, h.height // 4))), np.asarray(h)


def score_kind(kind, methods, names, hr, lr, clf) -> dict:
    s = {m: {"psnr": [], "ssim": [], "ms": [], "sharp": [], "small": []} for m in methods}
    reals = []
    for _, l, ha in inputs(kind, names, hr, lr):
        reals.append(small(ha))
        for m, f in methods.items():
            t = time.perf_counter()
            o = f(l)
            s[m]["ms"].append((time.perf_counter() - t) * 1000)
            s[m]["psnr"].append(psnr(o, ha))
            s[m]["ssim"].append(ssim_y(o, ha))
            r = sharpness_ratio(o, ha)
            if r is not None:
                s[m]["sharp"].append(r)
            s[m]["small"].append(small(o))
    real_f = clf.run(np.stack(reals))[0].astype(np.float64)
    out = {"images": len(reals)}
    for m, v in s.items():
        f = clf.run(np.stack(v["small"]))[0].astype(np.float64)
        out[m] = {"sharpness_vs_real": round(float(np.mean(v["sharp"])), 3),
                  "psnr_db": round(float(np.mean(v["psnr"])), 3), "ssim_y": round(float(np.mean(v["ssim"])), 4),
                  "classifier_fid": round(fid(f, real_f), 3),
                  "ms_median": round(float(np.median(v["ms"])), 2)}
    for m in methods:
        out[m]["time_vs_bicubic"] = round(out[m]["ms_median"] / out["bicubic"]["ms_median"], 1)
        out[m]["psnr_gain_vs_bicubic_db"] = round(out[m]["psnr_db"] - out["bicubic"]["psnr_db"], 3)
    return out


def timing_64(methods, pics: list[np.ndarray], threads: int) -> dict:
    """Median ms per 64 → 256 picture, one at a time, on the val inputs, as a ratio to bicubic (same run)."""
    torch.set_num_threads(threads)
    out = {}
    for m, f in methods.items():
        f(pics[0])
        ts = []
        for p in pics:
            t = time.perf_counter()
            f(p)
            ts.append((time.perf_counter() - t) * 1000)
        out[m] = round(float(np.median(ts)), 2)
    return {"threads": threads, "ms_median": out,
            "ratio_to_bicubic": {m: round(v / out["bicubic"], 1) for m, v in out.items()}}


def parser(result: str) -> argparse.ArgumentParser:
    """The options this script and bench/upscale_consistency.py share: the val photos (HR and 64 px), the two
    upscalers, the classifier, and the result file (bench/results/<result>)."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=str(REPO.parent / "shared" / "datasets" / "fashion-hires-256"))
    ap.add_argument("--lr-data", default=str(REPO.parent / "shared" / "datasets" / "fashion-small-64"))
    ap.add_argument("--faithful", default=str(REPO / "models" / "upscaler-x4"))
    ap.add_argument("--sharp", default=str(REPO / "models" / "upscaler-sharp-x4"))
    ap.add_argument("--classifier", default=str(REPO / "models" / "attribute-classifier"))
    ap.add_argument("--out", default=str(REPO / "bench" / "results" / result))
    return ap


def main(argv=None) -> int:
    ap = parser("upscale.json")
    ap.add_argument("--compare", default=str(REPO / "docs" / "upscale-compare.png"))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--kinds", default="real,synthetic")
    a = ap.parse_args(argv)
    torch.set_num_threads(a.threads)
    names, hr, lr = load_pairs(Path(a.data), "val", Path(a.lr_data), a.limit)
    methods = methods_for(a)
    clf = load_classifier(Path(a.classifier))
    results = {k: score_kind(k, methods, names, hr, lr, clf) for k in a.kinds.split(",")}
    pics = [l for _, l, _ in inputs("real", names[:40], hr, lr)]
    for k, v in results.items():
        print(k, json.dumps(v), flush=True)
    report = {"command": shlex.join(["python", "bench/upscale.py", *(argv if argv is not None else sys.argv[1:])]),
              "split": "val", "data": Path(a.data).name, "lr_data": Path(a.lr_data).name,
              "models": {m: str(Path(getattr(a, m)).name) for m in ("faithful", "sharp") if m in methods},
              "threads": a.threads, "cpu": platform.processor() or platform.machine(),
              "timing_64_to_256": [timing_64(methods, pics, t) for t in (1, a.threads)], "results": results}
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    Path(a.out).write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {a.out}")
    if a.compare:
        from bench.upscale_sheet import compare_sheet

        compare_sheet(methods, Path(a.compare), Path(a.data))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
