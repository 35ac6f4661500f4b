"""Application state as a QObject (no widgets): the description, controls, sliders, gallery and busy/progress."""

from __future__ import annotations

import random
from pathlib import Path
from dataclasses import replace

from PySide6.QtCore import QObject, QTimer, Signal

from app.gallery_store import GalleryStore
from app.state_gallery import GalleryStateMixin
from app.i18n import tr
from app.requests import GeneratedImage, GenerateRequest
from app.settings import Settings, save_settings
from app.workers import EngineWorker

UNDERSTAND_DELAY_MS = 300  # wait this long after the last keystroke before reading the description
SLIDER_DELAY_MS = 15  # coalesce slider moves a little; the worker slot drops the rest
VARIATION_DISTANCE = 0.35


class AppState(GalleryStateMixin, QObject):
    """The one source of truth that widgets read and change; it talks to the worker, never to the engine."""

    engine_ready = Signal(str, str)  # device name, note
    engine_failed = Signal(str)
    models_changed = Signal(list)  # [(id, name)]
    model_changed = Signal(object)  # loaded model (model_id, model_hash, resolution, directions)
    model_missing = Signal(str)  # no usable model: a sentence for the merchant
    understanding_changed = Signal(object)
    overrides_changed = Signal(dict)
    offsets_changed = Signal(dict)
    controls_changed = Signal()  # count/seed/creativity/model changed by the state itself (e.g. a new seed)
    busy_changed = Signal(bool)
    progress_changed = Signal(int, int)
    items_added = Signal(list)  # [GalleryItem]
    items_changed = Signal(list)  # [GalleryItem] (favourite flag)
    items_removed = Signal(list)  # [id]
    selection_changed = Signal(list)  # [id]
    live_changed = Signal(object)  # GeneratedImage of the selected picture with the sliders applied, or None
    error_raised = Signal(str)
    notice_raised = Signal(str)  # news that is not an error (e.g. how many pictures a stopped batch kept)
    trash_changed = Signal(int)  # pictures in the trash
    timing_changed = Signal(float)  # seconds of the last generation
    photo_progress = Signal(object)  # Progress of "start from photo" (with a preview picture now and then)
    photo_finished = Signal(object)  # app.photo_start.PhotoStartResult
    reopened = Signal(object)  # GenerateRequest of a reopened Vitrine file, sent to the worker

    def __init__(self, worker: EngineWorker, store: GalleryStore, settings: Settings, config_dir: Path | None = None,
                 parent=None, inversions_dir: Path | None = None, inversion_runner=None):
        super().__init__(parent)
        self.inversions_dir = inversions_dir or Path(store.folder).parent / "inversions"
        self.inversion_runner = inversion_runner  # None: app.photo_start.engine_runner (the real inversion)
        self.models: list[tuple[str, str]] = []  # (id, name) as the worker last read them
        self._models_id = 0
        self._select_after_reload: str | None = None
        self._photo_ids: set[int] = set()
        self.worker, self.store, self.settings = worker, store, settings
        self.paths_config = config_dir  # where settings are saved on shutdown (None: not saved)
        self.description = settings.description
        self.overrides: dict[str, str] = {}
        # Chip corrections belong to the description they were made on (normalised text → corrections).
        self._overrides_by_description: dict[str, dict[str, str]] = {}
        self.offsets: dict[str, float] = {}
        self.count, self.seed, self.seed_locked = settings.count, settings.seed, settings.seed_locked
        self.creativity, self.model_id = settings.creativity, settings.model_id
        self.picture_size = settings.picture_size
        self.enlarge = settings.enlarge  # "sharp" | "faithful": the upscaler new pictures above 64 px ask for
        self._asked_sharp: set[int] = set()  # new batches that asked for Sharp (told when Faithful stood in)
        self.loaded = None
        self.understanding = None
        self.device_name = self.device_note = ""
        self.last_seconds = 0.0
        self.selected: list[str] = []
        self.live: GeneratedImage | None = None
        self.stale_dropped = 0  # results of superseded requests that were ignored (tests and benchmarks read it)
        self._batch_ids: set[int] = set()
        self._batch_counts: dict[int, list[int]] = {}  # job → [pictures asked for, pictures kept]
        self._stopped: set[int] = set()  # batch jobs the merchant stopped
        self._load_id = self._understand_id = self._interactive_id = 0
        # Interactive results are accepted when newer than the one shown and issued for the current selection.
        self._interactive_floor = self._live_id = 0
        self._interactive_request: GenerateRequest | None = None
        self._understand_timer = QTimer(self, singleShot=True, interval=UNDERSTAND_DELAY_MS)
        self._understand_timer.timeout.connect(self._send_understand)
        self._slider_timer = QTimer(self, singleShot=True, interval=SLIDER_DELAY_MS)
        self._slider_timer.timeout.connect(self._send_interactive)
        w = worker
        w.engine_ready.connect(self._on_engine_ready)
        w.engine_failed.connect(self._on_engine_failed)
        w.model_loaded.connect(self._on_model_loaded)
        w.understood.connect(self._on_understood)
        w.results_ready.connect(self._on_results)
        w.stored.connect(self._on_stored)
        w.progress_changed.connect(self._on_progress)
        w.failed.connect(self._on_failed)
        w.job_finished.connect(self._on_finished)
        w.models_listed.connect(self._on_models_listed)
        w.task_progress.connect(self._on_task_progress)
        w.task_done.connect(self._on_task_done)

    # ---- life cycle ------------------------------------------------------------------------------
    def start(self) -> None:
        """Start the worker; the model loads in the background while the window is already usable."""
        self._load_id = self.worker.submit_load(self.model_id or None)
        self.worker.start()
        if self.description.strip():
            self._understand_timer.start()

    def shutdown(self) -> None:
        self._understand_timer.stop()
        self._slider_timer.stop()
        self.worker.cancel()
        self.worker.stop()
        self.save_settings()

    def save_settings(self) -> None:
        s = self.settings
        s.description, s.count, s.seed, s.seed_locked = self.description, self.count, self.seed, self.seed_locked
        s.creativity, s.model_id = self.creativity, self.model_id
        s.picture_size, s.enlarge = self.picture_size, self.enlarge
        if self.paths_config is not None:
            try:
                save_settings(self.paths_config, s)
            except OSError as e:
                self.error_raised.emit(tr("Settings could not be saved: %1", e))

    @property
    def busy(self) -> bool:
        return bool(self._batch_ids)

    # ---- description -----------------------------------------------------------------------------
    @staticmethod
    def _description_key(text: str) -> str:
        return " ".join(text.split()).casefold()

    def set_description(self, text: str) -> None:
        if text != self.description:
            self.description = text
            # Another description starts with no corrections (or with the ones made on it before).
            corrections = self._overrides_by_description.get(self._description_key(text), {})
            if corrections != self.overrides:
                self.overrides = dict(corrections)
                self.overrides_changed.emit(dict(self.overrides))
            self._understand_timer.start()

    def set_override(self, attribute: str, key: str | None) -> None:
        """The merchant corrected how an attribute was understood (None: let Vitrine decide again)."""
        if key:
            self.overrides[attribute] = key
        else:
            self.overrides.pop(attribute, None)
        self._overrides_by_description[self._description_key(self.description)] = dict(self.overrides)
        self.overrides_changed.emit(dict(self.overrides))
        self._send_understand()

    def _send_understand(self) -> None:
        self._understand_timer.stop()
        if self.description.strip():
            self._understand_id = self.worker.submit_understand(self.description, self.overrides)
        else:
            self.understanding = None
            self.understanding_changed.emit(None)

    # ---- controls --------------------------------------------------------------------------------
    def set_model(self, model_id: str) -> None:
        if model_id and model_id != self.model_id:
            self.model_id = model_id
            self.offsets.clear()
            self._load_id = self.worker.submit_load(model_id)

    def reload_models(self, select: str | None = None) -> int:
        """Read the model list again on the worker (a shop model was created); then select `select` (id or name)."""
        self._select_after_reload = select
        self._models_id = self.worker.submit_models()
        return self._models_id

    def find_model(self, key: str) -> str | None:
        """The id of the model whose id or display name is `key`, if the worker listed it."""
        return next((mid for mid, name in self.models if key in (mid, name)), None)

    def shuffle_seed(self) -> None:
        self.seed = random.randrange(0, 1_000_000)
        self.controls_changed.emit()

    def build_request(self, description: str | None = None) -> GenerateRequest:
        return GenerateRequest(description=(self.description if description is None else description).strip(),
                               seed=int(self.seed), count=int(self.count), model_id=self.model_id,
                               truncation=float(self.creativity), overrides=tuple(sorted(self.overrides.items())),
                               size=int(self.picture_size), enlarge=self.enlarge)

    # ---- generation ------------------------------------------------------------------------------
    def generate(self) -> int | None:
        """Paint `count` new pictures for the description; returns the job id (None if there is nothing to do)."""
        if not self.description.strip():
            self.error_raised.emit(tr("Please describe the product first."))
            return None
        if not self.seed_locked and self._generated_once:
            self.shuffle_seed()
        self._generated_once = True
        self.settings.remember_description(self.description)
        return self._submit_batch(self.build_request())

    _generated_once = False

    def _submit_batch(self, req: GenerateRequest) -> int:
        job = self.worker.submit_generate(req, keep=True)
        was_busy = self.busy
        self._batch_ids.add(job)
        self._batch_counts[job] = [req.count, 0]
        if req.enlarge == "sharp" and not req.model_hash:
            self._asked_sharp.add(job)
        if not was_busy:
            self.busy_changed.emit(True)
        self.progress_changed.emit(0, req.count)
        return job

    def cancel(self) -> None:
        self._stopped |= set(self._batch_counts)
        self.worker.cancel()

    # ---- reopen and start from a photo -----------------------------------------------------------
    def reopen(self, req: GenerateRequest) -> int | None:
        """Regenerate exactly the picture a Vitrine file records (through the worker, into the gallery)."""
        req = req.single(0) if req.count != 1 else req
        if req.model_id and self.models and self.find_model(req.model_id) is None:
            version = f" ({tr('version %1', req.model_hash[:12])})" if req.model_hash else ""
            self.error_raised.emit(tr("This picture was made with the model “%1”%2, which is not installed; "
                                      "install that model to reopen it.", req.model_id, version))
            return None
        self.reopened.emit(req)
        return self._submit_batch(req)

    def start_from_photo(self, path: str | Path, description: str = "") -> int:
        """Find the photo in the current model (inversion on the worker); the pictures land in the gallery."""
        from app.photo_start import photo_task

        task = photo_task(path, self.store, self.inversions_dir, model_id=self.model_id or "",
                          description=description, runner=self.inversion_runner)
        job = self.worker.submit_task(task)
        was_busy = self.busy
        self._batch_ids.add(job)
        self._photo_ids.add(job)
        if not was_busy:
            self.busy_changed.emit(True)
        self.progress_changed.emit(0, 1)
        return job

    def variations(self) -> int | None:
        """Neighbours of the selected picture (same description, sliders and model)."""
        base = self._selected_request()
        if base is None:
            return None
        if base.variation > 0:
            req = replace(base, start=base.start + 1, count=self.count)
        else:
            req = replace(base, seed=base.seed + base.start, start=0, count=self.count, variation=VARIATION_DISTANCE)
        return self._submit_batch(req)

    def repaint(self) -> int | None:
        """The selected picture painted again with the description typed now (same latent, seed and sliders)."""
        base = self._selected_request()
        if base is None:
            return None
        if not self.description.strip():
            self.error_raised.emit(tr("Please describe the product first."))
            return None
        self.settings.remember_description(self.description)
        req = replace(base, description=self.description.strip(), overrides=tuple(sorted(self.overrides.items())),
                      offsets=tuple(sorted(self.offsets.items())), count=1)
        return self._submit_batch(req)

    def keep_live(self) -> int | None:
        """Add the selected picture, as the sliders show it now, to the gallery."""
        req = self._interactive_request
        return self._submit_batch(req) if req is not None else None

    # ---- sliders ---------------------------------------------------------------------------------
    def set_offset(self, name: str, value: float) -> None:
        if abs(value) < 1e-9:
            self.offsets.pop(name, None)
        else:
            self.offsets[name] = float(value)
        self.offsets_changed.emit(dict(self.offsets))
        self._slider_timer.start()

    def reset_offsets(self, name: str | None = None) -> None:
        if name is None:
            self.offsets.clear()
        else:
            self.offsets.pop(name, None)
        self.offsets_changed.emit(dict(self.offsets))
        self._send_interactive()

    def _selected_request(self) -> GenerateRequest | None:
        """The request that remakes the selected picture; None for the merchant's own photo (nothing remakes
        it, so sliders and variations do not apply to it)."""
        if len(self.selected) != 1:
            return None
        item = self.store.get(self.selected[0])
        return item.request if item is not None and item.remakeable else None

    def _send_interactive(self) -> None:
        self._slider_timer.stop()
        base = self._selected_request()
        if base is None:
            return
        req = replace(base, offsets=tuple(sorted(self.offsets.items())))
        self._interactive_request = req
        if req == base:
            self.live = None
            self.live_changed.emit(None)
        # Stamp the newest request; whatever comes back for an older id is stale and dropped.
        self._interactive_id = self.worker.submit_interactive(req)
        if not self._interactive_floor:
            self._interactive_floor = self._interactive_id

    # ---- worker signals --------------------------------------------------------------------------
    def _on_engine_ready(self, info: dict) -> None:
        self.device_name, self.device_note = info["device"], info["note"]
        self.engine_ready.emit(self.device_name, self.device_note)
        self.models = list(info["models"])
        self.models_changed.emit(list(info["models"]))
        if not info["models"]:
            self.model_missing.emit(tr("No picture model is installed. Put a model folder into the models "
                                             "folder (or train one with “python -m app train”) and restart Vitrine."))

    def _on_engine_failed(self, message: str) -> None:
        self.engine_failed.emit(message)
        self.error_raised.emit(tr("Vitrine could not start its picture engine: %1", message))

    def _on_model_loaded(self, job: int, model) -> None:
        if job != self._load_id:
            return
        self.loaded = model
        self.model_id = model.model_id
        self.model_changed.emit(model)
        self.controls_changed.emit()

    def _on_understood(self, job: int, understanding) -> None:
        if job != self._understand_id:
            self.stale_dropped += 1
            return
        self.understanding = understanding
        self.understanding_changed.emit(understanding)

    def _on_results(self, job: int, images: list) -> None:
        if job in self._batch_ids:
            return  # batch pictures arrive through `stored`, once they are on disk
        if not (self._interactive_floor and self._interactive_floor <= job <= self._interactive_id
                and job > self._live_id):
            self.stale_dropped += 1
            return
        self._live_id = job
        self.live = images[-1]
        self.live_changed.emit(self.live)

    def _on_stored(self, job: int, items: list) -> None:
        if job in self._batch_counts:
            self._batch_counts[job][1] += len(items or [])
        if items:
            self.items_added.emit(list(items))
        if job in self._asked_sharp and any(i.request.enlarge == "faithful" for i in items or []):
            self._asked_sharp.discard(job)  # the engine stood in Faithful for a missing Sharp upscaler: say so once
            self.notice_raised.emit(tr("The Sharp upscaler is not installed, so these pictures were enlarged with "
                                       "Faithful."))

    def _on_progress(self, job: int, done: int, total: int) -> None:
        if job in self._batch_ids:
            self.progress_changed.emit(done, total)

    def _on_failed(self, job: int, message: str) -> None:
        if job == self._load_id:
            self.loaded = None
            self.model_missing.emit(message)
        if job in self._batch_ids or job == self._load_id or job == self._interactive_id:
            self.error_raised.emit(message)

    def _on_models_listed(self, job: int, models: list) -> None:
        if job != self._models_id:
            return
        self.models = list(models)
        self.models_changed.emit(list(models))
        key, self._select_after_reload = self._select_after_reload, None
        model_id = self.find_model(key) if key else None
        if model_id:
            self.set_model(model_id)
            self.controls_changed.emit()

    def _on_task_progress(self, job: int, p) -> None:
        if job in self._photo_ids:
            self.progress_changed.emit(p.step, max(1, p.total))
            self.photo_progress.emit(p)

    def _on_task_done(self, job: int, result) -> None:
        if job not in self._photo_ids:
            return
        if result.items:
            self.items_added.emit(list(result.items))
        self.photo_finished.emit(result)

    def _on_finished(self, job: int, kind: str, seconds: float) -> None:
        self._photo_ids.discard(job)
        asked, kept = self._batch_counts.pop(job, (0, 0))
        if job in self._stopped:
            self._stopped.discard(job)
            if kept < asked:
                self.notice_raised.emit(tr("Stopped: %1 of %2 pictures were made and kept in the gallery.",
                                           kept, asked))
        if job in self._batch_ids:
            self._batch_ids.discard(job)
            self.last_seconds = seconds
            self.timing_changed.emit(seconds)
            if not self._batch_ids:
                self.busy_changed.emit(False)
