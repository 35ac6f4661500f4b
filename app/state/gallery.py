"""The gallery as a model: its pictures (app.gallery_store on disk), favourites, and Delete to the trash with Undo."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal

from app.gallery_store import GalleryItem, GalleryStore


class GalleryModel(QObject):
    """Widgets read pictures here (never the store); jobs add pictures through `sink` on the worker thread."""

    items_added = Signal(list)  # [GalleryItem]
    items_changed = Signal(list)  # [GalleryItem] (favourite flag)
    items_removed = Signal(list)  # [id]
    trash_changed = Signal(int)  # pictures in the trash

    def __init__(self, store: GalleryStore, parent=None):
        super().__init__(parent)
        self.store = store  # the files on disk (tests look inside it; widgets use this model's methods)
        self.folder = Path(store.folder)

    # ---- reading ---------------------------------------------------------------------------------
    def items(self) -> list[GalleryItem]:
        return self.store.items()

    def get(self, item_id: str) -> GalleryItem | None:
        return self.store.get(item_id)

    def path(self, item: GalleryItem) -> Path:
        return self.store.path(item)

    def trash_count(self) -> int:
        return self.store.trash_count()

    def __len__(self) -> int:
        return len(self.store.items())

    @property
    def sink(self):
        """Writes new pictures into the gallery (worker thread); returns their GalleryItems."""
        return self.store.add

    def added(self, items: list[GalleryItem]) -> None:
        """Pictures a job wrote into the gallery: tell the widgets."""
        if items:
            self.items_added.emit(list(items))

    # ---- changing --------------------------------------------------------------------------------
    def set_favourite(self, ids: list[str], favourite: bool) -> None:
        self.store.set_favourite(ids, favourite)
        self.items_changed.emit([i for i in self.store.items() if i.id in set(ids)])

    def toggle_favourite(self, ids: list[str]) -> None:
        """Favourite them all, or unmark them when they all are already."""
        items = [self.store.get(i) for i in ids]
        self.set_favourite(ids, not all(i.favourite for i in items if i))

    def delete(self, ids: list[str]) -> int:
        """Move pictures to the trash; returns how many (Undo brings them back)."""
        gone = self.store.delete(ids)
        self.items_removed.emit([i.id for i in gone])
        self.trash_changed.emit(self.store.trash_count())
        return len(gone)

    def undo_delete(self) -> int:
        """Bring the last deleted pictures back from the trash; returns how many."""
        back = self.store.undo_delete()
        if back:
            self.items_added.emit(list(back))
            self.trash_changed.emit(self.store.trash_count())
        return len(back)

    def empty_trash(self) -> int:
        n = self.store.empty_trash()
        self.trash_changed.emit(0)
        return n
