"""The selected picture, large (with the sliders applied live), and the compare view of two pictures."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QDialog, QGridLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from app.i18n import tr
from app.state import AppState
from app.ui.gallery import pixmap_from_pixels
from app.ui.theme import icon


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
        row = QGridLayout()
        self.variations = QPushButton(icon("variations"), tr("Variations"),
                                      toolTip=tr("Paint close neighbours of this picture"))
        self.variations.clicked.connect(state.generation.variations)
        self.keep = QPushButton(icon("keep"), tr("Keep this version"),
                                toolTip=tr("Add the picture as the sliders show it to the gallery"))
        self.keep.clicked.connect(state.generation.keep_live)
        self.repaint_button = QPushButton(icon("repaint"), tr("Repaint as described"),
                                          toolTip=tr("Paint this picture again with the description typed above, "
                                                     "for example in another colour"))
        self.repaint_button.clicked.connect(state.generation.repaint)
        # Two buttons a row: the side panel is narrow, and Chinese and English labels both stay readable.
        row.addWidget(self.variations, 0, 0)
        row.addWidget(self.keep, 0, 1)
        row.addWidget(self.repaint_button, 1, 0, 1, 2)
        lay.addLayout(row)
        state.selection.changed.connect(lambda _ids: self.refresh())
        state.description.understanding_changed.connect(lambda _u: self.refresh())
        state.live.image_changed.connect(lambda _img: self.refresh())
        state.gallery.items_removed.connect(lambda _ids: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        ids, text, live = self.state.selection.ids, self.state.description.stripped, self.state.live.image
        item = self.state.selection.single()
        editable = item is not None and item.remakeable  # the merchant's own photo is shown, not remade
        self.variations.setEnabled(editable)
        self.repaint_button.setEnabled(editable and bool(text) and text != item.request.description)
        self.keep.setEnabled(item is not None and live is not None)
        if item is None:
            self.image.set_pixmap(None)
            self.image.setText(tr("Select a picture in the gallery.") if not ids else tr("%1 pictures selected", len(ids)))
            self.info.setText("")
            return
        pm = pixmap_from_pixels(live.pixels) if live is not None else QPixmap(str(self.state.gallery.path(item)))
        self.image.set_pixmap(pm)
        r = (live.request if live is not None else item.request)
        sliders = ", ".join(f"{slider_label(self.state, k)} {v:+.1f}" for k, v in r.offsets)
        how = (tr("Found from a photo") if r.latent else
               tr("Seed %1 · picture %2 · creativity %3", r.seed, r.start + 1, f"{r.truncation:.2f}"))
        if not item.remakeable:
            how = tr("Your own photo, shown as it is (sliders do not apply to it)")
        self.info.setText(f"{r.description}\n{how}" + (f"\n{sliders}" if sliders else ""))


def slider_label(state: AppState, name: str) -> str:
    """A slider's name as the sliders panel shows it (Chinese label in Chinese)."""
    d = next((d for d in getattr(state.models.loaded, "directions", []) or [] if d.name == name), None)
    if d is not None and state.settings.zh and d.label_zh:
        return d.label_zh
    return tr(name.replace("_", " ").capitalize())


def request_differences(state: AppState, a, b) -> list[tuple[str, str, str]]:
    """(what, value in a, value in b) for every setting that differs between two requests, in merchant words."""
    def sliders(r) -> str:
        return ", ".join(f"{slider_label(state, k)} {v:+.1f}" for k, v in r.offsets) or tr("none moved")

    def corrections(r) -> str:
        return ", ".join(v for _, v in r.overrides) or tr("none")

    rows = [(tr("Description"), lambda r: r.description),
            (tr("Picture"), lambda r: tr("seed %1, picture %2", r.seed, r.start + 1)),
            (tr("Creativity"), lambda r: f"{r.truncation:.2f}"),
            (tr("Sliders"), sliders),
            (tr("Your corrections"), corrections),
            (tr("Variation of"), lambda r: tr("seed %1 (distance %2)", r.seed, f"{r.variation:.2f}") if r.variation
             else tr("not a variation")),
            (tr("Found from a photo"), lambda r: tr("yes") if r.latent else tr("no")),
            (tr("Model"), lambda r: r.model_id or tr("the default model")),
            (tr("Size"), lambda r: tr("%1 px", r.size))]
    return [(what, f(a), f(b)) for what, f in rows if f(a) != f(b)]


class CompareDialog(QDialog):
    """Two pictures side by side with what differs between their requests."""

    def __init__(self, state: AppState, ids: list[str], parent=None):
        super().__init__(parent)
        self.setWindowTitle(tr("Compare"))
        items = [state.gallery.get(i) for i in ids[:2]]
        grid = QGridLayout(self)
        differ = request_differences(state, items[0].request, items[1].request)
        self.texts = []
        for col, it in enumerate(items):
            label = ScaledLabel()
            label.setMinimumSize(320, 320)
            label.set_pixmap(QPixmap(str(state.gallery.path(it))))
            grid.addWidget(label, 0, col)
            text = "\n".join(f"{what}: {values[col]}" for what, *values in differ) or tr("Made with the same settings")
            self.texts.append(text)
            grid.addWidget(QLabel(text, wordWrap=True, objectName="Hint"), 1, col)
        self.resize(720, 460)
