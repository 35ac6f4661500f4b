"""Every message key the engine lists has an English and a Chinese sentence in the UI, and long jobs run in
Chinese (fine-tuning, export, start from a photo, any job on the worker) never show English progress text."""

from __future__ import annotations

import re

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel

from app.engine.jobs import MESSAGE_KEYS, Phase, Progress
from app.i18n import I18N_DIR, TsTranslator
from app.paths import AppPaths
from app.requests import GeneratedImage, GenerateRequest
from app.ui.progress_text import TEXTS, progress_text
from app.workers import JobWorker

TIMEOUT = 60_000  # generous: the suite may run on a busy machine
# Values a key's args may carry; names and numbers are not English sentences.
ARGS = {"step": 3, "steps": 9, "total": 9, "done": 2, "name": "我的鞋", "model_id": "my-shoes", "file": "a.png",
        "reason": "x", "code": "blank", "resumable": True, "description": "红色高跟鞋", "source": "words"}


CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def english(text: str) -> bool:
    """A sentence a Chinese merchant would read as English: no Chinese in it, but words (typography like … and
    “ ” does not make a sentence Chinese)."""
    plain = text.replace("a.png", "").replace("Vitrine", "").replace("my-shoes", "")
    return not CJK.search(plain) and bool(re.search(r"[A-Za-z]{2,}", plain))


@pytest.fixture
def chinese(qapp):
    t = TsTranslator(I18N_DIR / "vitrine_zh_CN.ts")
    QCoreApplication.installTranslator(t)
    yield t
    QCoreApplication.removeTranslator(t)


def progress(key: str, **args) -> Progress:
    return Progress(Phase.RUNNING, 2, 9, key, {**ARGS, **args})


def test_every_engine_message_key_has_an_english_sentence(qapp):
    assert set(TEXTS) == set(MESSAGE_KEYS)
    for key in MESSAGE_KEYS:
        text = progress_text(progress(key))
        assert text and not CJK.search(text.replace("我的鞋", "").replace("红色高跟鞋", "")), key
        assert re.search(r"[A-Za-z]{3,}", text) and key not in text, key


def test_every_engine_message_key_has_a_chinese_sentence(chinese):
    for key in MESSAGE_KEYS:
        for args in ({}, {"resumable": False, "description": ""}):  # both forms of the keys with two sentences
            text = progress_text(progress(key, **args))
            assert text and not english(text), (key, text)


class EveryFinetuneKey:
    """A fine-tuning runner that reports every "finetune.*" key once, then saves."""

    def estimate_seconds(self, preset):
        return 600.0

    def run(self, request, photos, control):
        keys = [k for k in MESSAGE_KEYS if k.startswith("finetune.") and k != "finetune.finished"]
        for i, key in enumerate(keys, 1):
            yield Progress(Phase.RUNNING, i, len(keys), key, dict(ARGS), eta_s=120.0)
        yield Progress(Phase.FINISHED, len(keys), len(keys), "finetune.finished", {"name": request.name})


def _shop_photo(path):
    a = np.full((48, 48, 3), 230, np.uint8)
    a[12:36, 12:36] = np.random.default_rng(0).integers(0, 255, (24, 24, 3), dtype=np.uint8)
    Image.fromarray(a).save(path)
    return path


def test_finetuning_in_chinese_shows_no_english_progress(chinese, qtbot, tmp_path):
    from app.ui.training_panel import TrainingPanel

    panel = TrainingPanel(AppPaths.default(home=tmp_path / "home", bundled=tmp_path / "b"), runner=EveryFinetuneKey())
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.import_finished, timeout=TIMEOUT):
        panel.add_paths([str(_shop_photo(tmp_path / "shoe.png"))])
    panel.name_edit.setText("我的鞋")
    shown = []
    panel.progress_changed.connect(lambda p: shown.append((p.message_key, panel.status_label.text(),
                                                           panel.eta_label.text())))
    with qtbot.waitSignal(panel.model_created, timeout=TIMEOUT):
        panel.start()
    shown.append(("end", panel.status_label.text(), panel.eta_label.text()))
    assert {k for k, *_ in shown} >= {k for k in MESSAGE_KEYS if k.startswith("finetune.")}
    assert [s for s in shown if english(s[1]) or english(s[2])] == []
    panel.shutdown()


def test_export_in_chinese_shows_no_english_progress(chinese, qtbot, tmp_path):
    from app.ui.export_dialog import ExportDialog

    px = np.full((64, 64, 3), 250, np.uint8)
    px[16:48, 16:48] = (20, 30, 120)
    req = GenerateRequest("红色高跟鞋", seed=1, model_id="tiny")
    d = ExportDialog([GeneratedImage(px, req.single(i), i) for i in range(3)], config_dir=tmp_path / "config")
    qtbot.addWidget(d)
    (tmp_path / "out").mkdir()
    d.folder.setCurrentText(str(tmp_path / "out"))
    d.preset.setCurrentIndex(d.preset.findData("custom"))
    d.size.setValue(96)
    shown = []
    d.export_button.click()
    d._job.progress.connect(lambda p: shown.append(d.status.text()))
    with qtbot.waitSignal(d.exported, timeout=TIMEOUT):
        pass
    shown.append(d.status.text())
    assert len(shown) >= 3 and [t for t in shown if english(t)] == []
    d.close()


def test_any_job_on_the_worker_reports_in_chinese(chinese, qtbot):
    """Base training, upscaler training, inversion and generation keys through a JobWorker, shown as the UI would."""

    def job(_context, _control):
        for key in MESSAGE_KEYS:
            yield progress(key)
        return "done"

    worker = JobWorker(idle_exit=True)
    label, shown = QLabel(), []
    h = worker.submit(job, "every-key")
    h.progress.connect(lambda p: (label.setText(progress_text(p)), shown.append((p.message_key, label.text()))))
    with qtbot.waitSignal(h.finished, timeout=TIMEOUT):
        pass
    worker.stop()
    assert [k for k, _ in shown] == list(MESSAGE_KEYS)
    assert [(k, t) for k, t in shown if not t or english(t)] == []


def test_start_from_photo_in_chinese_shows_no_english_progress(qtbot, tmp_path):
    from app.main import build_app
    from tests.fakes import FakeEngine
    from tests.test_ui_integration import FakeInversionRunner

    engine = FakeEngine()
    paths = AppPaths.default(home=tmp_path / "home", bundled=tmp_path / "no-bundled")
    app = build_app(paths, engine_factory=lambda: engine, language="zh", theme="light",
                    inversion_runner=FakeInversionRunner())
    try:
        app.window.show()
        qtbot.waitUntil(lambda: app.state.models.loaded is not None, timeout=TIMEOUT)
        photo = tmp_path / "p.png"
        Image.fromarray(np.full((40, 40, 3), 200, np.uint8)).save(photo)
        shown = []
        app.state.generation.photo_progress.connect(lambda p: shown.append(app.window.busy_label.text()))
        with qtbot.waitSignal(app.state.generation.photo_finished, timeout=TIMEOUT):
            app.window.start_from_photo(photo)
        assert any("第" in t for t in shown) and [t for t in shown if english(t)] == []
    finally:
        app.window.close()
        from app.engine.messages import set_language

        set_language(None)
