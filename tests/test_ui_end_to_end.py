"""End to end with the tiny real engine: keyboard → worker → real generator → gallery files on disk."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.main import build_app
from app.output import read_request
from app.paths import AppPaths


def test_tiny_real_engine_paints_into_the_gallery(tiny_engine, tmp_path, qtbot):
    paths = AppPaths.default(home=tmp_path / "home", bundled=tmp_path / "bundled")
    app = build_app(paths, engine_factory=lambda: tiny_engine, language="en")
    w = app.window
    w.show()
    try:
        qtbot.waitUntil(lambda: app.state.models.loaded is not None, timeout=20_000)
        assert [s for s in w.sliders.sliders] == ["brightness", "zoom"]
        w.controls.count.setValue(3)
        qtbot.keyClicks(w.editor.edit, "navy blue shirt for men")
        qtbot.keyClick(w.editor.edit, Qt.Key_Return, Qt.ControlModifier)
        qtbot.waitUntil(lambda: w.gallery.count() == 3 and not app.state.generation.busy, timeout=20_000)
        items = app.state.gallery.items()
        req = read_request(app.state.gallery.path(items[0]))
        assert req.description == "navy blue shirt for men" and req.model_id == "tiny" and req.count == 1
        w.gallery.setCurrentRow(0)
        w.sliders.sliders["zoom"].setValue(30)
        qtbot.waitUntil(lambda: app.state.live.image is not None, timeout=20_000)
        assert app.state.live.image.request.offsets == (("zoom", 1.5),)
    finally:
        w.close()
    assert not app.worker.isRunning()
