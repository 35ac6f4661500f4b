"""Read training photos with their conditions: the fashion tar-shard layout, or a folder plus a CSV."""

from __future__ import annotations

import csv
import io
import tarfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from app.engine import vocab


@dataclass
class PhotoSet:
    """Decoded photos and what they show. images: (N, R, R, 3) uint8; labels: (N, 3) int, -1 = unknown."""

    images: np.ndarray
    labels: np.ndarray  # columns follow vocab.ATTRIBUTES order: category, colour, gender
    titles: list[str]
    ids: list[str]

    def __len__(self) -> int:
        return len(self.ids)

    def subset(self, idx) -> "PhotoSet":
        idx = np.asarray(idx)
        return PhotoSet(self.images[idx], self.labels[idx], [self.titles[i] for i in idx], [self.ids[i] for i in idx])


def _labels(row: dict, voc: vocab.Vocabulary) -> list[int]:
    out = []
    for attribute, column in (("category", "articleType"), ("colour", "baseColour"), ("gender", "gender")):
        i = voc.index_of(attribute, row.get(column, "") or "")
        out.append(-1 if i is None else i)
    return out


def _decode(data: bytes, resolution: int) -> np.ndarray:
    img = Image.open(io.BytesIO(data))
    img = img.convert("RGB")
    if img.size != (resolution, resolution):
        img = pad_to_square(img).resize((resolution, resolution), Image.Resampling.LANCZOS)
    return np.asarray(img, np.uint8)


def pad_to_square(img: Image.Image, fill=(255, 255, 255)) -> Image.Image:
    """Centre an RGB picture on a white square canvas."""
    w, h = img.size
    if w == h:
        return img
    side = max(w, h)
    canvas = Image.new("RGB", (side, side), fill)
    canvas.paste(img, ((side - w) // 2, (side - h) // 2))
    return canvas


def load_fashion(root: Path, split: str = "train", resolution: int = 64, limit: int | None = None,
                 workers: int = 4, vocabulary: vocab.Vocabulary | None = None) -> PhotoSet:
    """Read the fashion-small-64 layout (captions.csv + images-*.tar). Only shards present are read.
    Labels are indices of `vocabulary` (default: the current version)."""
    root = Path(root)
    voc = vocabulary or vocab.get()
    rows = {r["file_name"]: r for r in csv.DictReader(open(root / "captions.csv", encoding="utf-8"))
            if split in ("all", r.get("split", "train"))}
    blobs: list[tuple[dict, bytes]] = []
    for shard in sorted(root.glob("images-*.tar")) or sorted(root.glob("*.tar")):
        with tarfile.open(shard) as tar:
            for member in tar:
                row = rows.get(Path(member.name).name)
                if row is not None and member.isfile():
                    blobs.append((row, tar.extractfile(member).read()))
                    if limit and len(blobs) >= limit:
                        break
        if limit and len(blobs) >= limit:
            break
    if not blobs:
        raise FileNotFoundError(f"no {split} photos found in {root}")
    with ThreadPoolExecutor(workers) as pool:
        images = list(pool.map(lambda b: _decode(b[1], resolution), blobs))
    return PhotoSet(np.stack(images), np.asarray([_labels(r, voc) for r, _ in blobs], np.int64),
                    [r.get("productDisplayName", "") for r, _ in blobs], [r["file_name"] for r, _ in blobs])


def load_folder(root: Path, csv_path: Path | None = None, resolution: int = 64, understand=None,
                vocabulary: vocab.Vocabulary | None = None) -> PhotoSet:
    """Read a plain folder of photos with a CSV of `file_name,description` (or catalogue attribute columns).

    `understand` maps a description to an Understanding (the engine's TextConditioner.understand); it
    labels photos that have a description but no attribute columns. Labels are indices of `vocabulary`
    (default: the current version).
    """
    root = Path(root)
    voc = vocabulary or vocab.get()
    csv_path = Path(csv_path) if csv_path else next(iter(sorted(root.glob("*.csv"))), None)
    if csv_path is None:
        raise FileNotFoundError(f"no CSV of descriptions in {root}")
    images, labels, titles, ids = [], [], [], []
    for row in csv.DictReader(open(csv_path, encoding="utf-8")):
        path = root / row["file_name"]
        try:
            images.append(_decode(path.read_bytes(), resolution))
        except (OSError, ValueError):
            continue
        description = row.get("description") or row.get("productDisplayName") or ""
        lab = _labels(row, voc)
        if all(x < 0 for x in lab) and description and understand is not None:
            u = understand(description)
            lab = [_index(voc, a, u.guess(a)) for a in voc.attributes]
        labels.append(lab)
        titles.append(description)
        ids.append(row["file_name"])
    if not images:
        raise FileNotFoundError(f"no readable photos listed in {csv_path}")
    return PhotoSet(np.stack(images), np.asarray(labels, np.int64), titles, ids)


def _index(voc: vocab.Vocabulary, attribute: str, guess) -> int:
    """A guess read from the words of a description as an index of `voc`; -1 when not read from words."""
    if guess.source != "words":
        return -1
    i = voc.index_of(attribute, guess.key)
    return -1 if i is None else i


def load_any(path: Path, split: str = "train", resolution: int = 64, limit: int | None = None, understand=None,
             vocabulary: vocab.Vocabulary | None = None) -> PhotoSet:
    """Pick the reader by layout: tar shards with captions.csv, else a folder with a CSV."""
    path = Path(path)
    if (path / "captions.csv").exists() and list(path.glob("*.tar")):
        return load_fashion(path, split, resolution, limit, vocabulary=vocabulary)
    return load_folder(path, resolution=resolution, understand=understand, vocabulary=vocabulary)


def condition_from_labels(labels: np.ndarray, drop: np.ndarray | None = None,
                          vocabulary: vocab.Vocabulary | None = None) -> np.ndarray:
    """(N, 3) label indices of `vocabulary` (default: the current version; a model's own for its conditions)
    → (N, cond_dim) probability blocks; unknown or dropped → uniform block."""
    blocks = []
    for j, (attribute, values) in enumerate((vocabulary or vocab.get()).attributes.items()):
        n = len(values)
        block = np.full((len(labels), n), 1.0 / n, np.float32)
        known = labels[:, j] >= 0
        if drop is not None:
            known &= ~drop[:, j]
        block[known] = np.eye(n, dtype=np.float32)[labels[known, j]]
        blocks.append(block)
    return np.concatenate(blocks, axis=1)
