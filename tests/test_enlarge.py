"""Sharp/Faithful enlarging (#17): tampered upscalers refused, the choice travels in the metadata and regenerates
pictures and exports exactly, listing sizes stay Lanczos above 256, and the merchant's own photo keeps its pixels."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from app.engine import upscale as U
from app.engine.checkpoints import ModelError
from app.engine.generate import Engine, GenerationError
from app.engine.registry import Registry
from app.engine.text import TextConditioner
from app.engine.upscale_consistency import SHARP_STEP, save_anchored
from app.engine.upscalers import FOLDERS, load_style
from app.export import ExportRequest, checked_settings, export_images, remake_exported
from app.metadata import read_export, read_request
from app.output import write_png_with_sidecar
from app.reopen import regenerate
from app.requests import GenerateRequest

from conftest import fake_embedder, make_tiny_model

TINY = {"channels": 8, "blocks": 1, "up_channels": 4}
DESC = "navy blue cotton shirt for men"


def tiny_upscaler_folder(bundled: Path, style: str, seed: int) -> Path:
    """A tiny upscaler of `style` in its bundled folder, with its own non-zero residual (styles paint differently).

    The Sharp one is shaped like the shipped folder: its network, an anchor network and the consistency step."""
    torch.manual_seed(seed)
    net = U.Upscaler(U.UpscalerConfig.from_dict(TINY))
    with torch.no_grad():
        for p in net.parameters():
            p.add_(torch.randn_like(p) * 0.05)
    if style == "sharp":
        anchor = U.Upscaler(net.cfg)  # starts as exact bicubic: a stand-in for Faithful
        return save_anchored(bundled / FOLDERS[style], net, anchor, SHARP_STEP, {"style": style}, card="# t\n")
    return U.save_upscaler(bundled / FOLDERS[style], net, {}, card="# t\n")  # the shipped faithful has no "style"


def make_engine(tmp_path: Path, styles=("sharp", "faithful")) -> Engine:
    bundled = tmp_path / "bundled"
    if not (bundled / "tiny").exists():
        make_tiny_model(bundled / "tiny")
    for i, style in enumerate(styles):
        if not (bundled / FOLDERS[style]).exists():
            tiny_upscaler_folder(bundled, style, seed=i + 1)
    return Engine(Registry(bundled, tmp_path / "user"), device="cpu", text=TextConditioner(embedder=fake_embedder),
                  upscaler_factory=lambda device, style: load_style(bundled, style, device))


@pytest.fixture(autouse=True)
def _one_thread():
    n = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(n)


# ---- the upscaler models ------------------------------------------------------------------------------
@pytest.mark.parametrize("style", ["sharp", "faithful"])
def test_tampered_upscaler_is_refused(tmp_path, style):
    bundled = tmp_path / "bundled"
    folder = tiny_upscaler_folder(bundled, style, seed=3)
    assert load_style(bundled, style) is not None
    weights = folder / "upscaler.safetensors"
    data = bytearray(weights.read_bytes())
    data[-1] ^= 0x01  # one bit of one weight: same size, still a readable file
    weights.write_bytes(bytes(data))
    with pytest.raises(ModelError, match="does not match its hash"):
        load_style(bundled, style)
    # The engine says so instead of enlarging with anything else.
    engine = make_engine(tmp_path)
    with pytest.raises(ModelError, match="does not match its hash"):
        engine.generate(GenerateRequest(DESC, size=256, enlarge=style))


def test_a_folder_holding_the_other_style_is_refused(tmp_path):
    tiny_upscaler_folder(tmp_path, "faithful", seed=1)
    (tmp_path / FOLDERS["faithful"]).rename(tmp_path / FOLDERS["sharp"])  # faithful weights copied in as "sharp"
    with pytest.raises(ModelError, match="holds the faithful upscaler"):
        load_style(tmp_path, "sharp")
    assert load_style(tmp_path, "faithful") is None  # not installed: None, not an error


# ---- the request --------------------------------------------------------------------------------------
def test_request_field_defaults_and_validation():
    assert GenerateRequest(DESC).enlarge == "sharp"  # new pictures: Sharp
    old = GenerateRequest(DESC).to_dict()
    del old["enlarge"]
    assert GenerateRequest.from_dict(old).enlarge == "faithful"  # made before the choice existed: Faithful
    assert GenerateRequest.from_dict({**old, "enlarge": "sharp"}).enlarge == "sharp"
    with pytest.raises(ValueError):
        GenerateRequest.from_dict({**old, "enlarge": "crisp"})


def test_each_style_regenerates_identically_from_the_file(tmp_path):
    engine = make_engine(tmp_path)
    pictures = {}
    for style in ("sharp", "faithful"):
        made = engine.generate(GenerateRequest(DESC, seed=4, size=256, enlarge=style))[0]
        assert made.request.enlarge == style and made.pixels.shape == (256, 256, 3)
        path = write_png_with_sidecar(tmp_path / f"{style}.png", made.pixels, made.request)
        assert read_request(path).enlarge == style
        again = regenerate(path, make_engine(tmp_path))  # a fresh engine, as after a restart
        assert np.array_equal(again.pixels, made.pixels)
        pictures[style] = made.pixels
    assert not np.array_equal(pictures["sharp"], pictures["faithful"])  # the choice really changes the picture


def test_an_old_request_without_the_field_regenerates_with_faithful(tmp_path):
    engine = make_engine(tmp_path)
    faithful = engine.generate(GenerateRequest(DESC, seed=2, size=256, enlarge="faithful"))[0]
    old = faithful.request.to_dict()
    del old["enlarge"]  # as written by Vitrine before Sharp existed
    again = regenerate(GenerateRequest.from_dict(old), engine)
    assert again.request.enlarge == "faithful" and np.array_equal(again.pixels, faithful.pixels)


def test_sharp_missing_remake_refused_new_request_falls_back_visibly(tmp_path):
    made = make_engine(tmp_path).generate(GenerateRequest(DESC, seed=1, size=256, enlarge="sharp"))[0]
    engine = make_engine(tmp_path / "other", styles=("faithful",))
    with pytest.raises(GenerationError, match="Sharp upscaler is not installed"):
        engine.generate(made.request)  # never remade with the other upscaler
    new = engine.generate(GenerateRequest(DESC, seed=1, size=256))[0]
    assert new.request.enlarge == "faithful" and "Faithful" in engine.last_note
    assert np.array_equal(engine.generate(new.request)[0].pixels, new.pixels)  # and it says what made it
    engine.generate(GenerateRequest(DESC, seed=1, size=64))  # at the model's size nothing is enlarged
    assert engine.last_note == ""


# ---- export --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("style", ["sharp", "faithful"])
def test_export_records_its_upscaler_and_regenerates_exactly(tmp_path, style):
    engine = make_engine(tmp_path)
    picture = engine.generate(GenerateRequest(DESC, seed=6))[0]  # 64 px: the export enlarges it
    out = tmp_path / "out"
    out.mkdir()
    export = ExportRequest(folder=str(out), format="png", preset="custom", size=300, enlarge=style)
    path = export_images([picture], export, engine=engine).files[0]
    settings = read_export(path)
    assert settings["upscaler"] is True and settings["enlarge"] == style
    again = regenerate(read_request(path), make_engine(tmp_path))
    assert remake_exported(again.pixels, again.request, settings, make_engine(tmp_path)) == path.read_bytes()
    other = replace(export, enlarge="faithful" if style == "sharp" else "sharp")
    path2 = export_images([picture], other, engine=engine).files[0]
    assert path2.read_bytes() != path.read_bytes()


def test_export_settings_from_before_sharp_read_as_faithful():
    old = {"version": 1, "preset": "custom", "size": 300, "fill": None, "white": False, "format": "png",
           "quality": 92, "upscaler": True}
    assert checked_settings(old)["enlarge"] == "faithful"
    assert checked_settings({**old, "upscaler": False})["enlarge"] == ""


class CountingUpscaler:
    def __init__(self):
        self.inputs = []

    def upscaler(self, style="faithful"):
        def up(x):
            self.inputs.append(x.shape[1])
            return np.repeat(np.repeat(x, 4, axis=1), 4, axis=2)
        return up


@pytest.mark.parametrize("size", [800, 1600, 2048])
def test_listing_sizes_are_lanczos_from_256(tmp_path, size):
    from app.export_frame import compose

    counting = CountingUpscaler()
    big = np.random.default_rng(0).integers(0, 255, (256, 256, 3), dtype=np.uint8)
    assert compose(big, size, engine=counting).shape == (size, size, 3)
    assert counting.inputs == []  # a 256 px picture is never sent through the 4x model again
    small = big[::4, ::4].copy()
    compose(small, size, engine=counting)
    assert counting.inputs == [64]  # a 64 px picture once (64 → 256), Lanczos after


def test_generation_above_256_is_one_upscale_then_lanczos(tmp_path):
    from app.engine.generate import resize

    engine = make_engine(tmp_path)
    at256 = engine.generate(GenerateRequest(DESC, seed=9, size=256))[0].pixels
    at800 = engine.generate(GenerateRequest(DESC, seed=9, size=800))[0].pixels
    assert np.array_equal(at800, resize(at256[None], 800)[0])


# ---- the merchant's own photo ---------------------------------------------------------------------------
def _photo_outcome(photo64):
    from app.latent_code import encode_latent
    from app.photo_start import PhotoOutcome

    latents = [encode_latent(np.full(8, k, np.float32), np.zeros(4, np.float32)) for k in range(2)]
    return PhotoOutcome(photo64, np.full((64, 64, 3), 190, np.uint8), [np.full((64, 64, 3), 20, np.uint8)],
                        "red heels for women", "fake", "fakehash0001", latents=latents)


def test_own_photo_is_kept_and_exported_at_full_resolution(tmp_path):
    from app.gallery_store import GalleryStore
    from app.engine.jobs import run_job
    from app.photo_start import photo_job

    rng = np.random.default_rng(1)
    pixels = rng.integers(0, 255, (800, 600, 3), dtype=np.uint8)  # 600 wide, 800 tall
    path = tmp_path / "my-heels.png"
    Image.fromarray(pixels).save(path)
    store = GalleryStore(tmp_path / "gallery")
    def runner(engine, request, folder, control):  # a job with no steps
        return _photo_outcome(pixels[::12, ::9][:64, :64])
        yield

    result = run_job(photo_job(path, store.add, tmp_path / "inv", runner=runner)(None, None))
    photo_item = result.items[0]
    assert photo_item.origin["kind"] == "photo" and not photo_item.remakeable
    with Image.open(store.path(photo_item)) as im:
        kept = np.asarray(im.convert("RGB"))
    assert np.array_equal(kept, pixels)  # every pixel of the merchant's photo, at its own size
    from app.ui.gallery_actions import ExportPicture

    out = tmp_path / "out"
    out.mkdir()
    item = ExportPicture(kept, photo_item.request, remakeable=False)
    file = export_images([item], ExportRequest(folder=str(out), format="png", preset="custom", size=800,
                                               sidecar=False), engine=CountingUpscaler()).files[0]
    with Image.open(file) as im:
        exported = np.asarray(im.convert("RGB"))
    assert exported.shape == (800, 800, 3)
    assert np.array_equal(exported[:, 100:700], pixels)  # no resize asked: pixel-equal, padded to a square
    assert (exported[:, :100] == 255).all() and (exported[:, 700:] == 255).all()


def test_own_photo_is_upright_and_capped(tmp_path):
    from app.photo_start import own_photo

    img = Image.fromarray(np.random.default_rng(2).integers(0, 255, (30, 60, 3), dtype=np.uint8))
    exif = img.getexif()
    exif[0x0112] = 6  # "rotate 90° clockwise to view"
    img.save(tmp_path / "side.jpg", exif=exif, quality=95)
    assert own_photo(tmp_path / "side.jpg").shape == (60, 30, 3)  # EXIF-oriented
    Image.new("RGBA", (3000, 1000), (255, 0, 0, 255)).save(tmp_path / "wide.png")
    capped = own_photo(tmp_path / "wide.png")
    assert capped.shape == (683, 2048, 3) and capped.dtype == np.uint8
    fallback = np.zeros((64, 64, 3), np.uint8)
    assert own_photo(tmp_path / "gone.png", fallback) is fallback


# ---- command line and controls -------------------------------------------------------------------------
def test_cli_upscale_style(tmp_path, monkeypatch, capsys):
    from app.cli import main as cli_main

    bundled = tmp_path / "bundled"
    tiny_upscaler_folder(bundled, "faithful", seed=1)
    monkeypatch.setenv("VITRINE_BUNDLED_MODELS", str(bundled))
    Image.fromarray(np.random.default_rng(3).integers(0, 255, (64, 64, 3), dtype=np.uint8)).save(tmp_path / "a.png")
    assert cli_main(["upscale", str(tmp_path / "a.png"), "--out", str(tmp_path / "f"), "--style", "faithful",
                     "--size", "256"]) == 0
    assert cli_main(["upscale", str(tmp_path / "a.png"), "--out", str(tmp_path / "s"), "--size", "256"]) == 2
    assert "--style sharp" in capsys.readouterr().err  # the default is Sharp, and its absence is said
    tiny_upscaler_folder(bundled, "sharp", seed=2)
    assert cli_main(["upscale", str(tmp_path / "a.png"), "--out", str(tmp_path / "s"), "--size", "256"]) == 0
    with Image.open(tmp_path / "s" / "a.png") as s, Image.open(tmp_path / "f" / "a.png") as f:
        assert s.size == (256, 256) and not np.array_equal(np.asarray(s), np.asarray(f))


def test_controls_choice_goes_into_new_requests_and_settings(qtbot, tmp_path):
    from app.main import build_app
    from app.paths import AppPaths
    from fakes import FakeEngine

    paths = AppPaths.default(home=tmp_path / "home", bundled=tmp_path / "no-bundled")
    # English (a Chinese app here would leave its translator installed for the tests after this one); the
    # Chinese labels are checked by test_ui_settings_store's every-string-translated test.
    app = build_app(paths, engine_factory=FakeEngine, language="en", theme="light")
    try:
        combo = app.window.controls.enlarge
        assert [combo.itemText(i) for i in range(combo.count())] == ["Sharp", "Faithful"]
        assert app.state.generation.build_request("red heels").enlarge == "sharp"  # the default
        combo.setCurrentIndex(combo.findData("faithful"))
        assert app.state.generation.build_request("red heels").enlarge == "faithful"
        app.state.settings.save()
        assert app.settings.enlarge == "faithful"
    finally:
        from app.engine.messages import set_language

        app.window.close()
        set_language(None)  # build_app fixed the engine's language; later tests follow $VITRINE_LANG again
