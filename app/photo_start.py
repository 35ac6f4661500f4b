""""Start from photo": an inversion (app.engine.invert) run as a job on the app's engine worker (app.workers).

The job runs on the worker (the only thread that touches the engine), yields Progress, stops when its
JobControl says so, saves the inversion (request.json + latent.safetensors, so
app.engine.invert.rerender can remake every picture) and adds the photo, the reconstruction and its
variations to the gallery. Those gallery items carry an `origin` (where they come from); the found pictures
also carry their latent in the request (GenerateRequest.latent), so the engine remakes and edits them.

Runner protocol (tests inject a fake), a job in app.engine.jobs' sense:
    runner(engine, request: InvertRequest, folder: Path, control: JobControl) -> Generator[Progress, None, PhotoOutcome]
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Generator

import numpy as np

from app.engine.jobs import Progress
from app.requests import GeneratedImage, GenerateRequest


MAX_PHOTO_SIDE = 2048  # the merchant's own photo is kept up to this long side (the largest listing size)


@dataclass
class PhotoOutcome:
    """What a runner found: pictures are (R, R, 3) uint8."""

    photo: np.ndarray  # the merchant's photo, prepared like a training photo
    reconstruction: np.ndarray
    variations: list[np.ndarray]
    description: str  # the description used or guessed
    model_id: str
    model_hash: str
    cancelled: bool = False
    metrics: dict[str, float] = field(default_factory=dict)
    # app.latent_code text of the reconstruction then of each variation ([] when the runner has none): it
    # makes those pictures remakeable, so sliders, variations and a new description apply to them.
    latents: list[str] = field(default_factory=list)


@dataclass
class PhotoStartResult:
    """What the UI receives when the job ends (its result)."""

    description: str
    items: list  # GalleryItem: photo, reconstruction, variations (empty when cancelled)
    cancelled: bool
    folder: Path | None


def engine_runner(engine: Any, request, folder: Path, control) -> Generator[Progress, None, PhotoOutcome]:
    """The real runner: app.engine.invert.Inversion on the worker's engine, saved with save_inversion."""
    from app.engine.invert import Inversion, found_request, save_inversion

    r = yield from Inversion(engine, request).run(control)
    if not r.cancelled:
        folder.mkdir(parents=True, exist_ok=True)
        save_inversion(r, folder)
    latents = [found_request(r, w).latent for w in [r.w] + [v[1] for v in r.variations]]
    return PhotoOutcome(r.photo, r.reconstruction, [v[0] for v in r.variations], r.description, r.model_id,
                        r.model_hash, r.cancelled, dict(r.metrics), latents)


def own_photo(path: str | Path, fallback: np.ndarray | None = None, max_side: int = MAX_PHOTO_SIDE) -> np.ndarray:
    """The merchant's photo as (H, W, 3) uint8 RGB: upright (EXIF), alpha on white, its own size up to `max_side`
    on the long side (larger photos are shrunk with Lanczos). `fallback` when the file can no longer be read."""
    from PIL import Image

    from app.data.pictures import PictureError, read_picture

    try:
        img = read_picture(Path(path))
    except (PictureError, OSError):
        if fallback is None:
            raise
        return fallback
    w, h = img.size
    if max(w, h) > max_side:
        k = max_side / max(w, h)
        img = img.resize((max(1, round(w * k)), max(1, round(h * k))), Image.Resampling.LANCZOS)
    return np.asarray(img.convert("RGB"), dtype=np.uint8)


def photo_job(photo: str | Path, sink: Callable[[list], list], inversions_root: Path, model_id: str = "",
              description: str = "", runner: Callable[..., Any] | None = None, steps: int = 150, variations: int = 4):
    """A worker job (app.workers: fn(engine, control), a generator of Progress) that starts from `photo` and puts
    the photo, the picture found and its variations into the gallery through `sink` (GalleryStore.add)."""
    from app.engine.invert import InvertRequest

    request = InvertRequest(photo=str(photo), model_id=model_id, steps=steps, variations=variations,
                            description=description)
    run = runner or engine_runner

    def job(engine, control) -> Generator[Progress, None, PhotoStartResult]:
        folder = Path(inversions_root) / f"{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:8]}"
        out = yield from run(engine, request, folder, control)
        if out.cancelled:
            return PhotoStartResult(out.description, [], True, None)
        images, origins = _gallery_pictures(photo, out, folder)
        return PhotoStartResult(out.description, sink(images, origins), False, folder)

    return job


def _gallery_pictures(photo, out: PhotoOutcome, folder: Path) -> tuple[list[GeneratedImage], list[dict]]:
    """The merchant's photo (at its own resolution, not as the model saw it), the picture found and its variations,
    with where each comes from; the gallery keeps the pictures of one photo together, in this order."""
    base = GenerateRequest(description=out.description, model_id=out.model_id, model_hash=out.model_hash,
                           size=int(out.reconstruction.shape[0]))

    def found(k: int) -> GenerateRequest:  # picture k found from the photo (0 = reconstruction)
        return replace(base, latent=out.latents[k]) if k < len(out.latents) else base

    images = [GeneratedImage(own_photo(photo, out.photo), base), GeneratedImage(out.reconstruction, found(0))]
    batch = str(folder)
    origins: list[dict] = [{"kind": "photo", "path": str(photo), "batch": batch},
                           {"kind": "inversion", "folder": str(folder), "name": "reconstruction", "batch": batch}]
    for i, pixels in enumerate(out.variations):
        images.append(GeneratedImage(pixels, found(i + 1), i + 1))
        origins.append({"kind": "inversion", "folder": str(folder), "name": f"variation-{i + 1}", "batch": batch})
    return images, origins
