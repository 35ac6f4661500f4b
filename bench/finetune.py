"""Few-shot fine-tuning benchmark: does a shop model get closer to a held-back set of the shop's photos?

Takes 60 photos of one narrow product line (one articleType in one colour) of fashion-small-64, learns
from 40 and holds back 20. Reports, for the base model and the fine-tuned model(s), the distance of
generated pictures (same description, 200 samples) to the 20 held-back photos, in two feature spaces:
- classifier: the attribute classifier's penultimate features (models/attribute-classifier, trained on real
  photos only; the same network for every model compared) — the main measure;
- d_features: L2-normalised pooled features of the frozen *base* discriminator (what the fine-tuner itself
  watches), kept for comparison with earlier runs;
each as KID (unbiased MMD², cubic kernel) ×1000 and as mean-feature distance; plus a pixel statistic (L2 of
the mean 16×16 picture). "Follows new descriptions": for descriptions unlike the shop's line, the share of
pictures the classifier reads as the asked product type and colour, base model vs shop model.

Usage: nice -n 10 .venv/bin/python bench/finetune.py --presets quick,standard [--threads 2]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import platform
import random
import sys
import tarfile
import tempfile
import time
from pathlib import Path

import numpy as np
import torch
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.engine.finetune import FinetuneRequest, features, finetune, kid, mean_feature_distance  # noqa: E402
from app.engine.imaging import to_uint8  # noqa: E402
from app.engine.loading import load_model  # noqa: E402
from app.engine.text import TextConditioner  # noqa: E402
from app.paths import AppPaths  # noqa: E402

DATA = Path("/work/shared/datasets/fashion-small-64")
# Descriptions unlike the shop's line, with what the classifier should read in their pictures.
NEW_DESCRIPTIONS = {"red heels for women": ("Heels", "Red"), "blue jeans for men": ("Jeans", "Blue"),
                    "white sports shoes": ("Sports Shoes", "White")}


def pick_line(n_total: int = 60):
    rows = list(csv.DictReader(open(DATA / "captions.csv", encoding="utf-8")))
    from collections import Counter
    val = Counter((r["articleType"], r["baseColour"]) for r in rows if r["split"] == "val")
    line, n_val = val.most_common(1)[0]
    chosen = [r for r in rows if r["split"] == "val" and (r["articleType"], r["baseColour"]) == line]
    note = f"val has {n_val} photos of {line[1]} {line[0]} (the most of any line), fewer than {n_total}; " \
           f"topped up with the first {n_total - n_val} train photos of the same line"
    if n_val < n_total:
        chosen += [r for r in rows if r["split"] == "train" and (r["articleType"], r["baseColour"]) == line][: n_total - n_val]
    else:
        note = f"{n_total} val photos of {line[1]} {line[0]}"
        chosen = chosen[:n_total]
    return line, chosen, note


def read_images(rows) -> dict[str, np.ndarray]:
    want = {r["file_name"] for r in rows}
    out = {}
    for shard in sorted(DATA.glob("images-*.tar")):
        with tarfile.open(shard) as tar:
            for m in tar:
                name = Path(m.name).name
                if name in want and m.isfile():
                    out[name] = np.asarray(Image.open(io.BytesIO(tar.extractfile(m).read())).convert("RGB").resize((64, 64)))
        if len(out) == len(want):
            break
    return out


@torch.no_grad()
def sample(model, text, description, n=200, seed=0):
    g = torch.Generator().manual_seed(seed)
    z = torch.randn(n, model.config["gan"]["z_dim"], generator=g)
    # Read in the model's own product vocabulary (the shipped base model is conditioned on version 1).
    c = torch.from_numpy(text.understand(description, vocabulary=model.vocabulary).condition()).unsqueeze(0).repeat(n, 1)
    return np.concatenate([to_uint8(model.generator(zz, cc)) for zz, cc in zip(z.split(50), c.split(50))])


def pixel_stat(a, b):
    m = lambda x: np.asarray([np.asarray(Image.fromarray(i).resize((16, 16), Image.Resampling.BILINEAR)) for i in x], np.float32).mean(0) / 255  # noqa: E731
    return float(np.linalg.norm(m(a) - m(b)))


def distances(judge, clf, imgs, held_imgs):
    out = {}
    for space, fn in (("classifier", clf.unit_features), ("d_features", lambda x: features(judge, x))):
        f, h = fn(imgs), fn(held_imgs)
        out[space] = {"kid_x1000": round(1000 * kid(f, h), 3), "mean_feature": round(mean_feature_distance(f, h), 4)}
    out["pixel_mean16"] = round(pixel_stat(imgs, held_imgs), 4)
    return out


def follows(clf, images, asked) -> float:
    """Share of pictures the classifier reads as the asked product type and colour."""
    from app.engine import vocab

    _, p = clf.run(images)
    voc = getattr(clf, "vocabulary", vocab.get())  # the classifier's own heads
    cat, col = voc.keys("category").index(asked[0]), voc.keys("colour").index(asked[1])
    return round(float(((p["category"].argmax(1) == cat) & (p["colour"].argmax(1) == col)).mean()), 3)


def reduction(base: dict, run: dict) -> dict:
    return {f"{space}_{k}": round(1 - run[space][k] / base[space][k], 3)
            for space in ("classifier", "d_features") for k in ("kid_x1000", "mean_feature")}


METRIC = ("KID×1000 and mean-feature distance of 200 generated pictures to the 20 held-back photos in the attribute "
          "classifier's feature space (main) and the frozen base discriminator's; pixel_mean16 = L2 of the mean 16×16 "
          "picture; lower is closer. follows_new_descriptions: share of 100 pictures the classifier reads as the "
          "asked type and colour")


def parse_args():
    ap = argparse.ArgumentParser()
    ap.add_argument("--presets", default="quick")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--diversity", type=float, default=None, help="FinetuneRequest.diversity (default: the request's)")
    ap.add_argument("--out", default=str(ROOT / "bench/results/finetune.json"))
    return ap.parse_args()


def split_line(seed: int):
    """The product line, its photos, the 40 to learn from and the 20 held back, and its description."""
    line, rows, note = pick_line()
    imgs = read_images(rows)
    names = [r["file_name"] for r in rows if r["file_name"] in imgs]
    random.Random(seed).shuffle(names)
    learn, held = names[:40], names[40:60]
    description = f"{line[1]} {line[0]}".lower().rstrip("s")  # "black watche" → fixed below
    description = {"Watches": "black watch"}.get(line[0], description) if line[1] == "Black" else description
    return line, note, imgs, learn, held, description


def baseline(args, line, note, imgs, learn, held_imgs, description, text, judge, clf, base) -> tuple[dict, np.ndarray]:
    """The result so far: the line, the base model's distances and how it follows other descriptions."""
    result = {"line": {"articleType": line[0], "baseColour": line[1]}, "selection": note, "learn": len(learn),
              "held_back": len(held_imgs), "description": description, "metric": METRIC,
              "command": "nice -n 10 .venv/bin/python bench/finetune.py " + " ".join(sys.argv[1:]),
              "device": f"CPU ({platform.processor() or platform.machine()}), torch threads {args.threads}, "
                        f"2-core machine",
              "understood": text.understand(description).as_dict()}
    base_samples = sample(base, text, description)
    result["base"] = distances(judge, clf, base_samples, held_imgs)
    # Sanity floor: the 40 learning photos themselves against the 20 held back.
    result["learn_photos_vs_held_back"] = distances(judge, clf, np.stack([imgs[n] for n in learn]), held_imgs)
    base_new = {d: sample(base, text, d, 100, 1) for d in NEW_DESCRIPTIONS}
    result["base_follows_new_descriptions"] = {d: follows(clf, base_new[d], a) for d, a in NEW_DESCRIPTIONS.items()}
    result["runs"] = {}
    try:  # keep earlier runs of other presets (same line, split and seed)
        old = json.loads(Path(args.out).read_text())
        if old.get("selection") == note and old.get("base") == result["base"]:
            result["runs"] = {k: v for k, v in old.get("runs", {}).items() if k not in args.presets.split(",")}
    except (OSError, ValueError):
        pass
    return result, base_samples


def run_preset(args, preset, photo_dir, paths, description, text) -> float:
    """Fine-tune one preset on the learning photos; the wall-clock seconds it took."""
    t0 = time.time()
    extra = {} if args.diversity is None else {"diversity": args.diversity}
    req = FinetuneRequest((str(photo_dir),), f"bench {preset}", preset=preset, description=description,
                          seed=args.seed, **extra)
    for p in finetune(req, paths, text=text):
        if p.done % 10 == 0 or p.message_key == "finetune.finished":
            print(preset, p.done, p.total, p.message, {k: round(v, 4) for k, v in p.metrics.items()}, flush=True)
    return time.time() - t0


def measure_preset(result, preset, wall, paths, description, text, judge, clf, held_imgs, base_samples, out) -> None:
    ft = load_model(paths.user_models / f"bench-{preset}")
    tr = ft.config["training"]
    s = sample(ft, text, description)
    d = distances(judge, clf, s, held_imgs)
    follow = {nd: follows(clf, sample(ft, text, nd, 100, 1), a) for nd, a in NEW_DESCRIPTIONS.items()}
    result["runs"][preset] = {**d, "steps": tr["steps"], "best_step": tr["best_step"], "train_wall_s": tr["wall_s"],
                              "total_wall_s": round(wall, 1), "batch": tr["batch"],
                              "reduction": reduction(result["base"], d), "follows_new_descriptions": follow}
    Image.fromarray(np.concatenate([np.concatenate(list(base_samples[:8]), 1), np.concatenate(list(s[:8]), 1),
                                    np.concatenate(list(held_imgs[:8]), 1)], 0)).save(
        Path(out).parent / f"finetune-{preset}.png")
    Path(out).write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print(json.dumps(result["runs"][preset], indent=1), flush=True)


def main() -> int:
    from app.engine.classifier import load_classifier

    args = parse_args()
    torch.set_num_threads(args.threads)
    line, note, imgs, learn, held, description = split_line(args.seed)
    held_imgs = np.stack([imgs[n] for n in held])
    text = TextConditioner()
    base = load_model(ROOT / "models/vitrine-base", with_discriminator=True)
    judge, clf = base.discriminator.eval(), load_classifier()
    result, base_samples = baseline(args, line, note, imgs, learn, held_imgs, description, text, judge, clf, base)
    with tempfile.TemporaryDirectory() as tmp:
        photo_dir = Path(tmp) / "photos"
        photo_dir.mkdir()
        for n in learn:
            Image.fromarray(imgs[n]).save(photo_dir / n.replace(".jpg", ".png"))
        paths = AppPaths.default(home=Path(tmp) / "home", bundled=ROOT / "models")
        for preset in [p for p in args.presets.split(",") if p]:
            wall = run_preset(args, preset, photo_dir, paths, description, text)
            measure_preset(result, preset, wall, paths, description, text, judge, clf, held_imgs, base_samples,
                           args.out)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print(json.dumps({k: v for k, v in result.items() if k != "runs"}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
