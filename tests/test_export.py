"""Export: names, presets, metadata round trip, regenerate-from-file, and failures that leave nothing behind."""

from __future__ import annotations

import datetime as dt
import errno
import os
from pathlib import Path

import numpy as np
import pytest

import app.export as export_mod
from app.export import (ExportError, ExportRequest, compose, export_images, plan_paths, product_bbox, render_name,
                        safe_name, template_fields)
from app.metadata import encode_image, read_pixels, read_request
from app.reopen import ReopenError, regenerate
from app.requests import GeneratedImage, GenerateRequest

REQ = GenerateRequest("深蓝色男士衬衫 navy blue shirt for men", seed=7, model_id="tiny", model_hash="0123456789ab",
                      offsets=(("brightness", 0.5),), overrides=(("colour", "Navy Blue"),), size=64)
DATE = dt.date(2024, 5, 6)


def product(bg: int = 250) -> np.ndarray:
    px = np.full((64, 64, 3), bg, np.uint8)
    px[20:40, 10:50] = (10, 20, 200)  # a 40 × 20 product on a near-white backdrop
    return px


def items(n: int = 2) -> list[GeneratedImage]:
    return [GeneratedImage(product(), REQ.single(i), i) for i in range(n)]


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*"))


# ---- names -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("hostile", ["../../etc/passwd", "..", "a/b\\c", "CON", "nul.txt", "COM1", "lpt9.tar.gz",
                                     "name. . ", "\x00\x1f\x7fx\u202e", "x" * 300, "😀👍🏽 shirt", "C:\\Windows",
                                     "   ", "a:b*c?d\"e<f>g|h"])
def test_safe_name_is_one_valid_component(hostile):
    name = safe_name(hostile)
    assert name and "/" not in name and "\\" not in name and ".." not in name
    assert not name.endswith((".", " ")) and not name.startswith(".")
    assert not any(ord(ch) < 32 or ord(ch) == 127 or ch == "\u202e" for ch in name)
    assert not set('<>:"|?*') & set(name)
    assert name.split(".")[0].upper() not in {"CON", "PRN", "AUX", "NUL", "COM1", "LPT9"}
    assert len(name.encode("utf-8")) <= export_mod.MAX_NAME_BYTES


def test_chinese_and_emoji_are_kept():
    assert safe_name("深蓝色衬衫") == "深蓝色衬衫"
    assert safe_name("😀 shirt") == "😀 shirt"
    long = safe_name("衬" * 300)
    assert set(long) == {"衬"} and len(long.encode()) <= export_mod.MAX_NAME_BYTES


def test_template_fields_and_rendering():
    er = ExportRequest(folder=".", sku="SKU-1", product_name="Navy shirt", template="x")
    values = template_fields(REQ.single(2), er, 3, DATE)
    assert values["seed"] == 9 and values["colour"] == "Navy Blue" and values["category"]
    name = render_name("{sku}_{name}_{index:03}_{date}_{seed}_{colour}_{category}_{model}", values)
    assert name.startswith("SKU-1_Navy shirt_003_2024-05-06_9_Navy Blue_") and name.endswith("_tiny")


@pytest.mark.parametrize("template", ["{nope}", "{sku.__class__}", "{name[0]}", "{0}", "{", "{name:>300}"])
def test_bad_templates_are_refused(template):
    with pytest.raises(ExportError):
        ExportRequest(folder=".", template=template).validate()


def test_template_cannot_escape_folder(tmp_path):
    for template in ("../{name}", "/etc/{sku}", "{name}/../../x", "..\\..\\x"):
        er = ExportRequest(folder=str(tmp_path), template=template, sku="../../..", product_name="../..")
        paths, _ = plan_paths(items(1), er, DATE)
        assert paths[0].parent == tmp_path


def test_duplicate_and_existing_names_get_suffixes(tmp_path):
    (tmp_path / "same.jpg").write_bytes(b"old")
    er = ExportRequest(folder=str(tmp_path), template="same")
    result = export_images(items(2), er, date=DATE)
    assert [p.name for p in result.files] == ["same-1.jpg", "same-2.jpg"]
    assert (tmp_path / "same.jpg").read_bytes() == b"old"
    paths, conflicts = plan_paths(items(1), er, DATE)
    assert conflicts == [tmp_path / "same.jpg"] and paths[0].name == "same-3.jpg"
    # "ask" policy, merchant said replace: the file is replaced atomically.
    result = export_images(items(1), ExportRequest(folder=str(tmp_path), template="same", overwrite="ask"),
                           replace={tmp_path / "same.jpg"}, date=DATE)
    assert result.files == [tmp_path / "same.jpg"] and read_request(tmp_path / "same.jpg") == REQ.single(0)


# ---- pixels ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("preset,size", [("taobao", 800), ("jd", 800), ("shopify", 2048)])
def test_preset_sizes(preset, size):
    out = compose(product(), size, export_mod.PRESETS[preset].fill, False)
    assert out.shape == (size, size, 3) and out.dtype == np.uint8


def test_amazon_is_1600_pure_white_and_85_percent(tmp_path):
    result = export_images(items(1), ExportRequest(folder=str(tmp_path), preset="amazon", format="png"), date=DATE)
    px = read_pixels(result.files[0])
    assert px.shape == (1600, 1600, 3)
    for y, x in ((0, 0), (0, -1), (-1, 0), (-1, -1), (800, 5), (5, 800)):
        assert (px[y, x] == 255).all()
    left, top, right, bottom = product_bbox(px)
    assert abs(max(right - left, bottom - top) - 0.85 * 1600) <= 3
    assert abs((left + right) / 2 - 800) <= 2 and abs((top + bottom) / 2 - 800) <= 2
    backdrop = np.ones((1600, 1600), bool)
    backdrop[top:bottom, left:right] = False
    assert (px[backdrop] == 255).all()


def test_amazon_without_white_backdrop_frames_whole_picture():
    noisy = np.random.default_rng(0).integers(0, 200, (64, 64, 3), dtype=np.uint8)
    out = compose(noisy, 1600, 0.85, True)
    assert (out[:100, :100] == 255).all()
    left, top, right, bottom = product_bbox(out)
    assert abs((right - left) - 1360) <= 3


def test_custom_size_and_white_background():
    out = compose(product(248), 300, None, True)
    assert out.shape == (300, 300, 3) and (out[0, 0] == 255).all() and (out[150, 150] != 255).any()


def test_engine_upscaler_is_used_then_lanczos():
    calls = []

    class FakeEngine:
        def upscaler(self):
            def up(x):
                calls.append(x.shape)
                return x.repeat(4, axis=1).repeat(4, axis=2)
            return up

    out = export_mod.upscale(product(), 800, FakeEngine())
    # Once 64 → 256; 256 → 800 is Lanczos (#17: the 4x models are never run on a 256 px picture).
    assert out.shape == (800, 800, 3) and calls == [(1, 64, 64, 3)]

    class NoUpscaler:
        def upscaler(self):
            return None

    assert export_mod.upscale(product(), 200, NoUpscaler()).shape == (200, 200, 3)


# ---- metadata --------------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt,ext", [("png", ".png"), ("jpeg", ".jpg"), ("webp", ".webp")])
def test_metadata_round_trip(tmp_path, fmt, ext):
    result = export_images(items(1), ExportRequest(folder=str(tmp_path), format=fmt, preset="custom", size=64,
                                                   template="{name}"), date=DATE)
    path = result.files[0]
    assert path.suffix == ext
    assert read_request(path) == REQ.single(0)
    assert read_request(path.with_suffix(".json")) == REQ.single(0)


def test_jpeg_exif_and_xmp_each_carry_the_request(tmp_path):
    from PIL import Image

    path = tmp_path / "a.jpg"
    path.write_bytes(encode_image(product(), REQ, "jpeg"))
    with Image.open(path) as im:
        assert "vitrine:request" in im.getexif()[0x010E]
        assert b"vitrine:request" in (im.info["xmp"] if isinstance(im.info["xmp"], bytes) else im.info["xmp"].encode())
        assert export_mod.__name__ and export_mod  # keep linters quiet
    from app import metadata

    with Image.open(path) as im:
        assert metadata._from_xmp(im) and metadata._from_exif(im)


def test_no_request_is_a_clear_error(tmp_path):
    from PIL import Image

    Image.new("RGB", (8, 8)).save(tmp_path / "plain.jpg")
    with pytest.raises(ValueError, match="carries no Vitrine request"):
        read_request(tmp_path / "plain.jpg")


# ---- regenerate ------------------------------------------------------------------------------------
def test_regenerate_from_exported_files_gives_identical_pixels(tiny_engine, tmp_path):
    original = tiny_engine.generate(GenerateRequest("navy blue shirt for men", seed=5, count=2))[1]
    result = export_images([original], ExportRequest(folder=str(tmp_path), format="png", preset="custom", size=64),
                           date=DATE)
    assert np.array_equal(read_pixels(result.files[0]), original.pixels)
    for path in (result.files[0], result.sidecars[0]):
        again = regenerate(path, tiny_engine)
        assert again.request == original.request
        assert np.array_equal(again.pixels, original.pixels)
    for fmt in ("jpeg", "webp"):
        r = export_images([original], ExportRequest(folder=str(tmp_path), format=fmt, sidecar=False, preset="custom",
                                                    size=64), date=DATE)
        assert np.array_equal(regenerate(r.files[0], tiny_engine).pixels, original.pixels)


def test_regenerate_names_missing_model(tiny_engine, tmp_path):
    path = tmp_path / "x.png"
    path.write_bytes(encode_image(product(), GenerateRequest("shirt", model_id="summer-2024", model_hash="ff" * 6),
                                  "png"))
    with pytest.raises(ReopenError, match="summer-2024"):
        regenerate(path, tiny_engine)


# ---- failures leave nothing behind -------------------------------------------------------------------
def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(ExportError, match="does not exist"):
        export_images(items(), ExportRequest(folder=str(tmp_path / "nope")))
    assert not (tmp_path / "nope").exists()


def test_read_only_folder_writes_nothing(tmp_path, monkeypatch):
    folder = tmp_path / "ro"
    folder.mkdir()
    if os.geteuid() == 0:  # root ignores permissions: simulate them
        real_access = os.access
        monkeypatch.setattr(export_mod.os, "access",
                            lambda p, mode, **kw: False if Path(p) == folder else real_access(p, mode, **kw))
    else:
        folder.chmod(0o555)
    try:
        with pytest.raises(ExportError, match="read-only"):
            export_images(items(), ExportRequest(folder=str(folder), subfolder="sku", sku="A1"))
        assert listing(folder) == []
    finally:
        folder.chmod(0o755)


def test_permission_error_mid_batch_is_undone(tmp_path, monkeypatch):
    import app.staging as staging_mod  # the batch is written through the staging folder

    real = staging_mod.atomic_write_bytes
    calls = []

    def flaky(path, data):
        calls.append(path)
        if len(calls) == 3:
            raise PermissionError(errno.EACCES, "Permission denied")
        return real(path, data)

    monkeypatch.setattr(staging_mod, "atomic_write_bytes", flaky)
    with pytest.raises(ExportError, match="read-only"):
        export_images(items(3), ExportRequest(folder=str(tmp_path), subfolder="name"))
    assert listing(tmp_path) == []


def test_disk_full_mid_batch_leaves_nothing(tmp_path, monkeypatch):
    (tmp_path / "keep.jpg").write_bytes(b"mine")
    real_fdopen = os.fdopen
    writes = []

    class FullFile:
        def __init__(self, f):
            self.f = f

        def __enter__(self):
            return self

        def __exit__(self, *a):
            self.f.close()

        def write(self, data):
            writes.append(1)
            if len(writes) == 4:  # the 2nd picture's sidecar: earlier files must be removed again
                raise OSError(errno.ENOSPC, "No space left on device")
            return self.f.write(data)

        def flush(self):
            self.f.flush()

        def fileno(self):
            return self.f.fileno()

    import app.output

    monkeypatch.setattr(app.output.os, "fdopen", lambda fd, mode: FullFile(real_fdopen(fd, mode)))
    with pytest.raises(ExportError, match="disk is full"):
        export_images(items(3), ExportRequest(folder=str(tmp_path), template="keep", overwrite="ask"),
                      replace={tmp_path / "keep.jpg"})
    assert listing(tmp_path) == ["keep.jpg"] and (tmp_path / "keep.jpg").read_bytes() == b"mine"


def test_cancel_undoes_the_batch(tmp_path):
    n = []
    with pytest.raises(ExportError, match="cancelled"):
        export_images(items(3), ExportRequest(folder=str(tmp_path)),
                      progress=lambda p: n.append(p), should_stop=lambda: len(n) >= 2)
    assert listing(tmp_path) == []
