"""What inversion minimises and how: the distance between pictures (_Judge) and a small Adam (_Adam)."""

from __future__ import annotations

import torch
from torch.nn import functional as F


class _Judge:
    """Distance between pictures: pixels (L2 + L1, also at half size), normalised discriminator features and,
    with `semantic`, the attribute classifier's normalised features (what the product is: type, colour)."""

    def __init__(self, D: torch.nn.Module | None, feature_weight: float = 0.5, semantic: torch.nn.Module | None = None,
                 semantic_weight: float = 1.0):
        self.D = D
        self.feature_weight = feature_weight if D is not None else 0.0
        self.semantic = semantic
        self.semantic_weight = semantic_weight if semantic is not None else 0.0

    def features(self, x: torch.Tensor) -> torch.Tensor | None:
        if self.D is None:
            return None
        return F.normalize(self.D.features(x), dim=1)

    def semantic_features(self, x: torch.Tensor) -> torch.Tensor | None:
        if self.semantic is None:
            return None
        if x.shape[-1] != 64:
            x = F.interpolate(x, size=(64, 64), mode="bilinear", antialias=True, align_corners=False)
        return F.normalize(self.semantic.features(x), dim=1)

    def target(self, target: torch.Tensor) -> tuple[torch.Tensor | None, torch.Tensor | None]:
        with torch.no_grad():
            return self.features(target), self.semantic_features(target)

    def loss(self, x: torch.Tensor, target: torch.Tensor, target_feat) -> torch.Tensor:
        """Per-picture loss (N,) of x (N, 3, R, R) against target (1, 3, R, R); target_feat from target()."""
        d_feat, s_feat = target_feat if isinstance(target_feat, tuple) else (target_feat, None)
        d = x - target
        pix = d.pow(2).mean(dim=(1, 2, 3)) + 0.5 * d.abs().mean(dim=(1, 2, 3))
        small = F.avg_pool2d(x, 2) - F.avg_pool2d(target, 2)
        pix = pix + small.pow(2).mean(dim=(1, 2, 3))
        if self.feature_weight and d_feat is not None:
            f = self.features(x)
            pix = pix + self.feature_weight * (1 - (f * d_feat).sum(dim=1))
        if self.semantic_weight and s_feat is not None:
            f = self.semantic_features(x)
            pix = pix + self.semantic_weight * (1 - (f * s_feat).sum(dim=1))
        return pix


class _Adam:
    """Adam on one tensor (torch.optim would import torch._dynamo: seconds of start-up for nothing here)."""

    def __init__(self, param: torch.Tensor, lr: float, betas=(0.9, 0.99), eps: float = 1e-8):
        self.param, self.lr, self.betas, self.eps, self.t = param, lr, betas, eps, 0
        self.m, self.v = torch.zeros_like(param), torch.zeros_like(param)

    @torch.no_grad()
    def step(self) -> None:
        g, (b1, b2) = self.param.grad, self.betas
        self.t += 1
        self.m.mul_(b1).add_(g, alpha=1 - b1)
        self.v.mul_(b2).addcmul_(g, g, value=1 - b2)
        denom = (self.v / (1 - b2 ** self.t)).sqrt_().add_(self.eps)
        self.param.addcdiv_(self.m, denom, value=-self.lr / (1 - b1 ** self.t))
        self.param.grad = None
