"""The training panel drives a (fake) runner on a worker thread: drop → list → start → progress → model_created."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from app.paths import AppPaths
from app.engine.jobs import Phase, Progress
from app.ui.progress_text import progress_text
from app.ui.training_panel import TrainingPanel


class FakeRunner:
    """Three steps with typed keys; its English messages say something else, so a panel that shows them fails."""

    def __init__(self):
        self.requests, self.photos = [], []

    def estimate_seconds(self, preset):
        return {"quick": 230.0, "standard": None, "thorough": 1790.0}[preset]

    def run(self, request, photos, control):
        self.requests.append(request)
        self.photos.append(photos)
        yield Progress(Phase.PREPARING, 0, 3, "finetune.preparing")
        for i in range(1, 4):
            if control.cancel_event.is_set():
                yield Progress(Phase.CANCELLED, i, 3, "finetune.cancelled", {"resumable": True, "step": i})
                return
            yield Progress(Phase.RUNNING, i, 3, "finetune.step", {"step": i, "total": 3}, eta_s=(3 - i) * 70.0,
                           preview=np.zeros((10, 20, 3), np.uint8))
        yield Progress(Phase.FINISHED, 3, 3, "finetune.finished", {"name": request.name})


@pytest.fixture
def panel(qtbot, tmp_path):
    paths = AppPaths.default(home=tmp_path / "home", bundled=tmp_path / "bundled")
    w = TrainingPanel(paths, runner=FakeRunner())
    qtbot.addWidget(w)
    yield w
    w.shutdown()


def _drop(panel, files):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(f)) for f in files])
    ev = QDropEvent(QPointF(5, 5), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    panel.dropEvent(ev)


def test_drop_start_progress_finish(panel, qtbot, tmp_path):
    folder = tmp_path / "photos"
    folder.mkdir()
    rng = np.random.default_rng(0)
    for i in range(3):
        Image.fromarray(rng.integers(0, 255, (50, 40, 3), dtype=np.uint8)).save(folder / f"red-heels-{i}.png")
    (folder / "readme.jpg").write_text("not a photo")
    with qtbot.waitSignal(panel.import_finished, timeout=10_000):
        _drop(panel, [folder])
    assert panel.photo_list.count() == 3 and panel.reject_list.count() == 1
    assert "not an image" in panel.reject_list.item(0).text()
    assert panel.preset_box.itemText(0) == "Quick: 120 steps, about 4 min on this computer"
    assert panel.preset_box.itemText(1).startswith("Standard: 420 steps (about 10 min on a two-core computer")
    panel.description_edit.setText("red heels")
    panel.set_photo_description(1, "red heels with a bow")
    panel.start()  # no name yet
    assert "name" in panel.status_label.text() and panel.start_button.isEnabled()
    panel.name_edit.setText("My heels")
    seen = []
    panel.progress_changed.connect(seen.append)
    with qtbot.waitSignal(panel.model_created, timeout=10_000) as blocker:
        panel.start()
    assert blocker.args == ["My heels"]
    req = panel.runner.requests[0]
    assert req.name == "My heels" and req.description == "red heels" and req.preset == "standard"
    assert [p.description for p in panel.runner.photos[0]] == ["", "red heels with a bow", ""]
    assert [p.done for p in seen if p.message_key == "finetune.step"] == [1, 2, 3] and panel.progress_bar.value() == 3
    assert panel.preview_label.pixmap() is not None and not panel.preview_label.pixmap().isNull()
    assert panel.start_button.isEnabled() and not panel.cancel_button.isEnabled()
    assert panel.status_label.text() == "Finished: your model “My heels” is saved." and panel.saved_name == "My heels"
    assert not panel.resume_button.isVisibleTo(panel) and "raw" not in panel.status_label.text()


class BlockingRunner(FakeRunner):
    """Yields one step, then waits (on the worker thread) until cancelled."""

    def run(self, request, photos, control):
        self.requests.append(request)
        yield Progress(Phase.RUNNING, 1, 10, "finetune.step", {"step": 1, "total": 10}, eta_s=250.0)
        control.cancel_event.wait(10)
        yield Progress(Phase.CANCELLED, 1, 10, "finetune.cancelled", {"resumable": True, "step": 1, "total": 10})


def test_cancel_does_not_create_a_model(qtbot, tmp_path):
    paths = AppPaths.default(home=tmp_path / "home", bundled=tmp_path / "bundled")
    panel = TrainingPanel(paths, runner=BlockingRunner())
    qtbot.addWidget(panel)
    _product(tmp_path / "a.png")
    with qtbot.waitSignal(panel.import_finished, timeout=10_000):
        panel.add_paths([str(tmp_path / "a.png")])
    panel.name_edit.setText("x")
    created = []
    panel.model_created.connect(created.append)
    with qtbot.waitSignal(panel.progress_changed, timeout=10_000):
        panel.start()
    assert panel.cancel_button.isEnabled() and not panel.start_button.isEnabled()
    assert panel.status_label.text() == "Learning your shop's look: step 1 of 10"  # not stuck on "Loading…"
    assert panel.eta_label.text() == "about 4 min left"  # 250 s measured on this machine
    panel.toggle_pause()
    assert panel.control.paused and panel.pause_button.text() == "Continue"
    panel.toggle_pause()
    with qtbot.waitSignal(panel.progress_changed, timeout=10_000):
        panel.cancel()
    qtbot.waitUntil(lambda: panel.start_button.isEnabled(), timeout=10_000)
    assert created == [] and panel.status_label.text().startswith("Cancelled at step 1 of 10; no model was saved.")
    # The cancelled run can carry on: Resume starts the same run with resume=True.
    assert panel.resume_button.isVisibleTo(panel)
    with qtbot.waitSignal(panel.progress_changed, timeout=10_000):
        panel.resume_button.click()
    assert panel.runner.requests[-1].resume and not panel.runner.requests[0].resume
    assert not panel.resume_button.isVisibleTo(panel)
    with qtbot.waitSignal(panel.progress_changed, timeout=10_000):
        panel.cancel()
    qtbot.waitUntil(lambda: panel.start_button.isEnabled(), timeout=10_000)
    panel.shutdown()


def _product(path, seed=0):
    """A product (noise square) on a plain backdrop."""
    a = np.full((48, 48, 3), 230, np.uint8)
    a[12:36, 12:36] = np.random.default_rng(seed).integers(0, 255, (24, 24, 3), dtype=np.uint8)
    Image.fromarray(a).save(path)
    return path


def test_a_blank_photo_is_refused_with_a_reason(panel, qtbot, tmp_path):
    Image.fromarray(np.full((60, 60, 3), 255, np.uint8)).save(tmp_path / "white.png")
    _product(tmp_path / "bag.png")
    with qtbot.waitSignal(panel.import_finished, timeout=10_000):
        panel.add_paths([str(tmp_path / "white.png"), str(tmp_path / "bag.png")])
    assert panel.photo_list.count() == 1 and panel.reject_list.count() == 1
    assert panel.reject_list.item(0).text() == "white.png — blank or almost one colour: there is no product to learn from"
    assert panel.rejected[0].code == "blank"


def test_status_estimate_and_reasons_in_chinese(qtbot, tmp_path):
    from PySide6.QtCore import QCoreApplication

    from app.data.photo_import import Rejected
    from app.i18n import I18N_DIR, TsTranslator

    t = TsTranslator(I18N_DIR / "vitrine_zh_CN.ts")
    QCoreApplication.installTranslator(t)
    try:
        paths = AppPaths.default(home=tmp_path / "home", bundled=tmp_path / "bundled")
        panel = TrainingPanel(paths, runner=FakeRunner())
        qtbot.addWidget(panel)
        assert panel.preset_box.itemText(0) == "快速：120 步，在这台电脑上大约 4 分钟"
        args = {"step": 2, "total": 9, "resumable": True, "name": "我的鞋", "file": "a.png", "reason": "x",
                "code": "blank"}
        shown = {k: progress_text(Progress(Phase.RUNNING, 2, 9, f"finetune.{k}", args), reason=panel._reason_for)
                 for k in ("step", "preparing", "resumed", "nan_restored", "collapse_restored", "cancelled",
                           "finished", "skipped")}
        assert shown["step"] == "正在学习您店铺的风格：第 2 步，共 9 步" and "我的鞋" in shown["finished"]
        for k, text in shown.items():
            assert text and not any(c.isascii() and c.isalpha() for c in text.replace("a.png", "").replace("Vitrine", "")), (k, text)
        assert progress_text(SimpleNamespace(message_key="no.such.key", args={})) == ""  # never English shown raw
        assert panel._reason_text(Rejected(tmp_path / "w.png", "blank or almost one colour", "blank")).startswith("空白")
        assert panel._eta_text(290) == "大约还剩 5 分钟" and panel.resume_button.text() == "继续训练"
        panel.shutdown()
    finally:
        QCoreApplication.removeTranslator(t)


class _InstantRunner(FakeRunner):
    def model_name(self, request):
        return "my-shop-s-shoes"


def test_the_training_window_leaves_every_main_window_button_its_label(qtbot, tmp_path):
    """At 1280×800 with "Teach my shop's look" open, no button of the main window (or of the panel) is cut."""
    from PySide6.QtWidgets import QAbstractButton

    from app.main import build_app
    from tests.fakes import FakeEngine

    engine = FakeEngine()
    paths = AppPaths.default(home=tmp_path / "home", bundled=tmp_path / "no-bundled")
    app = build_app(paths, engine_factory=lambda: engine, language="en", theme="light", training_runner=_InstantRunner())
    try:
        app.window.resize(1280, 800)
        app.window.show()
        qtbot.waitUntil(lambda: app.state.models.loaded is not None, timeout=10_000)
        panel = app.window.open_training()
        qtbot.waitUntil(lambda: app.window.training_dock.isVisible(), timeout=10_000)
        qtbot.wait(50)
        assert app.window.width() == 1280 and app.window.training_dock.isFloating()

        def cut(root):
            """Buttons narrower than their label, or (partly) outside their window."""
            win = root.window()
            return [b.text() or b.toolTip() for b in root.findChildren(QAbstractButton) if b.isVisibleTo(root)
                    and (b.width() < b.minimumSizeHint().width()
                         or not win.rect().contains(b.rect().translated(b.mapTo(win, b.rect().topLeft()))))]

        # Docked, the panel asked the main window for 1546 px and pushed the dock and buttons past 1280.
        assert app.window.minimumSizeHint().width() <= 1280 and app.window.minimumSizeHint().height() <= 800
        assert cut(app.window.centralWidget()) == [] and cut(app.window.training_dock) == []
        _product(tmp_path / "shoe.png")
        with qtbot.waitSignal(panel.import_finished, timeout=10_000):
            panel.add_paths([str(tmp_path / "shoe.png")])
        panel.name_edit.setText("My shop's shoes")
        with qtbot.waitSignal(panel.model_created, timeout=10_000):
            panel.start_button.click()
        qtbot.waitUntil(lambda: "“My shop's shoes”" in app.window.banner.text(), timeout=10_000)
    finally:
        app.window.close()
