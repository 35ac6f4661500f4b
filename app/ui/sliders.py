"""Sliders built from the loaded model's named latent directions; dragging updates the selected picture live."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QSlider, QToolButton, QVBoxLayout, QWidget

from app.i18n import tr
from app.state import AppState
from app.ui.theme import icon

STEPS_PER_SIGMA = 20  # slider ticks per σ; the range is ±3σ
RANGE_SIGMA = 3


class SlidersPanel(QWidget):
    def __init__(self, state: AppState, parent=None):
        super().__init__(parent)
        self.live, self.selection, self.models = state.live, state.selection, state.models
        self.zh = state.settings.zh
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        head = QHBoxLayout()
        head.addWidget(QLabel(tr("ADJUST"), objectName="SectionTitle"))
        head.addStretch(1)
        self.reset_all = QPushButton(icon("reset"), tr("Reset all"))
        self.reset_all.clicked.connect(lambda: self.live.reset_offsets())
        head.addWidget(self.reset_all)
        lay.addLayout(head)
        self.hint = QLabel(objectName="Hint", wordWrap=True)
        lay.addWidget(self.hint)
        self.grid = QGridLayout()
        self.grid.setVerticalSpacing(4)
        lay.addLayout(self.grid)
        lay.addStretch(1)
        self.sliders: dict[str, QSlider] = {}
        self.models.model_changed.connect(self.build)
        self.live.offsets_changed.connect(self.show_offsets)
        self.selection.changed.connect(lambda _ids: self._enable())
        self.build(self.models.loaded)

    def build(self, model) -> None:
        while self.grid.count():
            w = self.grid.takeAt(0).widget()
            if w is not None:
                w.deleteLater()
        self.sliders.clear()
        for row, d in enumerate(getattr(model, "directions", []) or []):
            shown = d.label_zh if self.zh and d.label_zh else tr(d.name.replace("_", " ").capitalize())
            label = QLabel(shown)
            # Plain words for the merchant (the direction's own description is for the model card).
            tip = tr("Drag right for more %1, left for less; the middle is the picture as it was painted.",
                     shown if self.zh else shown.lower())
            label.setToolTip(tip)
            slider = QSlider(Qt.Horizontal, minimum=-RANGE_SIGMA * STEPS_PER_SIGMA, maximum=RANGE_SIGMA * STEPS_PER_SIGMA)
            slider.setObjectName(f"slider:{d.name}")
            slider.setToolTip(tip)
            slider.valueChanged.connect(lambda v, n=d.name: self._moved(n, v))
            reset = QToolButton(icon=icon("reset"), toolTip=tr("Back to the middle"))
            reset.clicked.connect(lambda _=False, n=d.name: self.live.reset_offsets(n))
            self.grid.addWidget(label, row, 0)
            self.grid.addWidget(slider, row, 1)
            self.grid.addWidget(reset, row, 2)
            self.sliders[d.name] = slider
        self.grid.setColumnStretch(1, 1)
        self.show_offsets(self.live.offsets)
        self._enable()

    def _enable(self) -> None:
        one = len(self.selection.ids) == 1
        for s in self.sliders.values():
            s.setEnabled(one)
        self.reset_all.setEnabled(one and bool(self.sliders))
        self.reset_all.setVisible(bool(self.sliders))
        if self.models.loaded is not None and not self.sliders:
            self.hint.setText(tr("This model has no sliders yet."))
        elif not one:
            self.hint.setText(tr("Select one picture to adjust it."))
        else:
            self.hint.setText("")
        self.hint.setVisible(bool(self.hint.text()))

    def _moved(self, name: str, value: int) -> None:
        v = value / STEPS_PER_SIGMA
        if abs(self.live.offsets.get(name, 0.0) - v) > 1e-9:
            self.live.set_offset(name, v)

    def show_offsets(self, offsets: dict) -> None:
        for name, s in self.sliders.items():
            v = round(offsets.get(name, 0.0) * STEPS_PER_SIGMA)
            if s.value() != v:
                s.blockSignals(True)
                s.setValue(v)
                s.blockSignals(False)
