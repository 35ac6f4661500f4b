"""The "Sharp" upscaler's training terms (Real-ESRGAN / SRGAN style) and the sharpness measure.

Loss of the upscaler G: L1 + gradient L1 (as the "Faithful" model) + a perceptual term (L1 between frozen
EfficientNet-Lite0 ImageNet features of the output and of the real photo, strides 4 / 8 / 16) + an adversarial
term from a small patch discriminator that sees 128 px crops (hinge). Starting from the Faithful weights,
the adversarial term adds the texture and edges a pixel loss averages away.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F
from torch.nn.utils.parametrizations import spectral_norm

from app.engine.lite0 import lite0

PERCEPTUAL_TAP_WEIGHTS = (1.0, 1.0, 0.5)  # Lite0 scales used: strides 4, 8, 16


class PatchDiscriminator(nn.Module):
    """(N, 3, H, W) in [0, 1] → (N, H/8 · W/8) realness logits, one per 8 px patch region (spectral norm)."""

    def __init__(self, width: int = 32):
        super().__init__()
        c = width
        self.net = nn.Sequential(
            spectral_norm(nn.Conv2d(3, c, 3, padding=1)), nn.LeakyReLU(0.2),
            spectral_norm(nn.Conv2d(c, c, 4, 2, 1)), nn.LeakyReLU(0.2),
            spectral_norm(nn.Conv2d(c, 2 * c, 3, padding=1)), nn.LeakyReLU(0.2),
            spectral_norm(nn.Conv2d(2 * c, 2 * c, 4, 2, 1)), nn.LeakyReLU(0.2),
            spectral_norm(nn.Conv2d(2 * c, 4 * c, 3, padding=1)), nn.LeakyReLU(0.2),
            spectral_norm(nn.Conv2d(4 * c, 4 * c, 4, 2, 1)), nn.LeakyReLU(0.2),
            spectral_norm(nn.Conv2d(4 * c, 1, 3, padding=1)),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net((x * 2 - 1).contiguous(memory_format=torch.channels_last)).flatten(1)


class PerceptualLoss(nn.Module):
    """L1 between frozen Lite0 features of two pictures in [0, 1] (a network trained on photos, not pixels)."""

    def __init__(self, pretrained: bool = True):
        super().__init__()
        object.__setattr__(self, "features", lite0(pretrained))  # frozen, never saved, never optimised

    def _apply(self, fn, *args, **kwargs):
        super()._apply(fn, *args, **kwargs)
        self.features._apply(fn, *args, **kwargs)
        return self

    def forward(self, pred: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        fp = self.features(pred * 2 - 1)
        with torch.no_grad():
            ft = self.features(target * 2 - 1)
        return sum(w * (a - b).abs().mean() for w, a, b in zip(PERCEPTUAL_TAP_WEIGHTS, fp, ft))


class SharpTerms:
    """The discriminator, its optimiser and the two extra generator terms of one Sharp training run."""

    def __init__(self, perceptual_weight: float, adversarial_weight: float, lr: float = 1e-4):
        self.pw, self.aw = perceptual_weight, adversarial_weight
        self.perceptual = PerceptualLoss() if perceptual_weight > 0 else None
        self.D = PatchDiscriminator().to(memory_format=torch.channels_last)
        self.opt = torch.optim.Adam(self.D.parameters(), lr=lr, betas=(0.0, 0.99))

    def discriminator_step(self, pred: torch.Tensor, real: torch.Tensor) -> float:
        self.D.requires_grad_(True)
        loss = F.relu(1 - self.D(real)).mean() + F.relu(1 + self.D(pred.detach().clamp(0, 1))).mean()
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        self.opt.step()
        return float(loss.detach())

    def generator_terms(self, pred: torch.Tensor, real: torch.Tensor) -> tuple[torch.Tensor, dict[str, float]]:
        self.D.requires_grad_(False)
        adv = -self.D(pred.clamp(0, 1)).mean()
        total = self.aw * adv
        out = {"adv": float(adv.detach())}
        if self.perceptual is not None:
            per = self.perceptual(pred, real)
            total = total + self.pw * per
            out["perceptual"] = float(per.detach())
        return total, out

    def state(self) -> dict:
        return {"D": self.D.state_dict(), "opt_D": self.opt.state_dict()}

    def load(self, state: dict) -> None:
        self.D.load_state_dict(state["D"])
        self.opt.load_state_dict(state["opt_D"])


# ---- sharpness: how much edge energy a picture carries where the product is -------------------------------
def _luma(img: np.ndarray) -> np.ndarray:
    a = img.astype(np.float64)
    return 0.299 * a[..., 0] + 0.587 * a[..., 1] + 0.114 * a[..., 2]


def product_mask(real: np.ndarray, threshold: float = 18.0) -> np.ndarray:
    """Pixels of the real photo that are not the near-white backdrop (max channel distance from 255)."""
    return (255.0 - real.astype(np.float64)).max(axis=-1) > threshold


def gradient_magnitude(img: np.ndarray) -> np.ndarray:
    """|∇Y| by central differences (same size as the picture; borders zero)."""
    y = _luma(img)
    g = np.zeros_like(y)
    gx = (y[1:-1, 2:] - y[1:-1, :-2]) / 2
    gy = (y[2:, 1:-1] - y[:-2, 1:-1]) / 2
    g[1:-1, 1:-1] = np.hypot(gx, gy)
    return g


def sharpness_ratio(out: np.ndarray, real: np.ndarray) -> float | None:
    """Mean gradient magnitude over the product pixels, output ÷ real photo (1.0 = as crisp as the photo)."""
    mask = product_mask(real)
    if mask.sum() < 64:
        return None
    ref = gradient_magnitude(real)[mask].mean()
    return float(gradient_magnitude(out)[mask].mean() / ref) if ref > 0 else None
