"""Model folders on disk: safetensors weights + config.json (format version, hashes) + card; atomic writes."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

import torch
from safetensors import SafetensorError
from safetensors.torch import load_file, save_file

FORMAT_VERSION = 1
SUPPORTED_FORMATS = (1,)
CONFIG = "config.json"
CARD = "MODEL_CARD.md"
MAX_CONFIG_BYTES = 16 << 20


class ModelError(Exception):
    """A model folder that cannot be used; the message is one sentence for the merchant.

    `reason` is a short phrase for the model list ("its config.json is damaged"); "" when the error is not
    about the folder itself (e.g. no model of that name).
    """

    reason: str = ""


def _error(sentence: str, reason: str) -> ModelError:
    e = ModelError(sentence)
    e.reason = reason
    return e


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def fsync_dir(path: Path) -> None:
    """Make a rename inside `path` durable (best effort: some file systems refuse to open folders)."""
    try:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError:
        pass


def write_model_dir(dest: Path, config: dict, tensors: dict[str, dict[str, torch.Tensor]], card: str = "",
                    extra_files: dict[str, bytes] | None = None) -> Path:
    """Write a model folder atomically: everything goes to a temporary sibling, then one rename.

    tensors maps file stem ("generator", "discriminator", "directions") → state dict.
    The config gains `format_version` and the sha256 of every weight file.
    """
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    recover_model_dir(dest)
    # The process id in the name lets the start-up sweep (app.staging) tell a live save from a killed one.
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.pid{os.getpid()}-", suffix=".partial", dir=dest.parent))
    try:
        _write_into(tmp, dest, config, tensors, card, extra_files)
    except BaseException as e:
        shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(e, (OSError, SafetensorError)):
            raise save_error(e, dest, tensors) from None
        raise
    return dest


def save_error(e: BaseException, dest: Path, tensors: dict) -> ModelError:
    """A failed save as one sentence: a full disk is named as such (safetensors reports it as its own error)."""
    from app.engine.messages import say

    text = str(e)
    full = getattr(e, "errno", None) in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)) or \
        "No space left" in text or "StorageFull" in text or "os error 28" in text or "Disk quota" in text
    need = max(1, sum(v.numel() * v.element_size() for state in tensors.values() for v in state.values()) >> 20)
    if full:
        return _error(say("disk_full", what=dest.name, folder=dest.parent, need=need), "the disk is full")
    error = getattr(e, "strerror", None) or text.splitlines()[0][:120] if text else type(e).__name__
    return _error(say("write_failed", what=dest.name, folder=dest.parent, error=error), "it could not be saved")


def _write_into(tmp: Path, dest: Path, config: dict, tensors: dict, card: str, extra_files: dict | None) -> None:
    """The body of write_model_dir: fill `tmp`, flush it, then swap it in for `dest` (two renames)."""
    files = {}
    for stem, state in tensors.items():
        path = tmp / f"{stem}.safetensors"
        save_file({k: v.detach().contiguous().cpu() for k, v in state.items()}, str(path))
        files[path.name] = sha256_file(path)
    for name, data in (extra_files or {}).items():
        (tmp / name).write_bytes(data)
    config = {**config, "format_version": FORMAT_VERSION, "files": files}
    (tmp / CONFIG).write_text(json.dumps(config, indent=2, ensure_ascii=False), encoding="utf-8")
    if card:
        (tmp / CARD).write_text(card, encoding="utf-8")
    for p in tmp.iterdir():
        with open(p, "rb+") as f:
            os.fsync(f.fileno())
    old = None
    if dest.exists():
        old = dest.with_name(f".{dest.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        os.replace(dest, old)
    os.replace(tmp, dest)
    fsync_dir(dest.parent)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def recover_model_dir(dest: Path) -> bool:
    """Put back the previous model folder if a save was killed between its two renames.

    write_model_dir moves `dest` aside to `.dest.old` and then moves the new folder in; a crash between the
    two leaves only `.dest.old`. Returns True when it restored it.
    """
    dest = Path(dest)
    old = dest.with_name(f".{dest.name}.old")
    if dest.exists() or not old.is_dir():
        return False
    try:
        os.replace(old, dest)
    except OSError:
        return False
    return True


def read_config(folder: Path, verify: bool = False) -> dict:
    """Read a picture model folder's config.json and check it with the one validator (app.engine.model_check):
    schema, bounds, file names inside the folder, vocabulary, format version; the listed files present
    (and, with `verify`, matching their sha256). Raises ModelError with a `reason`."""
    from app.engine import model_check

    config = read_config_file(folder)
    model_check.check_config(config, Path(folder).name)
    return model_check.check_folder(Path(folder), config, verify)


def read_config_file(folder: Path) -> dict:
    """Read any model folder's config.json (GAN, upscaler, classifier) and check its format version."""
    folder = Path(folder)
    recover_model_dir(folder)
    try:
        if (folder / CONFIG).stat().st_size > MAX_CONFIG_BYTES:  # a config is a few kB; never read a huge one
            raise _error(f"The model {folder.name} has a damaged config.json (too large).", "its config.json is damaged")
        config = json.loads((folder / CONFIG).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise _error(f"The model folder {folder.name} has no config.json.", "config.json is missing") from None
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise _error(f"The model {folder.name} has a damaged config.json.", "its config.json is damaged") from None
    except OSError as e:
        raise _error(f"The model {folder.name} cannot be read ({e.strerror or e}).", "config.json cannot be read") from None
    if not isinstance(config, dict) or type(config.get("format_version")) is not int \
            or config.get("format_version") not in SUPPORTED_FORMATS:
        version = config.get("format_version") if isinstance(config, dict) else None
        raise _error(f"The model {folder.name} uses format version {str(version)[:20]}, which this Vitrine cannot read.",
                     "it uses a format version this Vitrine cannot read")
    return config


def load_tensors(folder: Path, stem: str, config: dict, verify: bool = True) -> dict[str, torch.Tensor]:
    """Load one weight file after checking its hash; never unpickles."""
    folder = Path(folder)
    name = f"{stem}.safetensors"
    path = folder / name
    expected = config.get("files", {}).get(name)
    if expected is None or not path.exists():
        raise _error(f"The model {folder.name} is missing {name}.", "a weight file is missing")
    if verify and sha256_file(path) != expected:
        raise _error(f"The model {folder.name} was changed after it was saved ({name} does not match its hash).",
                     "a weight file does not match its hash")
    try:
        return load_file(str(path))
    except (SafetensorError, OSError, ValueError) as e:
        raise _error(f"The model {folder.name} has an unreadable {name} ({e.__class__.__name__}).",
                     "the weights cannot be read") from None


def load_state(module: torch.nn.Module, state: dict[str, torch.Tensor], what: str) -> None:
    """Copy weights into a module, turning any shape or name mismatch into a ModelError."""
    try:
        module.load_state_dict(state, strict=True)
    except RuntimeError as e:
        first = str(e).strip().splitlines()[0][:160]
        raise _error(f"The {what} weights do not fit this network: {first}", "the weights do not fit the network") from None
