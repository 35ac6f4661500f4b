"""Main window with the FakeEngine: generate, sliders (newest wins), favourites across restarts, errors."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt

from app.engine_protocol import EngineProtocol
from app.main import build_app
from app.paths import AppPaths
from app.requests import GeneratedImage
from tests.fakes import FakeEngine

TIMEOUT = 10_000


@pytest.fixture
def make_app(tmp_path, qtbot):
    built = []

    def make(engine=None, home=None):
        engine = engine or FakeEngine()
        paths = AppPaths.default(home=home or tmp_path / "home", bundled=tmp_path / "no-bundled")
        app = build_app(paths, engine_factory=lambda: engine, language="en", theme="light")
        app.window.show()
        built.append(app)
        qtbot.waitUntil(lambda: app.state.models.loaded is not None or bool(app.window.last_error), timeout=TIMEOUT)
        return app, engine

    yield make
    for app in built:
        app.window.close()
        assert not app.worker.isRunning()


def generate_via_keyboard(qtbot, app, text: str, count: int):
    w = app.window
    w.controls.count.setValue(count)
    qtbot.keyClicks(w.editor.edit, text)
    qtbot.keyClick(w.editor.edit, Qt.Key_Return, Qt.ControlModifier)
    qtbot.waitUntil(lambda: w.gallery.count() == count and not app.state.generation.busy, timeout=TIMEOUT)


def test_fake_engine_meets_the_protocol():
    assert isinstance(FakeEngine(), EngineProtocol)


def test_ctrl_enter_paints_n_thumbnails(make_app, qtbot):
    app, engine = make_app()
    assert app.window.model_label.text() == "Model: fake (16 px)"
    assert "Fake CPU" in app.window.device_label.text() and "test device" in app.window.device_label.text()
    generate_via_keyboard(qtbot, app, "red leather handbag for women", 5)
    reqs = engine.requests()
    assert len(reqs) == 1 and reqs[0].count == 5 and reqs[0].description == "red leather handbag for women"
    assert len(list(app.paths.gallery.glob("*.png"))) == 5
    assert app.window.time_label.text().startswith("Last generation")
    # The chips show what the description was understood as.
    qtbot.waitUntil(lambda: app.state.description.understanding is not None, timeout=TIMEOUT)
    assert "handbag" in app.window.editor.chips.chips["category"].text()


def test_chip_correction_goes_into_overrides(make_app, qtbot):
    app, engine = make_app()
    generate_via_keyboard(qtbot, app, "a nice shirt", 1)
    menu = app.window.editor.chips.chips["colour"].menu()
    act = next(a for a in menu.actions() if a.data() == "Teal")
    act.trigger()
    qtbot.waitUntil(lambda: app.state.description.understanding is not None
                    and app.state.description.understanding.guess("colour").source == "chosen", timeout=TIMEOUT)
    app.window.controls.generate.click()
    qtbot.waitUntil(lambda: len(engine.requests()) == 2 and not app.state.generation.busy, timeout=TIMEOUT)
    assert ("colour", "Teal") in engine.requests()[-1].overrides


def test_slider_sends_offset_and_stale_result_is_ignored(make_app, qtbot):
    app, engine = make_app()
    generate_via_keyboard(qtbot, app, "blue jeans", 2)
    app.window.gallery.setCurrentRow(0)
    assert len(app.state.selection.ids) == 1
    slider = app.window.sliders.sliders["brightness"]
    assert slider.isEnabled()

    handles = []  # the worker's handles of the slider jobs, to send a late result through one below
    submit = app.worker.submit
    app.worker.submit = lambda *a, **kw: handles.append(submit(*a, **kw)) or handles[-1]
    engine.gate.clear()  # hold the first slider request inside the engine
    slider.setValue(20)  # +1σ
    qtbot.waitUntil(engine.waiting.is_set, timeout=TIMEOUT)
    first_id = app.state.live.last_id
    first = next(h for h in handles if h.id == first_id)
    slider.setValue(-40)  # -2σ: supersedes the first request
    qtbot.waitUntil(lambda: app.state.live.last_id != first_id, timeout=TIMEOUT)
    engine.gate.set()
    # The held picture (+1σ) may be shown on the way; the newest request (-2σ) is painted last and stays.
    qtbot.waitUntil(lambda: app.state.live.image is not None
                    and app.state.live.image.request.offsets == (("brightness", -2.0),) and app.worker.is_idle(),
                    timeout=TIMEOUT)
    sent = [r.offsets for r in engine.requests() if r.count == 1 and r.offsets]
    assert sent[0] == (("brightness", 1.0),)
    assert sent[-1] == (("brightness", -2.0),)

    # A late result for the superseded request is dropped by the worker's preview lane, never shown.
    live = app.state.live.image
    stale = GeneratedImage(live.pixels * 0, live.request)
    dropped = app.worker.stale_dropped
    first._result_out.emit(stale)
    qtbot.waitUntil(lambda: app.worker.stale_dropped == dropped + 1, timeout=TIMEOUT)
    assert app.state.live.image is live

    # Keeping the adjusted version adds it to the gallery with its offsets.
    app.window.preview.keep.click()
    qtbot.waitUntil(lambda: app.window.gallery.count() == 3 and not app.state.generation.busy, timeout=TIMEOUT)
    assert any(i.request.offsets == (("brightness", -2.0),) for i in app.state.gallery.items())


def test_variations_make_neighbours(make_app, qtbot):
    app, engine = make_app()
    generate_via_keyboard(qtbot, app, "white sneakers", 1)
    app.window.gallery.setCurrentRow(0)
    app.window.controls.count.setValue(3)
    app.window.preview.variations.click()
    qtbot.waitUntil(lambda: app.window.gallery.count() == 4 and not app.state.generation.busy, timeout=TIMEOUT)
    assert engine.requests()[-1].variation > 0 and engine.requests()[-1].count == 3


def test_favourites_and_deletion_persist_across_restart(make_app, qtbot, tmp_path):
    app, _ = make_app(home=tmp_path / "shop")
    generate_via_keyboard(qtbot, app, "gold earrings", 3)
    gallery = app.window.gallery
    gallery.setCurrentRow(0)
    fav_id = app.state.selection.ids[0]
    app.window.toggle_favourite()
    gallery.setCurrentRow(1)
    gone_id = app.state.selection.ids[0]
    gone_file = app.state.gallery.path(app.state.gallery.get(gone_id))
    app.window.delete_selected()
    assert not gone_file.exists()
    # Drag out: the MIME data carries the PNG files.
    gallery.setCurrentRow(0)
    urls = gallery.mimeData(gallery.selectedItems()).urls()
    assert urls and urls[0].toLocalFile().endswith(".png")
    app.window.close()
    index = json.loads((tmp_path / "shop" / "data" / "gallery" / "index.json").read_text())
    assert len(index["items"]) == 2

    again, _ = make_app(home=tmp_path / "shop")
    items = {i.id: i for i in again.state.gallery.items()}
    assert again.window.gallery.count() == 2 and gone_id not in items
    assert items[fav_id].favourite and sum(i.favourite for i in items.values()) == 1
    assert again.settings.history[0] == "gold earrings"


def test_engine_error_shows_message_and_app_continues(make_app, qtbot):
    app, engine = make_app()
    engine.fail_with = "The picture engine ran out of memory."
    generate_via_keyboard_fails = app.window
    app.window.editor.set_text("black belt")
    app.window.controls.generate.click()
    qtbot.waitUntil(lambda: not app.state.generation.busy and app.window.banner.isVisible(), timeout=TIMEOUT)
    assert "ran out of memory" in app.window.banner.text()
    assert generate_via_keyboard_fails.gallery.count() == 0
    engine.fail_with = None
    app.window.controls.generate.click()
    qtbot.waitUntil(lambda: app.window.gallery.count() == app.state.settings.count and not app.state.generation.busy, timeout=TIMEOUT)


def test_cancel_stops_a_long_batch(make_app, qtbot):
    app, engine = make_app()
    app.window.editor.set_text("green socks")
    app.window.controls.count.setValue(64)
    engine.gate.clear()
    app.window.controls.generate.click()
    qtbot.waitUntil(engine.waiting.is_set, timeout=TIMEOUT)
    assert app.window.controls.cancel.isEnabled()
    app.window.controls.cancel.click()
    engine.gate.set()
    qtbot.waitUntil(lambda: not app.state.generation.busy, timeout=TIMEOUT)
    assert app.window.gallery.count() < 64


def test_no_model_shows_clear_message(make_app, qtbot):
    app, _ = make_app(engine=FakeEngine(models=[]))
    qtbot.waitUntil(lambda: "No" in app.window.last_error, timeout=TIMEOUT)
    assert app.window.banner.isVisible()
    assert not app.window.controls.generate.isEnabled()


def test_quit_during_work_is_clean(make_app, qtbot):
    app, engine = make_app()
    app.window.editor.set_text("red tie")
    app.window.controls.count.setValue(200)
    engine.gate.clear()
    app.window.controls.generate.click()
    qtbot.waitUntil(engine.waiting.is_set, timeout=TIMEOUT)
    engine.gate.set()
    app.window.close()
    assert not app.worker.isRunning()


def test_damaged_settings_and_history_are_told_in_the_banner(make_app, qtbot, tmp_path):
    home = tmp_path / "damaged"
    (home / "config").mkdir(parents=True)
    (home / "config" / "settings.json").write_text("{not json", encoding="utf-8")
    (home / "data" / "gallery").mkdir(parents=True)
    (home / "data" / "gallery" / "index.json").write_text("[1, 2", encoding="utf-8")
    app, _ = make_app(home=home)
    assert app.window.banner.isVisible()
    text = app.window.banner.text()
    assert "settings file was damaged" in text and "settings.json.bad" in text
    assert "gallery history was damaged" in text and "index.json.bad" in text
    assert (home / "config" / "settings.json.bad").exists() and (home / "data" / "gallery" / "index.json.bad").exists()
