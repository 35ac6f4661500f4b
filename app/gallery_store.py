"""The gallery history on disk: one PNG per picture plus a JSON index holding each picture's full request."""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable

from app.output import atomic_write_bytes, png_bytes
from app.requests import GeneratedImage, GenerateRequest

log = logging.getLogger(__name__)

INDEX = "index.json"
INDEX_VERSION = 1
TRASH = ".trash"  # deleted pictures wait here (with their index entries) until the trash is emptied
TRASH_INDEX = "trash.json"


@dataclass(frozen=True)
class GalleryItem:
    """One kept picture: its file (inside the gallery folder), the request that remakes it, a favourite flag."""

    id: str
    file: str
    request: GenerateRequest
    favourite: bool = False
    created: float = 0.0
    # Pictures that a seed cannot remake (start from a photo): where they come from, e.g.
    # {"kind": "inversion", "folder": "...", "name": "reconstruction"} (app.engine.invert.rerender remakes it) or
    # {"kind": "photo", "path": "..."} (the merchant's own photo, prepared). None: `request` remakes the picture.
    origin: dict | None = None

    @property
    def remakeable(self) -> bool:
        """True when `request` alone regenerates the picture (sliders, variations and reopen rely on it)."""
        return self.origin is None or bool(self.request.latent)

    def to_dict(self) -> dict:
        d = {"id": self.id, "file": self.file, "request": self.request.to_dict(), "favourite": self.favourite,
             "created": self.created}
        if self.origin is not None:
            d["origin"] = dict(self.origin)
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "GalleryItem":
        origin = d.get("origin")
        return cls(str(d["id"]), str(d["file"]), GenerateRequest.from_dict(d["request"]), bool(d.get("favourite")),
                   float(d.get("created", 0.0)), dict(origin) if isinstance(origin, dict) else None)


class GalleryStore:
    """Thread-safe (one lock): the worker adds pictures, the UI thread marks and deletes them."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self._lock = threading.Lock()
        self.notice = ""  # a sentence for the merchant when the history had to be set aside on opening
        self._items: list[GalleryItem] = self._read()

    def _read(self) -> list[GalleryItem]:
        path = self.folder / INDEX
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(data, dict) or not isinstance(data.get("items", []), list):
                raise ValueError("the gallery index is not a Vitrine index")
        except FileNotFoundError:
            return []
        except (OSError, ValueError, UnicodeDecodeError, RecursionError) as e:
            # Keep the damaged index for inspection; start an empty history rather than fail to open.
            bad = path.with_suffix(".json.bad")
            try:
                path.replace(bad)
                where = f"it was kept as {bad.name}"
            except OSError:
                where = "it could not be set aside"
            self.notice = (f"The gallery history was damaged ({type(e).__name__}); it starts empty and {where}. "
                           "The pictures themselves are still in the gallery folder.")
            log.warning("%s: %s", path, self.notice)
            return []
        items = []
        for d in data.get("items", []):
            try:
                item = GalleryItem.from_dict(d)
            except (KeyError, TypeError, ValueError, AttributeError):
                continue
            # Only plain file names inside the gallery folder: a hand-edited or hostile index must not make
            # `delete` remove files elsewhere ("../…", "/home/…").
            if Path(item.file).name != item.file or item.file in ("", ".", "..") or "\\" in item.file:
                continue
            if (self.folder / item.file).is_file():
                items.append(item)
        return items

    def _write(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        data = {"version": INDEX_VERSION, "items": [i.to_dict() for i in self._items]}
        atomic_write_bytes(self.folder / INDEX, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))

    def items(self) -> list[GalleryItem]:
        with self._lock:
            return list(self._items)

    def get(self, item_id: str) -> GalleryItem | None:
        with self._lock:
            return next((i for i in self._items if i.id == item_id), None)

    def path(self, item: GalleryItem) -> Path:
        return self.folder / item.file

    def add(self, images: Iterable[GeneratedImage], origins: Iterable[dict | None] | None = None) -> list[GalleryItem]:
        """Write each picture as PNG (request embedded) and record it in the index; returns the new items.

        `origins` (one per picture) marks pictures that their request does not remake; their PNG gets no request
        embedded, so reopening the file cannot paint a different picture by mistake.
        """
        self.folder.mkdir(parents=True, exist_ok=True)
        images = list(images)
        origins = list(origins) if origins is not None else [None] * len(images)
        new = []
        now = time.time()
        for im, origin in zip(images, origins):
            item_id = uuid.uuid4().hex[:16]
            name = f"{time.strftime('%Y%m%d-%H%M%S', time.localtime(now))}-{item_id}.png"
            remade = origin is None or bool(im.request.latent)
            atomic_write_bytes(self.folder / name, png_bytes(im.pixels, im.request if remade else None))
            new.append(GalleryItem(item_id, name, im.request, False, now, origin))
        with self._lock:
            self._items.extend(new)
            self._write()
        return new

    def set_favourite(self, ids: Iterable[str], favourite: bool) -> None:
        ids = set(ids)
        with self._lock:
            self._items = [replace(i, favourite=favourite) if i.id in ids else i for i in self._items]
            self._write()

    # ---- trash ------------------------------------------------------------------------------------
    @property
    def trash_folder(self) -> Path:
        return self.folder / TRASH

    def _read_trash(self) -> list[list[GalleryItem]]:
        """Deleted batches, oldest first; an unreadable trash index counts as empty (the files stay on disk)."""
        try:
            data = json.loads((self.trash_folder / TRASH_INDEX).read_text(encoding="utf-8"))
            batches = [[GalleryItem.from_dict(d) for d in b] for b in data.get("batches", [])]
        except (OSError, ValueError, TypeError, KeyError, AttributeError, RecursionError):
            return []
        return [[i for i in b if Path(i.file).name == i.file and (self.trash_folder / i.file).is_file()]
                for b in batches]

    def _write_trash(self, batches: list[list[GalleryItem]]) -> None:
        self._trash_count = sum(len(b) for b in batches)
        self.trash_folder.mkdir(parents=True, exist_ok=True)
        data = {"version": 1, "batches": [[i.to_dict() for i in b] for b in batches if b]}
        atomic_write_bytes(self.trash_folder / TRASH_INDEX, json.dumps(data, ensure_ascii=False).encode("utf-8"))

    def delete(self, ids: Iterable[str]) -> list[GalleryItem]:
        """Move pictures to the trash (out of the gallery, still on disk); `undo_delete` brings the last batch back."""
        ids = set(ids)
        with self._lock:
            gone = [i for i in self._items if i.id in ids]
            if not gone:
                return []
            self.trash_folder.mkdir(parents=True, exist_ok=True)
            for i in gone:
                try:
                    (self.folder / i.file).replace(self.trash_folder / i.file)
                except FileNotFoundError:
                    pass
            self._items = [i for i in self._items if i.id not in ids]
            self._write()
            self._write_trash(self._read_trash() + [gone])
        return gone

    def undo_delete(self) -> list[GalleryItem]:
        """Put the most recently deleted pictures back in the gallery; returns them (empty when nothing to undo)."""
        with self._lock:
            batches = self._read_trash()
            if not batches:
                return []
            back = batches.pop()
            for i in back:
                (self.trash_folder / i.file).replace(self.folder / i.file)
            self._items.extend(back)
            self._write()
            self._write_trash(batches)
        return back

    _trash_count: int | None = None  # known after the trash was read or written once (the UI asks often)

    def trash_count(self) -> int:
        with self._lock:
            if self._trash_count is None:
                self._trash_count = sum(len(b) for b in self._read_trash())
            return self._trash_count

    def empty_trash(self) -> int:
        """Remove the pictures in the trash for good; returns how many."""
        with self._lock:
            n = sum(len(b) for b in self._read_trash())
            if self.trash_folder.is_dir():
                for f in self.trash_folder.iterdir():
                    if f.is_file():
                        f.unlink(missing_ok=True)
            self._write_trash([])
        return n
