"""All-or-nothing batches under kill -9: a hidden staging folder, a journal, and the start-up sweep.

An export writes its whole batch into a hidden `.vitrine-staging-<id>` folder inside the target folder
(same disk, so the final moves are renames). A journal in the app's data folder says where that staging
folder is; at the end the journal lists every move and is marked "committing", then the files are renamed
into place. A run killed before that point leaves nothing in the target (the next start removes the
staging folder); one killed during the renames is finished by the next start. Either way the target ends
with the whole batch or none of it.

`sweep` runs at every start: it settles those journals and removes what interrupted model saves leave in
the models folder (hidden `.partial`, `.deleting`, `.import-` and stale `.old` folders).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import uuid
from pathlib import Path

from app.engine.checkpoints import fsync_dir
from app.output import atomic_write_bytes

PREFIX = ".vitrine-staging-"
JOURNALS = "staging"  # folder under AppPaths.data


def _journal_dir() -> Path:
    from app.paths import AppPaths

    return AppPaths.default().data / JOURNALS


class Staging:
    """One batch: `write` files (by their final paths) into the staging folder, then `commit` or `abandon`."""

    def __init__(self, root: Path, journal_dir: Path | None = None):
        self.root = Path(root)
        self.id = uuid.uuid4().hex[:16]
        self.folder = self.root / f"{PREFIX}{self.id}"
        journal_dir = Path(journal_dir or _journal_dir())
        journal_dir.mkdir(parents=True, exist_ok=True)
        self.journal = journal_dir / f"{self.id}.json"
        self.moves: list[tuple[str, str]] = []  # (name inside the staging folder, final path)
        self._record("writing")  # the journal first: a kill right after mkdir still leaves a trace to sweep
        self.folder.mkdir()

    def _record(self, state: str) -> None:
        data = {"root": str(self.root), "folder": str(self.folder), "state": state, "moves": self.moves,
                "pid": os.getpid()}
        atomic_write_bytes(self.journal, json.dumps(data, ensure_ascii=False).encode("utf-8"))

    def write(self, final: Path, data: bytes) -> None:
        """Stage the bytes that will become `final` (a path inside the root)."""
        name = f"{len(self.moves):06d}{Path(final).suffix}"
        atomic_write_bytes(self.folder / name, data)
        self.moves.append((name, str(final)))

    def commit(self) -> None:
        """Move the batch into place; from the moment the journal says "committing", the batch is whole."""
        fsync_dir(self.folder)
        self._record("committing")
        _roll_forward(self.root, self.folder, self.moves)
        self._close()

    def abandon(self) -> None:
        """Forget the batch: nothing of it reaches the target folder."""
        shutil.rmtree(self.folder, ignore_errors=True)
        self._close()

    def _close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
        try:
            self.journal.unlink()
        except OSError:
            pass


def _inside(root: Path, path: Path) -> bool:
    try:
        return path.resolve().is_relative_to(root.resolve())
    except (OSError, ValueError):
        return False


def _roll_forward(root: Path, folder: Path, moves) -> int:
    """Rename every staged file that is still there to its final path; returns how many moved."""
    moved = 0
    for name, final in moves:
        src, dst = folder / str(name), Path(final)
        if "/" in str(name) or "\\" in str(name) or not _inside(root, dst) or not src.is_file():
            continue
        dst.parent.mkdir(parents=True, exist_ok=True)
        os.replace(src, dst)
        moved += 1
    for parent in {Path(final).parent for _, final in moves}:
        fsync_dir(parent)
    return moved


def alive(pid) -> bool:
    """Whether process `pid` is still running (a batch or save it owns must be left alone)."""
    if type(pid) is not int or pid <= 0:
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _settle(journal: Path) -> str | None:
    """Finish or undo one interrupted batch; a sentence saying what was done (None: nothing to say)."""
    try:
        data = json.loads(journal.read_text(encoding="utf-8"))
        root, folder, state = Path(data["root"]), Path(data["folder"]), data["state"]
        moves = [(str(a), str(b)) for a, b in data.get("moves", [])]
    except (OSError, ValueError, KeyError, TypeError):
        journal.unlink(missing_ok=True)
        return None
    if alive(data.get("pid")):
        return None  # another Vitrine is exporting right now
    # Only ever touch a staging folder of ours, directly inside the folder the journal names.
    if not folder.name.startswith(PREFIX) or folder.parent != root:
        journal.unlink(missing_ok=True)
        return None
    note = None
    if state == "committing" and folder.is_dir():
        n = _roll_forward(root, folder, moves)
        note = f"finished an interrupted export into {root} ({n} file(s) moved into place)"
    elif folder.is_dir():
        note = f"removed an unfinished export batch from {root} (nothing of it had been exported)"
    shutil.rmtree(folder, ignore_errors=True)
    journal.unlink(missing_ok=True)
    return note


def owner(name: str) -> int | None:
    """The process id written into a temporary folder's name (".x.pid123-…"), if any."""
    m = re.search(r"\.pid(\d+)-", name) or re.match(r"\.import-pid(\d+)-", name)
    return int(m.group(1)) if m else None


def _model_leftovers(models: Path) -> list[str]:
    notes = []
    if not models.is_dir():
        return notes
    for p in sorted(models.iterdir()):
        if alive(owner(p.name)):
            continue  # a save in progress in another process
        stale_old = p.name.endswith(".old") and (models / p.name[1:-len(".old")]).exists()
        if p.is_dir() and p.name.startswith(".") and (p.name.endswith((".partial", ".deleting"))
                                                      or p.name.startswith(".import-") or stale_old):
            shutil.rmtree(p, ignore_errors=True)
            notes.append(f"removed {p.name} (an unfinished model save) from {models}")
    return notes


def sweep(paths=None) -> list[str]:
    """Settle interrupted export batches and remove unfinished model saves; what was done, one line each."""
    from app.engine.checkpoints import recover_model_dir
    from app.paths import AppPaths

    paths = paths or AppPaths.default()
    notes: list[str] = []
    journals = paths.data / JOURNALS
    if journals.is_dir():
        for journal in sorted(journals.glob("*.json")):
            note = _settle(journal)
            if note:
                notes.append(note)
    models = paths.user_models
    if models.is_dir():
        for old in models.glob(".*.old"):  # a save killed between its two renames: put the old model back
            recover_model_dir(models / old.name[1:-len(".old")])
    notes += _model_leftovers(models)
    return notes
