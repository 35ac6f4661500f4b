"""Base-model training on tiny data: it trains, resumes exactly, recovers from NaNs, writes a loadable model."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import torch
from PIL import Image

from app.cli import main
from app.data.datasets import PhotoSet
from app.engine.loading import load_model
from app.engine.train import Trainer, TrainRequest

from conftest import TINY_GAN


@pytest.fixture
def photos():
    rng = np.random.default_rng(0)
    n = 16
    labels = np.stack([rng.integers(0, 5, n), rng.integers(0, 5, n), rng.integers(0, 3, n)], 1)
    return PhotoSet(rng.integers(0, 255, (n, 64, 64, 3), dtype=np.uint8), labels, ["x"] * n, [str(i) for i in range(n)])


def _req(tmp_path, name, **kw):
    base = dict(data="", out=str(tmp_path / name), max_steps=4, batch=4, gan=TINY_GAN, checkpoint_every=2,
                sample_every=2, r1_every=2, device="cpu")
    base.update(kw)
    return TrainRequest(**base)


def test_resume_continues_exactly(tmp_path, photos):
    straight = Trainer(_req(tmp_path, "a"), photos)
    list(straight.run())
    first = Trainer(_req(tmp_path, "b", max_steps=2), photos)
    list(first.run())
    resumed = Trainer(_req(tmp_path, "b", max_steps=4, resume=True), photos)
    progress = list(resumed.run())
    assert progress[0].message_key == "train.resumed" and progress[0].args["step"] == 2
    assert resumed.step == 4
    for (k, v), (_, w) in zip(straight.G_ema.state_dict().items(), resumed.G_ema.state_dict().items()):
        assert torch.equal(v, w), k


def test_nan_restores_last_good_state(tmp_path, photos, monkeypatch):
    t = Trainer(_req(tmp_path, "n", max_steps=3), photos)
    real_step = t.train_step
    calls = {"n": 0}

    def flaky():
        calls["n"] += 1
        m = real_step()
        if calls["n"] == 2:
            m["loss_d"] = float("nan")
        return m

    monkeypatch.setattr(t, "train_step", flaky)
    keys = [p.message_key for p in t.run()]
    assert "train.nan_restored" in keys
    assert t.recoveries == 1 and t.step == 3
    assert all(torch.isfinite(p).all() for p in t.G_ema.parameters())


def test_trained_model_loads_and_generates(tmp_path, photos):
    t = Trainer(_req(tmp_path, "m", diversity_weight=1.0), photos)
    list(t.run())
    m = load_model(tmp_path / "m" / "model")
    assert m.config["training"]["steps"] == 4
    assert (tmp_path / "m" / "samples-latest.png").exists()
    with torch.no_grad():
        x = m.generator(torch.randn(2, 16), torch.rand(2, m.generator.cfg.cond_dim))
    assert x.shape == (2, 3, 64, 64)


def test_seed_recipe_baseline_trains(tmp_path, photos):
    from bench.dcgan import DcganTrainer

    with pytest.raises(ValueError, match="bench/dcgan.py"):
        Trainer(_req(tmp_path, "d", recipe="dcgan", max_steps=2), photos)
    t = DcganTrainer(_req(tmp_path, "d", recipe="dcgan", max_steps=2), photos)
    list(t.run())
    assert load_model(tmp_path / "d" / "model").config["gan"]["arch"] == "dcgan-seed"


def test_train_command_reads_a_folder_with_descriptions(tmp_path):
    data = tmp_path / "shop"
    data.mkdir()
    rows = ["file_name,description"]
    for i in range(6):
        Image.new("RGB", (40, 60), (30 * i, 20, 200)).save(data / f"p{i}.png")
        rows.append(f"p{i}.png,{'男士深蓝色衬衫' if i % 2 else 'red heels for women'}")
    (data / "photos.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "run"
    import json

    code = main(["train", "--data", str(data), "--out", str(out), "--max-steps", "2", "--batch", "2",
                 "--device", "cpu", "--gan", json.dumps(TINY_GAN), "--sample-every", "1"])
    assert code == 0
    assert (out / "model" / "config.json").exists() and (out / "checkpoint" / "state.json").exists()
