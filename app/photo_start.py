""""Start from photo": an inversion (app.engine.invert) run as a task on the app's one worker thread.

The task runs on the worker (the only thread that touches the engine), reports Progress, stops when the
worker's should_stop() says so, saves the inversion (request.json + latent.safetensors, so
app.engine.invert.rerender can remake every picture) and adds the photo, the reconstruction and its
variations to the gallery. Those gallery items carry an `origin` (where they come from); the found pictures
also carry their latent in the request (GenerateRequest.latent), so the engine remakes and edits them.

Runner protocol (tests inject a fake):
    runner(engine, request: InvertRequest, folder: Path, should_stop, report) -> PhotoOutcome
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable

import numpy as np

from app.requests import GeneratedImage, GenerateRequest, Progress


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
    """What the UI receives when the task ends (task_done)."""

    description: str
    items: list  # GalleryItem: photo, reconstruction, variations (empty when cancelled)
    cancelled: bool
    folder: Path | None


def engine_runner(engine: Any, request, folder: Path, should_stop: Callable[[], bool],
                  report: Callable[[Progress], None]) -> PhotoOutcome:
    """The real runner: app.engine.invert.Inversion on the worker's engine, saved with save_inversion."""
    from app.engine.invert import Inversion, found_request, save_inversion

    job = Inversion(engine, request)
    for p in job.run(should_stop):
        report(p)
    r = job.result
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


def photo_task(photo: str | Path, store, inversions_root: Path, model_id: str = "", description: str = "",
               runner: Callable[..., PhotoOutcome] | None = None, steps: int = 150, variations: int = 4):
    """A worker task (see EngineWorker.submit_task) that starts from `photo` and fills the gallery."""
    from app.engine.invert import InvertRequest

    request = InvertRequest(photo=str(photo), model_id=model_id, steps=steps, variations=variations,
                            description=description)
    run = runner or engine_runner

    def task(engine, should_stop, report) -> PhotoStartResult:
        folder = Path(inversions_root) / f"{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:8]}"
        out = run(engine, request, folder, should_stop, report)
        if out.cancelled:
            return PhotoStartResult(out.description, [], True, None)
        base = GenerateRequest(description=out.description, model_id=out.model_id, model_hash=out.model_hash,
                               size=int(out.reconstruction.shape[0]))

        def found(k: int) -> GenerateRequest:  # picture k found from the photo (0 = reconstruction)
            return replace(base, latent=out.latents[k]) if k < len(out.latents) else base

        # The merchant's own photo goes into the gallery at its own resolution, not as the model saw it.
        images = [GeneratedImage(own_photo(photo, out.photo), base), GeneratedImage(out.reconstruction, found(0))]
        batch = str(folder)  # the gallery keeps the pictures of one photo together, in this order
        origins: list[dict] = [{"kind": "photo", "path": str(photo), "batch": batch},
                               {"kind": "inversion", "folder": str(folder), "name": "reconstruction", "batch": batch}]
        for i, pixels in enumerate(out.variations):
            images.append(GeneratedImage(pixels, found(i + 1), i + 1))
            origins.append({"kind": "inversion", "folder": str(folder), "name": f"variation-{i + 1}", "batch": batch})
        return PhotoStartResult(out.description, store.add(images, origins), False, folder)

    return task
