"""Walk the whole UI in Chinese: no visible English sentence anywhere (product words aside); the layout holds
at the minimum window size."""

from __future__ import annotations

import re

import pytest
from PySide6.QtWidgets import (QAbstractButton, QComboBox, QLabel, QLineEdit, QListWidget, QMessageBox, QWidget)

from app.main import build_app
from app.paths import AppPaths
from app.engine.jobs import Phase, Progress
from app.ui.progress_text import progress_text
from tests.fakes import FakeEngine

TIMEOUT = 10_000
DESCRIPTION = "男士深蓝色棉质衬衫"
# Words that stay as they are in a Chinese UI: names, formats, keys, and what the test itself typed.
ALLOWED = {"Vitrine", "JPEG", "PNG", "WebP", "SKU", "Shopify", "Ctrl", "Del", "Enter", "English", "px", "fake",
           "Fake", "CPU", "test", "device", "json", "jpg", "webp", "png", "MB", "name", "index", "sku", "date",
           "seed", "colour", "category", "model", "SHIRT"}


def visible_texts(root: QWidget) -> list[str]:
    out = []
    widgets = [root] + [w for w in root.findChildren(QWidget) if w.isVisibleTo(root)]
    for w in widgets:
        out += [w.toolTip(), w.windowTitle() if w.isWindow() else ""]
        if isinstance(w, QLabel):
            out.append(w.text())
        elif isinstance(w, QAbstractButton):
            out.append(w.text())
        elif isinstance(w, QLineEdit):
            out.append(w.placeholderText())
        elif isinstance(w, QComboBox) and not w.isEditable():
            out += [w.itemText(i) for i in range(w.count())]
        elif isinstance(w, QListWidget):
            out += [w.item(i).text() for i in range(w.count())]
        if isinstance(w, QMessageBox):
            out += [w.text(), w.informativeText()]
    bar = getattr(root, "menuBar", None)
    if callable(bar):
        for top in root.menuBar().actions():
            out.append(top.text())
            for a in top.menu().actions() if top.menu() else []:
                out += [a.text(), a.toolTip()]
                for sub in a.menu().actions() if a.menu() else []:
                    out.append(sub.text())
    return [t for t in out if t and t.strip()]


def english_sentences(texts: list[str], typed: set[str]) -> list[str]:
    bad = []
    for t in texts:
        plain = re.sub(r"<[^>]+>", " ", t)
        for word in typed:
            plain = plain.replace(word, " ")
        if not plain.isascii():
            continue  # has Chinese in it
        words = [w for w in re.findall(r"[A-Za-z]{2,}", plain) if w not in ALLOWED]
        if words:
            bad.append(t)
    return bad


@pytest.fixture
def zh_app(tmp_path, qtbot):
    engine = FakeEngine(size=64)
    paths = AppPaths.default(home=tmp_path / "home", bundled=tmp_path / "no-bundled")
    app = build_app(paths, engine_factory=lambda: engine, language="zh", theme="light")
    app.window.show()
    app.engine = engine
    qtbot.waitUntil(lambda: app.state.models.loaded is not None, timeout=TIMEOUT)
    yield app
    app.window.close()
    _give_language_back(app)


def _give_language_back(app) -> None:
    """The translator and the engine's language are process-wide: leave English for the tests after this one."""
    from PySide6.QtCore import QCoreApplication

    from app.engine.messages import set_language

    if app.translator is not None:
        QCoreApplication.removeTranslator(app.translator)
    set_language(None)


def test_every_visible_string_is_chinese(zh_app, qtbot, tmp_path):
    app, w, state = zh_app, zh_app.window, zh_app.state
    typed = {DESCRIPTION, str(tmp_path), "fake"}
    seen: dict[str, list[str]] = {}

    def look(where: str, root: QWidget) -> None:
        seen[where] = english_sentences(visible_texts(root), typed)

    w.editor.set_text(DESCRIPTION)
    w.controls.count.setValue(4)
    w.controls.generate.click()
    qtbot.waitUntil(lambda: w.gallery.count() == 4 and not state.generation.busy, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: state.description.understanding is not None, timeout=TIMEOUT)
    w.gallery.setCurrentRow(0)
    state.live.set_offset("brightness", 1.5)  # the live preview shows the slider's value under the picture
    qtbot.waitUntil(lambda: state.live.image is not None, timeout=TIMEOUT)
    look("main window with a picture and a slider moved", w)
    w.delete_selected()
    look("after deleting (trash message)", w)
    look("empty-trash question", w.ask_empty_trash())
    w.confirm_box.close()
    ids = [i.id for i in state.gallery.items()][:2]
    state.selection.select(ids)
    w.compare()
    look("compare", w.compare_dialog)
    w.gallery.clearSelection()
    state.selection.select([])
    w.open_export()
    look("export-all question", w.confirm_box)
    w.confirm_box.button(QMessageBox.StandardButton.Yes).click()
    dialog = w.export_dialog
    dialog.folder.setCurrentText(str(tmp_path / "missing-folder"))
    with qtbot.waitSignal(dialog.failed, timeout=TIMEOUT):
        dialog.export_button.click()
    qtbot.waitUntil(lambda: dialog.message_box is not None and dialog.message_box.isVisible(), timeout=TIMEOUT)
    look("export dialog", dialog)
    look("export-folder error", dialog.message_box)
    dialog.message_box.close()
    dialog.close()
    bad = tmp_path / "notes.txt"
    bad.write_text("not a photo")
    typed.add("notes.txt")
    panel = w.open_training()
    with qtbot.waitSignal(panel.import_finished, timeout=TIMEOUT):
        panel.add_paths([str(bad)])
    panel.status_label.setText(progress_text(Progress(Phase.RECOVERING, 3, 9, "finetune.collapse_restored")))
    look("training panel with a refused photo and a status", panel)
    state.generation.generate()  # nothing described → the message says so, in Chinese
    state.description.set_text("")
    state.generation.generate()
    look("main window with a message", w)
    assert {k: v for k, v in seen.items() if v} == {}


def test_layout_holds_at_the_minimum_size(zh_app, qtbot):
    w = zh_app.window
    w.editor.set_text(DESCRIPTION)
    w.controls.generate.click()
    qtbot.waitUntil(lambda: w.gallery.count() > 0 and not zh_app.state.generation.busy, timeout=TIMEOUT)
    w.gallery.setCurrentRow(0)
    w.resize(w.minimumSize())
    qtbot.waitUntil(lambda: w.width() == w.minimumWidth(), timeout=TIMEOUT)
    qtbot.wait(50)
    central = w.centralWidget()
    for widget in (w.zoom, w.favourite_button, w.compare_button, w.delete_button, w.controls.generate,
                   w.preview.variations, w.preview.keep, w.preview.repaint_button, w.sliders.reset_all):
        top_left = widget.mapTo(central, widget.rect().topLeft())
        bottom_right = widget.mapTo(central, widget.rect().bottomRight())
        assert central.rect().contains(top_left) and central.rect().contains(bottom_right), widget
        # Whole, not squeezed below what its label needs, and not hidden behind a neighbour panel.
        assert widget.width() >= min(widget.minimumSizeHint().width(), widget.sizeHint().width()), widget
        parent_rect = widget.parentWidget().rect()
        assert parent_rect.contains(widget.geometry().bottomRight()), widget
    assert w.zoom.width() >= 80
