"""The window's jobs on the engine worker (app.workers): each is `fn(engine, control)`, a plain call or a generator
of app.engine.jobs.Progress that returns its result. They run on the worker thread; the state models submit them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Callable

from app.requests import GeneratedImage, GenerateRequest

# Pictures per chunk of a batch: small enough that thumbnails appear (and Cancel acts) within a moment.
CHUNK = 8


def load(model_id: str | None):
    return lambda engine, _control: engine.load(model_id or None)


def understand(description: str, overrides: dict[str, str]):
    overrides = dict(overrides)
    return lambda engine, _control: engine.understand(description, overrides)


def list_models():
    return lambda engine, _control: [(m.id, m.name) for m in engine.models()]


def pictures(engine, req: GenerateRequest, control, preview: bool = False):
    """The engine's generation job (Progress whose `partial` holds the pictures so far; returns them all).

    A slider preview paints the faster, inexact way (each picture alone); kept pictures always come the exact way,
    whose pixels never depend on the batch.
    """
    return (yield from engine.generate_job(req, control, chunk=CHUNK, exact=not preview))


@dataclass(frozen=True)
class Batch:
    """What a batch left in the gallery."""

    request: GenerateRequest
    items: list  # GalleryItem, in order
    seconds: float  # the engine's time for it
    stopped: bool  # the merchant stopped it before every picture was made


def batch(req: GenerateRequest, sink: Callable[[list[GeneratedImage]], list]):
    """Paint `req` into the gallery: each chunk is written by `sink` as soon as it is painted; Progress.partial is
    every gallery item written so far."""

    def fn(engine, control):
        items: list = []
        made = 0
        gen = pictures(engine, req, control)
        while True:
            try:
                p = next(gen)
            except StopIteration:
                break
            images = p.partial or []
            items += list(sink(list(images[made:])) or [])
            made = len(images)
            yield replace(p, partial=list(items))
        seconds = float(getattr(engine, "last_seconds", 0.0) or 0.0)
        return Batch(req, items, seconds, made < req.count)

    return fn


def preview(req: GenerateRequest):
    """One picture with the sliders applied (for the live preview)."""

    def fn(engine, control) -> GeneratedImage | None:
        images = yield from pictures(engine, req, control, preview=True)
        return images[-1] if images else None

    return fn


def damaged_models():
    """(id, sentence, source) of every damaged model folder the engine's registry sees."""

    def fn(engine, _control) -> list[tuple[str, str, str]]:
        damaged = getattr(getattr(engine, "registry", None), "damaged", None)
        return [(m.id, m.message, m.source) for m in damaged()] if callable(damaged) else []

    return fn


def remove_damaged(model_id: str):
    """Delete one of the shop's damaged model folders; returns its id."""

    def fn(engine, _control) -> Any:
        from app.engine.shop_models import remove_damaged as remove

        remove(engine.registry, model_id)
        return model_id

    return fn
