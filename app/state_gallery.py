"""AppState's gallery half: selection, favourites, and Delete to the trash with Undo (no widgets, no Qt types)."""

from __future__ import annotations

from app.gallery_store import GalleryItem


class GalleryStateMixin:
    """Mixed into app.state.AppState, which holds the signals and `store`, `selected`, `offsets`, `live`."""

    # ---- gallery ---------------------------------------------------------------------------------
    def items(self) -> list[GalleryItem]:
        return self.store.items()

    def select(self, ids: list[str]) -> None:
        if ids == self.selected:
            return
        self.selected = list(ids)
        self.live = None
        self._interactive_floor = self._live_id = 0
        self._interactive_request = None
        req = self._selected_request()
        self.offsets = dict(req.offsets) if req is not None else {}
        self.selection_changed.emit(list(ids))
        self.offsets_changed.emit(dict(self.offsets))
        self.live_changed.emit(None)

    def set_favourite(self, ids: list[str], favourite: bool) -> None:
        self.store.set_favourite(ids, favourite)
        self.items_changed.emit([i for i in self.store.items() if i.id in set(ids)])

    def delete(self, ids: list[str]) -> int:
        """Move pictures to the trash; returns how many (Undo brings them back)."""
        gone = self.store.delete(ids)
        self.items_removed.emit([i.id for i in gone])
        if set(ids) & set(self.selected):
            self.select([i for i in self.selected if i not in set(ids)])
        self.trash_changed.emit(self.store.trash_count())
        return len(gone)

    def undo_delete(self) -> int:
        """Bring the last deleted pictures back from the trash (selected); returns how many."""
        back = self.store.undo_delete()
        if back:
            self.items_added.emit(list(back))
            self.trash_changed.emit(self.store.trash_count())
        return len(back)

    def empty_trash(self) -> int:
        n = self.store.empty_trash()
        self.trash_changed.emit(0)
        return n
