"""The training panel drives a (fake) runner on a worker thread: drop → list → start → progress → model_created."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from app.paths import AppPaths
from app.requests import Progress
from app.ui.training_panel import TrainingPanel


class FakeRunner:
    def __init__(self):
        self.requests, self.photos = [], []

    def estimate(self, preset):
        return {"quick": "Quick (≈3 min): ≈90 steps", "standard": "Standard (≈10 min)", "thorough": "Thorough (≈30 min)"}[preset]

    def run(self, request, photos, control):
        self.requests.append(request)
        self.photos.append(photos)
        for i in range(1, 4):
            if control.cancel_event.is_set():
                yield Progress(i, 3, "cancelled")
                return
            yield Progress(i, 3, f"step {i}", eta_s=3 - i, preview=np.zeros((10, 20, 3), np.uint8))
        yield Progress(3, 3, "finished: saved")


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
    assert "≈90 steps" in panel.preset_box.itemText(0)
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
    assert [p.step for p in seen][:3] == [1, 2, 3] and panel.progress_bar.value() == 3
    assert panel.preview_label.pixmap() is not None and not panel.preview_label.pixmap().isNull()
    assert panel.start_button.isEnabled() and not panel.cancel_button.isEnabled()


class BlockingRunner(FakeRunner):
    """Yields one step, then waits (on the worker thread) until cancelled."""

    def run(self, request, photos, control):
        yield Progress(1, 10, "step 1")
        control.cancel_event.wait(10)
        yield Progress(1, 10, "cancelled; no model was written")


def test_cancel_does_not_create_a_model(qtbot, tmp_path):
    paths = AppPaths.default(home=tmp_path / "home", bundled=tmp_path / "bundled")
    panel = TrainingPanel(paths, runner=BlockingRunner())
    qtbot.addWidget(panel)
    Image.fromarray(np.full((40, 40, 3), 7, np.uint8)).save(tmp_path / "a.png")
    with qtbot.waitSignal(panel.import_finished, timeout=10_000):
        panel.add_paths([str(tmp_path / "a.png")])
    panel.name_edit.setText("x")
    created = []
    panel.model_created.connect(created.append)
    with qtbot.waitSignal(panel.progress_changed, timeout=10_000):
        panel.start()
    assert panel.cancel_button.isEnabled() and not panel.start_button.isEnabled()
    panel.toggle_pause()
    assert panel.control.paused and panel.pause_button.text() == "Resume"
    panel.toggle_pause()
    with qtbot.waitSignal(panel.progress_changed, timeout=10_000):
        panel.cancel()
    qtbot.waitUntil(lambda: panel.start_button.isEnabled(), timeout=10_000)
    assert created == [] and "cancelled" in panel.status_label.text()
    panel.shutdown()
