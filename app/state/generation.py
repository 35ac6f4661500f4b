"""Painting into the gallery: Generate, Variations, Repaint, Keep this version, reopened files and start from a
photo — the batches running on the worker, whether the window is busy, their progress and timing."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from app.i18n import tr
from app.requests import GenerateRequest
from app.state import engine_jobs as jobs
from app.state.description import DescriptionModel
from app.state.gallery import GalleryModel
from app.state.live import LivePreview
from app.state.messages import Messages
from app.state.models_model import ModelsModel
from app.state.selection import SelectionModel
from app.state.settings_model import SettingsModel
from app.workers import EngineWorker, Failure

VARIATION_DISTANCE = 0.35
BATCH_KINDS = ("generate", "photo")  # what Cancel stops


class GenerationModel(QObject):
    busy_changed = Signal(bool)
    progress_changed = Signal(int, int)  # done, total of the batch running now
    timing_changed = Signal(float)  # seconds of the last generation
    photo_progress = Signal(object)  # app.engine.jobs.Progress of "start from photo" (a preview now and then)
    photo_finished = Signal(object)  # app.photo_start.PhotoStartResult

    def __init__(self, worker: EngineWorker, parts: "Parts", parent=None):
        super().__init__(parent)
        self.worker, self.p = worker, parts
        self.last_seconds = 0.0
        self.inversions_dir: Path | None = None
        self.inversion_runner = None  # None: app.photo_start.engine_runner (the real inversion)
        self._running: dict[int, object] = {}  # batch job id → its request (None for start from a photo)
        self._generated_once = False

    @property
    def busy(self) -> bool:
        return bool(self._running)

    # ---- requests --------------------------------------------------------------------------------
    def build_request(self, description: str | None = None) -> GenerateRequest:
        s, d = self.p.settings, self.p.description
        return GenerateRequest(description=(d.text if description is None else description).strip(),
                               seed=int(s.seed), count=int(s.count), model_id=s.model_id,
                               truncation=float(s.creativity), overrides=d.sorted_overrides(),
                               size=int(s.picture_size), enlarge=s.enlarge)

    def generate(self) -> int | None:
        """Paint `count` new pictures for the description; returns the job id (None if there is nothing to do)."""
        if not self._described():
            return None
        if not self.p.settings.seed_locked and self._generated_once:
            self.p.settings.shuffle_seed()
        self._generated_once = True
        self.p.settings.remember_description(self.p.description.text)
        return self.submit(self.build_request())

    def variations(self) -> int | None:
        """Neighbours of the selected picture (same description, sliders and model)."""
        base = self.p.selection.request()
        if base is None:
            return None
        count = self.p.settings.count
        if base.variation > 0:
            req = replace(base, start=base.start + 1, count=count)
        else:
            req = replace(base, seed=base.seed + base.start, start=0, count=count, variation=VARIATION_DISTANCE)
        return self.submit(req)

    def repaint(self) -> int | None:
        """The selected picture painted again with the description typed now (same latent, seed and sliders)."""
        base = self.p.selection.request()
        if base is None or not self._described():
            return None
        d = self.p.description
        self.p.settings.remember_description(d.text)
        return self.submit(replace(base, description=d.stripped, overrides=d.sorted_overrides(),
                                   offsets=self.p.live.sorted_offsets(), count=1))

    def keep_live(self) -> int | None:
        """Add the selected picture, as the sliders show it now, to the gallery."""
        req = self.p.live.request
        return self.submit(req) if req is not None else None

    def reopen(self, req: GenerateRequest) -> int | None:
        """Regenerate exactly the picture a Vitrine file records (through the worker, into the gallery)."""
        req = req.single(0) if req.count != 1 else req
        models = self.p.models
        if req.model_id and models.available and models.find(req.model_id) is None:
            version = f" ({tr('version %1', req.model_hash[:12])})" if req.model_hash else ""
            self.p.messages.error(tr("This picture was made with the model “%1”%2, which is not installed; "
                                     "install that model to reopen it.", req.model_id, version))
            return None
        return self.submit(req)

    def _described(self) -> bool:
        if not self.p.description.stripped:
            self.p.messages.error(tr("Please describe the product first."))
            return False
        return True

    # ---- batches ---------------------------------------------------------------------------------
    def submit(self, req: GenerateRequest) -> int:
        """Paint `req` into the gallery on the worker."""
        h = self.worker.submit(jobs.batch(req, self.p.gallery.sink), "generate")
        shown = [0]  # gallery items announced so far

        def progress(p) -> None:
            self.p.gallery.added(p.partial[shown[0]:])
            shown[0] = len(p.partial)
            self.progress_changed.emit(p.done, p.total)

        h.progress.connect(progress)
        h.finished.connect(self._batch_done)
        self._started(h, req)
        self.progress_changed.emit(0, req.count)
        return h.id

    def _batch_done(self, batch: jobs.Batch) -> None:
        req = batch.request
        if req.enlarge == "sharp" and not req.model_hash and any(i.request.enlarge == "faithful" for i in batch.items):
            # The engine stood in Faithful for a missing Sharp upscaler: say so.
            self.p.messages.notice(tr("The Sharp upscaler is not installed, so these pictures were enlarged with "
                                      "Faithful."))
        if batch.stopped and len(batch.items) < req.count:
            self.p.messages.notice(tr("Stopped: %1 of %2 pictures were made and kept in the gallery.",
                                      len(batch.items), req.count))
        self.last_seconds = batch.seconds
        self.timing_changed.emit(batch.seconds)

    def start_from_photo(self, path: str | Path, description: str = "") -> int:
        """Find the photo in the current model (inversion on the worker); the pictures land in the gallery."""
        from app.photo_start import photo_job

        job = photo_job(path, self.p.gallery.sink, self.inversions_dir or self.p.gallery.folder.parent / "inversions",
                        model_id=self.p.settings.model_id or "", description=description,
                        runner=self.inversion_runner)
        h = self.worker.submit(job, "photo")
        h.progress.connect(self._photo_progress)
        h.finished.connect(self._photo_done)
        self._started(h, None)
        self.progress_changed.emit(0, 1)
        return h.id

    def _photo_progress(self, p) -> None:
        self.progress_changed.emit(p.done, max(1, p.total))
        self.photo_progress.emit(p)

    def _photo_done(self, result) -> None:
        self.p.gallery.added(result.items)
        self.photo_finished.emit(result)

    def cancel(self) -> None:
        self.worker.cancel(BATCH_KINDS)

    def _started(self, h, req) -> None:
        was_busy = self.busy
        self._running[h.id] = req
        h.failed.connect(self._failed)
        h.ended.connect(lambda i=h.id: self._ended(i))
        if not was_busy:
            self.busy_changed.emit(True)

    def _failed(self, failure: Failure) -> None:
        self.p.messages.error(failure.text)

    def _ended(self, job_id: int) -> None:
        self._running.pop(job_id, None)
        if not self._running:
            self.busy_changed.emit(False)


class Parts:
    """The models a GenerationModel reads (built by AppState)."""

    def __init__(self, settings: SettingsModel, description: DescriptionModel, gallery: GalleryModel,
                 selection: SelectionModel, live: LivePreview, models: ModelsModel, messages: Messages):
        self.settings, self.description, self.gallery = settings, description, gallery
        self.selection, self.live, self.models, self.messages = selection, live, models, messages
