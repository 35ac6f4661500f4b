"""The gallery grid (zoom, multi-select, favourites, drag out as files), the preview pane and the compare view.

The grid is a QListView over `GalleryModel`: nothing is decoded when the gallery opens. A thumbnail is made
only when the view paints an item (data(DecorationRole)), scaled to the zoom's size step, kept in a small
in-memory LRU and on disk under AppPaths.cache/thumbnails (keyed by file, mtime, size and step), so a history
of thousands of pictures opens at once and later runs read small thumbnails instead of full pictures.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections import OrderedDict
from dataclasses import replace
from pathlib import Path

import numpy as np
from PySide6.QtCore import QAbstractListModel, QItemSelectionModel, QMimeData, QModelIndex, QSize, Qt, QUrl
from PySide6.QtGui import QColor, QIcon, QImage, QImageReader, QPainter, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QListView

from app.gallery_store import GalleryItem
from app.i18n import tr
from app.state import AppState
from app.state.gallery import GalleryModel as Gallery
from app.ui.theme import icon

log = logging.getLogger(__name__)

ID_ROLE = Qt.UserRole
THUMB_STEPS = (64, 128, 256, 512)  # thumbnails are made at the smallest step >= the zoom; the view shrinks them
THUMB_MEMORY_BYTES = 48 * 2**20  # in-memory LRU budget (about 750 thumbnails of 128 px)


def thumb_step(side: int) -> int:
    return next((s for s in THUMB_STEPS if s >= side), THUMB_STEPS[-1])


def pixmap_from_pixels(pixels: np.ndarray) -> QPixmap:
    h, w, _ = pixels.shape
    data = np.ascontiguousarray(pixels)
    return QPixmap.fromImage(QImage(data.data, w, h, 3 * w, QImage.Format_RGB888).copy())


def load_thumbnail(path: Path, side: int, cache_dir: Path | None) -> QImage:
    """The picture at `path` no larger than side×side: from the disk cache, else decoded and cached.

    Module-level so tests can count the loads. A missing or unreadable picture gives a null QImage.
    """
    try:
        st = os.stat(path)
    except OSError:
        return QImage()
    reader = QImageReader(str(path))
    size = reader.size()
    if size.isValid() and size.width() <= side and size.height() <= side:
        return reader.read()  # small already: nothing to cache
    cached = None
    if cache_dir is not None:
        key = hashlib.sha1(f"{os.path.abspath(path)}|{st.st_mtime_ns}|{st.st_size}|{side}".encode()).hexdigest()
        cached = cache_dir / f"{key}.png"
        img = QImage(str(cached)) if cached.is_file() else QImage()
        if not img.isNull():
            return img
    if size.isValid():
        reader.setScaledSize(size.scaled(side, side, Qt.KeepAspectRatio))  # PNG: decoded, then scaled smoothly
    img = reader.read()
    if img.isNull():
        return img
    if img.width() > side or img.height() > side:
        img = img.scaled(side, side, Qt.KeepAspectRatio, Qt.SmoothTransformation)
    if cached is not None:
        try:
            cache_dir.mkdir(parents=True, exist_ok=True)
            tmp = cached.with_name(f"{cached.stem}.{os.getpid()}.tmp.png")
            if img.save(str(tmp), "PNG"):
                os.replace(tmp, cached)
            else:
                tmp.unlink(missing_ok=True)
        except OSError as e:  # a read-only or full cache only costs speed
            log.debug("thumbnail cache %s: %s", cache_dir, e)
    return img


def _with_star(pixmap: QPixmap, favourite: bool) -> QIcon:
    pm = QPixmap(pixmap)
    if favourite and not pm.isNull():
        k = pm.width() / 256  # the badge was designed on a 256-px thumbnail
        p = QPainter(pm)
        p.setRenderHint(QPainter.Antialiasing)
        p.setBrush(QColor(0, 0, 0, 110))
        p.setPen(Qt.NoPen)
        p.drawEllipse(round(pm.width() - 58 * k), round(6 * k), round(52 * k), round(52 * k))
        icon("star-filled").paint(p, round(pm.width() - 50 * k), round(14 * k), round(36 * k), round(36 * k))
        p.end()
    ic = QIcon(pm)
    ic.addPixmap(pm, QIcon.Selected)  # no selection tint over the product: the frame shows the selection
    return ic


class ThumbnailCache:
    """Icons of the pictures by (file, size step, favourite): a bounded LRU over `load_thumbnail`."""

    def __init__(self, cache_dir: Path | None, budget_bytes: int = THUMB_MEMORY_BYTES):
        self.cache_dir = cache_dir
        self.budget = budget_bytes
        self._icons: OrderedDict[tuple, tuple[QIcon, int]] = OrderedDict()
        self._bytes = 0
        self.loads = 0  # thumbnails made or read from disk (tests and benchmarks read it)

    def icon(self, path: Path, side: int, favourite: bool) -> QIcon:
        key = (str(path), side, favourite)
        hit = self._icons.get(key)
        if hit is not None:
            self._icons.move_to_end(key)
            return hit[0]
        self.loads += 1
        img = load_thumbnail(path, side, self.cache_dir)
        pm = QPixmap.fromImage(img) if not img.isNull() else QPixmap()
        ic = _with_star(pm, favourite) if not pm.isNull() else QIcon()
        cost = max(1, pm.width() * pm.height() * 4)
        self._icons[key] = (ic, cost)
        self._bytes += cost
        while self._bytes > self.budget and len(self._icons) > 1:
            _, (_, c) = self._icons.popitem(last=False)
            self._bytes -= c
        return ic

    def forget(self, path: Path) -> None:
        for key in [k for k in self._icons if k[0] == str(path)]:
            self._bytes -= self._icons.pop(key)[1]

    def __len__(self) -> int:
        return len(self._icons)


class GalleryModel(QAbstractListModel):
    """The kept pictures in display order (newest batch first), with an id → row map; icons made on demand."""

    def __init__(self, gallery: Gallery, side: int, cache_dir: Path | None = None, parent=None):
        super().__init__(parent)
        self.gallery = gallery  # app.state.gallery.GalleryModel: the pictures on disk
        self.thumbs = ThumbnailCache(cache_dir)
        self.side = thumb_step(side)
        self._ids: list[str] = []
        self._items: dict[str, GalleryItem] = {}
        self._rows: dict[str, int] = {}
        self._rows_valid = True
        self._last_added = None

    # ---- rows ---------------------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 — Qt naming
        return 0 if parent.isValid() else len(self._ids)

    def row_of(self, item_id: str) -> int:
        if not self._rows_valid:
            self._rows = {i: r for r, i in enumerate(self._ids)}
            self._rows_valid = True
        return self._rows.get(item_id, -1)

    def index_of(self, item_id: str) -> QModelIndex:
        row = self.row_of(item_id)
        return self.index(row) if row >= 0 else QModelIndex()

    def item_at(self, row: int) -> GalleryItem | None:
        return self._items.get(self._ids[row]) if 0 <= row < len(self._ids) else None

    def data(self, index: QModelIndex, role=Qt.DisplayRole):
        it = self.item_at(index.row()) if index.isValid() else None
        if it is None:
            return None
        if role == Qt.DecorationRole:
            return self.thumbs.icon(self.gallery.path(it), self.side, it.favourite)
        if role == ID_ROLE:
            return it.id
        if role == Qt.ToolTipRole:
            origin = it.origin or {}
            where = (tr("Started from the photo %1", Path(origin.get("path", "")).name) if origin.get("kind") == "photo"
                     else tr("Found from a photo") if origin else
                     tr('Seed %1, picture %2', it.request.seed, it.request.start + 1))
            return f"{it.request.description}\n{where}"
        return None

    def flags(self, index: QModelIndex):
        if not index.isValid():
            return Qt.NoItemFlags
        return Qt.ItemIsEnabled | Qt.ItemIsSelectable | Qt.ItemIsDragEnabled

    # ---- changes ------------------------------------------------------------------------------
    def add_items(self, items: list[GalleryItem]) -> None:
        """Newest batch first; the pictures of one batch keep their order (1, 2, 3…)."""
        if not items:
            return
        bulk = not self._ids  # the first fill (the history on opening): one reset instead of n insertions
        if bulk:
            self.beginResetModel()
        last_row = None  # the row of the previous item when it was inserted in this call
        for it in items:
            origin = it.origin or {}
            row = 0
            prev = self._last_added
            same_batch = prev is not None and (
                it.request == replace(prev[1], start=prev[1].start + 1) if not origin
                else bool(origin.get("batch")) and origin.get("batch") == (prev[2] or {}).get("batch"))
            if same_batch:
                prev_row = last_row if last_row is not None else self.row_of(prev[0])
                row = prev_row + 1 if prev_row >= 0 else 0
            if not bulk:
                self.beginInsertRows(QModelIndex(), row, row)
            self._ids.insert(row, it.id)
            self._items[it.id] = it
            self._rows_valid = False
            if not bulk:
                self.endInsertRows()
            last_row = row
            self._last_added = (it.id, it.request, origin)
        if bulk:
            self.endResetModel()

    def update_items(self, items: list[GalleryItem]) -> None:
        for it in items:
            row = self.row_of(it.id)
            if row >= 0:
                self._items[it.id] = it
                idx = self.index(row)
                self.dataChanged.emit(idx, idx, [Qt.DecorationRole])

    def remove_items(self, ids: list[str]) -> None:
        rows = sorted({r for r in (self.row_of(i) for i in ids) if r >= 0}, reverse=True)
        for row in rows:  # from the bottom, so the rows still to remove keep their numbers
            self.beginRemoveRows(QModelIndex(), row, row)
            item_id = self._ids.pop(row)
            it = self._items.pop(item_id, None)
            self._rows_valid = False
            self.endRemoveRows()
            if it is not None:
                self.thumbs.forget(self.gallery.path(it))

    def set_side(self, side: int) -> None:
        side = thumb_step(side)
        if side != self.side:
            self.side = side
            if self._ids:
                self.dataChanged.emit(self.index(0), self.index(len(self._ids) - 1), [Qt.DecorationRole])

    # ---- drag out -----------------------------------------------------------------------------
    def mimeTypes(self) -> list[str]:  # noqa: N802
        return ["text/uri-list"]

    def mimeData(self, indexes) -> QMimeData:  # noqa: N802
        """File URLs of the PNGs, so pictures can be dropped on the desktop or into a file manager or browser."""
        mime = QMimeData()
        urls = []
        for idx in indexes:
            it = self.item_at(idx.row()) if idx.isValid() else None
            if it is not None:
                urls.append(QUrl.fromLocalFile(str(self.gallery.path(it))))
        mime.setUrls(urls)
        return mime

    def supportedDragActions(self):  # noqa: N802
        return Qt.CopyAction


class GalleryView(QListView):
    """Icon grid of the kept pictures; dragging pictures out hands the file manager their PNG files.

    `thumb_cache`: folder for the thumbnails on disk (AppPaths.cache / "thumbnails"); None: memory only.
    """

    def __init__(self, state: AppState, parent=None, thumb_cache: Path | None = None):
        super().__init__(parent)
        self.state = state
        self.setObjectName("Gallery")
        self.setViewMode(QListView.IconMode)
        self.setResizeMode(QListView.Adjust)
        self.setMovement(QListView.Static)
        self.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragOnly)
        self.setUniformItemSizes(True)
        self.setSpacing(6)
        self.gallery_model = GalleryModel(state.gallery, state.settings.thumb_size, thumb_cache, self)
        self.setModel(self.gallery_model)
        self.set_zoom(state.settings.thumb_size)
        self.selectionModel().selectionChanged.connect(self._selection)
        state.gallery.items_added.connect(self.add_items)
        state.gallery.items_changed.connect(self.update_items)
        state.gallery.items_removed.connect(self.remove_items)
        # Newest first, like a camera roll.
        self.add_items(state.gallery.items())

    @property
    def thumbnails(self) -> ThumbnailCache:
        return self.gallery_model.thumbs

    def set_zoom(self, side: int) -> None:
        self.state.settings.thumb_size = side
        self.gallery_model.set_side(side)
        self.setIconSize(QSize(side, side))
        self.setGridSize(QSize(side + 14, side + 14))

    def add_items(self, items: list[GalleryItem]) -> None:
        self.gallery_model.add_items(items)

    def update_items(self, items: list[GalleryItem]) -> None:
        self.gallery_model.update_items(items)

    def remove_items(self, ids: list[str]) -> None:
        self.gallery_model.remove_items(ids)

    # ---- the QListWidget-like API the window, scripts and tests use ---------------------------
    def count(self) -> int:
        return self.gallery_model.rowCount()

    def setCurrentRow(self, row: int) -> None:  # noqa: N802
        """Make `row` current and the only selected picture (whatever modifier keys are held)."""
        self.selectionModel().setCurrentIndex(self.gallery_model.index(row), QItemSelectionModel.ClearAndSelect)

    def selectedItems(self) -> list[QModelIndex]:  # noqa: N802
        return self.selectedIndexes()

    def mimeData(self, indexes) -> QMimeData:  # noqa: N802
        return self.gallery_model.mimeData(indexes)

    def select_id(self, item_id: str) -> bool:
        """Make the picture current (and the only one selected) and scroll to it; False if it is not shown."""
        idx = self.gallery_model.index_of(item_id)
        if not idx.isValid():
            return False
        self.selectionModel().setCurrentIndex(idx, QItemSelectionModel.ClearAndSelect)
        self.scrollTo(idx)
        return True

    def selected_ids(self) -> list[str]:
        return [idx.data(ID_ROLE) for idx in self.selectedIndexes()]

    def _selection(self, *_args) -> None:
        self.state.selection.select(self.selected_ids())
