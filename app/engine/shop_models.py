"""The shop's own models: rename, delete, export to and import from one verified `.vitrine` file.

A `.vitrine` file is a zip holding exactly a model folder's flat files: config.json, *.safetensors and
optionally MODEL_CARD.md. Import checks everything before anything lands in the models folder: only those
names (no folders, so nothing can be written outside the target), sizes within limits, the format
version, the sha256 of every weight file against config.json, and that the weights build a network.
Nothing is ever unpickled.
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import tempfile
import zipfile
import zlib
from pathlib import Path

from app.engine.checkpoints import CARD, CONFIG, SUPPORTED_FORMATS, ModelError, load_tensors, read_config, \
    sha256_file, write_model_dir
from app.engine.messages import say
from app.engine.registry import ModelInfo, Registry
from app.engine.paths import AppPaths

EXTENSION = ".vitrine"
EXPORT_FORMAT = 1
MANIFEST = "vitrine-export.json"
MAX_MEMBER_BYTES = 1 << 30  # 1 GiB per file
MAX_TOTAL_BYTES = 2 << 30
_ALLOWED = re.compile(r"^(config\.json|MODEL_CARD\.md|vitrine-export\.json|[a-z_]+\.safetensors)$")


def _registry(paths: AppPaths) -> Registry:
    return Registry(paths.bundled_models, paths.user_models)


def _user_model(paths: AppPaths, key: str, damaged_ok: bool = False) -> ModelInfo:
    if damaged_ok:  # a damaged model can still be removed (by its folder id)
        hit = [m for m in _registry(paths).list_all() if m.damaged and m.id == key and m.source == "user"]
        if hit:
            return hit[0]
    m = _registry(paths).find(key)
    if m.source != "user":
        raise ModelError(f"{key!r} comes with Vitrine and cannot be changed or deleted.")
    return m


def delete_model(paths: AppPaths, key: str) -> Path:
    """Delete one of the shop's models (by id or name), damaged ones included; bundled models are refused."""
    m = _user_model(paths, key, damaged_ok=True)
    trash = m.folder.with_name(f".{m.folder.name}.deleting")
    shutil.rmtree(trash, ignore_errors=True)
    m.folder.rename(trash)  # one rename: the model disappears at once, never half
    shutil.rmtree(trash, ignore_errors=True)
    return m.folder


def remove_damaged(registry: Registry, key: str) -> Path:
    """Delete one of the shop's damaged model folders (listed by Registry.list_all with a reason)."""
    hit = [m for m in registry.list_all() if m.damaged and m.id == key]
    if not hit:
        raise ModelError(f"There is no damaged model called {key!r}.")
    if hit[0].source != "user":
        raise ModelError(f"{key!r} comes with Vitrine; reinstall Vitrine to repair it.")
    trash = hit[0].folder.with_name(f".{hit[0].folder.name}.deleting")
    shutil.rmtree(trash, ignore_errors=True)
    hit[0].folder.rename(trash)  # one rename: the model disappears at once, never half
    shutil.rmtree(trash, ignore_errors=True)
    return hit[0].folder


def _copy_with(folder: Path, dest: Path, **changes) -> Path:
    config = read_config(folder)
    tensors = {stem[: -len(".safetensors")]: load_tensors(folder, stem[: -len(".safetensors")], config)
               for stem in config["files"]}
    card = (folder / CARD).read_text(encoding="utf-8") if (folder / CARD).exists() else ""
    clean = {k: v for k, v in config.items() if k not in ("files", "format_version")}
    clean.update(changes)
    return write_model_dir(dest, clean, tensors, card)


def rename_model(paths: AppPaths, old: str, new: str) -> Path:
    """Give a shop model a new name (its folder id follows the name)."""
    from app.engine.finetune import check_name, safe_name

    m = _user_model(paths, old)
    check_name(paths, new)
    new_id = safe_name(new)
    existing = [x for x in _registry(paths).list() if (x.id == new_id or x.name == new) and x.folder != m.folder]
    if existing:
        raise ModelError(f"There is already a model called {new!r}.")
    dest = _copy_with(m.folder, paths.user_models / new_id, id=new_id, name=new)
    if dest != m.folder:
        shutil.rmtree(m.folder, ignore_errors=True)
    return dest


def export_model_file(paths: AppPaths, key: str, file: Path) -> Path:
    """Write one model (bundled or own) to a single `.vitrine` file, verified first."""
    m = _registry(paths).find(key)
    config = read_config(m.folder, verify=True)  # the validator: names inside the folder, hashes, schema
    file = Path(file)
    if file.suffix != EXTENSION:
        file = file.with_name(file.name + EXTENSION)
    file.parent.mkdir(parents=True, exist_ok=True)
    tmp = file.with_name(f".{file.name}.partial")
    manifest = {"export_format": EXPORT_FORMAT, "id": m.id, "name": m.name, "config_sha256": sha256_file(m.folder / CONFIG)}
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_STORED) as z:
        z.writestr(MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False))
        z.write(m.folder / CONFIG, CONFIG)
        for name in config["files"]:
            z.write(m.folder / name, name)
        if (m.folder / CARD).exists():
            z.write(m.folder / CARD, CARD)
    tmp.replace(file)
    return file


def import_model_file(paths: AppPaths, file: Path, name: str | None = None) -> Path:
    """Check a `.vitrine` file completely, then install it atomically as one of the shop's models."""
    file = Path(file)
    try:
        z = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        raise ModelError(f"{file.name} is not a Vitrine model file.") from None
    try:
        return _import_from(paths, z, file, name)
    except (zipfile.BadZipFile, EOFError, zlib.error, NotImplementedError) as e:
        # A listing that lies (sizes, CRC-32, compression): the file is damaged, nothing was installed.
        raise ModelError(f"{file.name} is damaged ({str(e)[:80] or type(e).__name__}); nothing was installed.") from None
    except OSError as e:
        if e.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
            raise ModelError(say("disk_full", what=file.name, folder=paths.user_models, need=file.stat().st_size >> 20)) from None
        raise


def _import_from(paths: AppPaths, z: zipfile.ZipFile, file: Path, name: str | None) -> Path:
    from app.engine.finetune import check_name, safe_name
    from app.engine.loading import load_model

    with z, tempfile.TemporaryDirectory(prefix=f".import-pid{os.getpid()}-", dir=_ensure(paths.user_models)) as tmp:
        members = z.infolist()
        names = [i.filename for i in members]
        if MANIFEST not in names or CONFIG not in names:
            raise ModelError(f"{file.name} is not a Vitrine model file (no {MANIFEST} or {CONFIG}).")
        if len(set(names)) != len(names):
            raise ModelError(f"{file.name} lists a file twice; refusing it.")
        total = 0
        for info in members:
            if not _ALLOWED.match(info.filename) or info.is_dir():
                raise ModelError(f"{file.name} contains {info.filename!r}, which does not belong in a model; refusing it.")
            if info.file_size > MAX_MEMBER_BYTES:
                raise ModelError(f"{file.name} contains a file that is too large ({info.filename}).")
            total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise ModelError(f"{file.name} is too large to be a Vitrine model.")
        try:
            manifest = json.loads(z.read(MANIFEST).decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise ModelError(f"{file.name} has a damaged {MANIFEST}.") from None
        if not isinstance(manifest, dict) or manifest.get("export_format") != EXPORT_FORMAT:
            raise ModelError(f"{file.name} uses export format {manifest.get('export_format') if isinstance(manifest, dict) else None}, "
                             "which this Vitrine cannot read.")
        staged = Path(tmp) / (re.sub(r"[^A-Za-z0-9_-]+", "-", file.stem).strip("-")[:60] or "model")  # named in messages
        staged.mkdir()
        for info in members:
            if info.filename == MANIFEST:
                continue
            target = (staged / info.filename).resolve()
            if target.parent != staged.resolve():  # zip-slip: nothing outside the staging folder
                raise ModelError(f"{file.name} tries to write outside the model folder; refusing it.")
            with z.open(info) as src, open(target, "wb") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
        if sha256_file(staged / CONFIG) != manifest.get("config_sha256"):
            raise ModelError(f"{file.name} was changed after it was exported (config.json does not match its hash).")
        config = read_config(staged)  # format version and listed files
        if config.get("format_version") not in SUPPORTED_FORMATS:
            raise ModelError(f"{file.name} uses a model format this Vitrine cannot read.")
        listed = set(config["files"]) | {CONFIG, CARD}
        extra = [n for n in names if n not in listed and n != MANIFEST]
        if extra:
            raise ModelError(f"{file.name} holds files its config does not list ({', '.join(extra)}); refusing it.")
        for fname, digest in config["files"].items():
            if not (staged / fname).exists():
                raise ModelError(f"{file.name} is missing {fname}.")
            if sha256_file(staged / fname) != digest:
                raise ModelError(f"{file.name} was changed after it was exported ({fname} does not match its hash).")
        load_model(staged, with_discriminator=True)  # the weights must build the network they claim
        display = name or str(config.get("name") or manifest.get("name") or file.stem)
        check_name(paths, display)
        mid = safe_name(display)
        if any(m.id == mid or m.name == display for m in _registry(paths).list()):
            raise ModelError(f"There is already a model called {display!r}; import it under another name.")
        return _copy_with(staged, paths.user_models / mid, id=mid, name=display)


def _ensure(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return folder
