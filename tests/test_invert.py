"""Start from a photo: inversion recovers the model's own pictures, stops when asked, writes what it promises."""

from __future__ import annotations

import json
import struct
from dataclasses import replace
import zlib

import numpy as np
import pytest
import torch
from PIL import Image
from safetensors.torch import load_file

from app.cli import main
from app.engine.imaging import to_uint8
from app.engine.invert import (Inversion, InvertRequest, invert, load_inversion, prepare_photo, psnr, rerender,
                               synthesis_plus)
from app.latent_code import decode_latent, encode_latent
from app.requests import GenerateRequest

DESCRIPTION = "navy blue shirt for men"


@pytest.fixture
def own_picture(tiny_engine, tmp_path):
    """A picture the tiny model painted itself, saved as a PNG photo."""
    image = tiny_engine.generate(GenerateRequest(DESCRIPTION, seed=3, truncation=1.0))[0]
    path = tmp_path / "own.png"
    Image.fromarray(image.pixels).save(path)
    return path, image.pixels


def _random_w_psnr(engine, target: np.ndarray) -> float:
    """Baseline: how close pictures of random latents of the same description come to the target."""
    G = engine.load().generator
    c = torch.from_numpy(engine.understand(DESCRIPTION).condition())
    z = torch.randn(8, G.cfg.z_dim, generator=torch.Generator().manual_seed(123))
    with torch.no_grad():
        pics = to_uint8(G.synthesis(G.mapping(z, c.expand(8, -1))))
    return float(np.mean([psnr(target, p) for p in pics]))


def test_inverting_own_picture_recovers_it(tiny_engine, own_picture):
    path, pixels = own_picture
    result = invert(tiny_engine, InvertRequest(str(path), steps=30, variations=2, description=DESCRIPTION))
    baseline = _random_w_psnr(tiny_engine, pixels)
    assert result.metrics["psnr"] > baseline + 6, (result.metrics, baseline)
    assert result.metrics["psnr"] > 28
    assert result.reconstruction.shape == (64, 64, 3) and result.reconstruction.dtype == np.uint8
    assert result.chosen["category"] == "Shirts" and result.chosen["colour"] == "Navy Blue"
    assert len(result.variations) == 2
    for pix, w in result.variations:
        assert pix.shape == (64, 64, 3) and w.shape == result.w.shape
    # The stored w repaints the reconstruction exactly.
    with torch.no_grad():
        again = to_uint8(synthesis_plus(tiny_engine.load().generator, result.w[None]))[0]
    assert np.array_equal(again, result.reconstruction)


def test_found_picture_is_remade_and_edited_by_the_engine(tiny_engine, own_picture):
    """A picture found from a photo is an ordinary request: remade exactly, moved, varied and re-described."""
    path, _ = own_picture
    result = invert(tiny_engine, InvertRequest(str(path), steps=10, variations=1, description=DESCRIPTION))
    base = GenerateRequest(DESCRIPTION, latent=encode_latent(result.w.numpy(), result.condition))
    assert np.array_equal(tiny_engine.generate(base)[0].pixels, result.reconstruction)
    variation = GenerateRequest(DESCRIPTION, latent=encode_latent(result.variations[0][1].numpy(), result.condition))
    assert np.array_equal(tiny_engine.generate(variation)[0].pixels, result.variations[0][0])
    moved = tiny_engine.generate(replace(base, offsets=(("brightness", 2.0),)))[0].pixels
    assert psnr(moved, result.reconstruction) < 40
    neighbours = tiny_engine.generate(replace(base, variation=0.5, count=3))
    assert len({n.pixels.tobytes() for n in neighbours} | {result.reconstruction.tobytes()}) == 4
    assert all(psnr(n.pixels, result.reconstruction) > _random_w_psnr(tiny_engine, result.reconstruction)
               for n in neighbours)  # neighbours: closer than random pictures of the description
    other = tiny_engine.generate(replace(base, description="red heels for women"))[0]
    assert not np.array_equal(other.pixels, result.reconstruction)
    assert other.request.latent == base.latent  # the exported request keeps the latent
    again = tiny_engine.generate(GenerateRequest.from_dict(json.loads(other.request.to_json())))[0]
    assert np.array_equal(again.pixels, other.pixels)


def test_guessed_description_remakes_the_found_picture(tiny_engine, own_picture):
    """Without a description the guess is written in words; those words give back the inversion's condition."""
    path, _ = own_picture
    result = invert(tiny_engine, InvertRequest(str(path), steps=5, variations=0))
    req = GenerateRequest(result.description or "product", latent=encode_latent(result.w.numpy(), result.condition))
    assert np.array_equal(tiny_engine.generate(req)[0].pixels, result.reconstruction)


def test_damaged_latents_are_refused_with_a_reason(tiny_engine):
    import base64

    from app.engine.generate import GenerationError

    cond_dim = tiny_engine.load().generator.cfg.cond_dim
    good = encode_latent(np.zeros(32, np.float32), np.zeros(cond_dim, np.float32))
    nan = "w1:0x1:0:" + base64.b64encode(np.array([np.nan], "<f4").tobytes()).decode()
    for bad in ("w1:0x32:67:!!!", good[:-8], "w9" + good[2:], "w1:0x32:67:" + "A" * 10, nan, "w1:99x99999:0:", 5):
        with pytest.raises(ValueError):  # an exported file's metadata or the gallery index holding it
            GenerateRequest.from_dict({"description": "x", "latent": bad})
    other_model = encode_latent(np.zeros(31, np.float32), np.zeros(cond_dim, np.float32))
    with pytest.raises(GenerationError, match="different kind of model"):
        tiny_engine.generate(GenerateRequest("red shirt", latent=other_model))
    w, c = decode_latent(good)
    assert w.shape == (32,) and c.shape == (cond_dim,)


def test_without_description_searches_a_condition(tiny_engine, own_picture):
    path, _ = own_picture
    result = invert(tiny_engine, InvertRequest(str(path), steps=5, variations=0, per_layer=False))
    assert result.condition_source in ("search", "classifier")
    assert result.w.shape == (32,)
    assert result.condition.shape == (tiny_engine.load().generator.cfg.cond_dim,)


def test_should_stop_cancels_early(tiny_engine, own_picture):
    path, _ = own_picture
    calls = []

    def stop():
        calls.append(1)
        return len(calls) > 3

    job = Inversion(tiny_engine, InvertRequest(str(path), steps=500, variations=3, description=DESCRIPTION))
    progress = list(job.run(stop))
    assert job.result.cancelled
    assert job.result.metrics["steps"] <= 3
    assert job.result.variations == []
    assert progress[-1].message_key == "invert.cancelled"
    assert job.result.reconstruction.shape == (64, 64, 3)


def _bomb_png(path, side=100_000):
    """A PNG whose header claims side × side pixels (a decompression bomb) but holds almost nothing."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    ihdr = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 16))
                     + chunk(b"IEND", b""))
    return path


def test_bad_photos_give_clear_messages(tmp_path):
    text = tmp_path / "notes.png"
    text.write_text("this is not a picture")
    with pytest.raises(ValueError, match="not an image"):
        prepare_photo(text)
    tiny = tmp_path / "tiny.png"
    Image.new("RGB", (12, 10), "red").save(tiny)
    with pytest.raises(ValueError, match="too small"):
        prepare_photo(tiny)
    with pytest.raises(ValueError, match="too large"):
        prepare_photo(_bomb_png(tmp_path / "bomb.png"))
    with pytest.raises(ValueError, match="cannot be read|not an image"):
        prepare_photo(tmp_path / "missing.jpg")


def test_photo_prepared_like_training_photos(tmp_path):
    rgba = Image.new("RGBA", (120, 60), (0, 0, 0, 0))
    rgba.paste((255, 0, 0, 255), (40, 10, 80, 50))
    path = tmp_path / "cut-out.png"
    rgba.save(path)
    pixels = prepare_photo(path)
    assert pixels.shape == (64, 64, 3)
    assert (pixels[0, 0] == 255).all() and (pixels[-1, -1] == 255).all()  # transparent → white, padded white
    assert pixels[32, 32, 0] > 200 and pixels[32, 32, 1] < 60  # the red product stays red


def test_cli_writes_what_it_promises(vitrine_home, tmp_path, capsys):
    import app.engine.generate as gen

    photo = tmp_path / "photo.png"
    Image.new("RGB", (90, 70), (30, 40, 120)).save(photo)
    out = tmp_path / "out"
    assert main(["invert", str(photo), "--out", str(out), "--steps", "8", "--variations", "2",
                 "--description", DESCRIPTION, "--device", "cpu"]) == 0
    names = {p.name for p in out.iterdir()}
    assert {"reconstruction.png", "variation-1.png", "variation-2.png", "latent.safetensors", "request.json"} <= names
    assert not list(out.glob(".*partial"))
    doc = json.loads((out / "request.json").read_text(encoding="utf-8"))
    assert doc["kind"] == "inversion" and doc["model_id"] == "tiny" and doc["request"]["steps"] == 8
    assert InvertRequest.from_dict(doc["request"]).description == DESCRIPTION
    latents = load_file(str(out / "latent.safetensors"))
    assert {"reconstruction", "variation-1", "variation-2", "condition"} <= set(latents)
    doc2, latents2 = load_inversion(out)
    assert doc2 == doc
    # Reopen: the stored latent repaints the written picture exactly.
    from app.cli.common import make_engine

    engine = make_engine("cpu")
    assert isinstance(engine, gen.Engine)
    for name in ("reconstruction", "variation-2"):
        assert np.array_equal(rerender(engine, out, name), np.asarray(Image.open(out / f"{name}.png").convert("RGB")))
    moved = rerender(engine, out, "reconstruction", offsets=(("brightness", 2.0),))
    assert moved.shape == (64, 64, 3)
    # Each PNG also carries the request that remakes it, so dropping it on Vitrine reopens it editable.
    from app.metadata import read_request

    req = read_request(out / "variation-1.png")
    assert req.latent and req.description == DESCRIPTION
    assert np.array_equal(engine.generate(req)[0].pixels, np.asarray(Image.open(out / "variation-1.png").convert("RGB")))


def test_cli_bad_photo_is_one_sentence(vitrine_home, tmp_path, capsys):
    bad = tmp_path / "bad.jpg"
    bad.write_bytes(b"\x00\x01 nothing")
    assert main(["invert", str(bad), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "bad.jpg" in err and "not an image" in err and "Traceback" not in err
    assert main(["invert", str(tmp_path / "nope.png"), "--out", str(tmp_path / "o")]) == 2
    assert "does not exist" in capsys.readouterr().err
