"""The gallery's trash on disk: deleted pictures wait there across restarts until Undo or Empty trash."""

from __future__ import annotations

import numpy as np

from app.gallery_store import GalleryStore
from app.requests import GeneratedImage, GenerateRequest


def _pictures(n):
    return [GeneratedImage(np.full((8, 8, 3), 10 * i, np.uint8), GenerateRequest("gold earrings", seed=i))
            for i in range(n)]


def test_deleted_pictures_come_back_after_a_restart_in_the_reverse_order_of_deleting(tmp_path):
    store = GalleryStore(tmp_path / "g")
    a, b, c = store.add(_pictures(3))
    store.delete([a.id])
    store.delete([b.id, c.id])
    assert store.items() == [] and not store.path(a).exists()
    again = GalleryStore(tmp_path / "g")  # Vitrine restarted
    assert again.trash_count() == 3 and again.items() == []
    assert {i.id for i in again.undo_delete()} == {b.id, c.id}  # the last deletion first
    assert again.path(b).is_file() and again.trash_count() == 1
    assert [i.id for i in again.undo_delete()] == [a.id] and again.undo_delete() == []
    assert len(GalleryStore(tmp_path / "g").items()) == 3


def test_empty_trash_removes_the_files_for_good(tmp_path):
    store = GalleryStore(tmp_path / "g")
    a, b = store.add(_pictures(2))
    store.delete([a.id])
    assert store.empty_trash() == 1
    assert store.trash_count() == 0 and not list(store.trash_folder.glob("*.png")) and store.undo_delete() == []
    assert [i.id for i in store.items()] == [b.id]


def test_a_damaged_trash_index_never_breaks_the_gallery(tmp_path):
    store = GalleryStore(tmp_path / "g")
    a, b = store.add(_pictures(2))
    store.delete([a.id])
    (store.trash_folder / "trash.json").write_text("{not json")
    again = GalleryStore(tmp_path / "g")
    assert again.trash_count() == 0 and again.undo_delete() == [] and [i.id for i in again.items()] == [b.id]
    again.delete([b.id])
    assert [i.id for i in again.undo_delete()] == [b.id]
