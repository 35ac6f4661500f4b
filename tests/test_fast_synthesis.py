"""The painting fast path (issue #18's speed): each up-sampling convolution done on the small picture gives the
same picture as the training network's forward, for any weights."""

from __future__ import annotations

import pytest
import torch
from torch.nn import functional as F

from app.engine import fast_synthesis, networks

from conftest import TINY_GAN


def test_a_convolution_after_upsampling_equals_four_small_convolutions():
    torch.manual_seed(0)
    conv = torch.nn.Conv2d(5, 7, 3, padding=1)
    x = torch.randn(3, 5, 6, 9)
    with torch.no_grad():
        expected = conv(F.interpolate(x, scale_factor=2, mode="nearest"))
        got = fast_synthesis._up_conv(x, fast_synthesis.phase_kernels(conv), conv.bias)
    assert got.shape == expected.shape
    assert (got - expected).abs().max().item() < 1e-5


@pytest.mark.parametrize("grade", [0, 8])  # 8: a shop model's colour grade after the picture
def test_the_fast_path_paints_the_networks_pictures(grade):
    torch.manual_seed(1)
    G = networks.Generator(networks.GanConfig(**TINY_GAN, look_grade=grade)).eval()
    with torch.no_grad():  # an untrained generator has zero modulations; give them weights so every layer matters
        for p in G.parameters():
            p.add_(torch.randn_like(p) * 0.1)
        lean = fast_synthesis.lean_synthesis(G)
        assert lean is not None
        w = torch.randn(4, G.num_layers, TINY_GAN["w_dim"])
        assert (lean(w) - G.synthesis(w)).abs().max().item() < fast_synthesis.TOLERANCE
