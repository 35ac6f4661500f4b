"""Which gallery pictures are selected, and the request that remakes the one selected picture."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from app.gallery_store import GalleryItem
from app.requests import GenerateRequest
from app.state.gallery import GalleryModel


class SelectionModel(QObject):
    changed = Signal(list)  # [id]

    def __init__(self, gallery: GalleryModel, parent=None):
        super().__init__(parent)
        self.gallery = gallery
        self.ids: list[str] = []
        gallery.items_removed.connect(self.remove)

    def select(self, ids: list[str]) -> None:
        if ids != self.ids:
            self.ids = list(ids)
            self.changed.emit(list(ids))

    def remove(self, ids: list[str]) -> None:
        """Pictures left the gallery: they are no longer selected."""
        if set(ids) & set(self.ids):
            self.select([i for i in self.ids if i not in set(ids)])

    def items(self) -> list[GalleryItem]:
        return [it for it in (self.gallery.get(i) for i in self.ids) if it is not None]

    def single(self) -> GalleryItem | None:
        """The selected picture when exactly one is selected."""
        return self.gallery.get(self.ids[0]) if len(self.ids) == 1 else None

    def request(self) -> GenerateRequest | None:
        """The request that remakes the selected picture; None for the merchant's own photo (nothing remakes it,
        so sliders and variations do not apply to it) or when not exactly one picture is selected."""
        item = self.single()
        return item.request if item is not None and item.remakeable else None
