"""The GUI's model list shows damaged models with their reason and a Remove button (never hides them)."""

from __future__ import annotations

import json

from app.engine.registry import Registry
from app.main import build_app
from app.paths import AppPaths
from tests.conftest import make_tiny_model
from tests.fakes import FakeEngine

TIMEOUT = 10_000


def test_a_damaged_model_is_shown_with_its_reason_and_can_be_removed(tmp_path, qtbot):
    paths = AppPaths.default(home=tmp_path / "home", bundled=tmp_path / "bundled")
    make_tiny_model(paths.bundled_models / "tiny")
    broken = make_tiny_model(paths.user_models / "broken-shop", model_id="broken-shop")
    cfg = json.loads((broken / "config.json").read_text())
    cfg["gan"] = "x"
    (broken / "config.json").write_text(json.dumps(cfg))
    engine = FakeEngine()
    engine.registry = Registry(paths.bundled_models, paths.user_models)
    app = build_app(paths, engine_factory=lambda: engine, language="en", theme="light")
    try:
        app.window.show()
        panel = app.window.controls.damaged
        qtbot.waitUntil(lambda: panel.isVisible(), timeout=TIMEOUT)
        assert [d[0] for d in panel.damaged] == ["broken-shop"]
        assert "it does not describe its network" in panel.damaged[0][1]
        labels = [w.text() for w in panel.findChildren(type(app.window.controls.creativity_value))]
        assert any("broken-shop" in t and "damaged" in t for t in labels)
        assert panel.remove("broken-shop", ask=False) is not None
        qtbot.waitUntil(lambda: not broken.exists() and not panel.isVisible(), timeout=TIMEOUT)
        assert [m.id for m in engine.registry.list_all()] == ["tiny"]
    finally:
        app.window.close()
