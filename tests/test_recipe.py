"""Recipe v2 of the base model (issue #15): its training step runs on tiny images with every discriminator, older
models keep their exact networks, and the pretrained feature network loads offline and refuses a tampered file."""

from __future__ import annotations

import shutil

import numpy as np
import pytest
import torch

from app.data.datasets import PhotoSet
from app.engine import lite0, networks
from app.engine.loading import load_model
from app.engine.projected import ProjectedDiscriminator
from app.engine.train import Trainer, TrainRequest

from conftest import TINY_GAN, make_tiny_model

V2 = dict(cond_norm=True, mbstd_group=4)


@pytest.fixture
def photos():
    rng = np.random.default_rng(0)
    n = 16
    labels = np.stack([rng.integers(0, 5, n), rng.integers(0, 5, n), rng.integers(0, 3, n)], 1)
    return PhotoSet(rng.integers(0, 255, (n, 64, 64, 3), dtype=np.uint8), labels, ["x"] * n, [str(i) for i in range(n)])


@pytest.mark.parametrize("disc", ["pixel", "projected", "projected+pixel"])
def test_a_conditional_step_of_the_new_recipe_trains_and_saves_a_loadable_model(tmp_path, photos, disc):
    req = TrainRequest(data="", out=str(tmp_path / disc), max_steps=2, batch=4, gan={**TINY_GAN, **V2, "disc": disc},
                       checkpoint_every=2, sample_every=2, r1_every=1, device="cpu", diversity_weight=3,
                       precision="bf16")
    t = Trainer(req, photos)
    before = {k: v.clone() for k, v in t.G.state_dict().items()}
    trainable_d = sum(p.numel() for p in t.D.parameters())
    list(t.run())
    assert t.step == 2
    assert any(not torch.equal(before[k], v) for k, v in t.G.state_dict().items()), "the generator did not move"
    if disc != "pixel":  # the frozen feature network (4.6 M weights) never reaches the optimiser
        assert trainable_d < 4_000_000
    model = load_model(tmp_path / disc / "model", torch.device("cpu"))
    z = torch.randn(2, model.generator.cfg.z_dim)
    c = torch.rand(2, model.generator.cfg.cond_dim)
    x = model.generator(z, c)
    assert x.shape == (2, 3, 64, 64) and torch.isfinite(x).all()


def test_projected_discriminator_keeps_its_feature_network_frozen_and_unsaved():
    D = ProjectedDiscriminator(cond_dim=10)
    frozen = dict(D.backbone.named_parameters())
    D.requires_grad_(True)
    D.train()
    assert not any(p.requires_grad for p in frozen.values())
    assert not D.backbone.training  # ImageNet batch-norm statistics stay
    assert not any(k.startswith("backbone") for k in D.state_dict())
    assert all(id(p) not in {id(q) for q in frozen.values()} for p in D.parameters())
    out = D(torch.rand(3, 3, 64, 64) * 2 - 1, torch.rand(3, 10))
    assert out.shape == (3, 4)


def test_an_older_model_keeps_its_network_exactly(tmp_path):
    """Configs written before recipe v2 have no switches: they must rebuild the very network they were trained as."""
    folder = make_tiny_model(tmp_path / "old")
    model = load_model(folder, torch.device("cpu"))
    assert model.generator.cfg.cond_norm is False and model.generator.cfg.mbstd_group == 0 and model.generator.cfg.disc == "pixel"
    torch.manual_seed(0)
    z, c = torch.randn(2, model.generator.cfg.z_dim), torch.rand(2, model.generator.cfg.cond_dim)
    expect = model.generator.mapping_net(torch.cat([networks.pixel_norm(z), model.generator.embed(c)], dim=1))
    assert torch.equal(model.generator.mapping(z, c), expect)


def test_condition_normalisation_keeps_z_audible():
    """With a large condition embedding, v2's mapping still gives different w for different z (variety kept)."""
    cfg = networks.GanConfig(**TINY_GAN, **V2)
    G = networks.Generator(cfg)
    with torch.no_grad():
        G.embed.weight.mul_(1000)
    c = torch.rand(1, cfg.cond_dim).expand(8, -1)
    w = G.mapping(torch.randn(8, cfg.z_dim), c)
    assert w.std(dim=0).mean() > 1e-3 * w.abs().mean()


def test_minibatch_std_sees_sameness():
    x_same = torch.ones(8, 4, 2, 2)
    x_varied = torch.randn(8, 4, 2, 2)
    assert networks.minibatch_std(x_same, 4)[:, -1].abs().max() < 1e-3
    assert networks.minibatch_std(x_varied, 4)[:, -1].mean() > 0.3
    assert networks.minibatch_std(torch.randn(1, 4, 2, 2), 4).shape == (1, 5, 2, 2)  # a batch of one: zeros


def test_pretrained_lite0_loads_offline_and_refuses_a_tampered_file(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    net = lite0.lite0(pretrained=True)
    feats = net(torch.zeros(1, 3, 64, 64))
    assert [f.shape[1] for f in feats] == list(lite0.TAP_CHANNELS)
    bad = tmp_path / "efficientnet-lite0.pth"
    shutil.copy(lite0.weights_file(), bad)
    with open(bad, "r+b") as f:
        f.seek(5000)
        byte = f.read(1)
        f.seek(5000)
        f.write(bytes([byte[0] ^ 1]))
    with pytest.raises(lite0.PretrainedFileError, match="hash"):
        lite0.lite0(pretrained=True, path=bad)
    random_net = lite0.lite0(pretrained=False)  # the leakage control: same network, no ImageNet
    assert not torch.equal(random_net._conv_stem.weight, net._conv_stem.weight)
