"""Main window integration with fakes: reopen dropped Vitrine files, teach a shop model, start from a photo."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from app.main import build_app
from app.latent_code import decode_latent, encode_latent
from app.metadata import encode_image
from app.paths import AppPaths
from app.photo_start import PhotoOutcome
from app.engine.jobs import Phase, Progress
from app.requests import GenerateRequest
from tests.fakes import FakeEngine

TIMEOUT = 10_000


class FakeTrainingRunner:
    """Finishes at once and "publishes" the model by adding it to the fake engine's list."""

    def __init__(self, engine: FakeEngine):
        self.engine = engine

    def estimate_seconds(self, preset):
        return None

    def run(self, request, photos, control):
        for i in range(1, 3):
            yield Progress(Phase.RUNNING, i, 2, "finetune.step", {"step": i, "total": 2})
        self.engine.model_ids.append("my-shop-shoes")
        yield Progress(Phase.FINISHED, 2, 2, "finetune.finished", {"name": request.name})

    def model_name(self, request):
        return "my-shop-shoes"


class FakeInversionRunner:
    """A job: yields a few steps (waiting for a stop between them when `hold` is set) and returns flat pictures."""

    def __init__(self, hold: bool = False):
        self.hold = hold
        self.requests = []

    def __call__(self, engine, request, folder, control):
        self.requests.append(request)
        photo = np.full((16, 16, 3), 200, np.uint8)
        yield Progress(Phase.PREPARING, 0, 5, "invert.prepared", preview=photo)
        for step in range(1, 4):
            if self.hold:
                while not control.should_stop():
                    import threading

                    threading.Event().wait(0.01)
            if control.should_stop():
                return PhotoOutcome(photo, photo, [], "Red Heels for Women", "fake", "fakehash0001", cancelled=True)
            yield Progress(Phase.RUNNING, step + 1, 5, "invert.step", {"step": step, "steps": 3})
        variations = [np.full((16, 16, 3), 10 * k, np.uint8) for k in range(1, 3)]
        latents = [encode_latent(np.full(8, k, np.float32), np.zeros(4, np.float32)) for k in range(3)]
        return PhotoOutcome(photo, np.full((16, 16, 3), 190, np.uint8), variations, "Red Heels for Women", "fake",
                            "fakehash0001", latents=latents)


@pytest.fixture
def make_app(tmp_path, qtbot):
    built = []

    def make(engine=None, inversion_runner=None):
        engine = engine or FakeEngine()
        paths = AppPaths.default(home=tmp_path / "home", bundled=tmp_path / "no-bundled")
        app = build_app(paths, engine_factory=lambda: engine, language="en", theme="light",
                        training_runner=FakeTrainingRunner(engine), inversion_runner=inversion_runner)
        app.window.show()
        built.append(app)
        qtbot.waitUntil(lambda: app.state.models.loaded is not None, timeout=TIMEOUT)
        return app, engine

    yield make
    for app in built:
        app.window.close()
        assert not app.worker.isRunning()


def drop(window, files) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(f)) for f in files])
    window.dropEvent(QDropEvent(QPointF(5, 5), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton,
                                Qt.KeyboardModifier.NoModifier))


REQ = GenerateRequest(description="red leather heels", seed=41, start=2, model_id="fake", model_hash="fakehash0001",
                      size=64, truncation=0.7)


@pytest.mark.parametrize("fmt", ["png", "jpeg", "webp", "json"])
def test_drop_exported_file_regenerates_its_request(make_app, qtbot, tmp_path, fmt):
    app, engine = make_app()
    if fmt == "json":
        path = tmp_path / "listing-1.png.json"
        path.write_text(json.dumps({"request": REQ.to_dict()}), encoding="utf-8")
    else:
        path = tmp_path / f"listing-1.{fmt}"
        path.write_bytes(encode_image(np.zeros((16, 16, 3), np.uint8), REQ, fmt))
    drop(app.window, [path])
    qtbot.waitUntil(lambda: app.window.gallery.count() == 1 and not app.state.generation.busy, timeout=TIMEOUT)
    assert engine.requests() == [REQ]
    assert [i.request for i in app.state.gallery.items()] == [REQ]


def test_reopen_with_missing_model_names_it(make_app, qtbot, tmp_path):
    app, engine = make_app()
    path = tmp_path / "old.png"
    path.write_bytes(encode_image(np.zeros((16, 16, 3), np.uint8), GenerateRequest("a bag", model_id="gone-model"),
                                  "png"))
    app.window.open_paths([path])
    assert "gone-model" in app.window.last_error and app.window.banner.isVisible()
    assert engine.requests() == []


def test_model_created_refreshes_the_picker(make_app, qtbot, tmp_path):
    app, engine = make_app()
    app.window.teach_action.trigger()
    panel = app.window.training_panel
    assert panel is not None and app.window.training_dock.isVisible()
    shoe = np.full((40, 40, 3), 120, np.uint8)
    shoe[10:30, 10:30] = 30  # a product on a backdrop (a blank photo is refused)
    Image.fromarray(shoe).save(tmp_path / "shoe.png")
    with qtbot.waitSignal(panel.import_finished, timeout=TIMEOUT):
        panel.add_paths([str(tmp_path / "shoe.png")])
    panel.name_edit.setText("My shop shoes")
    with qtbot.waitSignal(panel.model_created, timeout=TIMEOUT):
        panel.start_button.click()
    picker = app.window.controls.model
    qtbot.waitUntil(lambda: picker.findData("my-shop-shoes") >= 0, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: app.state.models.loaded.model_id == "my-shop-shoes", timeout=TIMEOUT)
    assert picker.currentData() == "my-shop-shoes"


def test_dropping_a_folder_offers_the_training_panel(make_app, qtbot, tmp_path):
    app, _ = make_app()
    folder = tmp_path / "shop"
    folder.mkdir()
    for i in range(2):
        bag = np.full((40, 40, 3), 60 * i, np.uint8)
        bag[10:30, 10:30] = 250  # a product on a backdrop (a blank photo is refused)
        Image.fromarray(bag).save(folder / f"bag-{i}.png")
    drop(app.window, [folder])
    panel = app.window.training_panel
    assert panel is not None
    qtbot.waitUntil(lambda: panel.photo_list.count() == 2, timeout=TIMEOUT)


def test_start_from_photo_shows_progress_then_pictures(make_app, qtbot, tmp_path):
    runner = FakeInversionRunner()
    app, _ = make_app(inversion_runner=runner)
    photo = tmp_path / "my-heels.jpg"
    Image.fromarray(np.full((40, 40, 3), 200, np.uint8)).save(photo)
    seen = []
    app.state.generation.photo_progress.connect(seen.append)
    with qtbot.waitSignal(app.state.generation.photo_finished, timeout=TIMEOUT) as done:
        drop(app.window, [photo])  # a photo without a Vitrine request starts from the photo
    assert [p.done for p in seen] == [0, 2, 3, 4] and runner.requests[0].photo == str(photo)
    result = done.args[0]
    assert not result.cancelled and len(result.items) == 4
    qtbot.waitUntil(lambda: app.window.gallery.count() == 4 and not app.state.generation.busy, timeout=TIMEOUT)
    # Photo first, then the reconstruction, then the variations; the reconstruction is selected.
    kinds = [i.origin["kind"] for i in app.state.gallery.items()]
    assert kinds == ["photo", "inversion", "inversion", "inversion"]
    assert app.window.editor.edit.toPlainText() == "Red Heels for Women"
    assert app.state.selection.ids == [result.items[1].id]
    # The merchant's own photo is shown as it is; the pictures found from it carry their latent.
    photo_item, found = app.state.gallery.items()[0], app.state.gallery.items()[1:]
    assert not photo_item.remakeable and all(i.remakeable for i in found)
    assert [decode_latent(i.request.latent)[0][0] for i in found] == [0, 1, 2]
    # The gallery index keeps where they came from, so they survive a restart.
    index = json.loads((app.paths.gallery / "index.json").read_text(encoding="utf-8"))
    assert index["items"][1]["origin"]["name"] == "reconstruction"


def test_pictures_found_from_a_photo_take_sliders_variations_and_a_new_description(make_app, qtbot, tmp_path):
    app, engine = make_app(inversion_runner=FakeInversionRunner())
    photo = tmp_path / "my-heels.jpg"
    Image.fromarray(np.full((40, 40, 3), 200, np.uint8)).save(photo)
    with qtbot.waitSignal(app.state.generation.photo_finished, timeout=TIMEOUT):
        app.window.start_from_photo(photo)
    qtbot.waitUntil(lambda: app.window.gallery.count() == 4 and not app.state.generation.busy, timeout=TIMEOUT)
    found = app.state.gallery.items()[1]
    assert app.state.selection.ids == [found.id]
    preview = app.window.preview
    assert preview.variations.isEnabled() and not preview.repaint_button.isEnabled()  # same description
    # A slider moves the found picture (its latent goes to the engine with the offset).
    with qtbot.waitSignal(app.state.live.image_changed, timeout=TIMEOUT, check_params_cb=lambda im: im is not None):
        app.state.live.set_offset("brightness", 1.5)
    live = engine.requests()[-1]
    assert live.latent == found.request.latent and live.offsets == (("brightness", 1.5),)
    # Variations: neighbours of the found picture.
    app.window.controls.count.setValue(2)
    preview.variations.click()
    qtbot.waitUntil(lambda: app.window.gallery.count() == 6 and not app.state.generation.busy, timeout=TIMEOUT)
    varied = engine.requests()[-1]
    assert varied.latent == found.request.latent and varied.variation > 0 and varied.count == 2
    # Another description ("the same, in black") repaints it.
    app.state.selection.select([found.id])
    app.window.editor.edit.setPlainText("black heels for women")
    qtbot.waitUntil(preview.repaint_button.isEnabled, timeout=TIMEOUT)
    preview.repaint_button.click()
    qtbot.waitUntil(lambda: app.window.gallery.count() == 7 and not app.state.generation.busy, timeout=TIMEOUT)
    repainted = engine.requests()[-1]
    assert repainted.latent == found.request.latent and repainted.description == "black heels for women"
    assert app.state.gallery.items()[-1].remakeable
    # The merchant's own photo is not something to vary.
    app.state.selection.select([app.state.gallery.items()[0].id])
    assert not preview.variations.isEnabled() and not preview.repaint_button.isEnabled()


def test_start_from_photo_cancel(make_app, qtbot, tmp_path):
    app, _ = make_app(inversion_runner=FakeInversionRunner(hold=True))
    photo = tmp_path / "p.png"
    Image.fromarray(np.full((40, 40, 3), 200, np.uint8)).save(photo)
    with qtbot.waitSignal(app.state.generation.photo_progress, timeout=TIMEOUT):
        app.window.start_from_photo(photo)
    assert app.window.controls.cancel.isEnabled()
    with qtbot.waitSignal(app.state.generation.photo_finished, timeout=TIMEOUT) as done:
        app.window.controls.cancel.click()
    assert done.args[0].cancelled and app.state.gallery.items() == []
    qtbot.waitUntil(lambda: not app.state.generation.busy, timeout=TIMEOUT)


def test_export_dialog_and_training_panel_strings_are_translated(qapp):
    import importlib.util
    from pathlib import Path

    from PySide6.QtCore import QCoreApplication

    from app.i18n import I18N_DIR, TsTranslator

    spec = importlib.util.spec_from_file_location("upd", Path(__file__).parent.parent / "scripts" / "update_translations.py")
    upd = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(upd)
    strings, translated = upd.class_strings(), upd.read_ts_all()
    assert {ctx for ctx, _ in strings} == {"ExportDialog", "TrainingPanel"}
    assert not [k for k in strings if k not in translated]
    t = TsTranslator(I18N_DIR / "vitrine_zh_CN.ts")
    QCoreApplication.installTranslator(t)
    try:
        assert QCoreApplication.translate("TrainingPanel", "Stop and keep best") == "停止并保留最佳结果"
        assert QCoreApplication.translate("ExportDialog", "Export pictures") == "导出图片"
    finally:
        QCoreApplication.removeTranslator(t)
