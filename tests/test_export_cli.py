"""`python -m app generate --preset`, `export` and `regenerate` end to end on the tiny bundled model."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from app.cli import main
from app.metadata import read_pixels, read_request

DESC = "navy blue shirt for men"  # every attribute is in the lexicon: the sentence embedder is never loaded


@pytest.fixture
def generated(vitrine_home, tmp_path):
    out = tmp_path / "gen"
    assert main(["generate", DESC, "--count", "2", "--seed", "3", "--out", str(out), "--device", "cpu",
                 "--preset", "jd"]) == 0
    return out


def test_generate_with_preset_writes_listing_copies(generated):
    assert sorted(p.name for p in generated.glob("*.png")) == ["vitrine-3.png", "vitrine-4.png"]
    jd = sorted((generated / "jd").glob("*.jpg"))
    assert [p.name for p in jd] == ["vitrine-3.jpg", "vitrine-4.jpg"]
    assert read_pixels(jd[0]).shape == (800, 800, 3)
    assert read_request(jd[0]) == read_request(generated / "vitrine-3.png")


def test_regenerate_gives_identical_pixels(generated, tmp_path, capsys):
    for source in (generated / "vitrine-4.png", generated / "vitrine-4.json"):
        out = tmp_path / f"re-{source.suffix[1:]}"
        assert main(["regenerate", str(source), "--out", str(out), "--device", "cpu"]) == 0
        (made,) = out.glob("*.png")
        assert np.array_equal(read_pixels(made), read_pixels(generated / "vitrine-4.png"))
        assert read_request(made) == read_request(generated / "vitrine-4.png")
    # An exported listing file is made again as exported: same format, size and framing, same JPEG decode.
    out = tmp_path / "re-jpg"
    assert main(["regenerate", str(generated / "jd" / "vitrine-4.jpg"), "--out", str(out), "--device", "cpu"]) == 0
    (made,) = out.glob("*.jpg")
    assert np.array_equal(read_pixels(made), read_pixels(generated / "jd" / "vitrine-4.jpg"))


def test_export_regenerates_at_target_size(generated, tmp_path, capsys):
    to = tmp_path / "listing"
    code = main(["export", str(generated / "vitrine-3.png"), str(generated / "vitrine-4.json"), "--to", str(to),
                 "--preset", "amazon", "--format", "webp", "--quality", "90", "--template", "{sku}-{index}",
                 "--sku", "SH-1", "--device", "cpu"])
    assert code == 0
    files = sorted(to.glob("*.webp"))
    assert [p.name for p in files] == ["SH-1-1.webp", "SH-1-2.webp"]
    px = read_pixels(files[0])
    assert px.shape == (1600, 1600, 3)
    assert read_request(files[1]).seed + read_request(files[1]).start == 4
    assert "note:" not in capsys.readouterr().out


def test_export_without_model_uses_file_pixels(generated, tmp_path, vitrine_home, monkeypatch, capsys):
    monkeypatch.setenv("VITRINE_BUNDLED_MODELS", str(tmp_path / "no-models"))
    to = tmp_path / "listing"
    assert main(["export", str(generated / "vitrine-3.json"), "--to", str(to), "--preset", "custom", "--size", "128",
                 "--format", "png", "--device", "cpu"]) == 0
    assert "not installed" in capsys.readouterr().out
    (made,) = to.glob("*.png")
    assert read_pixels(made).shape == (128, 128, 3)
    # regenerate cannot: the message names the missing model
    assert main(["regenerate", str(made), "--out", str(tmp_path / "r"), "--device", "cpu"]) == 2
    assert "tiny" in capsys.readouterr().err


def test_cli_errors_are_one_sentence(tmp_path, vitrine_home, capsys):
    from PIL import Image

    Image.new("RGB", (8, 8)).save(tmp_path / "plain.png")
    assert main(["export", str(tmp_path / "plain.png"), "--to", str(tmp_path / "o")]) == 2
    assert "carries no Vitrine request" in capsys.readouterr().err
    assert main(["regenerate", str(tmp_path / "missing.png"), "--out", str(tmp_path / "o")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert main(["export", str(tmp_path / "plain.png"), "--to", str(tmp_path / "o"), "--template", "{bad}"]) == 2
    assert "unknown field" in capsys.readouterr().err
    assert main(["generate", DESC, "--out", str(tmp_path / "g"), "--preset", "ebay"]) == 2
    assert "Unknown preset" in capsys.readouterr().err
    shutil.rmtree(tmp_path / "o", ignore_errors=True)
