"""The main window: description and controls on the left, the gallery in the middle, preview and sliders right."""

from __future__ import annotations

import base64
import importlib.util

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence, QShortcut
from PySide6.QtWidgets import (QApplication, QDockWidget, QHBoxLayout, QLabel, QMainWindow, QScrollArea, QSlider,
                               QSplitter, QToolButton, QVBoxLayout, QWidget)

from app.i18n import tr
from app.state import AppState
from app.ui.controls import GenerateControls
from app.ui.drops import FileDropMixin
from app.ui.editor import DescriptionEditor
from app.ui.gallery import GalleryView
from app.ui.gallery_actions import GalleryActionsMixin
from app.ui.preview import PreviewPane
from app.ui.sliders import SlidersPanel
from app.ui.theme import apply_theme, icon
from app.ui.window_files import PHOTO_EXTENSIONS, WindowFilesMixin  # noqa: F401 (re-exported)


def _optional(module: str) -> bool:
    """True when an optional UI module (built separately) is installed."""
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


class MainWindow(GalleryActionsMixin, WindowFilesMixin, FileDropMixin, QMainWindow):
    def __init__(self, state: AppState, parent=None, paths=None, training_runner_factory=None):
        super().__init__(parent)
        self.state = state
        self.paths = paths  # AppPaths (the training panel needs them); None: no training panel
        self._training_runner_factory = training_runner_factory
        self.training_panel = None
        self.training_dock: QDockWidget | None = None
        self.setAcceptDrops(True)
        self.settings = state.settings
        self.last_error = ""
        self.message_kind = ""  # what the banner is about: "error", "describe", "trash", "info"…
        self.setWindowTitle("Vitrine")
        self.setWindowIcon(icon("app"))
        self.resize(1280, 800)
        self.setMinimumSize(900, 560)
        splitter = QSplitter(Qt.Horizontal, objectName="MainSplitter", childrenCollapsible=False)
        splitter.addWidget(self._side_panel())
        splitter.addWidget(self._middle_panel())
        splitter.addWidget(self._right_panel())
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([340, 640, 300])
        self.setCentralWidget(splitter)
        self._build_status_bar()
        self._build_menus()
        self._shortcuts()
        self._connect()
        self._restore_geometry()
        self._update_actions()
        self.editor.edit.setFocus()

    # ---- layout ----------------------------------------------------------------------------------
    def _side_panel(self) -> QWidget:
        """Left: description, chips and controls."""
        side = QWidget(objectName="SidePanel")
        side_lay = QVBoxLayout(side)
        side_lay.setContentsMargins(16, 14, 16, 14)
        side_lay.setSpacing(14)
        self.editor = DescriptionEditor(self.state)
        self.controls = GenerateControls(self.state)
        side_lay.addWidget(self.editor)
        side_lay.addWidget(self.controls)
        side_lay.addStretch(1)
        side.setMinimumWidth(270)
        side.setMaximumWidth(420)
        return side

    def _middle_panel(self) -> QWidget:
        """Middle: banner for messages, gallery toolbar, gallery, zoom."""
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
        mid_lay.addLayout(self._gallery_bar())
        paths = self.paths
        self.gallery = GalleryView(self.state, thumb_cache=paths.cache / "thumbnails" if paths is not None else None)
        self.zoom.valueChanged.connect(self.gallery.set_zoom)
        self.empty_hint = QLabel(tr("Your pictures will appear here. Describe a product on the left and press "
                                    "Generate (Ctrl+Enter)."), objectName="Hint", wordWrap=True, alignment=Qt.AlignCenter)
        mid_lay.addWidget(self.empty_hint)
        mid_lay.addWidget(self.gallery, 1)
        # The zoom sits under the gallery, so the toolbar above fits the narrowest window in both languages.
        zoom_row = QHBoxLayout()
        zoom_row.addStretch(1)
        zoom_row.addWidget(QLabel(tr("Zoom")))
        zoom_row.addWidget(self.zoom)
        mid_lay.addLayout(zoom_row)
        return middle

    def _gallery_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        bar.addWidget(QLabel(tr("GALLERY"), objectName="SectionTitle"))
        bar.addStretch(1)
        self.favourite_button = QToolButton(icon=icon("star"), toolTip=tr("Mark or unmark as favourite (F)"))
        self.favourite_button.clicked.connect(self.toggle_favourite)
        self.compare_button = QToolButton(icon=icon("compare"), toolTip=tr("Compare two pictures side by side"))
        self.compare_button.clicked.connect(self.compare)
        self.delete_button = QToolButton(icon=icon("delete"),
                                         toolTip=tr("Move the selected pictures to the trash (Del; Ctrl+Z brings "
                                                    "them back)"))
        self.delete_button.clicked.connect(self.delete_selected)
        self.zoom = QSlider(Qt.Horizontal, minimum=64, maximum=256, value=self.settings.thumb_size,
                            toolTip=tr("Thumbnail size"))
        self.zoom.setMinimumWidth(80)
        self.zoom.setMaximumWidth(160)
        for w in (self.favourite_button, self.compare_button, self.delete_button):
            bar.addWidget(w)
        return bar

    def _right_panel(self) -> QWidget:
        """Right: preview and sliders."""
        right = QWidget(objectName="RightPanel")
        right_lay = QVBoxLayout(right)
        right_lay.setContentsMargins(14, 14, 14, 14)
        right_lay.setSpacing(12)
        self.preview = PreviewPane(self.state)
        self.sliders = SlidersPanel(self.state)
        scroll = QScrollArea(widgetResizable=True, horizontalScrollBarPolicy=Qt.ScrollBarAlwaysOff,
                             objectName="SlidersScroll")
        self.sliders.setObjectName("SlidersPanel")
        scroll.setWidget(self.sliders)
        right_lay.addWidget(self.preview, 3)
        right_lay.addWidget(scroll, 2)
        right.setMinimumWidth(310)
        return right

    def _shortcuts(self) -> None:
        generate = self.state.generation.generate
        QShortcut(QKeySequence("Ctrl+Return"), self, activated=generate)
        QShortcut(QKeySequence("Ctrl+Enter"), self, activated=generate)
        QShortcut(QKeySequence(Qt.Key_Delete), self.gallery, activated=self.delete_selected)
        QShortcut(QKeySequence("F"), self.gallery, activated=self.toggle_favourite)
        self.editor.edit.submitted.connect(generate)

    def _connect(self) -> None:
        st, generation, gallery, models = self.state, self.state.generation, self.state.gallery, self.state.models
        st.messages.error_raised.connect(self._error)
        st.messages.notice_raised.connect(lambda text: self.show_message(text, kind="info"))
        # A message goes when its cause does: a new or successful generation ends an error, typing a
        # description ends "describe the product first".
        generation.busy_changed.connect(lambda busy: busy and self._clear_message("error", "describe"))
        gallery.items_added.connect(lambda _items: self._clear_message("error", "describe"))
        self.editor.edit.textChanged.connect(
            lambda: self.editor.edit.toPlainText().strip() and self._clear_message("describe"))
        models.model_missing.connect(self._model_missing)
        models.engine_ready.connect(self._device)
        models.model_changed.connect(self._model)
        generation.timing_changed.connect(self._timing)
        st.selection.changed.connect(lambda _ids: self._update_actions())
        gallery.items_added.connect(lambda _items: self._update_actions())
        gallery.items_removed.connect(lambda _ids: self._update_actions())
        gallery.trash_changed.connect(lambda _n: self._update_actions())
        generation.busy_changed.connect(lambda busy: self.busy_label.setText(tr("Painting…") if busy else ""))
        generation.photo_progress.connect(self._photo_progress)
        generation.photo_finished.connect(self._photo_finished)

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
        self.open_action = QAction(tr("Open picture…"), self, shortcut=QKeySequence.Open)
        self.open_action.setToolTip(tr("Reopen a picture exported by Vitrine and paint it again"))
        self.open_action.triggered.connect(self.choose_picture)
        self.photo_action = QAction(tr("Start from photo…"), self)
        self.photo_action.setToolTip(tr("Find a photo of your product in the model and paint variations of it"))
        self.photo_action.triggered.connect(self.choose_photo)
        file_menu.addAction(self.open_action)
        file_menu.addAction(self.photo_action)
        file_menu.addAction(self.export_action)
        file_menu.addSeparator()
        file_menu.addAction(tr("Quit"), QKeySequence.Quit, self.close)

        edit = m.addMenu(tr("&Edit"))
        self.undo_action = QAction(tr("Undo delete"), self, shortcut=QKeySequence.Undo)
        self.undo_action.setToolTip(tr("Bring the last deleted pictures back from the trash"))
        self.undo_action.triggered.connect(self.undo_delete)
        self.empty_trash_action = QAction(tr("Empty trash…"), self)
        self.empty_trash_action.triggered.connect(self.ask_empty_trash)
        edit.addAction(self.undo_action)
        edit.addAction(self.empty_trash_action)

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
        self.teach_available = _optional("app.ui.training_panel") and self.paths is not None
        tools.addAction(self.teach_action)
        tools.addAction(icon("template"), tr("Edit templates…"), self.editor.edit_templates)
        if not self.teach_available:
            self.teach_action.setEnabled(False)
            self.teach_action.setToolTip(tr("Not available in this version"))

    def _update_actions(self) -> None:
        sel = self.state.selection.ids
        gallery = self.state.gallery
        has = bool(len(gallery))
        self.favourite_button.setEnabled(bool(sel))
        self.delete_button.setEnabled(bool(sel))
        self.compare_button.setEnabled(len(sel) == 2)
        self.export_action.setEnabled(self.export_available and has)
        in_trash = gallery.trash_count()
        self.undo_action.setEnabled(in_trash > 0)
        self.empty_trash_action.setEnabled(in_trash > 0)
        self.empty_trash_action.setText(tr("Empty trash (%1)…", in_trash) if in_trash else tr("Empty trash…"))
        self.empty_hint.setVisible(not has)

    def _error(self, text: str) -> None:
        self.show_message(text, kind="describe" if text == tr("Please describe the product first.") else "error")

    def _clear_message(self, *kinds: str) -> None:
        if self.banner.isVisible() and self.message_kind in kinds:
            self.hide_message()

    def show_message(self, text: str, kind: str = "error") -> None:
        """A message that does not block: shown above the gallery until dismissed, replaced or its cause is gone."""
        self.last_error = text
        self.message_kind = kind
        self.banner.setText(text)
        self.banner.setVisible(True)
        self.banner_close.setVisible(True)
        self.statusBar().showMessage(text, 8000)

    def hide_message(self) -> None:
        self.message_kind = ""
        self.statusBar().clearMessage()
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
        if self.state.selection.ids:
            self.state.gallery.toggle_favourite(list(self.state.selection.ids))

    def set_theme(self, theme: str) -> None:
        self.settings.theme = theme
        apply_theme(QApplication.instance(), theme)

    def set_language(self, language: str) -> None:
        if language != self.settings.language:
            self.settings.language = language
            self.show_message(tr("The language changes the next time Vitrine starts."))

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
        if self.training_panel is not None:
            self.training_panel.shutdown()
        self.state.shutdown()
        super().closeEvent(e)
