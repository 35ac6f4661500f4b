"""The chips say when a description names no product Vitrine knows, offer the nearest ones, and show 'kids'."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from app.engine.text import TextConditioner
from app.main import build_app
from app.paths import AppPaths
from tests.fakes import FakeEngine

TIMEOUT = 10_000


def _flat(texts):
    # Every text means the same: nothing is guessed by meaning, so only lexicon words name a product.
    return np.ones((len(texts), 8), np.float32) / np.sqrt(8)


class ReadingEngine(FakeEngine):
    """The fake engine, but descriptions are read by the real TextConditioner."""

    def __init__(self):
        super().__init__()
        self.text = TextConditioner(embedder=_flat)

    def understand(self, description, overrides=None, model_id=None):
        self._record("understand", (description, dict(overrides or {})))
        return self.text.understand(description, overrides)


@pytest.fixture
def make_app(tmp_path, qtbot):
    built = []

    def make(language="en"):
        engine = ReadingEngine()
        paths = AppPaths.default(home=tmp_path / f"home-{language}", bundled=tmp_path / "no-bundled")
        app = build_app(paths, engine_factory=lambda: engine, language=language, theme="light")
        app.window.show()
        built.append(app)
        qtbot.waitUntil(lambda: app.state.models.loaded is not None, timeout=TIMEOUT)
        return app

    yield make
    for app in built:
        app.window.close()


def _type(qtbot, app, text):
    app.window.editor.set_text(text)
    qtbot.waitUntil(lambda: app.state.description.understanding is not None and app.state.description.understanding.description == text,
                    timeout=TIMEOUT)


@pytest.mark.parametrize("language, text, says", [("en", "ceramic vase", "does not know this product"),
                                                  ("zh", "陶瓷花瓶", "还不认识这种商品")])
def test_unknown_product_is_said_with_suggestions_to_pick(make_app, qtbot, language, text, says):
    app = make_app(language)
    chips = app.window.editor.chips
    _type(qtbot, app, text)
    u = app.state.description.understanding
    assert u.unknown_product
    qtbot.waitUntil(lambda: chips.unknown.isVisible(), timeout=TIMEOUT)
    assert says in chips.unknown.text()
    shown = [b for b in chips.suggestions if b.isVisible()]
    names = [s.label_zh if language == "zh" else s.label_en for s in u.suggestions]
    assert [b.text() for b in shown] == names and len(names) == 3
    qtbot.mouseClick(shown[0], Qt.LeftButton)
    assert app.state.description.overrides["category"] == u.suggestions[0].key
    qtbot.waitUntil(lambda: not app.state.description.understanding.unknown_product, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: not chips.unknown.isVisible(), timeout=TIMEOUT)
    assert not any(b.isVisible() for b in chips.suggestions)


def test_kids_chip_shows_kids_not_boys(make_app, qtbot):
    app = make_app("en")
    _type(qtbot, app, "kids t-shirt")
    chip = app.window.editor.chips.chips["gender"]
    qtbot.waitUntil(lambda: "kids" in chip.text(), timeout=TIMEOUT)
    assert "boys" in chip.text() and "girls" in chip.text() and not app.window.editor.chips.unknown.isVisible()
