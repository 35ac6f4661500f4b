"""docs/base-compare.png: the shipped model vs a new one, 16 descriptions (8 English, 8 Chinese) × 6 seeds each,
with a real catalogue photo of the same product type at the end of each row (issue #15: look before believing).

Usage: python bench/model_sheet.py OLD_MODEL_DIR NEW_MODEL_DIR [--data ../shared/datasets/fashion-small-64]
                                   [--out docs/base-compare.png] [--size 64]
"""

from __future__ import annotations

import argparse
import functools
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402
from PIL import Image, ImageDraw, ImageFont  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from upscale_sheet import real_photo  # noqa: E402  (one reader of catalogue photos for the sheets)

# (description as a merchant types it, catalogue article type of the real photo beside it)
ROWS = (
    ("red leather handbag for women", "Handbags"), ("navy blue cotton shirt for men", "Shirts"),
    ("black running shoes for men", "Sports Shoes"), ("pink dress for women", "Dresses"),
    ("grey track pants for men", "Track Pants"), ("silver watch for women", "Watches"),
    ("blue jeans for women", "Jeans"), ("brown leather sandals for men", "Sandals"),
    ("男士深蓝色棉质衬衫", "Shirts"), ("女士红色连衣裙", "Dresses"), ("男士黑色T恤", "Tshirts"),
    ("女士白色平底鞋", "Flats"), ("黑色双肩包", "Backpacks"), ("女士金色项链", "Necklace and Chains"),
    ("男士棕色钱包", "Wallets"), ("女士绿色库尔塔", "Kurtas"),
)
SEEDS = (1, 2, 3, 4, 5, 6)
FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")


@functools.lru_cache(maxsize=None)
def _engine(model_dir: Path):
    """One engine per model folder for the whole sheet (the folder seen through a one-model registry)."""
    from app.engine.generate import Engine
    from app.engine.registry import Registry

    root = Path(tempfile.mkdtemp(prefix="vitrine-sheet-"))
    (root / model_dir.name).symlink_to(model_dir.resolve())
    return Engine(Registry(root, None), device="cpu")


def pictures(model_dir: Path, desc: str, size: int) -> list[np.ndarray] | str:
    """Six pictures of one description from the model in `model_dir`, or the engine's message when it refuses."""
    from app.engine.generate import GenerationError
    from app.requests import GenerateRequest

    try:
        return [_engine(model_dir).generate(GenerateRequest(desc, seed=seed, count=1, size=size,
                                                            model_id=model_dir.name))[0].pixels for seed in SEEDS]
    except GenerationError as e:
        return str(e)


def sheet(old: Path, new: Path, data: Path, size: int) -> Image.Image:
    font = ImageFont.truetype(str(FONT), 13) if FONT.exists() else ImageFont.load_default()
    pad, label = 4, 18
    cols = 2 * len(SEEDS) + 1
    w, h = pad + cols * (size + pad) + 2 * pad, label + len(ROWS) * (size + label + pad) + pad
    img = Image.new("RGB", (w, h), (205, 205, 205))
    d = ImageDraw.Draw(img)
    d.text((pad, 2), f"left: {old.name} (shipped)   |   right: {new.name} (new)   |   last: a real photo", font=font,
           fill=(0, 0, 0))
    for i, (desc, article) in enumerate(ROWS):
        y = label + i * (size + label + pad)
        d.text((pad, y), f"{desc}   [{article}]", font=font, fill=(0, 0, 0))
        x = pad
        for k, folder in enumerate((old, new)):
            got = pictures(folder, desc, size)
            for j in range(len(SEEDS)):
                if isinstance(got, list):
                    img.paste(Image.fromarray(got[j]).resize((size, size)), (x, y + label))
                elif j == 0:
                    d.text((x, y + label + 4), got[:40], font=font, fill=(120, 0, 0))
                x += size + pad
            x += pad if k == 0 else 0
        real = real_photo(data, article)
        if real is not None:
            img.paste(Image.fromarray(real).resize((size, size)), (x + pad, y + label))
    return img


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("old", type=Path)
    p.add_argument("new", type=Path)
    p.add_argument("--data", type=Path, default=Path("../shared/datasets/fashion-small-64"))
    p.add_argument("--out", type=Path, default=Path("docs/base-compare.png"))
    p.add_argument("--size", type=int, default=64)
    args = p.parse_args()
    sheet(args.old, args.new, args.data, args.size).save(args.out)
    print(args.out)


if __name__ == "__main__":
    main()
