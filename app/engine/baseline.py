"""The seed recipe this product grew from: an unconditional DCGAN, kept as the measured baseline."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import torch
from torch import nn

ARCH = "dcgan-seed"


@dataclass(frozen=True)
class DcganConfig:
    """Generator Dense→8×8×256, ConvTranspose 128→64→3 (tanh); discriminator Conv 64→128→128 (sigmoid)."""

    arch: str = ARCH
    resolution: int = 64
    z_dim: int = 100
    cond_dim: int = 0  # the seed recipe ignores the description

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> "DcganConfig":
        return cls(**{k: v for k, v in d.items() if k in cls.__dataclass_fields__})


class DcganGenerator(nn.Module):
    def __init__(self, cfg: DcganConfig):
        super().__init__()
        self.cfg = cfg
        self.fc = nn.Sequential(nn.Linear(cfg.z_dim, 8 * 8 * 256, bias=False), nn.BatchNorm1d(8 * 8 * 256), nn.LeakyReLU(0.2))
        self.net = nn.Sequential(
            nn.ConvTranspose2d(256, 128, 4, 2, 1, bias=False), nn.BatchNorm2d(128), nn.LeakyReLU(0.2),
            nn.ConvTranspose2d(128, 64, 4, 2, 1, bias=False), nn.BatchNorm2d(64), nn.LeakyReLU(0.2),
            nn.ConvTranspose2d(64, 3, 4, 2, 1), nn.Tanh(),
        )

    def forward(self, z: torch.Tensor, c: torch.Tensor | None = None) -> torch.Tensor:
        return self.net(self.fc(z).view(-1, 256, 8, 8))


class DcganDiscriminator(nn.Module):
    def __init__(self, cfg: DcganConfig):
        super().__init__()
        self.cfg = cfg
        self.net = nn.Sequential(
            nn.Conv2d(3, 64, 4, 2, 1), nn.LeakyReLU(0.2),
            nn.Conv2d(64, 128, 4, 2, 1), nn.LeakyReLU(0.2),
            nn.Conv2d(128, 128, 4, 2, 1), nn.LeakyReLU(0.2), nn.Dropout(0.3),
            nn.Flatten(), nn.Linear(128 * (cfg.resolution // 8) ** 2, 1),
        )

    def forward(self, x: torch.Tensor, c: torch.Tensor | None = None) -> torch.Tensor:
        # Returns the logit; the sigmoid lives inside BCEWithLogits for numerical safety.
        return self.net(x).squeeze(1)
