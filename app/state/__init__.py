"""The window's state: small models (napari's `components/` are the pattern), each a QObject with its own signals.

    settings     SettingsModel     the merchant's controls and preferences
    models       ModelsModel       device, installed / loaded / damaged models
    description  DescriptionModel  the description, corrections, how it was understood
    gallery      GalleryModel      the pictures, favourites, trash
    selection    SelectionModel    which pictures are selected
    live         LivePreview       slider offsets and the selected picture painted with them
    generation   GenerationModel   batches into the gallery, start from a photo, busy / progress / timing
    messages     Messages          errors and notices for the banner

No model touches the engine: they submit jobs (app.state.engine_jobs) to the engine worker (app.workers), which
decides which results are current; widgets read and change the models, never the store or the settings file.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject

from app.gallery_store import GalleryStore
from app.settings import Settings
from app.state.description import DescriptionModel
from app.state.gallery import GalleryModel
from app.state.generation import GenerationModel, Parts
from app.state.live import LivePreview
from app.state.messages import Messages
from app.state.models_model import ModelsModel
from app.state.selection import SelectionModel
from app.state.settings_model import SettingsModel
from app.workers import EngineWorker


class AppState(QObject):
    """Builds the models and wires them to each other; start() and shutdown() run the worker."""

    def __init__(self, worker: EngineWorker, store: GalleryStore, settings: Settings, config_dir: Path | None = None,
                 parent=None, inversions_dir: Path | None = None, inversion_runner=None):
        super().__init__(parent)
        self.worker = worker
        self.launch_seconds = 0.0  # set by app.main once the window shows (bench/ui_latency.py reads it)
        self.messages = Messages(self)
        self.settings = SettingsModel(settings, config_dir, self.messages, self)
        self.models = ModelsModel(worker, self.settings, self.messages, self)
        self.description = DescriptionModel(worker, self.settings, self)
        self.gallery = GalleryModel(store, self)
        self.selection = SelectionModel(self.gallery, self)
        self.live = LivePreview(worker, self.selection, self)
        self.generation = GenerationModel(worker, Parts(self.settings, self.description, self.gallery, self.selection,
                                                        self.live, self.models, self.messages), self)
        self.generation.inversions_dir = inversions_dir
        self.generation.inversion_runner = inversion_runner
        self.models.model_chosen.connect(lambda _id: self.live.clear_offsets())

    def start(self) -> None:
        """Start the worker; the model loads in the background while the window is already usable."""
        self.models.load(self.settings.model_id or None)
        self.worker.start()
        self.description.start()

    def shutdown(self) -> None:
        self.description.stop()
        self.live.stop()
        self.worker.cancel()
        self.worker.stop()
        self.settings.save()
