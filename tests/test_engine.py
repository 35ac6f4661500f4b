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
