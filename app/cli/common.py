"""Shared pieces of the sub-commands: building the engine from the paths, checking output folders."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def make_engine(device: str = "auto"):
    """The real engine on the default paths (bundled models + the user's own)."""
    from app.engine.generate import Engine
    from app.engine.registry import Registry
    from app.paths import AppPaths

    paths = AppPaths.default()
    return Engine(Registry(paths.bundled_models, paths.user_models), device=device,
                  upscaler_factory=_upscaler_factory(paths),
                  classifier_dir=paths.bundled_models / "attribute-classifier")


def _upscaler_factory(paths):
    """(device, style) → the bundled upscaler of that style ("sharp": upscaler-sharp-x4, "faithful": upscaler-x4)."""
    try:
        from app.engine.upscalers import load_style
    except ImportError:
        return None
    return lambda device, style: load_style(paths.bundled_models, style, device)


def prepare_out_dir(out: Path) -> Path:
    """Create the output folder if needed and prove it is writable, before any work is done."""
    from app.cli import CliError

    try:
        out.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".vitrine-probe-", dir=out)
        os.close(fd)
        os.unlink(probe)
    except FileExistsError:
        raise CliError(f"{out} exists and is not a folder.") from None
    except OSError as e:
        raise CliError(f"The folder {out} cannot be written to ({e.strerror or e}).") from None
    return out
