"""Projected-GAN discriminator (Sauer et al., NeurIPS 2021) for 64 px product photos.

Frozen EfficientNet-Lite0 features at four scales → fixed random cross-channel mixing (1×1, CCM) and
cross-scale mixing (top-down 3×3, CSM) → one small trainable patch discriminator per scale with a projection
term for the condition. Only the heads train; the feature network and the random mixing never change (the
mixing is stored in buffers so a saved discriminator rebuilds exactly). The feature network is held outside
the module tree: it is not saved with the discriminator and never reaches an optimiser.
"""

from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F
from torch.nn.utils.parametrizations import spectral_norm

from app.engine.lite0 import TAP_CHANNELS, lite0

MIX_CHANNELS = (64, 128, 256, 512)  # CCM output per scale (Projected GAN's choice for Lite0)
INPUT_SIDE = 128  # 64 px pictures are enlarged so the deepest scale still has 4×4 positions


class Head(nn.Module):
    """Patch discriminator on one feature scale: down to 4×4, then a realness map plus a projection term."""

    def __init__(self, c_in: int, side: int, cond_dim: int, width: int = 128):
        super().__init__()
        layers, c = [], c_in
        while side > 4:
            layers += [spectral_norm(nn.Conv2d(c, width, 4, 2, 1)), nn.LeakyReLU(0.2)]
            c, side = width, side // 2
        layers += [spectral_norm(nn.Conv2d(c, width, 3, padding=1)), nn.LeakyReLU(0.2)]
        self.body = nn.Sequential(*layers)
        self.out = spectral_norm(nn.Conv2d(width, 1, 1))
        self.embed = spectral_norm(nn.Linear(cond_dim, width, bias=False))

    def forward(self, f: torch.Tensor, c: torch.Tensor) -> torch.Tensor:
        h = self.body(f)  # (N, width, 4, 4)
        score = self.out(h).mean(dim=(1, 2, 3))
        return score + (self.embed(c) * h.mean(dim=(2, 3))).sum(dim=1) / h.shape[1] ** 0.5


class ProjectedDiscriminator(nn.Module):
    """(image in [-1, 1], condition) → (N, 4) realness logits, one per feature scale."""

    def __init__(self, cond_dim: int, pretrained: bool = True, seed: int = 0):
        super().__init__()
        object.__setattr__(self, "backbone", lite0(pretrained))  # outside the module tree: frozen, unsaved
        g = torch.Generator().manual_seed(seed)
        for i, (c_in, c_out) in enumerate(zip(TAP_CHANNELS, MIX_CHANNELS)):
            self.register_buffer(f"ccm{i}", torch.randn(c_out, c_in, 1, 1, generator=g) / c_in ** 0.5)
        for i in range(len(MIX_CHANNELS) - 1):
            c_in, c_out = MIX_CHANNELS[i + 1], MIX_CHANNELS[i]
            self.register_buffer(f"csm{i}", torch.randn(c_out, c_in, 3, 3, generator=g) / (9 * c_in) ** 0.5)
        sides = [INPUT_SIDE // s for s in (4, 8, 16, 32)]
        self.heads = nn.ModuleList(Head(c, s, cond_dim) for c, s in zip(MIX_CHANNELS, sides))

    def _apply(self, fn, *args, **kwargs):  # .to(device) / .float() reach the frozen feature network too
        super()._apply(fn, *args, **kwargs)
        self.backbone._apply(fn, *args, **kwargs)
        return self

    def train(self, mode: bool = True) -> "ProjectedDiscriminator":
        super().train(mode)
        self.backbone.eval()  # batch-norm statistics of the feature network stay ImageNet's
        return self

    def mixed_features(self, x: torch.Tensor) -> list[torch.Tensor]:
        """Frozen features after the fixed random channel and scale mixing (coarse scales flow into fine)."""
        x = F.interpolate(x, size=(INPUT_SIDE, INPUT_SIDE), mode="bilinear", align_corners=False)
        feats = [F.conv2d(f, getattr(self, f"ccm{i}")) for i, f in enumerate(self.backbone(x))]
        for i in range(len(feats) - 2, -1, -1):
            up = F.interpolate(feats[i + 1], size=feats[i].shape[2:], mode="bilinear", align_corners=False)
            feats[i] = feats[i] + F.conv2d(up, getattr(self, f"csm{i}"), padding=1)
        return feats

    def forward(self, x: torch.Tensor, c: torch.Tensor) -> torch.Tensor:
        feats = self.mixed_features(x)
        return torch.stack([head(f, c) for head, f in zip(self.heads, feats)], dim=1)

    def features(self, x: torch.Tensor) -> torch.Tensor:
        """Pooled features (N, C) for few-shot fine-tuning's judge and inversion: the coarsest mixed scale."""
        return self.mixed_features(x)[-1].mean(dim=(2, 3))


class CombinedDiscriminator(nn.Module):
    """The pixel discriminator beside the projected one: (N, 1 + 4) logits, each hinge-trained on its own."""

    def __init__(self, pixel: nn.Module, projected: ProjectedDiscriminator):
        super().__init__()
        self.pixel, self.projected = pixel, projected

    def forward(self, x: torch.Tensor, c: torch.Tensor) -> torch.Tensor:
        return torch.cat([self.pixel(x, c)[:, None], self.projected(x, c)], dim=1)

    def features(self, x: torch.Tensor) -> torch.Tensor:
        return self.pixel.features(x)
