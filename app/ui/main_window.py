"""The main window: description and controls on the left, the gallery in the middle, preview and sliders right."""

from __future__ import annotations

import base64
import importlib
import importlib.util

import numpy as np
from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence, QShortcut
from PySide6.QtWidgets import (QApplication, QHBoxLayout, QLabel, QMainWindow, QScrollArea, QSlider, QSplitter,
                               QToolButton, QVBoxLayout, QWidget)

from app.i18n import tr
from app.requests import GeneratedImage
from app.state import AppState
from app.ui.controls import GenerateControls
from app.ui.editor import DescriptionEditor
from app.ui.gallery import CompareDialog, GalleryView, PreviewPane
from app.ui.sliders import SlidersPanel
from app.ui.theme import apply_theme, icon


def _optional(module: str) -> bool:
    """True when an optional UI module (built separately) is installed."""
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


class MainWindow(QMainWindow):
    def __init__(self, state: AppState, parent=None):
        super().__init__(parent)
        self.state = state
        self.settings = state.settings
        self.last_error = ""
        self.setWindowTitle("Vitrine")
        self.setWindowIcon(icon("app"))
        self.resize(1280, 800)
        self.setMinimumSize(900, 560)

        # Left: description, chips and controls.
        side = QWidget(objectName="SidePanel")
        side_lay = QVBoxLayout(side)
        side_lay.setContentsMargins(16, 14, 16, 14)
        side_lay.setSpacing(14)
        self.editor = DescriptionEditor(state)
        self.controls = GenerateControls(state)
        side_lay.addWidget(self.editor)
        side_lay.addWidget(self.controls)
        side_lay.addStretch(1)
        side.setMinimumWidth(320)
        side.setMaximumWidth(420)

        # Middle: banner for messages, gallery toolbar, gallery.
        middle = QWidget()
        mid_lay = QVBoxLayout(middle)
        mid_lay.setContentsMargins(12, 12, 12, 6)
        mid_lay.setSpacing(8)
        self.banner = QLabel(objectName="Banner", wordWrap=True, visible=False)
        self.banner.setTextInteractionFlags(Qt.TextSelectableByMouse)
        banner_row = QHBoxLayout()
        banner_row.addWidget(self.banner, 1)
        self.banner_close = QToolButton(icon=icon("cancel"), toolTip=tr("Dismiss"), visible=False)
        self.banner_close.clicked.connect(self.hide_message)
        banner_row.addWidget(self.banner_close)
        mid_lay.addLayout(banner_row)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(tr("GALLERY"), objectName="SectionTitle"))
        bar.addStretch(1)
        self.favourite_button = QToolButton(icon=icon("star"), toolTip=tr("Mark or unmark as favourite (F)"))
        self.favourite_button.clicked.connect(self.toggle_favourite)
        self.compare_button = QToolButton(icon=icon("compare"), toolTip=tr("Compare two pictures side by side"))
        self.compare_button.clicked.connect(self.compare)
        self.delete_button = QToolButton(icon=icon("delete"), toolTip=tr("Delete the selected pictures (Del)"))
        self.delete_button.clicked.connect(self.delete_selected)
        self.zoom = QSlider(Qt.Horizontal, minimum=64, maximum=256, value=self.settings.thumb_size,
                            toolTip=tr("Thumbnail size"))
        self.zoom.setFixedWidth(120)
        for w in (self.favourite_button, self.compare_button, self.delete_button):
            bar.addWidget(w)
        bar.addSpacing(8)
        bar.addWidget(QLabel(tr("Zoom")))
        bar.addWidget(self.zoom)
        mid_lay.addLayout(bar)
        self.gallery = GalleryView(state)
        self.zoom.valueChanged.connect(self.gallery.set_zoom)
        self.empty_hint = QLabel(tr("Your pictures will appear here. Describe a product on the left and press "
                                    "Generate (Ctrl+Enter)."), objectName="Hint", wordWrap=True, alignment=Qt.AlignCenter)
        mid_lay.addWidget(self.empty_hint)
        mid_lay.addWidget(self.gallery, 1)

        # Right: preview and sliders.
        right = QWidget(objectName="RightPanel")
        right_lay = QVBoxLayout(right)
        right_lay.setContentsMargins(14, 14, 14, 14)
        right_lay.setSpacing(12)
        self.preview = PreviewPane(state)
        self.sliders = SlidersPanel(state)
        scroll = QScrollArea(widgetResizable=True, horizontalScrollBarPolicy=Qt.ScrollBarAlwaysOff,
                             objectName="SlidersScroll")
        self.sliders.setObjectName("SlidersPanel")
        scroll.setWidget(self.sliders)
        right_lay.addWidget(self.preview, 3)
        right_lay.addWidget(scroll, 2)
        right.setMinimumWidth(280)

        splitter = QSplitter(Qt.Horizontal, objectName="MainSplitter", childrenCollapsible=False)
        splitter.addWidget(side)
        splitter.addWidget(middle)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([340, 640, 300])
        self.setCentralWidget(splitter)

        self._build_status_bar()
        self._build_menus()
        QShortcut(QKeySequence("Ctrl+Return"), self, activated=state.generate)
        QShortcut(QKeySequence("Ctrl+Enter"), self, activated=state.generate)
        QShortcut(QKeySequence(Qt.Key_Delete), self.gallery, activated=self.delete_selected)
        QShortcut(QKeySequence("F"), self.gallery, activated=self.toggle_favourite)
        self.editor.edit.submitted.connect(state.generate)

        state.error_raised.connect(self.show_message)
        state.model_missing.connect(self._model_missing)
        state.engine_ready.connect(self._device)
        state.model_changed.connect(self._model)
        state.timing_changed.connect(self._timing)
        state.selection_changed.connect(lambda _ids: self._update_actions())
        state.items_added.connect(lambda _items: self._update_actions())
        state.items_removed.connect(lambda _ids: self._update_actions())
        state.busy_changed.connect(lambda busy: self.busy_label.setText(tr("Painting…") if busy else ""))
        self._restore_geometry()
        self._update_actions()
        self.editor.edit.setFocus()

    # ---- chrome ----------------------------------------------------------------------------------
    def _build_status_bar(self) -> None:
        sb = self.statusBar()
        self.device_label = QLabel(tr("Starting the picture engine…"))
        self.model_label = QLabel("")
        self.time_label = QLabel("")
        self.busy_label = QLabel("")
        sb.addWidget(self.device_label)
        sb.addWidget(self.model_label)
        sb.addPermanentWidget(self.busy_label)
        sb.addPermanentWidget(self.time_label)

    def _build_menus(self) -> None:
        m = self.menuBar()
        file_menu = m.addMenu(tr("&File"))
        self.export_action = QAction(icon("export"), tr("Export…"), self, shortcut=QKeySequence("Ctrl+E"))
        self.export_action.triggered.connect(self.open_export)
        self.export_available = _optional("app.ui.export_dialog")
        file_menu.addAction(self.export_action)
        file_menu.addSeparator()
        file_menu.addAction(tr("Quit"), QKeySequence.Quit, self.close)

        view = m.addMenu(tr("&View"))
        theme_group = QActionGroup(self)
        for key, label in (("light", tr("Light theme")), ("dark", tr("Dark theme"))):
            a = QAction(label, self, checkable=True, checked=self.settings.theme == key)
            a.triggered.connect(lambda _=False, k=key: self.set_theme(k))
            theme_group.addAction(a)
            view.addAction(a)
        view.addSeparator()
        lang = view.addMenu(tr("Language"))
        lang_group = QActionGroup(self)
        for key, label in (("auto", tr("Follow the system")), ("en", "English"), ("zh", "简体中文")):
            a = QAction(label, self, checkable=True, checked=self.settings.language == key)
            a.triggered.connect(lambda _=False, k=key: self.set_language(k))
            lang_group.addAction(a)
            lang.addAction(a)

        tools = m.addMenu(tr("&Tools"))
        self.teach_action = QAction(icon("teach"), tr("Teach my shop's look…"), self)
        self.teach_action.triggered.connect(self.open_training)
        self.teach_available = _optional("app.ui.training_panel")
        tools.addAction(self.teach_action)
        tools.addAction(icon("template"), tr("Edit templates…"), self.editor.edit_templates)
        if not self.teach_available:
            self.teach_action.setEnabled(False)
            self.teach_action.setToolTip(tr("Not available in this version"))

    def _update_actions(self) -> None:
        sel = self.state.selected
        has = bool(self.state.store.items())
        self.favourite_button.setEnabled(bool(sel))
        self.delete_button.setEnabled(bool(sel))
        self.compare_button.setEnabled(len(sel) == 2)
        self.export_action.setEnabled(self.export_available and has)
        self.empty_hint.setVisible(not has)

    def show_message(self, text: str) -> None:
        """A message that does not block: shown above the gallery until dismissed or replaced."""
        self.last_error = text
        self.banner.setText(text)
        self.banner.setVisible(True)
        self.banner_close.setVisible(True)
        self.statusBar().showMessage(text, 8000)

    def hide_message(self) -> None:
        self.banner.setVisible(False)
        self.banner_close.setVisible(False)

    def _model_missing(self, text: str) -> None:
        self.model_label.setText(tr("No model"))
        self.show_message(text)
        self.controls.generate.setEnabled(False)

    def _device(self, name: str, note: str) -> None:
        self.device_label.setText(tr("Device: %1", name) + (f" — {note}" if note else ""))
        self.device_label.setToolTip(note)

    def _model(self, model) -> None:
        self.model_label.setText(tr("Model: %1 (%2 px)", model.model_id, model.resolution))
        self.controls.generate.setEnabled(True)

    def _timing(self, seconds: float) -> None:
        self.time_label.setText(tr("Last generation: %1 s", f"{seconds:.2f}"))

    # ---- actions ---------------------------------------------------------------------------------
    def toggle_favourite(self) -> None:
        ids = self.state.selected
        if not ids:
            return
        items = [self.state.store.get(i) for i in ids]
        self.state.set_favourite(ids, not all(i.favourite for i in items if i))

    def delete_selected(self) -> None:
        if self.state.selected:
            self.state.delete(list(self.state.selected))

    def compare(self) -> None:
        if len(self.state.selected) == 2:
            self.compare_dialog = CompareDialog(self.state, self.state.selected, self)
            self.compare_dialog.show()

    def set_theme(self, theme: str) -> None:
        self.settings.theme = theme
        apply_theme(QApplication.instance(), theme)

    def set_language(self, language: str) -> None:
        if language != self.settings.language:
            self.settings.language = language
            self.show_message(tr("The language changes the next time Vitrine starts."))

    def _selected_images(self) -> list[GeneratedImage]:
        from PIL import Image

        ids = self.state.selected or [i.id for i in self.state.store.items()]
        out = []
        for item_id in ids:
            it = self.state.store.get(item_id)
            if it is not None:
                with Image.open(self.state.store.path(it)) as im:
                    out.append(GeneratedImage(np.asarray(im.convert("RGB")), it.request))
        return out

    def open_export(self) -> None:
        """Hook for app/ui/export_dialog.py (built separately): imported only when used."""
        if not self.export_available:
            return
        module = importlib.import_module("app.ui.export_dialog")
        # No engine: the engine belongs to the worker thread; the dialog exports the pixels it is given.
        self.export_dialog = module.ExportDialog(self._selected_images(), self, config_dir=self.state.paths_config)
        self.export_dialog.show()

    def open_training(self) -> None:
        """Hook for app/ui/training_panel.py (built separately): imported only when used."""
        if not self.teach_available:
            return
        module = importlib.import_module("app.ui.training_panel")
        if hasattr(module, "open_training_panel"):
            self.training_panel = module.open_training_panel(self, self.state)
        else:
            self.training_panel = module.TrainingPanel(parent=self)
            self.training_panel.show()

    # ---- geometry --------------------------------------------------------------------------------
    def _restore_geometry(self) -> None:
        try:
            if self.settings.window_geometry:
                self.restoreGeometry(QByteArray(base64.b64decode(self.settings.window_geometry)))
            if self.settings.window_state:
                self.restoreState(QByteArray(base64.b64decode(self.settings.window_state)))
        except (ValueError, TypeError):
            pass

    def closeEvent(self, e) -> None:
        self.settings.window_geometry = base64.b64encode(bytes(self.saveGeometry())).decode()
        self.settings.window_state = base64.b64encode(bytes(self.saveState())).decode()
        self.state.shutdown()
        super().closeEvent(e)
