"""A large history: the gallery opens without decoding every picture, and scrolling loads what comes into view."""

from __future__ import annotations

import json

import numpy as np
import pytest

import app.ui.gallery as gallery_mod
from app.gallery_store import INDEX, GalleryItem, GalleryStore
from app.output import png_bytes
from app.requests import GenerateRequest
from app.settings import Settings
from app.state import AppState
from app.ui.gallery import GalleryView
from app.workers import EngineWorker
from tests.fakes import FakeEngine

N = 2000


def write_history(folder, n: int) -> None:
    """n pictures of 192 px (larger than the 128-px thumbnails, so those are cached on disk) and their index."""
    folder.mkdir(parents=True)
    pixels = np.full((192, 192, 3), 240, np.uint8)
    pixels[48:144, 48:144] = (200, 30, 40)
    data = png_bytes(pixels)
    items = []
    for i in range(n):
        req = GenerateRequest(description=f"red heels {i}", seed=i, count=1, size=192)
        (folder / f"pic-{i:05d}.png").write_bytes(data)
        items.append(GalleryItem(f"{i:016x}", f"pic-{i:05d}.png", req, i % 7 == 0, float(i)).to_dict())
    (folder / INDEX).write_text(json.dumps({"version": 1, "items": items}))


@pytest.fixture
def big_gallery(tmp_path, qtbot, monkeypatch):
    write_history(tmp_path / "gallery", N)
    loaded: list[str] = []
    real = gallery_mod.load_thumbnail

    def counting(path, side, cache_dir):
        loaded.append(path.name)
        return real(path, side, cache_dir)

    monkeypatch.setattr(gallery_mod, "load_thumbnail", counting)
    views = []

    def make():
        settings = Settings()
        state = AppState(EngineWorker(lambda: FakeEngine()), GalleryStore(tmp_path / "gallery"), settings)
        view = GalleryView(state, thumb_cache=tmp_path / "cache" / "thumbnails")
        qtbot.addWidget(view)
        view.resize(800, 600)
        view.show()
        qtbot.waitExposed(view)
        qtbot.wait(50)
        views.append(view)
        return view, state

    return make, loaded, tmp_path


def test_large_gallery_opens_lazily_and_scrolling_loads_the_end(big_gallery, qtbot):
    make, loaded, tmp_path = big_gallery
    view, state = make()
    assert view.count() == N
    # One screen of 128-px thumbnails in 800×600 is about 5×4; "a few screens" at most, never the history.
    opened = len(loaded)
    assert 0 < opened <= 120, opened
    assert len(view.thumbnails) <= 120
    # Newest first: the top-left picture is the last one written.
    assert view.gallery_model.item_at(0).id == f"{N - 1:016x}"

    view.scrollToBottom()
    qtbot.waitUntil(lambda: "pic-00000.png" in loaded, timeout=5000)
    assert len(loaded) <= opened + 120, len(loaded)
    # The thumbnails went to the disk cache, keyed by file: a second opening reads those, not the pictures.
    cached = list((tmp_path / "cache" / "thumbnails").glob("*.png"))
    assert len(cached) == len(set(loaded))


def test_large_gallery_selection_delete_and_favourite_use_rows(big_gallery, qtbot):
    make, loaded, _ = big_gallery
    view, state = make()
    view.setCurrentRow(10)
    picked = state.selection.ids[0]
    assert view.gallery_model.row_of(picked) == 10
    state.gallery.set_favourite([picked], True)
    assert state.gallery.get(picked).favourite
    urls = view.mimeData(view.selectedItems()).urls()
    assert [u.toLocalFile() for u in urls] == [str(state.gallery.path(state.gallery.get(picked)))]
    state.gallery.delete([picked])
    assert view.count() == N - 1 and view.gallery_model.row_of(picked) == -1
    # The rows after it moved up by one and the map follows them.
    assert view.gallery_model.row_of(view.gallery_model.item_at(10).id) == 10
