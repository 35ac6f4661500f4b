"""A damaged settings file or gallery history is set aside with a message, defaults are used, the app starts."""

from __future__ import annotations

import json

import numpy as np
import pytest

from app.gallery_store import GalleryStore
from app.requests import GeneratedImage, GenerateRequest
from app.settings import Settings, load_settings, save_settings

DAMAGE = [b"", b"{", b"\xff\xfe\x00\x01", b"[1, 2]", b"null", b"[" * 100_000, b'{"items": 5}', b'{"items": "abc"}']


@pytest.mark.parametrize("content", DAMAGE, ids=range(len(DAMAGE)))
def test_damaged_settings_are_set_aside_with_a_message(tmp_path, content):
    (tmp_path / "settings.json").write_bytes(content)
    notices: list[str] = []
    s = load_settings(tmp_path, notices)
    if content.startswith(b'{"items"'):  # a valid object with unknown keys: defaults, nothing to set aside
        assert s == Settings() and notices == []
        return
    assert s == Settings()
    assert len(notices) == 1 and "settings.bad" not in notices[0] and "settings.json.bad" in notices[0]
    assert (tmp_path / "settings.json.bad").read_bytes() == content
    save_settings(tmp_path, s)  # and the app can save again
    assert load_settings(tmp_path) == s


def test_bad_values_fall_back_one_by_one(tmp_path):
    (tmp_path / "settings.json").write_text(json.dumps({"count": 10**9, "theme": "neon", "seed": 5, "history": [1, 2],
                                                        "creativity": float("nan") if False else "x"}))
    s = load_settings(tmp_path)
    assert (s.count, s.theme, s.seed, s.history, s.creativity) == (Settings().count, "light", 5, [], 0.8)


def _image(i=0):
    return GeneratedImage(np.full((16, 16, 3), i, np.uint8), GenerateRequest(description="red heels", seed=i))


@pytest.mark.parametrize("content", DAMAGE, ids=range(len(DAMAGE)))
def test_damaged_gallery_history_is_set_aside_with_a_message(tmp_path, content):
    folder = tmp_path / "gallery"
    folder.mkdir()
    (folder / "index.json").write_bytes(content)
    store = GalleryStore(folder)
    assert store.items() == []
    assert "gallery history was damaged" in store.notice
    assert (folder / "index.json.bad").read_bytes() == content
    store.add([_image()])  # the gallery works again
    assert len(GalleryStore(folder).items()) == 1 and GalleryStore(folder).notice == ""


def test_gallery_index_cannot_point_outside_its_folder(tmp_path):
    folder = tmp_path / "gallery"
    store = GalleryStore(folder)
    (item,) = store.add([_image()])
    victim = tmp_path / "precious.txt"
    victim.write_text("keep me")
    data = json.loads((folder / "index.json").read_text())
    req = data["items"][0]["request"]
    data["items"] += [{"id": "evil1", "file": "../precious.txt", "request": req},
                      {"id": "evil2", "file": str(victim), "request": req},
                      {"id": "odd", "file": 5, "request": "not a dict"}, "junk", None]
    (folder / "index.json").write_text(json.dumps(data))
    store = GalleryStore(folder)
    assert [i.id for i in store.items()] == [item.id]
    store.delete(["evil1", "evil2", item.id])
    assert victim.read_text() == "keep me"
