"""Reopen a Vitrine file (PNG, JPEG, WebP or JSON sidecar) and regenerate exactly the picture it records."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from app.metadata import read_request
from app.requests import GeneratedImage, GenerateRequest


class ReopenError(Exception):
    """A file that cannot be reopened or regenerated; the message is one sentence for the merchant."""


def open_request(path: Path) -> GenerateRequest:
    """The request recorded in a Vitrine file, or ReopenError saying why there is none."""
    try:
        return read_request(Path(path))
    except FileNotFoundError:
        raise ReopenError(f"The file {path} does not exist.") from None
    except ValueError as e:
        raise ReopenError(str(e)) from None


def model_available(engine: Any, request: GenerateRequest) -> bool:
    """Whether the engine has the model (and model version) the request was made with."""
    return unavailable(engine, request) is None


def unavailable(engine: Any, request: GenerateRequest) -> str | None:
    """Why the request's model cannot remake it, as one sentence (another version, damaged, not installed); None if it can."""
    from app.engine.checkpoints import ModelError
    from app.engine.messages import say

    try:
        info = engine.registry.find(request.model_id or None)
    except ModelError as e:
        if getattr(e, "reason", ""):  # installed but damaged: say so, with how to remove it
            return str(e)
        version = f" ({request.model_hash[:12]}…)" if request.model_hash else ""
        installed = ", ".join(f"{m.id} ({m.model_hash[:6]}…)" for m in engine.registry.list()) or "-"
        return say("not_installed", model=request.model_id or "default", version=version, installed=installed)
    if request.model_hash and not info.model_hash.startswith(request.model_hash[:12]):
        return say("other_version", model=info.id, made=request.model_hash[:6], installed=info.model_hash[:6])
    return None


def regenerate(source: Path | GenerateRequest, engine: Any, size: int | None = None) -> GeneratedImage:
    """Regenerate the picture a file (or request) records; same pixels as the first time on the same device.

    Args:
        size: render at this side instead of the recorded one (export uses it to avoid stretching).
    Raises:
        ReopenError: no request in the file, or the model it needs is not installed (named in the message).
    """
    from app.engine.checkpoints import ModelError
    from app.engine.generate import GenerationError

    request = source if isinstance(source, GenerateRequest) else open_request(Path(source))
    request = request.single(0) if request.count != 1 else request
    if size:
        request = replace(request, size=int(size))
    why = unavailable(engine, request)
    if why:
        raise ReopenError(why)
    try:
        return engine.generate(request)[0]
    except (GenerationError, ModelError) as e:
        raise ReopenError(str(e)) from None
