"""The gallery grid (zoom, multi-select, favourites, drag out as files), the preview pane and the compare view."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
from PySide6.QtCore import QMimeData, QSize, Qt, QUrl
from PySide6.QtGui import QColor, QIcon, QImage, QPainter, QPixmap
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QGridLayout, QHBoxLayout, QLabel, QListWidget,
                               QListWidgetItem, QPushButton, QSizePolicy, QVBoxLayout, QWidget)

from app.gallery_store import GalleryItem
from app.i18n import tr
from app.state import AppState
from app.ui.theme import icon

ID_ROLE = Qt.UserRole
THUMB_SOURCE = 256  # thumbnails are scaled once to this side; zoom only shrinks them


def pixmap_from_pixels(pixels: np.ndarray) -> QPixmap:
    h, w, _ = pixels.shape
    data = np.ascontiguousarray(pixels)
    return QPixmap.fromImage(QImage(data.data, w, h, 3 * w, QImage.Format_RGB888).copy())


def _with_star(pixmap: QPixmap, favourite: bool) -> QIcon:
    pm = pixmap.scaled(THUMB_SOURCE, THUMB_SOURCE, Qt.KeepAspectRatio, Qt.SmoothTransformation)
    if favourite:
        p = QPainter(pm)
        p.setRenderHint(QPainter.Antialiasing)
        p.setBrush(QColor(0, 0, 0, 110))
        p.setPen(Qt.NoPen)
        p.drawEllipse(pm.width() - 58, 6, 52, 52)
        icon("star-filled").paint(p, pm.width() - 50, 14, 36, 36)
        p.end()
    ic = QIcon(pm)
    ic.addPixmap(pm, QIcon.Selected)  # no selection tint over the product: the frame shows the selection
    return ic


class GalleryView(QListWidget):
    """Icon grid of the kept pictures; dragging pictures out hands the file manager their PNG files."""

    def __init__(self, state: AppState, parent=None):
        super().__init__(parent)
        self.state = state
        self.setObjectName("Gallery")
        self.setViewMode(QListWidget.IconMode)
        self.setResizeMode(QListWidget.Adjust)
        self.setMovement(QListWidget.Static)
        self.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragOnly)
        self.setUniformItemSizes(True)
        self.setSpacing(6)
        self._pixmaps: dict[str, QPixmap] = {}
        self._last_added = None
        self.set_zoom(state.settings.thumb_size)
        self.itemSelectionChanged.connect(self._selection)
        state.items_added.connect(self.add_items)
        state.items_changed.connect(self.update_items)
        state.items_removed.connect(self.remove_items)
        # Newest first, like a camera roll.
        self.add_items(state.items())

    def set_zoom(self, side: int) -> None:
        self.state.settings.thumb_size = side
        self.setIconSize(QSize(side, side))
        self.setGridSize(QSize(side + 14, side + 14))

    def _find(self, item_id: str) -> QListWidgetItem | None:
        for row in range(self.count()):
            if self.item(row).data(ID_ROLE) == item_id:
                return self.item(row)
        return None

    def add_items(self, items: list[GalleryItem]) -> None:
        """Newest batch first; the pictures of one batch keep their order (1, 2, 3…)."""
        for it in items:
            pm = QPixmap(str(self.state.store.path(it)))
            self._pixmaps[it.id] = pm
            w = QListWidgetItem(_with_star(pm, it.favourite), "")
            w.setData(ID_ROLE, it.id)
            origin = it.origin or {}
            where = (tr("Started from the photo %1", Path(origin.get("path", "")).name) if origin.get("kind") == "photo"
                     else tr("Found from a photo") if origin else
                     tr('Seed %1, picture %2', it.request.seed, it.request.start + 1))
            w.setToolTip(f"{it.request.description}\n{where}")
            row = 0
            prev = self._last_added
            same_batch = prev is not None and (
                it.request == replace(prev[1], start=prev[1].start + 1) if not origin
                else bool(origin.get("batch")) and origin.get("batch") == (prev[2] or {}).get("batch"))
            if same_batch:
                prev_item = self._find(prev[0])
                row = self.row(prev_item) + 1 if prev_item is not None else 0
            self.insertItem(row, w)
            self._last_added = (it.id, it.request, origin)

    def update_items(self, items: list[GalleryItem]) -> None:
        for it in items:
            w = self._find(it.id)
            if w is not None:
                w.setIcon(_with_star(self._pixmaps.get(it.id, QPixmap()), it.favourite))

    def remove_items(self, ids: list[str]) -> None:
        for item_id in ids:
            w = self._find(item_id)
            if w is not None:
                self.takeItem(self.row(w))
            self._pixmaps.pop(item_id, None)

    def selected_ids(self) -> list[str]:
        return [w.data(ID_ROLE) for w in self.selectedItems()]

    def _selection(self) -> None:
        self.state.select(self.selected_ids())

    def mimeData(self, items) -> QMimeData:
        """File URLs of the PNGs, so pictures can be dropped on the desktop or into a file manager or browser."""
        mime = QMimeData()
        urls = []
        for w in items:
            it = self.state.store.get(w.data(ID_ROLE))
            if it is not None:
                urls.append(QUrl.fromLocalFile(str(self.state.store.path(it))))
        mime.setUrls(urls)
        return mime

    def mimeTypes(self) -> list[str]:
        return ["text/uri-list"]


class ScaledLabel(QLabel):
    """Shows a pixmap as large as fits, keeping its proportions."""

    def __init__(self, parent=None, **kwargs):
        super().__init__(parent, **kwargs)
        self._pm = QPixmap()
        self.setAlignment(Qt.AlignCenter)
        self.setMinimumSize(160, 160)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)

    def set_pixmap(self, pm: QPixmap | None) -> None:
        self._pm = pm or QPixmap()
        self._rescale()

    def resizeEvent(self, e) -> None:
        super().resizeEvent(e)
        self._rescale()

    def _rescale(self) -> None:
        if self._pm.isNull():
            self.setPixmap(QPixmap())
            return
        side = max(16, min(self.width(), self.height()) - 12)
        self.setPixmap(self._pm.scaled(side, side, Qt.KeepAspectRatio, Qt.SmoothTransformation))


class PreviewPane(QWidget):
    """The selected picture, large; with the sliders applied while they are being dragged."""

    def __init__(self, state: AppState, parent=None):
        super().__init__(parent)
        self.state = state
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(QLabel(tr("SELECTED PICTURE"), objectName="SectionTitle"))
        self.image = ScaledLabel(objectName="Preview")
        self.image.setText(tr("Select a picture in the gallery."))
        lay.addWidget(self.image, 1)
        self.info = QLabel(objectName="Hint", wordWrap=True)
        lay.addWidget(self.info)
        row = QHBoxLayout()
        self.variations = QPushButton(icon("variations"), tr("Variations"),
                                      toolTip=tr("Paint close neighbours of this picture"))
        self.variations.clicked.connect(state.variations)
        self.keep = QPushButton(icon("keep"), tr("Keep this version"),
                                toolTip=tr("Add the picture as the sliders show it to the gallery"))
        self.keep.clicked.connect(state.keep_live)
        row.addWidget(self.variations)
        row.addWidget(self.keep)
        lay.addLayout(row)
        state.selection_changed.connect(lambda _ids: self.refresh())
        state.live_changed.connect(lambda _img: self.refresh())
        state.items_removed.connect(lambda _ids: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        ids = self.state.selected
        item = self.state.store.get(ids[0]) if len(ids) == 1 else None
        self.variations.setEnabled(item is not None)
        self.keep.setEnabled(item is not None and self.state.live is not None)
        if item is None:
            self.image.set_pixmap(None)
            self.image.setText(tr("Select a picture in the gallery.") if not ids else tr("%1 pictures selected", len(ids)))
            self.info.setText("")
            return
        live = self.state.live
        pm = pixmap_from_pixels(live.pixels) if live is not None else QPixmap(str(self.state.store.path(item)))
        self.image.set_pixmap(pm)
        r = (live.request if live is not None else item.request)
        sliders = ", ".join(f"{k} {v:+.2f}" for k, v in r.offsets)
        self.info.setText(f"{r.description}\n" + tr("Seed %1 · picture %2 · creativity %3", r.seed, r.start + 1,
                                                     f"{r.truncation:.2f}") + (f"\n{sliders}" if sliders else ""))


class CompareDialog(QDialog):
    """Two pictures side by side with what differs between their requests."""

    def __init__(self, state: AppState, ids: list[str], parent=None):
        super().__init__(parent)
        self.setWindowTitle(tr("Compare"))
        items = [state.store.get(i) for i in ids[:2]]
        grid = QGridLayout(self)
        a, b = (it.request.to_dict() for it in items)
        differ = [k for k in a if a[k] != b[k] and k not in ("schema",)]
        for col, it in enumerate(items):
            label = ScaledLabel()
            label.setMinimumSize(320, 320)
            label.set_pixmap(QPixmap(str(state.store.path(it))))
            grid.addWidget(label, 0, col)
            d = it.request.to_dict()
            text = "\n".join(f"{k}: {d[k]}" for k in differ) or tr("Same request")
            grid.addWidget(QLabel(text, wordWrap=True, objectName="Hint"), 1, col)
        self.resize(720, 460)
