"""The engine turns a request into pictures: deterministic, sensitive to description and seed, safe to load."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from dataclasses import replace

import numpy as np
import pytest
import torch

from app.engine.checkpoints import ModelError, read_config
from app.engine.loading import load_model
from app.requests import GenerateRequest

from conftest import make_tiny_model


def test_same_request_gives_identical_pixels(tiny_engine):
    req = GenerateRequest("navy blue cotton shirt for men", seed=7, count=3)
    a = tiny_engine.generate(req)
    b = tiny_engine.generate(req)
    assert len(a) == 3
    for x, y in zip(a, b):
        assert x.pixels.shape == (64, 64, 3) and x.pixels.dtype == np.uint8
        assert np.array_equal(x.pixels, y.pixels)


def test_one_picture_of_a_batch_regenerates_alone(tiny_engine):
    batch = tiny_engine.generate(GenerateRequest("black handbag for women", seed=3, count=4))
    again = tiny_engine.generate(batch[2].request)
    assert len(again) == 1 and np.array_equal(again[0].pixels, batch[2].pixels)
    assert batch[2].request.model_hash  # stamped with the model's hash


def test_seed_and_description_change_the_picture(tiny_engine):
    base = GenerateRequest("red heels for women", seed=1)
    a = tiny_engine.generate(base)[0].pixels
    b = tiny_engine.generate(replace(base, seed=2))[0].pixels
    c = tiny_engine.generate(replace(base, description="男士蓝色牛仔裤"))[0].pixels
    assert not np.array_equal(a, b)
    assert not np.array_equal(a, c)


def test_sliders_truncation_and_size(tiny_engine):
    base = GenerateRequest("grey t-shirt", seed=5)
    a = tiny_engine.generate(base)[0].pixels
    moved = tiny_engine.generate(replace(base, offsets=(("brightness", 3.0),)))[0].pixels
    typical = tiny_engine.generate(replace(base, truncation=0.0))[0].pixels
    big = tiny_engine.generate(replace(base, size=128))[0].pixels
    assert not np.array_equal(a, moved) and not np.array_equal(a, typical)
    assert big.shape == (128, 128, 3)


def test_unknown_slider_and_changed_model_are_explained(tiny_engine):
    from app.engine.generate import GenerationError

    with pytest.raises(GenerationError, match="slider"):
        tiny_engine.generate(GenerateRequest("shirt", offsets=(("no-such", 1.0),)))
    with pytest.raises(GenerationError, match="another version"):
        tiny_engine.generate(GenerateRequest("shirt", model_hash="0123456789ab"))
    with pytest.raises(GenerationError, match="empty"):
        tiny_engine.generate(GenerateRequest("   "))


def test_checkpoint_round_trip(tmp_path):
    folder = make_tiny_model(tmp_path / "m", seed=3)
    m = load_model(folder)
    # Write what was loaded into a new folder and load again: identical weights and outputs.
    from app.engine.checkpoints import write_model_dir

    cfg = read_config(folder)
    folder2 = write_model_dir(tmp_path / "m2", {k: v for k, v in cfg.items() if k not in ("files", "format_version")},
                              {"generator": m.generator.state_dict()})
    m2 = load_model(folder2)
    z, c = torch.randn(2, 16), torch.rand(2, m.generator.cfg.cond_dim)
    assert torch.equal(m.generator(z, c), m2.generator(z, c))
    assert m.model_hash == m2.model_hash


def test_tampered_weights_are_refused(tmp_path):
    folder = make_tiny_model(tmp_path / "m")
    data = bytearray((folder / "generator.safetensors").read_bytes())
    data[-5] ^= 0xFF
    (folder / "generator.safetensors").write_bytes(bytes(data))
    with pytest.raises(ModelError, match="changed after it was saved"):
        load_model(folder)


def test_pickle_in_place_of_weights_is_refused_without_running_it(tmp_path):
    folder = make_tiny_model(tmp_path / "m")
    marker = tmp_path / "pwned"

    class Evil:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    payload = pickle.dumps(Evil())
    (folder / "generator.safetensors").write_bytes(payload)
    # Even with a matching hash in the config, the file is not a safetensors file and must not be unpickled.
    import hashlib

    cfg = json.loads((folder / "config.json").read_text())
    cfg["files"]["generator.safetensors"] = hashlib.sha256(payload).hexdigest()
    (folder / "config.json").write_text(json.dumps(cfg))
    with pytest.raises(ModelError, match="unreadable"):
        load_model(folder)
    assert not marker.exists()


def test_unknown_format_version_and_wrong_shapes(tmp_path):
    folder = make_tiny_model(tmp_path / "m")
    cfg = json.loads((folder / "config.json").read_text())
    cfg["format_version"] = 99
    (folder / "config.json").write_text(json.dumps(cfg))
    with pytest.raises(ModelError, match="format version 99"):
        load_model(folder)
    folder = make_tiny_model(tmp_path / "n")
    cfg = json.loads((folder / "config.json").read_text())
    cfg["gan"]["w_dim"] = 48
    (folder / "config.json").write_text(json.dumps(cfg))
    with pytest.raises(ModelError, match="do not fit"):
        load_model(folder)


def test_engine_imports_no_qt():
    code = ("import sys, app.engine.generate, app.engine.train, app.engine.text, app.data.datasets, app.output, "
            "app.requests, app.paths; bad=[m for m in sys.modules if m.startswith(('PySide6','PyQt','shiboken'))]; "
            "print(bad); sys.exit(1 if bad else 0)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_request_round_trips_through_json():
    req = GenerateRequest("男士深蓝色棉质衬衫", seed=9, count=2, offsets=(("zoom", -1.5),), overrides=(("colour", "Red"),))
    back = GenerateRequest.from_dict(json.loads(req.to_json()))
    assert back == req


# ---- per-layer w and per-layer sliders ------------------------------------------------------------------------
def _styled_generator():
    """A tiny generator whose modulations react to w (untrained ones start at zero and ignore it)."""
    from app.engine import networks
    from conftest import TINY_GAN

    torch.manual_seed(0)
    G = networks.Generator(networks.GanConfig(**TINY_GAN)).eval()
    with torch.no_grad():
        for m in G.modules():
            if isinstance(m, networks.Modulation):
                m.affine.weight.normal_(0, 0.2)
    return G


def test_per_layer_synthesis_repeats_plain_w_exactly_and_moves_single_layers():
    G = _styled_generator()
    assert G.num_layers == len(G.blocks) + 2 == 6
    w = torch.randn(3, G.cfg.w_dim)
    with torch.no_grad():
        plain = G.synthesis(w)
        assert torch.equal(G.synthesis(w[:, None].expand(-1, G.num_layers, -1)), plain)  # bit-exact
        assert torch.equal(G.synthesis(w[:, None].repeat(1, G.num_layers, 1).contiguous()), plain)
        for layer in (0, 3, G.num_layers - 1):  # every layer is a separate style input
            ws = w[:, None].repeat(1, G.num_layers, 1)
            ws[:, layer] += 2.0
            assert not torch.equal(G.synthesis(ws), plain)
        with pytest.raises(ValueError, match="layers"):
            G.synthesis(w[:, None].repeat(1, G.num_layers - 1, 1))


def test_directions_without_layers_still_load_and_layered_ones_are_read(tmp_path):
    plain = load_model(make_tiny_model(tmp_path / "a"))
    assert [d.layers for d in plain.directions] == [None, None]
    layered = load_model(make_tiny_model(tmp_path / "b", layered=True))
    assert {d.name: d.layers for d in layered.directions} == {"brightness": None, "zoom": None, "shape": (0, 1),
                                                             "tint": (1, 6)}
    for bad in ([0, 7], [3, 3], [-1, 2], "late", [0.5, 2]):
        folder = make_tiny_model(tmp_path / f"bad{len(list(tmp_path.iterdir()))}", layered=True)
        cfg = json.loads((folder / "config.json").read_text())
        cfg["directions"][2]["layers"] = bad
        (folder / "config.json").write_text(json.dumps(cfg))
        with pytest.raises(ModelError, match="layers"):
            load_model(folder)


def test_per_layer_slider_moves_only_its_layers_and_plain_requests_are_unchanged(tmp_path):
    from app.engine.generate import Engine
    from app.engine.registry import Registry
    from app.engine.text import TextConditioner

    from conftest import fake_embedder

    def engine(name, **kw):
        make_tiny_model(tmp_path / name / "tiny", **kw)
        return Engine(Registry(tmp_path / name, tmp_path / f"{name}-user"), device="cpu",
                      text=TextConditioner(embedder=fake_embedder))

    old, new = engine("old"), engine("new", layered=True)
    base = GenerateRequest("grey t-shirt", seed=5, count=2)
    a = [g.pixels for g in old.generate(base)]
    b = [g.pixels for g in new.generate(base)]
    assert all(np.array_equal(x, y) for x, y in zip(a, b))  # no offsets: bit-exactly the old pictures
    moved = replace(base, offsets=(("shape", 3.0),))
    m1, m2 = new.generate(moved), new.generate(moved)
    assert not np.array_equal(m1[0].pixels, a[0])  # the early-layer slider changes the picture …
    assert all(np.array_equal(x.pixels, y.pixels) for x, y in zip(m1, m2))  # … the same way every time
    assert np.array_equal(new.generate(m1[1].request)[0].pixels, m1[1].pixels)  # and alone, outside its batch
    # "tint" moves only layers 1–5, whose (untrained, zero) modulations ignore w: nothing may change.
    tint = new.generate(replace(base, offsets=(("tint", 3.0),)))
    assert all(np.array_equal(x.pixels, y) for x, y in zip(tint, a))
    # an all-layer slider next to a per-layer one still moves every layer (here: the input)
    both = new.generate(replace(base, offsets=(("tint", 3.0), ("brightness", 3.0))))
    alone = new.generate(replace(base, offsets=(("brightness", 3.0),)))
    assert all(np.array_equal(x.pixels, y.pixels) for x, y in zip(both, alone))


def test_engine_slider_equals_the_measured_move():
    """The engine's per-layer move (what the merchant sees) is the move the directions tool measured."""
    from app.engine.directions import move
    from app.engine.loading import Direction, move_latent

    G = _styled_generator()
    w = torch.randn(2, G.cfg.w_dim)
    d = Direction("tint", "色调", torch.nn.functional.normalize(torch.randn(G.cfg.w_dim), dim=0), 0.7, layers=(3, 6))
    with torch.no_grad():
        engine = G.synthesis(move_latent(w, [(d, 2.5)], G.num_layers))
        measured = G.synthesis(move(w, d.vector, 2.5 * d.sigma, d.layers, G.num_layers))
        assert torch.equal(engine, measured) and not torch.equal(engine, G.synthesis(w))
        assert torch.equal(move_latent(w, [], G.num_layers), w)
