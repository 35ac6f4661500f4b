"""Shared pieces of the sub-commands: their Services (app.services), checking output folders."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def services_of(args):
    """The Services the command line built for this command (app.cli.main), or the default ones."""
    from app.services import Services

    found = getattr(args, "services", None)
    return found if found is not None else Services.default(getattr(args, "device", "auto") or "auto")


def make_engine(device: str = "auto"):
    """The real engine on the default paths (bundled models + the user's own); scripts and tests use it."""
    from app.services import Services

    return Services.default(device).engine()


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
