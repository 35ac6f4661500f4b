"""The export dialog through pytest-qt: live name preview, export on a thread, errors, ask-before-replace."""

from __future__ import annotations

import json

import numpy as np
import pytest

from app.export import ExportError
from app.metadata import read_request
from app.requests import GeneratedImage, GenerateRequest
from app.ui.export_dialog import ExportDialog

REQ = GenerateRequest("navy blue shirt for men", seed=1, model_id="tiny")


def images(n=2):
    px = np.full((64, 64, 3), 250, np.uint8)
    px[16:48, 16:48] = (20, 30, 120)
    return [GeneratedImage(px, REQ.single(i), i) for i in range(n)]


@pytest.fixture
def dialog(qtbot, tmp_path):
    d = ExportDialog(images(), config_dir=tmp_path / "config")
    qtbot.addWidget(d)
    d.folder.setCurrentText(str(tmp_path / "out"))
    (tmp_path / "out").mkdir()
    d.preset.setCurrentIndex(d.preset.findData("custom"))
    d.size.setValue(96)
    return d


def test_preview_follows_template_and_flags_bad_fields(dialog):
    dialog.sku.setText("SH-9")
    dialog.template.setText("{sku}_{index:02}")
    assert dialog.preview.text() == "SH-9_01.jpg, SH-9_02.jpg"
    dialog.format.setCurrentIndex(dialog.format.findData("webp"))
    dialog.subfolder.setCurrentIndex(dialog.subfolder.findData("sku"))
    assert dialog.preview.text().startswith("SH-9/SH-9_01.webp")
    dialog.template.setText("{price}")
    assert "unknown field" in dialog.preview.text() and not dialog.export_button.isEnabled()
    dialog.preset.setCurrentIndex(dialog.preset.findData("amazon"))
    assert dialog.white.isChecked() and not dialog.white.isEnabled() and not dialog.size.isEnabled()


def test_export_runs_on_a_thread_and_remembers_the_folder(dialog, qtbot, tmp_path):
    dialog.template.setText("{name}-{index}")
    with qtbot.waitSignal(dialog.exported, timeout=20000) as sig:
        dialog.export_button.click()
        assert dialog.is_busy()
    result = sig.args[0]
    assert [p.name for p in result.files] == ["navy blue shirt for men-1.jpg", "navy blue shirt for men-2.jpg"]
    assert read_request(result.files[1]) == REQ.single(1)
    qtbot.waitUntil(lambda: not dialog.is_busy())
    assert dialog.open_button.isEnabled() and dialog.progress.value() == dialog.progress.maximum()
    recent = json.loads((tmp_path / "config" / "export_recent.json").read_text())["recent"]
    assert recent == [str(tmp_path / "out")]
    again = ExportDialog(images(), config_dir=tmp_path / "config")
    qtbot.addWidget(again)
    assert again.folder.currentText() == str(tmp_path / "out")


def test_failure_shows_a_message_and_leaves_nothing(qtbot, tmp_path):
    def full_disk(*a, **kw):
        raise ExportError("The disk is full: nothing was exported.")

    d = ExportDialog(images(), config_dir=tmp_path / "c", export_fn=full_disk)
    qtbot.addWidget(d)
    d.folder.setCurrentText(str(tmp_path))
    with qtbot.waitSignal(d.failed, timeout=10000) as sig:
        d.export_button.click()
    assert "disk is full" in sig.args[0]
    qtbot.waitUntil(lambda: d.message_box is not None and d.message_box.isVisible())
    assert "disk is full" in d.message_box.text()
    qtbot.waitUntil(lambda: not d.is_busy())
    assert not d.open_button.isEnabled() and d.export_button.isEnabled()


def test_missing_folder_message(dialog, qtbot, tmp_path):
    dialog.folder.setCurrentText(str(tmp_path / "gone"))
    with qtbot.waitSignal(dialog.failed, timeout=10000) as sig:
        dialog.export_button.click()
    assert "does not exist" in sig.args[0]


def test_ask_before_replacing(dialog, qtbot, tmp_path):
    from PySide6.QtWidgets import QMessageBox

    dialog.template.setText("photo")
    dialog.overwrite.setCurrentIndex(dialog.overwrite.findData("ask"))
    (tmp_path / "out" / "photo.jpg").write_bytes(b"old")
    dialog.export_button.click()
    qtbot.waitUntil(lambda: dialog.message_box is not None and dialog.message_box.isVisible())
    with qtbot.waitSignal(dialog.exported, timeout=20000) as sig:
        dialog.message_box.button(QMessageBox.StandardButton.Yes).click()
    assert [p.name for p in sig.args[0].files] == ["photo.jpg", "photo-1.jpg"]
    assert read_request(tmp_path / "out" / "photo.jpg") == REQ.single(0)
    qtbot.waitUntil(lambda: not dialog.is_busy())
