"""Shared fixtures: a tiny randomly initialised model, an isolated Vitrine home, offscreen Qt."""

from __future__ import annotations

import hashlib
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
import pytest
import torch

from app.engine import networks, vocab
from app.engine.checkpoints import write_model_dir
from app.engine.generate import Engine
from app.engine.registry import Registry
from app.engine.text import TextConditioner

TINY_GAN = dict(g_channels=(32, 32, 16, 16, 8), d_channels=(8, 16, 16, 32, 32), w_dim=32, z_dim=16,
                cond_embed=16, mapping_layers=2)


def make_tiny_model(folder, seed: int = 0, model_id: str = "tiny", directions: bool = True, layered: bool = False):
    """Write a randomly initialised (untrained) model folder in the real format.

    layered adds two per-layer sliders: "shape" on layers [0, 1) and "tint" on the later layers [1, 6). (Untrained,
    every modulation is still zero, so only layer 0, the input, reacts to w: "tint" leaves pictures unchanged.)
    """
    torch.manual_seed(seed)
    cfg = networks.GanConfig(**TINY_GAN)
    G, D = networks.Generator(cfg), networks.Discriminator(cfg)
    tensors = {"generator": G.state_dict(), "discriminator": D.state_dict()}
    config = {"id": model_id, "name": model_id, "gan": cfg.to_dict(), "training": {"steps": 0},
              "vocab_version": vocab.CURRENT_VERSION}
    if directions:
        g = torch.Generator().manual_seed(seed + 1)
        vecs = torch.nn.functional.normalize(torch.randn(2, cfg.w_dim, generator=g), dim=1)
        tensors["directions"] = {"brightness": vecs[0], "zoom": vecs[1]}
        config["directions"] = [{"name": "brightness", "label_zh": "亮度", "sigma": 1.0},
                                {"name": "zoom", "label_zh": "缩放", "sigma": 1.0}]
        if layered:
            more = torch.nn.functional.normalize(torch.randn(2, cfg.w_dim, generator=g), dim=1)
            tensors["directions"].update({"shape": more[0], "tint": more[1]})
            config["directions"] += [{"name": "shape", "label_zh": "形状", "sigma": 1.0, "layers": [0, 1]},
                                     {"name": "tint", "label_zh": "色调", "sigma": 1.0, "layers": [1, 6]}]
    return write_model_dir(folder, config, tensors, card="# tiny test model\n")


@pytest.fixture
def vitrine_home(tmp_path, monkeypatch):
    """An isolated Vitrine home with one tiny bundled model; returns the home folder."""
    home = tmp_path / "home"
    bundled = tmp_path / "bundled"
    make_tiny_model(bundled / "tiny")
    monkeypatch.setenv("VITRINE_HOME", str(home))
    monkeypatch.setenv("VITRINE_BUNDLED_MODELS", str(bundled))
    return home


def fake_embedder(texts):
    """A deterministic stand-in for e5 (tests that are not about meaning need no real embedder)."""
    out = []
    for t in texts:
        rng = np.random.default_rng(int(hashlib.sha256(t.encode()).hexdigest()[:8], 16))
        v = rng.standard_normal(384).astype(np.float32)
        out.append(v / np.linalg.norm(v))
    return np.stack(out)


@pytest.fixture
def tiny_engine(tmp_path):
    """A real Engine over a tiny model (CPU)."""
    bundled = tmp_path / "bundled"
    make_tiny_model(bundled / "tiny")
    return Engine(Registry(bundled, tmp_path / "user"), device="cpu", text=TextConditioner(embedder=fake_embedder))


@pytest.fixture(autouse=True)
def _english_after_each_test(monkeypatch):
    """A test that builds the app in Chinese installs a translator and fixes the engine's language for the whole
    process; take both back afterwards so the next test reads English again."""
    from PySide6.QtCore import QCoreApplication

    installed = []
    real = QCoreApplication.installTranslator

    def record(translator):
        installed.append(translator)
        return real(translator)

    monkeypatch.setattr(QCoreApplication, "installTranslator", staticmethod(record))
    yield
    for translator in installed:
        QCoreApplication.removeTranslator(translator)
    from app.engine.messages import set_language

    set_language(None)
