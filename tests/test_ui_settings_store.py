"""Settings and gallery store (no Qt): round trips, damaged files, atomic index, deletion."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np

from app.gallery_store import GalleryStore
from app.requests import GeneratedImage, GenerateRequest
from app.settings import Settings, load_settings, save_settings, settings_file


def test_settings_round_trip_and_bad_values(tmp_path):
    s = Settings(language="zh", theme="dark", count=12, history=["a"], templates=["{colour} x"])
    save_settings(tmp_path, s)
    assert load_settings(tmp_path) == s
    data = json.loads(settings_file(tmp_path).read_text())
    data.update(theme="purple", count=-3, creativity="high", history=[1, 2])
    settings_file(tmp_path).write_text(json.dumps(data))
    loaded = load_settings(tmp_path)
    assert (loaded.theme, loaded.count, loaded.creativity, loaded.history) == ("light", 8, 0.8, [])
    assert loaded.language == "zh"


def test_damaged_settings_are_set_aside(tmp_path):
    settings_file(tmp_path).write_text("{not json")
    assert load_settings(tmp_path) == Settings()
    assert (tmp_path / "settings.json.bad").exists() and not settings_file(tmp_path).exists()


def test_gallery_store_survives_reopen_and_deletes_files(tmp_path):
    store = GalleryStore(tmp_path / "g")
    req = GenerateRequest("red cap", seed=3, count=1, offsets=(("zoom", 0.5),))
    items = store.add([GeneratedImage(np.full((8, 8, 3), k, np.uint8), req.single(k)) for k in range(3)])
    store.set_favourite([items[1].id], True)
    store.delete([items[0].id])
    assert not store.path(items[0]).exists()
    again = GalleryStore(tmp_path / "g")
    assert [i.id for i in again.items()] == [items[1].id, items[2].id]
    assert again.items()[0].favourite and again.items()[0].request == req.single(1)
    assert not list((tmp_path / "g").glob("*.partial"))


def test_non_qt_modules_import_no_qt():
    code = ("import sys; import app.settings, app.gallery_store, app.engine_protocol, app.requests, app.paths; "
            "print([m for m in sys.modules if m.startswith('PySide6')])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_every_ui_string_has_a_chinese_translation(qapp):
    import importlib.util
    from pathlib import Path

    from PySide6.QtCore import QCoreApplication

    from app.i18n import I18N_DIR, TsTranslator

    spec = importlib.util.spec_from_file_location("upd", Path(__file__).parent.parent / "scripts" / "update_translations.py")
    upd = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(upd)
    translated = upd.read_ts()
    assert not [s for s in upd.ui_strings() if s not in translated]
    t = TsTranslator(I18N_DIR / "vitrine_zh_CN.ts")
    QCoreApplication.installTranslator(t)
    try:
        assert QCoreApplication.translate("Vitrine", "Generate") == "生成"
    finally:
        QCoreApplication.removeTranslator(t)
