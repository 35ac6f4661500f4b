"""The "teach Vitrine your shop's look" panel: drop photos, describe them, pick a preset, train, watch.

The engine is driven through an injected runner (tests use a fake) on a worker QThread; the event loop
never waits on training or on decoding photos.

Runner protocol:
    runner.run(request: FinetuneRequest, photos: list[ImportedPhoto], control: FinetuneControl) -> Iterator[Progress]
        typed Progress keys (app.requests.Progress.key): "step", "preparing", "resumed", "cancelled" (args
        "resumable"), "finished" (args "name") …; the last Progress of a successful run has key "finished".
        `runner.model_name(request)` (optional) → the id under which the model was saved.
    runner.estimate_seconds(preset: str) -> float | None   (optional) the preset's time measured on this machine
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, QSize, Qt, QThread, Signal, Slot
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import (QComboBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QListWidget,
                               QListWidgetItem, QProgressBar, QPushButton, QVBoxLayout, QWidget)

from app.data.photo_import import ImportedPhoto, Rejected, import_photos
from app.engine.finetune import FinetuneRequest
from app.engine.finetune_plan import PRESETS, FinetuneControl, estimate_seconds
from app.requests import Progress
from app.ui.drops import FileDropMixin
from app.ui.training_text import TrainingTexts


def _pixmap(pixels: np.ndarray) -> QPixmap:
    a = np.ascontiguousarray(pixels)
    h, w, _ = a.shape
    return QPixmap.fromImage(QImage(a.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy())


class EngineRunner:
    """The real runner: the fine-tuning engine on the app's folders."""

    def __init__(self, paths, text=None):
        self.paths, self.text = paths, text

    def estimate_seconds(self, preset: str) -> float | None:
        return estimate_seconds(self.paths, preset)

    def run(self, request: FinetuneRequest, photos, control: FinetuneControl):
        from app.engine.finetune import Finetuner

        tuner = Finetuner(request, self.paths, photos, self.text)
        yield from tuner.run(control=control)


class _ImportWorker(QObject):
    done = Signal(object)  # ImportResult

    def __init__(self, sources, existing):
        super().__init__()
        self.sources, self.existing = sources, existing

    @Slot()
    def work(self) -> None:
        self.done.emit(import_photos(self.sources, 64, False, self.existing))


class _TrainWorker(QObject):
    progress = Signal(object)  # Progress
    finished = Signal(bool, object)  # success, the last Progress (None when there was none)
    failed = Signal(str)

    def __init__(self, runner, request, photos, control):
        super().__init__()
        self.runner, self.request, self.photos, self.control = runner, request, photos, control

    @Slot()
    def work(self) -> None:
        last = None
        try:
            for p in self.runner.run(self.request, self.photos, self.control):
                last = p
                self.progress.emit(p)
        except Exception as e:  # noqa: BLE001 — shown to the merchant; existing models stay as they were
            self.failed.emit(str(e) or e.__class__.__name__)
            return
        self.finished.emit(last is not None and last.key == "finished", last)


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
        self.control: FinetuneControl | None = None
        self.saved_name = ""  # the name the merchant typed for the model saved last
        self._threads: list[QThread] = []
        self._workers: list[QObject] = []
        self.setAcceptDrops(True)

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
        self._set_running(False)

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
        worker = _ImportWorker(list(paths), list(self.photos))
        worker.done.connect(self._imported)
        self._start_worker(worker)

    @Slot(object)
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
        self.control = FinetuneControl()
        worker = _TrainWorker(self.runner, self.request(resume), list(self.photos), self.control)
        worker.progress.connect(self._on_progress)
        worker.finished.connect(self._on_finished)
        worker.failed.connect(self._on_failed)
        self.progress_bar.setValue(0)
        self.resume_button.setVisible(False)
        seconds = self._estimate(self.preset_box.currentData())
        self.eta_label.setText(self._eta_text(seconds) if seconds else "")
        self.status_label.setText(self.tr("Loading the model and your photos…"))
        self._set_running(True)
        self._start_worker(worker)

    def toggle_pause(self) -> None:
        if self.control is None:
            return
        if self.control.paused:
            self.control.resume()
            self.pause_button.setText(self.tr("Pause"))
        else:
            self.control.pause()
            self.pause_button.setText(self.tr("Continue"))
            self.status_label.setText(self.tr("Paused."))

    def cancel(self) -> None:
        if self.control is not None:
            self.control.cancel()
            self.status_label.setText(self.tr("Cancelling… your existing models stay as they are."))

    def stop_and_keep_best(self) -> None:
        if self.control is not None:
            self.control.stop_and_keep_best()
            self.status_label.setText(self.tr("Stopping and saving the best model so far…"))

    @Slot(object)
    def _on_progress(self, p: Progress) -> None:
        self.progress_bar.setMaximum(max(1, p.total))
        self.progress_bar.setValue(min(p.step, max(1, p.total)))
        if p.eta_s is not None and p.key not in ("finished", "cancelled"):
            self.eta_label.setText(self._eta_text(p.eta_s))
        text = self._status_for(p)
        if text is not None and not (self.control is not None and self.control.paused and p.key == "step"):
            self.status_label.setText(text)
        if p.preview is not None:
            self.preview_label.setPixmap(_pixmap(p.preview))
        self.progress_changed.emit(p)

    @Slot(bool, object)
    def _on_finished(self, ok: bool, last: Progress | None) -> None:
        self._set_running(False)
        self.eta_label.setText("")
        self.refresh_estimates()  # the run measured this machine's step time
        text = self._status_for(last) if last is not None else None
        self.status_label.setText(text or (self.tr("Finished.") if ok else self.tr("Stopped.")))
        self.resume_button.setVisible(not ok and last is not None and last.key == "cancelled"
                                      and bool(last.args.get("resumable")))
        if ok:
            self.saved_name = str(last.args.get("name") or self.name_edit.text().strip())
            name_of = getattr(self.runner, "model_name", None)
            self.model_created.emit(name_of(self.request()) if name_of else self.name_edit.text().strip())

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self._set_running(False)
        self.status_label.setText(self.tr("Training stopped: %1. Your existing models are unchanged.").replace("%1", message))

    def _set_running(self, running: bool) -> None:
        self.start_button.setEnabled(not running)
        self.choose_button.setEnabled(not running)
        self.setAcceptDrops(not running)
        for b in (self.pause_button, self.cancel_button, self.keep_button):
            b.setEnabled(running)
        if not running:
            self.pause_button.setText(self.tr("Pause"))

    # ---- threads ---------------------------------------------------------------------------------
    def _start_worker(self, worker: QObject) -> None:
        thread = QThread()
        worker.moveToThread(thread)
        thread.started.connect(worker.work)
        for sig in ("done", "finished", "failed"):
            s = getattr(worker, sig, None)
            if s is not None:
                s.connect(thread.quit)
        thread.finished.connect(self._reap_finished)
        self._threads.append(thread)
        self._workers.append(worker)
        thread.start()

    @Slot()
    def _reap_finished(self) -> None:
        # Drop the references of threads that have ended (Python owns them; nothing is deleted under Qt's feet).
        for i in reversed(range(len(self._threads))):
            if self._threads[i].isFinished():
                self._threads[i].wait()
                del self._threads[i]
                del self._workers[i]

    def shutdown(self) -> None:
        """Stop a run (keeping nothing new) and wait for worker threads; call before closing the window."""
        if self.control is not None:
            self.control.cancel()
        for t in list(self._threads):
            t.quit()
            t.wait()

    def closeEvent(self, event) -> None:  # noqa: N802
        self.shutdown()
        super().closeEvent(event)
