"""The "teach Vitrine your shop's look" panel: drop photos, describe them, pick a preset, train, watch.

The engine is driven through an injected runner (tests use a fake) on the panel's own job worker
(app.workers.JobWorker: fine-tuning loads its own copy of the base model and runs for minutes, so it never
waits behind, or holds up, the engine worker); photos are read on a second one. The event loop never waits.

Runner protocol:
    runner.run(request: FinetuneRequest, photos: list[ImportedPhoto], control: JobControl)
        a job (app.engine.jobs): yields Progress with "finetune.*" message keys — the last one of a run that saved
        a model has phase FINISHED (args "name"), of a cancelled one CANCELLED (args "resumable", "step", "total").
    runner.model_name(request) (optional) → the id under which the model was saved.
    runner.estimate_seconds(preset: str) -> float | None   (optional) the preset's time measured on this machine
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import (QComboBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QListWidget,
                               QListWidgetItem, QProgressBar, QPushButton, QVBoxLayout, QWidget)

from app.data.photo_import import ImportedPhoto, Rejected, import_photos
from app.engine.finetune import FinetuneRequest
from app.engine.finetune_plan import PRESETS, estimate_seconds
from app.engine.jobs import JobControl, Phase, Progress
from app.ui.drops import FileDropMixin
from app.ui.progress_text import progress_text
from app.ui.training_text import TrainingTexts
from app.workers import Failure, JobHandle, JobWorker


def _pixmap(pixels: np.ndarray) -> QPixmap:
    a = np.ascontiguousarray(pixels)
    h, w, _ = a.shape
    return QPixmap.fromImage(QImage(a.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy())


class EngineRunner:
    """The real runner: the fine-tuning engine on the app's folders (and the app's model registry, when given)."""

    def __init__(self, paths, text=None, registry=None):
        self.paths, self.text, self.registry = paths, text, registry

    def estimate_seconds(self, preset: str) -> float | None:
        return estimate_seconds(self.paths, preset)

    def run(self, request: FinetuneRequest, photos, control: JobControl):
        from app.engine.finetune import Finetuner

        tuner = Finetuner(request, self.paths, photos, self.text, self.registry)
        return (yield from tuner.run(control=control))


class TrainingPanel(TrainingTexts, FileDropMixin, QWidget):
    """Few-shot fine-tuning panel. Emits model_created(name) when a shop model has been saved."""

    model_created = Signal(str)
    import_finished = Signal()
    progress_changed = Signal(object)

    def __init__(self, paths, runner=None, parent=None):
        super().__init__(parent)
        self.paths = paths
        self.runner = runner if runner is not None else EngineRunner(paths)
        self.photos: list[ImportedPhoto] = []
        self.rejected: list[Rejected] = []
        self.job: JobHandle | None = None  # the run going on (or the last one)
        self.saved_name = ""  # the name the merchant typed for the model saved last
        self._last: Progress | None = None
        self._importer = JobWorker(parent=self, idle_exit=True)  # reads photos
        self._trainer = JobWorker(parent=self, idle_exit=True)  # runs the fine-tuning job
        self.setAcceptDrops(True)
        self._photo_widgets()
        self._run_widgets()
        self._lay_out()
        self._set_running(False)

    @property
    def control(self) -> JobControl | None:
        """Stop / pause / keep-best switches of the run going on (None before the first run)."""
        return self.job.control if self.job is not None else None

    def _photo_widgets(self) -> None:
        self.drop_hint = QLabel(self.tr("Drop photos or folders of your products here, or choose them."))
        self.choose_button = QPushButton(self.tr("Choose photos…"))
        self.choose_button.clicked.connect(self.choose)
        self.photo_list = QListWidget()
        self.photo_list.setViewMode(QListWidget.ViewMode.IconMode)
        self.photo_list.setIconSize(QSize(64, 64))
        self.photo_list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.photo_list.currentRowChanged.connect(self._select_photo)
        self.reject_list = QListWidget()
        self.reject_list.setWordWrap(True)  # a reason is a sentence: wrapped, never cut at the edge
        self.reject_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.reject_label = QLabel(self.tr("Not used:"))
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText(self.tr("e.g. My shop's shoes"))
        self.description_edit = QLineEdit()
        self.description_edit.setPlaceholderText(self.tr("One description for all photos, e.g. red leather heels"))
        self.photo_description_edit = QLineEdit()
        self.photo_description_edit.setPlaceholderText(self.tr("Description of the selected photo (optional)"))
        self.photo_description_edit.editingFinished.connect(self._store_photo_description)
        self.photo_description_edit.setEnabled(False)
        self.preset_box = QComboBox()
        for key in PRESETS:
            self.preset_box.addItem(self._preset_label(key, self._estimate(key)), key)
        self.preset_box.setCurrentIndex(1)

    def _run_widgets(self) -> None:
        self.start_button = QPushButton(self.tr("Start"))
        self.pause_button = QPushButton(self.tr("Pause"))
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.keep_button = QPushButton(self.tr("Stop and keep best"))
        self.resume_button = QPushButton(self.tr("Resume training"))  # after a cancel that left a checkpoint
        self.resume_button.setVisible(False)
        self.resume_button.clicked.connect(self.resume_run)
        self.name_edit.textEdited.connect(lambda _t: self.resume_button.setVisible(False))
        self.start_button.clicked.connect(self.start)
        self.pause_button.clicked.connect(self.toggle_pause)
        self.cancel_button.clicked.connect(self.cancel)
        self.keep_button.clicked.connect(self.stop_and_keep_best)
        self.progress_bar = QProgressBar()
        self.progress_bar.setTextVisible(False)  # the status line says "step 3 of 420"; a % in a thin bar was cut
        self.eta_label = QLabel("")
        self.status_label = QLabel("")
        self.status_label.setWordWrap(True)
        self.preview_label = QLabel()
        self.preview_label.setMinimumSize(200, 60)
        self.preview_label.setAlignment(Qt.AlignmentFlag.AlignCenter)

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.drop_hint, 1)
        top.addWidget(self.choose_button)
        form = QFormLayout()
        form.addRow(self.tr("Model name"), self.name_edit)
        form.addRow(self.tr("Description"), self.description_edit)
        form.addRow(self.tr("This photo"), self.photo_description_edit)
        form.addRow(self.tr("Training time"), self.preset_box)
        buttons = QHBoxLayout()
        for b in (self.start_button, self.resume_button, self.pause_button, self.cancel_button, self.keep_button):
            buttons.addWidget(b)
        bar = QHBoxLayout()
        bar.addWidget(self.progress_bar, 1)
        bar.addWidget(self.eta_label)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.photo_list, 2)
        layout.addWidget(self.reject_label)
        layout.addWidget(self.reject_list, 1)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addLayout(bar)
        layout.addWidget(self.status_label)
        layout.addWidget(self.preview_label, 2)

    # ---- photos ----------------------------------------------------------------------------------
    def _estimate(self, preset: str) -> float | None:
        """The preset's seconds on this machine (measured by an earlier run), or None."""
        est = getattr(self.runner, "estimate_seconds", None)
        try:
            return est(preset) if est else None
        except Exception:  # noqa: BLE001 — an estimate never stops the panel
            return None

    def refresh_estimates(self) -> None:
        for i in range(self.preset_box.count()):
            key = self.preset_box.itemData(i)
            self.preset_box.setItemText(i, self._preset_label(key, self._estimate(key)))

    def files_dropped(self, paths: list[str]) -> None:
        self.add_paths(paths)

    def choose(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, self.tr("Choose product photos"), "",
                                                self.tr("Pictures (*.jpg *.jpeg *.png *.webp *.bmp *.tif *.tiff)"))
        if files:
            self.add_paths(files)

    def add_paths(self, paths: list[str]) -> None:
        """Import files/folders on a worker thread; import_finished is emitted when the list is updated."""
        self.status_label.setText(self.tr("Reading %n photo(s)…", "", len(paths)))
        self.resume_button.setVisible(False)  # other photos: a cancelled run cannot carry on with them
        sources, existing = list(paths), list(self.photos)
        h = self._importer.submit(lambda _ctx, _control: import_photos(sources, 64, False, existing), "import")
        h.finished.connect(self._imported)

    def _imported(self, result) -> None:
        for p in result.photos:
            self.photos.append(p)
            item = QListWidgetItem(QIcon(_pixmap(p.pixels)), p.path.name)
            item.setToolTip(p.hint)
            self.photo_list.addItem(item)
        for r in result.rejected:
            self.rejected.append(r)
            self.reject_list.addItem(f"{r.path.name} — {self._reason_text(r)}")
        self.status_label.setText(self.tr("%1 photos ready, %2 not used.").replace("%1", str(len(self.photos)))
                                  .replace("%2", str(len(self.rejected))))
        self._set_running(False)
        self.import_finished.emit()

    def _select_photo(self, row: int) -> None:
        ok = 0 <= row < len(self.photos)
        self.photo_description_edit.setEnabled(ok)
        self.photo_description_edit.setText(self.photos[row].description if ok else "")
        if ok:
            self.photo_description_edit.setPlaceholderText(
                self.tr("Description of this photo (default: %1)").replace(
                    "%1", self.photos[row].effective_description(self.description_edit.text())))

    def _store_photo_description(self) -> None:
        row = self.photo_list.currentRow()
        if 0 <= row < len(self.photos):
            self.set_photo_description(row, self.photo_description_edit.text())

    def set_photo_description(self, row: int, text: str) -> None:
        self.photos[row].description = text.strip()
        self.photo_list.item(row).setToolTip(self.photos[row].effective_description(self.description_edit.text()))

    # ---- training --------------------------------------------------------------------------------
    def request(self, resume: bool = False) -> FinetuneRequest:
        return FinetuneRequest(tuple(str(p.path) for p in self.photos), self.name_edit.text().strip(),
                               preset=self.preset_box.currentData(), description=self.description_edit.text().strip(),
                               resume=resume)

    def resume_run(self) -> None:
        """Carry on with the cancelled run from its last checkpoint (models already saved stay as they are)."""
        self.start(resume=True)

    def start(self, resume: bool = False) -> None:
        if not self.photos:
            self.status_label.setText(self.tr("Add some photos of your products first."))
            return
        if not self.name_edit.text().strip():
            self.status_label.setText(self.tr("Give the new model a name."))
            return
        runner, request, photos = self.runner, self.request(resume), list(self.photos)
        self._last = None
        self.job = self._trainer.submit(lambda _ctx, control: runner.run(request, photos, control), "finetune")
        self.job.progress.connect(self._on_progress)
        self.job.finished.connect(lambda _result: self._on_finished())
        self.job.failed.connect(self._on_failed)
        self.progress_bar.setValue(0)
        self.resume_button.setVisible(False)
        seconds = self._estimate(self.preset_box.currentData())
        self.eta_label.setText(self._eta_text(seconds) if seconds else "")
        self.status_label.setText(self.tr("Loading the model and your photos…"))
        self._set_running(True)

    def toggle_pause(self) -> None:
        if self.job is None:
            return
        if self.job.paused:
            self.job.resume()
            self.pause_button.setText(self.tr("Pause"))
        else:
            self.job.pause()
            self.pause_button.setText(self.tr("Continue"))
            self.status_label.setText(self.tr("Paused."))

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.status_label.setText(self.tr("Cancelling… your existing models stay as they are."))

    def stop_and_keep_best(self) -> None:
        if self.job is not None:
            self.job.finish_early()
            self.status_label.setText(self.tr("Stopping and saving the best model so far…"))

    def _on_progress(self, p: Progress) -> None:
        self._last = p
        self.progress_bar.setMaximum(max(1, p.total))
        self.progress_bar.setValue(min(p.done, max(1, p.total)))
        if p.eta_s is not None and p.phase not in (Phase.FINISHED, Phase.CANCELLED):
            self.eta_label.setText(self._eta_text(p.eta_s))
        text = progress_text(p, reason=self._reason_for)
        if text and not (self.job is not None and self.job.paused and p.message_key == "finetune.step"):
            self.status_label.setText(text)
        if p.preview is not None:
            self.preview_label.setPixmap(_pixmap(p.preview))
        self.progress_changed.emit(p)

    def _on_finished(self) -> None:
        last = self._last
        ok = last is not None and last.phase is Phase.FINISHED
        self._set_running(False)
        self.eta_label.setText("")
        self.refresh_estimates()  # the run measured this machine's step time
        text = progress_text(last, reason=self._reason_for) if last is not None else ""
        self.status_label.setText(text or (self.tr("Finished.") if ok else self.tr("Stopped.")))
        self.resume_button.setVisible(not ok and last is not None and last.phase is Phase.CANCELLED
                                      and bool(last.args.get("resumable")))
        if ok:
            self.saved_name = str(last.args.get("name") or self.name_edit.text().strip())
            name_of = getattr(self.runner, "model_name", None)
            self.model_created.emit(name_of(self.request()) if name_of else self.name_edit.text().strip())

    def _on_failed(self, failure: Failure) -> None:
        self._set_running(False)
        self.status_label.setText(self.tr("Training stopped: %1. Your existing models are unchanged.")
                                  .replace("%1", failure.error))

    def _set_running(self, running: bool) -> None:
        self.start_button.setEnabled(not running)
        self.choose_button.setEnabled(not running)
        self.setAcceptDrops(not running)
        for b in (self.pause_button, self.cancel_button, self.keep_button):
            b.setEnabled(running)
        if not running:
            self.pause_button.setText(self.tr("Pause"))

    def shutdown(self) -> None:
        """Stop a run (keeping nothing new) and wait for the panel's workers; call before closing the window."""
        if self.job is not None:
            self.job.cancel()
        self._importer.stop()
        self._trainer.stop()

    def closeEvent(self, event) -> None:  # noqa: N802
        self.shutdown()
        super().closeEvent(event)
