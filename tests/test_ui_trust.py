"""What a merchant relies on: corrections stay with their description, deleting can be undone, export names
each picture after itself, messages go with their cause, a stopped batch says what it kept."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from app.main import build_app
from app.metadata import read_request
from app.paths import AppPaths
from tests.fakes import FakeEngine

TIMEOUT = 10_000


@pytest.fixture
def app(tmp_path, qtbot):
    engine = FakeEngine()
    paths = AppPaths.default(home=tmp_path / "home", bundled=tmp_path / "no-bundled")
    built = build_app(paths, engine_factory=lambda: engine, language="en", theme="light")
    built.window.show()
    built.engine = engine
    qtbot.waitUntil(lambda: built.state.models.loaded is not None, timeout=TIMEOUT)
    yield built
    built.window.close()
    from app.engine.messages import set_language

    set_language(None)  # build_app fixed the engine's language; later tests follow $VITRINE_LANG again


def paint(qtbot, app, text: str, count: int) -> None:
    w = app.window
    before = w.gallery.count()
    w.editor.set_text(text)
    w.controls.count.setValue(count)
    w.controls.generate.click()
    qtbot.waitUntil(lambda: w.gallery.count() == before + count and not app.state.generation.busy, timeout=TIMEOUT)


def chip(app, attribute: str) -> str:
    return app.window.editor.chips.chips[attribute].text()


def test_a_chip_correction_does_not_leak_into_the_next_description(app, qtbot):
    w, state = app.window, app.state
    w.editor.set_text("儿童书包")
    state.description.set_override("category", "Backpacks")
    state.description.set_override("gender", "Boys")
    qtbot.waitUntil(lambda: "backpack" in chip(app, "category") and "your choice" in chip(app, "category"),
                    timeout=TIMEOUT)
    w.editor.set_text("red leather handbag for women")
    qtbot.waitUntil(lambda: "handbag" in chip(app, "category"), timeout=TIMEOUT)
    assert "boys" not in chip(app, "gender") and "your choice" not in chip(app, "gender")
    w.controls.generate.click()
    qtbot.waitUntil(lambda: not state.generation.busy and w.gallery.count() > 0, timeout=TIMEOUT)
    assert app.engine.requests()[-1].overrides == ()  # no backpacks painted for a handbag
    # Going back to the first description brings its own corrections back.
    w.editor.set_text("儿童书包")
    qtbot.waitUntil(lambda: "backpack" in chip(app, "category"), timeout=TIMEOUT)
    assert state.description.overrides == {"category": "Backpacks", "gender": "Boys"}


def test_delete_goes_to_the_trash_and_ctrl_z_brings_it_back(app, qtbot):
    w, store = app.window, app.state.gallery.store
    paint(qtbot, app, "gold earrings", 3)
    w.gallery.setCurrentRow(0)
    gone = store.get(app.state.selection.ids[0])
    w.gallery.setFocus()
    qtbot.keyClick(w.gallery, Qt.Key_Delete)
    assert w.gallery.count() == 2 and not store.path(gone).exists()
    assert (store.trash_folder / gone.file).is_file()
    assert w.banner.isVisible() and "trash" in w.banner.text() and "Ctrl+Z" in w.banner.text()
    qtbot.keyClick(w.gallery, Qt.Key_Z, Qt.ControlModifier)
    assert w.gallery.count() == 3 and store.path(gone).is_file() and store.get(gone.id) is not None
    assert not w.undo_action.isEnabled()


def test_empty_trash_asks_first(app, qtbot):
    w, store = app.window, app.state.gallery.store
    paint(qtbot, app, "gold earrings", 2)
    w.gallery.setCurrentRow(0)
    w.delete_selected()
    box = w.ask_empty_trash()
    assert box.isVisible() and "1 picture" in box.text() and "cannot be undone" in box.text()
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert store.trash_count() == 1
    box = w.ask_empty_trash()
    box.button(QMessageBox.StandardButton.Yes).click()
    assert store.trash_count() == 0 and not [f for f in store.trash_folder.iterdir() if f.suffix == ".png"]
    assert w.undo_delete() == 0 and w.gallery.count() == 1


def test_export_with_nothing_selected_asks_with_the_count_and_names_each_picture_after_itself(app, qtbot, tmp_path):
    w = app.window
    paint(qtbot, app, "gold earrings", 2)
    paint(qtbot, app, "red leather wallet", 11)
    w.gallery.clearSelection()
    qtbot.waitUntil(lambda: app.state.selection.ids == [], timeout=TIMEOUT)
    w.open_export()
    assert "13" in w.confirm_box.text() and getattr(w, "export_dialog", None) is None
    w.confirm_box.button(QMessageBox.StandardButton.Yes).click()
    dialog = w.export_dialog
    assert len(dialog.images) == 13 and "13 pictures will be exported" in dialog.count_label.text()
    assert "of 2 products" in dialog.count_label.text() and len(dialog.group_names) == 2
    (tmp_path / "out").mkdir()
    dialog.folder.setCurrentText(str(tmp_path / "out"))
    dialog.group_skus[0].setText("WAL-1")  # the wallets came last: they are shown first
    with qtbot.waitSignal(dialog.exported, timeout=30_000) as sig:
        dialog.export_button.click()
    names = {p.name: read_request(p).description for p in sig.args[0].files}
    assert len(names) == 13
    for name, description in names.items():
        assert name.startswith(description)  # each file is named after its own picture
    assert "red leather wallet-01.jpg" in names and "red leather wallet-11.jpg" in names
    assert "gold earrings-1.jpg" in names


def test_messages_go_when_their_cause_does(app, qtbot):
    w, state = app.window, app.state
    w.editor.set_text("")
    state.generation.generate()
    assert w.banner.isVisible() and "describe the product" in w.banner.text()
    paint(qtbot, app, "black belt", 1)
    assert not w.banner.isVisible()
    app.engine.fail_with = "The picture engine ran out of memory."
    w.controls.generate.click()
    qtbot.waitUntil(lambda: not state.generation.busy and w.banner.isVisible(), timeout=TIMEOUT)
    app.engine.fail_with = None
    paint(qtbot, app, "black belt", 1)
    assert not w.banner.isVisible()


def test_a_stopped_batch_says_how_many_pictures_it_kept(app, qtbot):
    w, state = app.window, app.state
    app.engine.delay_s = 0.05
    w.editor.set_text("white sneakers")
    w.controls.count.setValue(200)
    w.controls.generate.click()
    qtbot.waitUntil(lambda: w.gallery.count() >= 8, timeout=TIMEOUT)
    state.generation.cancel()
    qtbot.waitUntil(lambda: not state.generation.busy, timeout=TIMEOUT)
    kept = w.gallery.count()
    assert 0 < kept < 200
    assert w.banner.isVisible() and f"{kept} of 200" in w.banner.text()


def test_compare_says_what_differs_in_plain_words(app, qtbot):
    w = app.window
    paint(qtbot, app, "navy shirt", 4)
    w.gallery.setCurrentRow(0)
    first = app.state.selection.ids[0]
    w.gallery.setCurrentRow(3)
    app.state.selection.select([first, app.state.selection.ids[0]])
    w.compare()
    texts = w.compare_dialog.texts
    assert all("start" not in t for t in texts)
    assert "Picture: seed" in texts[0] and "picture 1" in texts[0] + texts[1] and "picture 4" in texts[0] + texts[1]
    assert "Description" not in texts[0]  # the same description is not listed as a difference
