"""Pictures, round two: one reader for every command. 16-bit and float pictures are scaled (never clipped to
white), the EXIF orientation is applied everywhere (upscale included), and every skipped input is named."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from app.cli import main
from app.data.photo_import import import_photos, load_photo
from app.data.pictures import PictureError, read_picture
from app.metadata import read_pixels


def _grey16(path: Path, value: int, fmt: str = "TIFF") -> Path:
    a = np.full((64, 96), value, np.uint16)
    a[:, :10] = 0  # a dark band: the picture is not flat
    Image.fromarray(a).save(path, format=fmt)
    return path


@pytest.mark.parametrize("fmt,ext", [("TIFF", "tif"), ("PNG", "png")])
def test_16_bit_grey_is_scaled_not_clipped(tmp_path, fmt, ext):
    path = _grey16(tmp_path / f"g.{ext}", 30000, fmt)
    px = np.asarray(read_picture(path))
    assert px.shape == (64, 96, 3)
    assert abs(int(px[5, 50, 0]) - round(30000 / 257)) <= 1  # 117, not 255
    assert px[5, 2, 0] == 0
    assert abs(int(load_photo(path, 64)[0][32, 40, 0]) - 117) <= 2  # fine-tune and invert read it alike


def test_a_dark_16_bit_picture_stays_dark(tmp_path):
    path = _grey16(tmp_path / "dark.tif", 200)  # every sample under 256: still 16-bit, so nearly black
    assert np.asarray(read_picture(path)).max() <= 1


@pytest.mark.parametrize("scale,expected", [(1.0, 128), (255.0, 128), (65535.0, 128)])
def test_float_pictures_are_scaled_by_their_range(tmp_path, scale, expected):
    a = np.full((40, 40), 0.5 * scale, np.float32)
    a[0, 0] = scale  # the brightest sample tells the range
    path = tmp_path / "f.tif"
    Image.fromarray(a, "F").save(path, format="TIFF")
    assert abs(int(np.asarray(read_picture(path))[20, 20, 0]) - expected) <= 1


def _rotated_jpeg(path: Path) -> Path:
    a = np.full((40, 80, 3), 255, np.uint8)
    a[:8] = (220, 0, 0)  # a red band along the stored top edge
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to display"
    Image.fromarray(a).save(path, format="JPEG", exif=exif.tobytes(), quality=95)
    return path


def test_every_reader_applies_the_exif_orientation(tmp_path):
    path = _rotated_jpeg(tmp_path / "phone.jpg")
    upright = np.asarray(read_picture(path))
    assert upright.shape == (80, 40, 3)
    assert upright[40, -3, 0] > 180 and upright[40, -3, 1] < 80  # the band is now on the right
    np.testing.assert_array_equal(read_pixels(path), upright)


def test_upscale_applies_the_exif_orientation_and_scales_16_bit(tmp_path, capsys):
    rotated = _rotated_jpeg(tmp_path / "phone.jpg")
    grey = _grey16(tmp_path / "grey16.tif", 30000)
    out = tmp_path / "out"
    assert main(["upscale", str(rotated), str(grey), "--out", str(out), "--size", "160", "--style", "faithful"]) == 0
    a = np.asarray(Image.open(out / "phone.png").convert("RGB"))
    assert a.shape == (160, 160, 3)
    right, left = a[80, 110:118].mean(axis=0), a[80, 42:50].mean(axis=0)
    assert right[0] > 150 and right[1] < 100 and left.min() > 200  # upright: red on the right side
    g = np.asarray(Image.open(out / "grey16.png").convert("L"))
    assert 90 < np.median(g) < 140  # not white


def test_every_skipped_input_is_named_with_its_reason(tmp_path):
    shop = tmp_path / "shop"
    (shop / "dir.png").mkdir(parents=True)  # a folder named like a photo
    (shop / "empty").mkdir()
    (shop / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    (shop / "notes.txt").write_text("hello")
    ok = np.full((64, 64, 3), 90, np.uint8)
    ok[:, :20] = 200  # not blank (a blank photo is refused)
    Image.fromarray(ok).save(shop / "ok.png")
    r = import_photos([shop])
    assert [p.path.name for p in r.photos] == ["ok.png"]
    reasons = {x.path.name: x.reason for x in r.rejected}
    assert reasons.keys() == {"dir.png", "empty", ".DS_Store", "notes.txt"}
    assert "folder" in reasons["dir.png"] and "hidden" in reasons[".DS_Store"]


def test_finetune_names_a_folder_given_as_a_photo(vitrine_home, tmp_path, capsys):
    (tmp_path / "dir.png").mkdir()
    assert main(["finetune", "--photos", str(tmp_path / "dir.png"), "--name", "mine", "--base", "tiny"]) == 2
    captured = capsys.readouterr()
    assert "dir.png: an empty folder, not a picture" in captured.out
    assert "None of the given files is a usable photo" in captured.err


@settings(max_examples=60, deadline=None)
@given(data=st.binary(min_size=0, max_size=300), mode=st.sampled_from(["I;16", "I", "F", "L", "RGBA", "LA"]))
def test_the_reader_returns_rgb_or_a_reason(tmp_path_factory, data, mode):
    folder = tmp_path_factory.mktemp("r")
    garbage = folder / "g.png"
    garbage.write_bytes(data)
    try:
        assert read_picture(garbage).mode == "RGB"
    except PictureError as e:
        assert e.reason and e.code
    if mode in ("I;16", "I", "F"):
        im = Image.fromarray((np.frombuffer(data.ljust(512, b"\0")[:512], np.uint8).reshape(16, 32)
                              .astype(np.uint16) * 257)).convert(mode if mode != "I;16" else "I;16")
    else:
        im = Image.fromarray(np.frombuffer(data.ljust(1024, b"\0")[:1024], np.uint8).reshape(16, 16, 4)).convert(mode)
    buf = io.BytesIO()
    im.save(buf, format="TIFF")
    path = folder / "m.tif"
    path.write_bytes(buf.getvalue())
    assert read_picture(path).mode == "RGB"
