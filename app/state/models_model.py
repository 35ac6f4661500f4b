"""The picture engine as the window sees it: the device, the installed models, the loaded one, damaged ones."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from app.i18n import tr
from app.state import engine_jobs as jobs
from app.state.messages import Messages
from app.state.settings_model import SettingsModel
from app.workers import EngineWorker, Failure

class ModelsModel(QObject):
    engine_ready = Signal(str, str)  # device name, note
    engine_failed = Signal(str)
    models_changed = Signal(list)  # [(id, name)]
    model_changed = Signal(object)  # loaded model (model_id, model_hash, resolution, directions)
    model_missing = Signal(str)  # no usable model: a sentence for the merchant
    model_chosen = Signal(str)  # the merchant picked another model (it is loading)
    damaged_changed = Signal(list)  # [(id, sentence, source)] of damaged model folders

    def __init__(self, worker: EngineWorker, settings: SettingsModel, messages: Messages, parent=None):
        super().__init__(parent)
        self.worker, self.settings, self.messages = worker, settings, messages
        self.available: list[tuple[str, str]] = []  # (id, name) as the worker last read them
        self.loaded = None
        self.device_name = self.device_note = ""
        self._select_after_reload: str | None = None
        worker.engine_ready.connect(self._on_engine_ready)
        worker.engine_failed.connect(self._on_engine_failed)

    # ---- asking ----------------------------------------------------------------------------------
    def load(self, model_id: str | None) -> None:
        h = self.worker.submit(jobs.load(model_id), "load", lane="load")  # only the newest choice is answered
        h.finished.connect(self._on_loaded)
        h.failed.connect(lambda f, i=h.id: self._on_load_failed(i, f))

    def set_model(self, model_id: str) -> None:
        if model_id and model_id != self.settings.model_id:
            self.settings.model_id = model_id
            self.model_chosen.emit(model_id)
            self.load(model_id)

    def reload(self, select: str | None = None) -> None:
        """Read the model list again on the worker (a shop model was created); then select `select` (id or name)."""
        self._select_after_reload = select
        self.worker.submit(jobs.list_models(), "models", lane="models").finished.connect(self._on_listed)

    def find(self, key: str) -> str | None:
        """The id of the model whose id or display name is `key`, if the worker listed it."""
        return next((mid for mid, name in self.available if key in (mid, name)), None)

    def read_damaged(self) -> None:
        """Read the damaged model folders again on the worker (damaged_changed answers)."""
        h = self.worker.submit(jobs.damaged_models(), "damaged")
        h.finished.connect(lambda found: self.damaged_changed.emit(list(found or [])))

    def remove_damaged(self, model_id: str) -> None:
        """Delete one of the shop's damaged models on the worker, then read the model list again."""
        h = self.worker.submit(jobs.remove_damaged(model_id), "damaged")
        h.finished.connect(lambda _id: self.reload())
        h.failed.connect(lambda f: self.messages.error(f.text))

    # ---- answers ---------------------------------------------------------------------------------
    def _on_engine_ready(self, info: dict) -> None:
        self.device_name, self.device_note = info["device"], info["note"]
        self.engine_ready.emit(self.device_name, self.device_note)
        self._set_available(list(info["models"]))
        if not info["models"]:
            self.model_missing.emit(tr("No picture model is installed. Put a model folder into the models "
                                       "folder (or train one with “python -m app train”) and restart Vitrine."))

    def _on_engine_failed(self, message: str) -> None:
        self.engine_failed.emit(message)
        self.messages.error(tr("Vitrine could not start its picture engine: %1", message))

    def _on_loaded(self, model) -> None:
        self.loaded = model
        self.settings.model_id = model.model_id
        self.model_changed.emit(model)
        self.settings.changed.emit()

    def _on_load_failed(self, job: int, failure: Failure) -> None:
        if job == self.worker.lanes["load"].latest:
            self.loaded = None
            self.model_missing.emit(failure.text)
        self.messages.error(failure.text)

    def _on_listed(self, models: list) -> None:
        self._set_available(list(models))
        key, self._select_after_reload = self._select_after_reload, None
        model_id = self.find(key) if key else None
        if model_id:
            self.set_model(model_id)
            self.settings.changed.emit()

    def _set_available(self, models: list) -> None:
        self.available = models
        self.models_changed.emit(list(models))
        self.read_damaged()
