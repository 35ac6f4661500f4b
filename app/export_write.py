"""Writing an export: the listing-ready files (composed, encoded, request and settings embedded), all or nothing
through a staging folder; remaking an exported file exactly. Names and the request live in app.export."""

from __future__ import annotations

import datetime as _dt
import errno
import json
import os
import tempfile
from pathlib import Path
from typing import Any, Callable, Generator, Sequence

import numpy as np

from app.engine.jobs import ControlLike, JobControl, Phase, Progress, run_job
from app.enlarging import StyledUpscaler, available, export_style
from app.export import (CUSTOM, MAX_SIZE, MIN_SIZE, ExportError, ExportItem, ExportRequest, ExportResult,
                        plan_paths)
from app.export_frame import compose
from app.metadata import FORMATS, encode_image
from app.requests import ENLARGE_STYLES, GenerateRequest
from app.staging import Staging


# ---- writing -----------------------------------------------------------------------------------------
def check_folder(folder: Path) -> Path:
    """Prove the chosen folder exists and can be written, before anything is done."""
    folder = Path(folder)
    if not str(folder).strip():
        raise ExportError("Choose a folder to export to.")
    if not folder.exists():
        raise ExportError("The folder %1 does not exist; choose another one or create it first.", folder)
    if not folder.is_dir():
        raise ExportError("%1 is a file, not a folder.", folder)
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ExportError("The folder %1 is read-only; choose another one.", folder)
    try:
        fd, probe = tempfile.mkstemp(prefix=".vitrine-probe-", dir=folder)
        os.close(fd)
        os.unlink(probe)
    except OSError as e:
        raise ExportError(*_os_message(e, folder)) from None
    return folder


def _os_message(e: OSError, folder: Path) -> tuple[str, ...]:
    """(sentence template, its arguments) for a failed write."""
    if e.errno == errno.ENOSPC or e.errno == getattr(errno, "EDQUOT", -1):
        return "The disk is full: nothing was exported to %1. Free some space and try again.", str(folder)
    if isinstance(e, PermissionError) or e.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "The folder %1 is read-only; nothing was exported. Choose another folder.", str(folder)
    return "Could not write to %1 (%2); nothing was exported.", str(folder), str(e.strerror or e)


def sidecar_bytes(request: GenerateRequest | None, export: ExportRequest, size: int,
                  settings: dict[str, Any] | None = None) -> bytes:
    data: dict[str, Any] = {"vitrine": 1}
    if request is not None:
        data["request"] = request.to_dict()
    data["export"] = {**(settings or export.settings()), "size": size, "white_background": export.force_white}
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


def render_item(item: ExportItem, export: ExportRequest, engine: Any = None) -> tuple[bytes, bytes | None]:
    """(picture file bytes, sidecar bytes or None) of one exported picture.

    The file carries the request and the export settings, so `regenerate` can make exactly this file again.
    A picture its request does not remake (the merchant's own photo: `item.remakeable` False) carries neither.
    """
    size = export.target_size
    style = export_style(engine, export.enlarge)  # Faithful when Sharp is not installed (recorded as such)
    settings = export.settings(engine_upscaler=bool(style), enlarge=style)
    request = item.request if getattr(item, "remakeable", True) else None
    pixels = compose(item.pixels, size, export.fill, export.force_white, StyledUpscaler(engine, style) if style else None)
    data = encode_image(pixels, request, export.format, export.quality, export=settings if request else None)
    return data, (sidecar_bytes(request, export, size, settings) if export.sidecar else None)


def checked_settings(settings: dict[str, Any]) -> dict[str, Any]:
    """Export settings read from a file, checked (a file may have been edited by hand or be hostile)."""
    try:
        out = {"version": 1, "preset": str(settings.get("preset", CUSTOM)), "size": int(settings["size"]),
               "fill": None if settings.get("fill") is None else float(settings["fill"]),
               "white": bool(settings.get("white")), "format": str(settings["format"]),
               "quality": int(settings.get("quality", 92)), "upscaler": bool(settings.get("upscaler"))}
        # Files exported before Sharp existed were enlarged by the faithful upscaler.
        out["enlarge"] = str(settings.get("enlarge") or "faithful") if out["upscaler"] else ""
    except (KeyError, TypeError, ValueError, OverflowError):
        raise ExportError("The export settings recorded in this file are damaged.") from None
    if (out["format"] not in FORMATS or not MIN_SIZE <= out["size"] <= MAX_SIZE or not 1 <= out["quality"] <= 100
            or (out["fill"] is not None and not 0.05 <= out["fill"] <= 1.0)
            or (out["upscaler"] and out["enlarge"] not in ENLARGE_STYLES)):
        raise ExportError("The export settings recorded in this file are out of range.")
    return out


def remake_exported(pixels: np.ndarray, request: GenerateRequest, settings: dict[str, Any],
                    engine: Any = None) -> bytes:
    """The bytes of an exported file made again from its picture (regenerated from `request`) and its settings."""
    s = checked_settings(settings)
    if s["upscaler"] and available(engine, s["enlarge"]) is None:  # another upscaler would give other pixels
        raise ExportError("The %1 upscaler that enlarged this file is not installed, so it cannot be made again "
                          "exactly.", s["enlarge"])
    out = compose(pixels, s["size"], s["fill"], s["white"], StyledUpscaler(engine, s["enlarge"]) if s["upscaler"] else None)
    return encode_image(out, request, s["format"], s["quality"], export=s)


def export_images(items: Sequence[ExportItem], export: ExportRequest, engine: Any = None,
                  progress: Callable[[Progress], None] | None = None,
                  should_stop: Callable[[], bool] = lambda: False,
                  replace: frozenset[Path] | set[Path] = frozenset(),
                  date: _dt.date | None = None) -> ExportResult:
    """export_job driven to its end (the command line, scripts and tests): progress(Progress) for each step."""
    return run_job(export_job(items, export, engine, should_stop, replace, date), progress)


def export_job(items: Sequence[ExportItem], export: ExportRequest, engine: Any = None, control: ControlLike = None,
               replace: frozenset[Path] | set[Path] = frozenset(),
               date: _dt.date | None = None) -> Generator[Progress, None, ExportResult]:
    """Write every item as a listing-ready file (request embedded, optional sidecar); all or nothing.

    A job (app.engine.jobs): yields Progress ("export.file", then "export.finished") and returns the ExportResult.

    Args:
        items: objects with `.pixels` (H, W, 3) uint8 and `.request` (the GenerateRequest that makes them).
        engine: optional Engine; its learned upscaler is used for enlarging when it has one.
        control: JobControl (or a should_stop callable); a stop undoes the batch.
        replace: existing files the merchant agreed to overwrite ("ask" policy); all others get -1, -2….
    Raises:
        ExportError: nothing was left behind (files written by this batch are removed, replaced ones restored).
    """
    control = JobControl.of(control)
    export.validate()
    if not items:
        raise ExportError("There are no pictures to export.")
    root = check_folder(Path(export.folder))
    paths, _ = plan_paths(items, export, date, replace)
    result = ExportResult(folder=paths[0].parent)
    total = len(items)
    # The batch is written into a hidden staging folder and renamed into place at the end, under a journal
    # that the next start settles (app.staging): all or nothing even when the process is killed.
    stage = None
    try:
        stage = Staging(root)
        for i, (item, path) in enumerate(zip(items, paths)):
            if control.should_stop():
                raise ExportError("Export cancelled; nothing was written.")
            yield Progress(Phase.RUNNING, i, total, "export.file", {"file": path.name, "done": i, "total": total})
            data, side_data = render_item(item, export, engine)
            stage.write(path, data)
            result.files.append(path)
            if side_data is not None:
                side = path.with_suffix(".json")
                stage.write(side, side_data)
                result.sidecars.append(side)
        stage.commit()
    except BaseException as e:
        if stage is not None:
            stage.abandon()
        if isinstance(e, OSError):
            raise ExportError(*_os_message(e, root)) from e
        raise
    yield Progress(Phase.FINISHED, total, total, "export.finished", {"done": total, "total": total})
    return result
