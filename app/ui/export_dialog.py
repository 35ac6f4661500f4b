"""The export dialog: choose a listing folder, preset, format and file names; export as a job on its own worker."""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Any, Callable, Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QFileDialog, QFormLayout, QGridLayout, QHBoxLayout,
                               QLabel, QLineEdit, QMessageBox, QProgressBar, QPushButton, QScrollArea, QSpinBox,
                               QVBoxLayout, QWidget)

from app.export import (CUSTOM, DEFAULT_TEMPLATE, PRESETS, ExportError, ExportRequest, ExportResult, export_job,
                        group_key, plan_paths, planned_names, product_groups)
from app.ui.export_jobs import RecentFolders, error_text, failure_text, open_folder  # noqa: F401 (re-exported)
from app.ui.progress_text import progress_text
from app.workers import JobHandle, JobWorker


class ExportDialog(QDialog):
    """Export the given pictures (objects with .pixels and .request) to a listing folder."""

    exported = Signal(object)  # ExportResult
    failed = Signal(str)

    def __init__(self, images: Sequence[Any], parent: QWidget | None = None, engine: Any = None,
                 config_dir: Path | None = None, export_fn: Callable[..., Any] = export_job):
        """export_fn(images, request, engine=, control=, replace=): the export job (app.export.export_job)."""
        super().__init__(parent)
        self.setWindowTitle(self.tr("Export pictures"))
        self.setMinimumWidth(620)
        self.images = list(images)
        self.engine = engine
        self._export_fn = export_fn
        self._worker = JobWorker(parent=self, idle_exit=True)
        self._job: JobHandle | None = None
        self.result: ExportResult | None = None
        self.message_box: QMessageBox | None = None
        if config_dir is None:
            from app.paths import AppPaths

            config_dir = AppPaths.default().config
        self.recent = RecentFolders(config_dir)
        self._where_widgets()
        self._how_widgets()
        self._run_widgets()
        self._lay_out()
        self._connect()
        self._set_busy(False)
        self._update()

    def _where_widgets(self) -> None:
        """Folder, subfolder, products (name and SKU each), file-name template."""
        self.folder = QComboBox()
        self.folder.setEditable(True)
        self.folder.addItems(self.recent.load())
        self.browse = QPushButton(self.tr("Browse…"))
        self.subfolder = QComboBox()
        for key, label in (("", self.tr("None")), ("sku", self.tr("By SKU")), ("name", self.tr("By product name"))):
            self.subfolder.addItem(label, key)
        self.groups = product_groups([im.request for im in self.images])
        self.count_label = QLabel(self._count_text(), objectName="ExportCount", wordWrap=True)
        self.group_names: list[QLineEdit] = []
        self.group_skus: list[QLineEdit] = []
        self.products = self._products_box()
        # One product: its fields are the dialog's "Product name" and "SKU" (tests and scripts use these names).
        self.product_name, self.sku = self.group_names[0], self.group_skus[0]
        self.template = QLineEdit(DEFAULT_TEMPLATE)
        self.template.setToolTip(self.tr("Fields: {sku} {name} {index} {date} {seed} {colour} {category} {model}"))
        self.preview = QLabel()
        self.preview.setWordWrap(True)

    def _how_widgets(self) -> None:
        """Format and quality, preset and size, upscaler, background, sidecar, overwrite policy."""
        self.format = QComboBox()
        for key, label in (("jpeg", "JPEG"), ("png", "PNG"), ("webp", "WebP")):
            self.format.addItem(label, key)
        self.quality = QSpinBox()
        self.quality.setRange(1, 100)
        self.quality.setValue(92)
        self.preset = QComboBox()
        for key, p in PRESETS.items():
            self.preset.addItem(self.tr(p.label), key)
        self.preset.addItem(self.tr("Custom size"), CUSTOM)
        self.size = QSpinBox()
        self.size.setRange(16, 4096)
        self.size.setValue(800)
        self.size.setSuffix(" px")
        self.size.setToolTip(self.tr("Width and height of a custom-size picture"))
        # Which learned upscaler enlarges pictures still at the model's 64 px (larger ones are resized smoothly).
        self.enlarge = QComboBox()
        self.enlarge.addItem(self.tr("Sharp"), "sharp")
        self.enlarge.addItem(self.tr("Faithful"), "faithful")
        self.enlarge.setToolTip(self.tr("How small pictures are enlarged: Sharp shows crisp detail like a photo; "
                                        "Faithful stays closest to the painted picture"))
        self.white = QCheckBox(self.tr("Pure white background"))
        self.sidecar = QCheckBox(self.tr("Write a .json file beside each picture"))
        self.sidecar.setChecked(True)
        self.overwrite = QComboBox()
        self.overwrite.addItem(self.tr("Add -1, -2… to the name"), "suffix")
        self.overwrite.addItem(self.tr("Ask before replacing"), "ask")

    def _run_widgets(self) -> None:
        self.progress = QProgressBar()
        self.progress.setRange(0, max(1, len(self.images)))
        self.progress.setValue(0)
        self.progress.setMinimumHeight(self.progress.fontMetrics().height() + 8)
        self.progress.setFormat("%v / %m")
        self.status = QLabel(wordWrap=True)
        self.status.setMinimumHeight(2 * self.status.fontMetrics().lineSpacing() + 4)
        self.export_button = QPushButton(self.tr("Export"))
        self.export_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.open_button = QPushButton(self.tr("Open folder"))
        self.open_button.setEnabled(False)
        self.close_button = QPushButton(self.tr("Close"))

    def _lay_out(self) -> None:
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(self.browse)
        size_row = QHBoxLayout()
        size_row.addWidget(self.preset, 1)
        size_row.addWidget(self.size)
        size_row.addWidget(self.enlarge)
        format_row = QHBoxLayout()
        format_row.addWidget(self.format, 1)
        format_row.addWidget(QLabel(self.tr("Quality")))
        format_row.addWidget(self.quality)
        form = QFormLayout()
        form.addRow(self.tr("Folder"), folder_row)
        form.addRow(self.tr("Subfolder"), self.subfolder)
        form.addRow(self.tr("File names"), self.template)
        form.addRow("", self.preview)
        form.addRow(self.tr("Format"), format_row)
        form.addRow(self.tr("Size"), size_row)
        form.addRow("", self.white)
        form.addRow("", self.sidecar)
        form.addRow(self.tr("If a file exists"), self.overwrite)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.count_label)
        layout.addWidget(self.products)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addLayout(buttons)

    def _connect(self) -> None:
        for w in (self.template, *self.group_names, *self.group_skus):
            w.textChanged.connect(self._update)
        for c in (self.subfolder, self.format, self.preset, self.overwrite):
            c.currentIndexChanged.connect(self._update)
        self.folder.currentTextChanged.connect(self._update)
        self.size.valueChanged.connect(self._update)
        self.white.toggled.connect(self._update)
        self.sidecar.toggled.connect(self._update)
        self.browse.clicked.connect(self._browse)
        self.export_button.clicked.connect(self.start_export)
        self.cancel_button.clicked.connect(self._cancel)
        self.open_button.clicked.connect(lambda: self.result and open_folder(self.result.folder))
        self.close_button.clicked.connect(self.reject)

    def _count_text(self) -> str:
        n, groups = len(self.images), len(self.groups)
        # Chinese has one form; English falls back to the source text, whose "(s)" is settled here.
        text = self.tr("%n picture(s) will be exported", "", n).replace("(s)", "" if n == 1 else "s")
        if groups > 1:
            text += self.tr(", of %n product(s)", "", groups).replace("(s)", "s")
        return text + self.tr(".")  # a full stop: 。 in Chinese

    def _products_box(self) -> QWidget:
        """One row per product (pictures with the same description): its own product name and SKU."""
        box = QWidget()
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        for col, title in enumerate((self.tr("Product"), self.tr("Pictures"), self.tr("Product name"), self.tr("SKU"))):
            grid.addWidget(QLabel(title, objectName="Hint"), 0, col)
        for row, (description, n) in enumerate(self.groups or [("", 0)], 1):
            shown = QLabel(description if len(description) <= 40 else description[:38] + "…", toolTip=description)
            name = QLineEdit(placeholderText=description or self.tr("the description"))
            name.setToolTip(self.tr("Used for {name} in the file names; empty: the description"))
            sku = QLineEdit(placeholderText=self.tr("e.g. SHIRT-001"))
            grid.addWidget(shown, row, 0)
            grid.addWidget(QLabel(str(n)), row, 1)
            grid.addWidget(name, row, 2)
            grid.addWidget(sku, row, 3)
            self.group_names.append(name)
            self.group_skus.append(sku)
        grid.setColumnStretch(2, 2)
        grid.setColumnStretch(3, 1)
        if len(self.groups) <= 4:
            return box
        scroll = QScrollArea(widgetResizable=True)
        scroll.setWidget(box)
        scroll.setMaximumHeight(170)
        return scroll

    # ---- state -------------------------------------------------------------------------------------
    def export_request(self) -> ExportRequest:
        groups = tuple((d, name.text().strip(), sku.text().strip())
                       for (d, _), name, sku in zip(self.groups, self.group_names, self.group_skus))
        return ExportRequest(folder=self.folder.currentText().strip(), template=self.template.text(),
                             format=self.format.currentData(), quality=self.quality.value(),
                             preset=self.preset.currentData(), size=self.size.value(),
                             white_background=self.white.isChecked(), sidecar=self.sidecar.isChecked(),
                             subfolder=self.subfolder.currentData(), overwrite=self.overwrite.currentData(),
                             groups=groups, enlarge=self.enlarge.currentData())

    def _update(self, *_):
        preset = self.preset.currentData()
        # A preset's size is in its name; the size box is only for a custom size.
        self.size.setVisible(preset == CUSTOM)
        self.size.setEnabled(preset == CUSTOM)
        self.quality.setEnabled(self.format.currentData() != "png")
        forced = preset != CUSTOM and PRESETS[preset].white_background
        self.white.setEnabled(not forced)
        if forced:
            self.white.setChecked(True)
        try:
            req = self.export_request()
            req.validate()
            every = planned_names(self.images, req, _dt.date.today())
            names = [every[i] for i in self._preview_rows()]
        except ExportError as e:
            self.preview.setText(error_text(e))
            self.preview.setStyleSheet("color: #b00020;")
            self.export_button.setEnabled(False)
            return
        more = self.tr(" … and {0} more").format(len(self.images) - len(names)) if len(self.images) > len(names) else ""
        self.preview.setText(", ".join(names) + more)
        self.preview.setStyleSheet("")
        self.export_button.setEnabled(bool(self.images) and self._job is None and bool(req.folder))

    def _preview_rows(self) -> list[int]:
        """The first pictures of each of the first three products (three when there is one product)."""
        keys = [group_key(d) for d, _ in self.groups[:3]]
        per = 3 if len(keys) == 1 else 2
        picked, seen = [], {}
        for i, im in enumerate(self.images):
            k = group_key(im.request.description)
            if k in keys and seen.get(k, 0) < per:
                seen[k] = seen.get(k, 0) + 1
                picked.append(i)
        return picked

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Choose the export folder"), self.folder.currentText())
        if folder:
            self.folder.setCurrentText(folder)

    def _set_busy(self, busy: bool) -> None:
        for w in (self.folder, self.browse, self.subfolder, *self.group_names, *self.group_skus, self.template,
                  self.format, self.quality, self.preset, self.size, self.enlarge, self.white, self.sidecar,
                  self.overwrite, self.close_button):
            w.setEnabled(not busy)
        self.cancel_button.setVisible(busy)
        self.export_button.setEnabled(not busy)
        if not busy:
            self._update()

    # ---- export ------------------------------------------------------------------------------------
    def start_export(self) -> None:
        """Check the choices, ask about existing files when the policy says so, then export on a thread."""
        req = self.export_request()
        try:
            req.validate()
            paths, conflicts = plan_paths(self.images, req)
        except ExportError as e:
            self._show_error(error_text(e))
            return
        if req.overwrite == "ask" and conflicts:
            box = QMessageBox(QMessageBox.Icon.Question, self.tr("Replace files?"),
                              self.tr("{0} file(s) already exist in this folder, e.g. {1}. Replace them?")
                              .format(len(conflicts), conflicts[0].name),
                              QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
                              | QMessageBox.StandardButton.Cancel, self)
            box.button(QMessageBox.StandardButton.No).setText(self.tr("Keep both"))
            box.button(QMessageBox.StandardButton.Yes).setText(self.tr("Replace"))
            box.button(QMessageBox.StandardButton.Cancel).setText(self.tr("Cancel"))
            box.finished.connect(lambda answer: self._answered(answer, req, conflicts))
            self.message_box = box
            box.open()  # not exec(): the event loop keeps running
            return
        self._run(req, frozenset())

    def _answered(self, answer: int, req: ExportRequest, conflicts: list[Path]) -> None:
        if answer == QMessageBox.StandardButton.Yes:
            self._run(req, frozenset(conflicts))
        elif answer == QMessageBox.StandardButton.No:
            self._run(req, frozenset())

    def _run(self, req: ExportRequest, replace: frozenset) -> None:
        images, engine, fn = list(self.images), self.engine, self._export_fn
        self.result = None
        self.open_button.setEnabled(False)
        self.progress.setRange(0, len(images))
        self.progress.setValue(0)
        self.status.setText(self.tr("Exporting…"))
        self._job = self._worker.submit(
            lambda _ctx, control: fn(images, req, engine=engine, control=control, replace=replace), "export")
        self._job.progress.connect(self._on_progress)
        self._job.finished.connect(self._on_done)
        self._job.failed.connect(lambda failure: self._on_failed(failure_text(failure)))
        self._job.ended.connect(self._on_finished)
        self._set_busy(True)

    def _on_progress(self, p) -> None:
        if p.message_key != "export.file":
            return
        self.progress.setRange(0, max(1, p.total))
        self.progress.setValue(p.done)
        self.status.setText(progress_text(p))

    def _on_done(self, result: ExportResult) -> None:
        self.result = result
        self.progress.setValue(self.progress.maximum())
        self.status.setText(self.tr("Exported {0} picture(s) to {1}").format(len(result.files), result.folder))
        self.open_button.setEnabled(True)
        recent = self.recent.add(self.export_request().folder)
        text = self.folder.currentText()
        self.folder.blockSignals(True)
        self.folder.clear()
        self.folder.addItems(recent)
        self.folder.setCurrentText(text)
        self.folder.blockSignals(False)
        self.exported.emit(result)

    def _on_failed(self, message: str) -> None:
        self.progress.setValue(0)
        self.status.setText(message)
        self._show_error(message)

    def _on_finished(self) -> None:
        self._job = None
        self._set_busy(False)

    def _show_error(self, message: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Export failed"), message, QMessageBox.StandardButton.Ok,
                          self)
        box.button(QMessageBox.StandardButton.Ok).setText(self.tr("OK"))
        self.message_box = box
        box.open()
        self.failed.emit(message)

    def _cancel(self) -> None:
        if self._job is not None:
            self._job.cancel()

    def is_busy(self) -> bool:
        return self._job is not None

    def _stop(self) -> None:
        """Finish (or undo) the batch before the dialog goes away."""
        if self._job is not None:
            self._job.cancel()
        self._worker.stop()

    def reject(self) -> None:
        self._stop()
        super().reject()

    def closeEvent(self, event) -> None:
        self._stop()
        super().closeEvent(event)
