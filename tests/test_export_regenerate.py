"""`regenerate` of any exported file gives that file back: every preset, PNG, JPEG and WebP, dialog or command line."""

from __future__ import annotations

import numpy as np
import pytest

from app.cli import main
from app.export import PRESETS, ExportRequest, export_images
from app.metadata import read_export, read_pixels, read_request
from app.requests import GeneratedImage

DESC = "navy blue shirt for men"


@pytest.fixture
def gallery(vitrine_home, tmp_path):
    out = tmp_path / "gen"
    assert main(["generate", DESC, "--count", "2", "--seed", "3", "--out", str(out), "--device", "cpu"]) == 0
    return [GeneratedImage(read_pixels(p), read_request(p)) for p in sorted(out.glob("*.png"))]


def _regenerated(tmp_path, exported, suffix=None):
    out = tmp_path / f"again-{exported.parent.name}-{exported.name}"
    assert main(["regenerate", str(exported), "--out", str(out), "--device", "cpu"]) == 0
    (made,) = [p for p in out.iterdir() if p.suffix != ".json"]
    assert made.suffix == (suffix or exported.suffix)
    return made


def _check_same(made, exported):
    a, b = read_pixels(made).astype(int), read_pixels(exported).astype(int)
    assert a.shape == b.shape
    if exported.suffix == ".png":
        assert np.abs(a - b).max() <= 1
    else:  # the same encoder on the same pixels: the very same decode
        assert np.array_equal(a, b)


@pytest.mark.parametrize("fmt", ["png", "jpeg", "webp"])
def test_dialog_exports_regenerate_to_the_same_file_for_every_preset(gallery, tmp_path, fmt):
    for preset in [*PRESETS, "custom"]:
        folder = tmp_path / f"{preset}-{fmt}"
        folder.mkdir()
        # The dialog exports the gallery's own pixels (no engine: Lanczos enlarging).
        result = export_images(gallery[:1], ExportRequest(folder=str(folder), preset=preset, size=300, format=fmt,
                                                      quality=85, white_background=preset == "custom"))
        for exported in result.files:
            settings = read_export(exported)
            assert settings["preset"] == preset and settings["format"] == fmt
            _check_same(_regenerated(tmp_path, exported), exported)


def test_command_line_export_regenerates_to_the_same_file(gallery, tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    from app.output import write_png_with_sidecar

    write_png_with_sidecar(src / "a.png", gallery[0].pixels, gallery[0].request)
    for preset, fmt in (("amazon", "jpeg"), ("taobao", "webp"), ("shopify", "png")):
        to = tmp_path / f"cli-{preset}"
        assert main(["export", str(src / "a.png"), "--to", str(to), "--preset", preset, "--format", fmt,
                     "--device", "cpu"]) == 0
        (exported,) = [p for p in to.iterdir() if p.suffix != ".json"]
        assert read_pixels(exported).shape[0] == PRESETS[preset].size
        _check_same(_regenerated(tmp_path, exported), exported)
        # The sidecar carries the same settings, so regenerating from it gives the same file too.
        _check_same(_regenerated(tmp_path, exported.with_suffix(".json"), exported.suffix), exported)


def test_a_hand_edited_export_setting_is_refused_not_obeyed(gallery, tmp_path):
    import json

    folder = tmp_path / "x"
    folder.mkdir()
    result = export_images(gallery[:1], ExportRequest(folder=str(folder), preset="jd", format="png"))
    side = result.sidecars[0]
    data = json.loads(side.read_text())
    data["export"]["size"] = 10 ** 9
    side.write_text(json.dumps(data))
    assert main(["regenerate", str(side), "--out", str(tmp_path / "bad"), "--device", "cpu"]) != 0
