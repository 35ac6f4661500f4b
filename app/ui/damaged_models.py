"""Damaged models under the model picker: each named with its reason and a Remove button, never hidden.

The list is read on the worker (the thread that owns the engine) whenever the model list changes; Remove
deletes one of the shop's damaged model folders there too, then the model list is read again.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QPushButton, QVBoxLayout, QWidget

from app.i18n import tr
from app.state import AppState


def damaged_of(engine) -> list[tuple[str, str, str]]:
    """(id, sentence, source) of every damaged model folder the engine's registry sees (worker thread)."""
    registry = getattr(engine, "registry", None)
    damaged = getattr(registry, "damaged", None)
    return [(m.id, m.message, m.source) for m in damaged()] if callable(damaged) else []


def remove_damaged(engine, model_id: str) -> str:
    """Delete one of the shop's damaged model folders (worker thread); returns its id."""
    from app.engine.shop_models import remove_damaged as remove

    remove(engine.registry, model_id)
    return model_id


class DamagedModels(QWidget):
    """One row per damaged model: the sentence saying why, and Remove for the shop's own models."""

    def __init__(self, state: AppState, parent=None):
        super().__init__(parent)
        self.state = state
        self.rows = QVBoxLayout(self)
        self.rows.setContentsMargins(0, 0, 0, 0)
        self.damaged: list[tuple[str, str, str]] = []
        self._list_job: int | None = None
        self._remove_jobs: set[int] = set()
        self.setVisible(False)
        state.models_changed.connect(lambda _models: self.refresh())
        state.worker.task_done.connect(self._task_done)
        state.worker.failed.connect(self._failed)

    def refresh(self) -> None:
        """Read the damaged models again on the worker."""
        self._list_job = self.state.worker.submit_task(lambda engine, _stop, _report: damaged_of(engine))

    def _task_done(self, job_id: int, result) -> None:
        if job_id == self._list_job:
            self._show(list(result or []))
        elif job_id in self._remove_jobs:
            self._remove_jobs.discard(job_id)
            self.state.reload_models()  # the model list, and with it this one, is read again

    def _failed(self, job_id: int, message: str) -> None:
        if job_id in self._remove_jobs:
            self._remove_jobs.discard(job_id)
            self.state.error_raised.emit(message)

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

    def remove(self, model_id: str, ask: bool = True) -> int | None:
        """Delete a damaged shop model (after asking); returns the worker job id."""
        if ask and QMessageBox.question(self, tr("Remove damaged model"),
                                        tr("Delete the damaged model %1? This cannot be undone.", model_id)) \
                != QMessageBox.StandardButton.Yes:
            return None
        job = self.state.worker.submit_task(lambda engine, _stop, _report: remove_damaged(engine, model_id))
        self._remove_jobs.add(job)
        return job
