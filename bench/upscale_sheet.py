"""docs/upscale-compare.png: generated 64 px pictures enlarged by bicubic | Faithful | Sharp, beside a real
256 px photo of the same product type (from the high-resolution val/train photos)."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

REPO = Path(__file__).resolve().parent.parent
# (description, seed, catalogue article type of the real photo shown beside it)
ROWS = (
    ("red leather handbag for women", 7, "Handbags"), ("navy blue cotton shirt for men", 3, "Shirts"),
    ("black t-shirt for men", 5, "Tshirts"), ("white sports shoes for men", 2, "Sports Shoes"),
    ("silver watch for men", 4, "Watches"), ("blue jeans for men", 1, "Jeans"),
    ("red heels for women", 6, "Heels"), ("pink dress for women", 8, "Dresses"),
    ("black sunglasses", 9, "Sunglasses"), ("brown leather wallet for men", 10, "Wallets"),
    ("green kurta for women", 11, "Kurtas"), ("black backpack", 12, "Backpacks"),
)
COLUMNS = ("bicubic", "faithful", "sharp", "real photo (same type)")
SIDE, PAD, TOP = 256, 4, 18


def real_photo(data: Path, article: str) -> np.ndarray | None:
    from app.engine.upscale import decode, read_tar_members

    with open(data / "captions.csv", newline="", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["articleType"] == article]
    rows.sort(key=lambda r: r["split"] != "val")  # a val photo when there is one
    if not rows:
        return None
    got = read_tar_members(sorted(data.glob("*.tar")), {rows[0]["file_name"]})
    return np.asarray(decode(got[rows[0]["file_name"]])) if got else None


def generated(desc: str, seed: int) -> np.ndarray:
    from app.engine.generate import Engine
    from app.engine.registry import Registry
    from app.requests import GenerateRequest

    global _ENGINE
    if "_ENGINE" not in globals():
        _ENGINE = Engine(Registry(REPO / "models", None), device="cpu")
    return _ENGINE.generate(GenerateRequest(desc, seed=seed, count=1, size=64))[0].pixels


def compare_sheet(methods: dict, dest: Path, data: Path) -> None:
    sheet = Image.new("RGB", (4 * SIDE + 5 * PAD, len(ROWS) * (SIDE + TOP) + PAD + TOP), (200, 200, 200))
    d = ImageDraw.Draw(sheet)
    for j, c in enumerate(COLUMNS):
        d.text((PAD + j * (SIDE + PAD) + 4, 3), c, fill=(0, 0, 0))
    for i, (desc, seed, article) in enumerate(ROWS):
        y = TOP + i * (SIDE + TOP)
        d.text((PAD + 4, y + 3), f"{desc} (seed {seed})", fill=(0, 0, 0))
        small = generated(desc, seed)
        real = real_photo(data, article)
        tiles = [methods[m](small) if m in methods else None for m in COLUMNS[:3]] + [real]
        for j, t in enumerate(tiles):
            if t is not None:
                sheet.paste(Image.fromarray(t).resize((SIDE, SIDE)), (PAD + j * (SIDE + PAD), y + TOP))
    dest.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(dest)
    print(f"wrote {dest}", file=sys.stderr)
