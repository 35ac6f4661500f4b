"""Damaged models under the model picker: each named with its reason and a Remove button, never hidden.

The list is read on the worker (the thread that owns the engine) whenever the model list changes (ModelsModel
does it); Remove deletes one of the shop's damaged model folders there too, then the model list is read again.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QPushButton, QVBoxLayout, QWidget

from app.i18n import tr
from app.state.models_model import ModelsModel


class DamagedModels(QWidget):
    """One row per damaged model: the sentence saying why, and Remove for the shop's own models."""

    def __init__(self, models: ModelsModel, parent=None):
        super().__init__(parent)
        self.models = models
        self.rows = QVBoxLayout(self)
        self.rows.setContentsMargins(0, 0, 0, 0)
        self.damaged: list[tuple[str, str, str]] = []
        self.setVisible(False)
        models.damaged_changed.connect(self._show)

    def refresh(self) -> None:
        """Read the damaged models again on the worker."""
        self.models.read_damaged()

    def _show(self, damaged: list[tuple[str, str, str]]) -> None:
        self.damaged = damaged
        while self.rows.count():
            item = self.rows.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        for model_id, sentence, source in damaged:
            row = QWidget()
            lay = QHBoxLayout(row)
            lay.setContentsMargins(0, 0, 0, 0)
            label = QLabel("⚠ " + sentence, wordWrap=True, objectName="DamagedModel")
            lay.addWidget(label, 1)
            if source == "user":
                remove = QPushButton(tr("Remove"), toolTip=tr("Delete this damaged model from your models"))
                remove.clicked.connect(lambda _=False, mid=model_id: self.remove(mid))
                lay.addWidget(remove)
            self.rows.addWidget(row)
        self.setVisible(bool(damaged))

    def remove(self, model_id: str, ask: bool = True) -> bool:
        """Delete a damaged shop model on the worker (after asking); False when the merchant said no."""
        if ask and QMessageBox.question(self, tr("Remove damaged model"),
                                        tr("Delete the damaged model %1? This cannot be undone.", model_id)) \
                != QMessageBox.StandardButton.Yes:
            return False
        self.models.remove_damaged(model_id)
        return True
