"""The main window's ways in for files: open or drop Vitrine files (reopened), one photo (start from the photo),
folders or several photos (the "Teach my shop's look" panel), and the progress of a start from a photo."""

from __future__ import annotations

import importlib
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDockWidget, QFileDialog

from app.i18n import tr
from app.ui.progress_text import progress_text

PHOTO_EXTENSIONS = {".png", ".jpg", ".jpeg", ".webp", ".bmp", ".tif", ".tiff"}


class WindowFilesMixin:
    """Needs self.state, self.show_message, self.editor, self.gallery, self.busy_label, self.paths,
    self.teach_available, self._training_runner_factory, self.training_panel and self.training_dock."""

    # ---- open and drop ---------------------------------------------------------------------------
    def choose_picture(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, tr("Open picture"), "",
                                                tr("Vitrine pictures (*.png *.jpg *.jpeg *.webp *.json)"))
        if files:
            self.open_paths(files)

    def choose_photo(self) -> None:
        file, _ = QFileDialog.getOpenFileName(self, tr("Start from photo"), "",
                                              tr("Photos (*.jpg *.jpeg *.png *.webp *.bmp *.tif *.tiff)"))
        if file:
            self.start_from_photo(file)

    def start_from_photo(self, path) -> int:
        self.show_message(tr("Finding %1 in the model…", Path(path).name))
        return self.state.generation.start_from_photo(path)

    def files_dropped(self, paths: list[str]) -> None:
        self.open_paths(paths)

    def open_paths(self, paths) -> None:
        """Vitrine files are reopened (regenerated through the worker); one other photo starts from the photo;
        folders or several photos go to the training panel; anything else is named in a message."""
        from app.reopen import ReopenError, open_request

        folders, photos, others = [], [], []
        for p in map(Path, paths):
            if p.is_dir():
                folders.append(p)
                continue
            try:
                self.state.generation.reopen(open_request(p))
                continue
            except ReopenError:
                pass
            (photos if p.suffix.lower() in PHOTO_EXTENSIONS else others).append(p)
        if folders or len(photos) > 1:
            if self.open_training(folders + photos) is not None:
                self.show_message(tr("These photos were added to “Teach my shop's look”: give the new model a "
                                     "name and press Start to teach Vitrine your shop's look."))
        elif photos:
            self.start_from_photo(photos[0])
        if others:
            self.show_message(tr("Not a picture or a Vitrine file: %1", ", ".join(o.name for o in others)))

    # ---- start from a photo ----------------------------------------------------------------------
    def _photo_progress(self, p) -> None:
        if p.message_key == "invert.step":
            self.busy_label.setText(progress_text(p))

    def _photo_finished(self, result) -> None:
        if result.cancelled:
            self.show_message(tr("Start from photo was cancelled."))
            return
        if result.description:
            self.editor.set_text(result.description)
        self.show_message(tr("Your photo, the closest picture Vitrine can paint and its variations are in the "
                             "gallery. Edit them with the sliders, Variations, or another description and "
                             "“Repaint as described”; the description is Vitrine's guess."))
        if len(result.items) > 1:
            self.gallery.select_id(result.items[1].id)

    # ---- teach my shop's look --------------------------------------------------------------------
    def open_training(self, photos: list[str] | None = None):
        """Show the "Teach my shop's look" panel as its own window (built on first use); optionally add photos.

        Fine-tuning runs on the panel's own job worker with its own copy of the base model (see
        app.ui.training_panel.EngineRunner); the engine worker is only asked to read the model list again.
        """
        if not self.teach_available:
            return None
        if self.training_panel is None:
            module = importlib.import_module("app.ui.training_panel")
            runner = self._training_runner_factory() if self._training_runner_factory else None
            self.training_panel = module.TrainingPanel(self.paths, runner=runner)
            self.training_panel.model_created.connect(self._model_created)
            self.training_dock = QDockWidget(tr("Teach my shop's look"), self, objectName="TrainingDock")
            self.training_dock.setWidget(self.training_panel)
            self.addDockWidget(Qt.RightDockWidgetArea, self.training_dock)
            # Its own window, never docked: docked at 1280×800 it squeezed the main window's buttons.
            self.training_dock.setAllowedAreas(Qt.DockWidgetArea.NoDockWidgetArea)
            self.training_dock.setFloating(True)
            self._place_training_window()
        self.training_dock.show()
        self.training_dock.raise_()
        if photos:
            self.training_panel.add_paths([str(p) for p in photos])
        return self.training_panel

    def _place_training_window(self) -> None:
        """Size the training window to its panel (within the screen) and put it over the right of the window."""
        screen = (self.screen() or QApplication.primaryScreen()).availableGeometry()
        hint = self.training_panel.sizeHint()
        w, h = min(max(hint.width(), 560), screen.width()), min(max(hint.height(), 640), screen.height() - 40)
        frame = self.frameGeometry()
        x = max(screen.left(), min(frame.right() - w, screen.right() - w))
        self.training_dock.setGeometry(x, max(screen.top() + 30, frame.top() + 30), w, h)

    def _model_created(self, name: str) -> None:
        self.state.models.reload(select=name)
        typed = self.training_panel.saved_name if self.training_panel is not None else ""
        self.show_message(tr("Your new model “%1” is ready and selected.", typed or name))
