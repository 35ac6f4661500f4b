"""Benchmark of the 4x upscaler on the validation split: PSNR / SSIM / CPU time vs bicubic and Lanczos.

    .venv/bin/python bench/upscale.py [--data ...hires-256] [--lr-data ...small-64] [--model models/upscaler-x4]
                                      [--out bench/upscale-results.json] [--compare docs/upscale-compare.png]

Two low-resolution inputs per val photo: "real" = the aligned fashion-small-64 picture (an independent
downscale of the original + JPEG q92), "synthetic" = HR.resize(64) (PIL bicubic). PSNR on RGB (0–255),
SSIM on the BT.601 Y channel with an 11×11 gaussian window (σ = 1.5), both over the whole 256 px picture.
Timing: one picture per call, median over the val set, torch threads as given (--threads, default 2).
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path

import numpy as np
import torch
from PIL import Image, ImageDraw

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.engine.upscale import decode, load_pairs, load_upscaler, psnr, ssim_y  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="/work/shared/datasets/fashion-hires-256")
    ap.add_argument("--lr-data", default="/work/shared/datasets/fashion-small-64")
    ap.add_argument("--model", default=str(REPO / "models" / "upscaler-x4"))
    ap.add_argument("--out", default=str(REPO / "bench" / "upscale-results.json"))
    ap.add_argument("--compare", default=str(REPO / "docs" / "upscale-compare.png"))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--limit", type=int, default=None)
    a = ap.parse_args(argv)
    torch.set_num_threads(a.threads)

    names, hr, lr = load_pairs(Path(a.data), "val", Path(a.lr_data), a.limit)
    up = load_upscaler(Path(a.model), "cpu")
    methods = {
        "bicubic": lambda l: np.asarray(Image.fromarray(l).resize((l.shape[1] * 4, l.shape[0] * 4), Image.Resampling.BICUBIC)),
        "lanczos": lambda l: np.asarray(Image.fromarray(l).resize((l.shape[1] * 4, l.shape[0] * 4), Image.Resampling.LANCZOS)),
        "model": lambda l: up(l[None])[0],
    }
    for f in methods.values():  # warm-up
        f(np.zeros((64, 64, 3), np.uint8))
    results: dict = {}
    for kind in ("real", "synthetic"):
        scores = {m: {"psnr": [], "ssim": [], "ms": []} for m in methods}
        n_used = 0
        for n in names:
            h = decode(hr[n])
            if kind == "real":
                if n not in lr:
                    continue
                l = np.asarray(decode(lr[n]))
            else:
                l = np.asarray(h.resize((h.width // 4, h.height // 4)))
            ha = np.asarray(h)
            n_used += 1
            for m, f in methods.items():
                t = time.perf_counter()
                o = f(l)
                scores[m]["ms"].append((time.perf_counter() - t) * 1000)
                scores[m]["psnr"].append(psnr(o, ha))
                scores[m]["ssim"].append(ssim_y(o, ha))
        res = {m: {"psnr_db": round(float(np.mean(s["psnr"])), 3), "ssim_y": round(float(np.mean(s["ssim"])), 4),
                   "ms_median": round(float(np.median(s["ms"])), 2)} for m, s in scores.items()}
        bic_ms = res["bicubic"]["ms_median"]
        for m in res:
            res[m]["time_vs_bicubic"] = round(res[m]["ms_median"] / bic_ms, 1)
        res["model"]["gain_db_vs_bicubic"] = round(res["model"]["psnr_db"] - res["bicubic"]["psnr_db"], 3)
        res["model"]["gain_db_vs_lanczos"] = round(res["model"]["psnr_db"] - res["lanczos"]["psnr_db"], 3)
        wins = int(np.sum(np.array(scores["model"]["psnr"]) > np.array(scores["bicubic"]["psnr"])))
        res["model"]["images_better_than_bicubic"] = f"{wins}/{n_used}"
        results[kind] = {"images": n_used, **res}
        print(kind, json.dumps(results[kind]), flush=True)

    report = {"split": "val", "data": a.data, "lr_data": a.lr_data, "model": a.model, "threads": a.threads,
              "cpu": platform.processor() or platform.machine(),
              "metrics": "PSNR on RGB 0-255, SSIM on BT.601 Y (11x11 gaussian, sigma 1.5), whole 256 px picture",
              "results": results}
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    Path(a.out).write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {a.out}")
    if a.compare:
        compare_sheet(up, Path(a.compare), [(n, hr[n], lr.get(n)) for n in names[:3]])
    return 0


def compare_sheet(up, dest: Path, val_rows) -> None:
    """Rows: LR nearest | Lanczos | model | HR (val photos, HR = the real 256 px photo) and generated products
    from models/vitrine-base (HR column = model output again is meaningless, so it shows bicubic instead)."""
    rows = []
    for n, hb, lb in val_rows:
        h = decode(hb)
        l = decode(lb) if lb else h.resize((64, 64))
        rows.append((f"val {n}", np.asarray(l), np.asarray(h)))
    try:
        from app.engine.generate import Engine
        from app.engine.registry import Registry
        from app.requests import GenerateRequest

        eng = Engine(Registry(REPO / "models", None), device="cpu")
        for desc, seed in (("red t-shirt for men", 3), ("black leather handbag for women", 5), ("white sports shoes", 7)):
            img = eng.generate(GenerateRequest(desc, seed=seed, count=1, size=64))[0].pixels
            rows.append((f"gen: {desc}", img, None))
    except Exception as e:  # the sheet still shows the val photos
        print(f"generated rows skipped: {e.__class__.__name__}: {e}", file=sys.stderr)
    S, pad, top = 256, 4, 18
    cols = ("LR 64 (nearest)", "Lanczos x4", "model x4", "HR 256 / bicubic")
    sheet = Image.new("RGB", (4 * S + 5 * pad, len(rows) * (S + top) + pad + top), (200, 200, 200))
    d = ImageDraw.Draw(sheet)
    for j, c in enumerate(cols):
        d.text((pad + j * (S + pad) + 4, 3), c, fill=(0, 0, 0))
    for i, (label, l, h) in enumerate(rows):
        y = top + i * (S + top)
        d.text((pad + 4, y + 3), label, fill=(0, 0, 0))
        li = Image.fromarray(l)
        last = Image.fromarray(h) if h is not None else li.resize((S, S), Image.Resampling.BICUBIC)
        ims = [li.resize((S, S), Image.Resampling.NEAREST), li.resize((S, S), Image.Resampling.LANCZOS),
               Image.fromarray(up(l[None])[0]), last]
        for j, im in enumerate(ims):
            sheet.paste(im, (pad + j * (S + pad), y + top))
    dest.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(dest)
    print(f"wrote {dest}")


if __name__ == "__main__":
    raise SystemExit(main())
