"""Generation controls: how many pictures, seed (lock/shuffle), creativity, model, Generate and Cancel."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QGridLayout, QHBoxLayout, QLabel, QProgressBar, QPushButton, QSlider,
                               QSpinBox, QToolButton, QVBoxLayout, QWidget)

from app.i18n import tr
from app.state import AppState
from app.ui.damaged_models import DamagedModels
from app.ui.theme import icon


class GenerateControls(QWidget):
    """Reads and changes state.settings; Generate and Cancel go to state.generation; models to state.models."""

    def __init__(self, state: AppState, parent=None):
        super().__init__(parent)
        self.state, self.settings = state, state.settings
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(8)
        grid = QGridLayout()
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(8)
        self._count_and_seed(grid)
        self._creativity_and_size(grid)
        self.model = QComboBox(toolTip=tr("Which picture model paints"))
        self.model.addItem(tr("Loading…"), "")
        self.model.setEnabled(False)
        self.model.activated.connect(lambda i: state.models.set_model(self.model.itemData(i)))
        grid.addWidget(QLabel(tr("Model")), 4, 0)
        grid.addWidget(self.model, 4, 1, 1, 3)
        grid.setColumnStretch(1, 1)
        lay.addLayout(grid)
        self.damaged = DamagedModels(state.models)  # damaged models: named with their reason and a Remove button
        lay.addWidget(self.damaged)
        self._buttons(lay)

        generation = state.generation
        generation.busy_changed.connect(self._busy)
        generation.progress_changed.connect(self._progress)
        state.models.models_changed.connect(self._models)
        state.models.model_changed.connect(lambda _m: self._sync())
        self.settings.changed.connect(self._sync)

    def _count_and_seed(self, grid: QGridLayout) -> None:
        s = self.settings
        self.count = QSpinBox(minimum=1, maximum=256, value=s.count, toolTip=tr("How many pictures to paint"))
        self.count.valueChanged.connect(lambda v: setattr(s, "count", v))
        grid.addWidget(QLabel(tr("Pictures")), 0, 0)
        grid.addWidget(self.count, 0, 1, 1, 3)
        self.seed = QSpinBox(minimum=0, maximum=2**31 - 1, value=s.seed,
                             toolTip=tr("The same seed and description give the same pictures"))
        self.seed.valueChanged.connect(lambda v: setattr(s, "seed", v))
        self.lock = QToolButton(checkable=True, checked=s.seed_locked)
        self.lock.toggled.connect(self._lock_toggled)
        self._lock_toggled(s.seed_locked)
        self.shuffle = QToolButton(icon=icon("shuffle"), toolTip=tr("New random seed"))
        self.shuffle.clicked.connect(s.shuffle_seed)
        grid.addWidget(QLabel(tr("Seed")), 1, 0)
        grid.addWidget(self.seed, 1, 1)
        grid.addWidget(self.lock, 1, 2)
        grid.addWidget(self.shuffle, 1, 3)

    def _creativity_and_size(self, grid: QGridLayout) -> None:
        s = self.settings
        self.creativity = QSlider(Qt.Horizontal, minimum=0, maximum=100, value=round(s.creativity * 100))
        self.creativity.setToolTip(tr("Low: typical, safe pictures. High: more variety and surprises."))
        self.creativity_value = QLabel(f"{s.creativity:.2f}")
        self.creativity.valueChanged.connect(self._creativity_changed)
        grid.addWidget(QLabel(tr("Creativity")), 2, 0)
        grid.addWidget(self.creativity, 2, 1, 1, 2)
        grid.addWidget(self.creativity_value, 2, 3)
        self.size = QComboBox(toolTip=tr("Picture size: larger sizes are sharpened by the learned upscaler"))
        for px in (64, 256, 512):
            self.size.addItem(f"{px} × {px}", px)
        self.size.setCurrentIndex(max(0, self.size.findData(s.picture_size)))
        self.size.currentIndexChanged.connect(lambda i: setattr(s, "picture_size", int(self.size.itemData(i))))
        # How sizes above 64 px are enlarged: Sharp (GAN-trained, looks like a photo) or Faithful (stays close to
        # the painted pixels). Pictures remember it, so they are made again the same way.
        self.enlarge = QComboBox(toolTip=tr("How larger sizes are enlarged: Sharp shows crisp detail like a photo; "
                                            "Faithful stays closest to the painted picture"))
        self.enlarge.addItem(tr("Sharp"), "sharp")
        self.enlarge.addItem(tr("Faithful"), "faithful")
        self.enlarge.setCurrentIndex(max(0, self.enlarge.findData(s.enlarge)))
        self.enlarge.currentIndexChanged.connect(lambda i: setattr(s, "enlarge", str(self.enlarge.itemData(i))))
        self.enlarge.setEnabled(s.picture_size > 64)
        self.size.currentIndexChanged.connect(lambda i: self.enlarge.setEnabled(int(self.size.itemData(i)) > 64))
        grid.addWidget(QLabel(tr("Size")), 3, 0)
        grid.addWidget(self.size, 3, 1)
        grid.addWidget(self.enlarge, 3, 2, 1, 2)

    def _buttons(self, lay: QVBoxLayout) -> None:
        buttons = QHBoxLayout()
        self.generate = QPushButton(icon("generate"), tr("Generate"), objectName="Primary")
        self.generate.setToolTip(tr("Paint pictures for the description (Ctrl+Enter)"))
        self.generate.clicked.connect(self.state.generation.generate)
        self.cancel = QPushButton(icon("cancel"), tr("Cancel"), enabled=False)
        self.cancel.clicked.connect(self.state.generation.cancel)
        buttons.addWidget(self.generate, 1)
        buttons.addWidget(self.cancel)
        lay.addLayout(buttons)
        self.progress = QProgressBar(textVisible=False, visible=False)
        lay.addWidget(self.progress)

    def _lock_toggled(self, locked: bool) -> None:
        self.settings.seed_locked = locked
        self.lock.setIcon(icon("lock" if locked else "unlock"))
        self.lock.setToolTip(tr("Seed locked: Generate repeats the same pictures") if locked
                             else tr("Seed unlocked: every Generate paints new pictures"))

    def _creativity_changed(self, v: int) -> None:
        self.settings.creativity = v / 100
        self.creativity_value.setText(f"{v / 100:.2f}")

    def _busy(self, busy: bool) -> None:
        self.cancel.setEnabled(busy)
        self.progress.setVisible(busy)

    def _progress(self, done: int, total: int) -> None:
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(done)

    def _models(self, models: list) -> None:
        self.model.clear()
        for model_id, name in models:
            self.model.addItem(name, model_id)
        self.model.setEnabled(bool(models))
        if not models:
            self.model.addItem(tr("No model installed"), "")
        self._sync()

    def _sync(self) -> None:
        for w, v in ((self.seed, self.settings.seed), (self.count, self.settings.count)):
            if w.value() != v:
                w.setValue(v)
        i = self.model.findData(self.settings.model_id)
        if i >= 0:
            self.model.setCurrentIndex(i)
