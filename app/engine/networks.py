"""The conditional GAN: a mapping network, a modulated residual generator and a projection discriminator."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

import torch
from torch import nn
from torch.nn import functional as F
from torch.nn.utils.parametrizations import spectral_norm

from app.engine import vocab

ARCH = "vitrine-modres-v1"


@dataclass(frozen=True)
class GanConfig:
    """Architecture of one model; saved inside its config.json so a checkpoint rebuilds itself."""

    arch: str = ARCH  # network family; loading refuses families it does not know
    resolution: int = 64  # output side in pixels (a power of two, 4·2^k)
    z_dim: int = 128  # random latent per picture
    w_dim: int = 256  # intermediate latent that sliders and inversion move in
    cond_dim: int = field(default_factory=vocab.condition_size)  # attribute-probability vector length
    cond_embed: int = 128  # learned embedding of the condition inside the mapping network
    mapping_layers: int = 4  # depth of the z,c → w MLP
    g_channels: tuple[int, ...] = (256, 256, 128, 64, 32)  # generator width at 4, 8, … px
    d_channels: tuple[int, ...] = (32, 64, 128, 256, 256)  # discriminator width at res, res/2, … 4 px
    # Recipe v2 switches (absent in older configs, whose defaults keep their networks exactly as trained):
    cond_norm: bool = False  # normalise the condition embedding's 2nd moment before it meets z (StyleGAN2-ADA)
    mbstd_group: int = 0  # minibatch-std channel in the pixel discriminator (group size; 0 = none)
    disc: str = "pixel"  # "pixel", "projected" (frozen Lite0 features) or "projected+pixel"
    proj_backbone: str = "lite0-imagenet"  # "lite0-imagenet" or "lite0-random" (the ImageNet-leakage control)
    look_grade: int = 0  # a shop model's colour grade after the picture (LookGrade hidden width; 0 = none)
    look_zoom: float = 1.0  # a shop model's framing: > 1 paints products larger in the frame (finetune_framing.py)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> "GanConfig":
        known = {f for f in cls.__dataclass_fields__}
        d = {k: (tuple(v) if isinstance(v, list) else v) for k, v in d.items() if k in known}
        return cls(**d)

    def validate(self) -> None:
        levels = int(math.log2(self.resolution // 4)) + 1
        if self.resolution != 4 * 2 ** (levels - 1) or len(self.g_channels) != levels or len(self.d_channels) != levels:
            raise ValueError(f"resolution {self.resolution} does not match the channel lists")
        if self.disc not in DISCRIMINATORS or self.proj_backbone not in ("lite0-imagenet", "lite0-random"):
            raise ValueError(f"unknown discriminator {self.disc!r} / {self.proj_backbone!r}")


DISCRIMINATORS = ("pixel", "projected", "projected+pixel")


def pixel_norm(x: torch.Tensor, dim: int = 1) -> torch.Tensor:
    return x * torch.rsqrt(x.pow(2).mean(dim=dim, keepdim=True) + 1e-8)


class Modulation(nn.Module):
    """Normalise each pixel's feature vector, then scale and shift it by the style w."""

    def __init__(self, channels: int, w_dim: int):
        super().__init__()
        self.affine = nn.Linear(w_dim, 2 * channels)
        nn.init.zeros_(self.affine.weight)
        nn.init.zeros_(self.affine.bias)

    def forward(self, x: torch.Tensor, w: torch.Tensor) -> torch.Tensor:
        gamma, beta = self.affine(w).unsqueeze(-1).unsqueeze(-1).chunk(2, dim=1)
        return pixel_norm(x) * (1 + gamma) + beta


class GBlock(nn.Module):
    """Residual up-sampling block of the generator."""

    def __init__(self, c_in: int, c_out: int, w_dim: int):
        super().__init__()
        self.mod1, self.mod2 = Modulation(c_in, w_dim), Modulation(c_out, w_dim)
        self.conv1 = nn.Conv2d(c_in, c_out, 3, padding=1)
        self.conv2 = nn.Conv2d(c_out, c_out, 3, padding=1)
        self.skip = nn.Conv2d(c_in, c_out, 1)

    def forward(self, x: torch.Tensor, w: torch.Tensor) -> torch.Tensor:
        h = F.interpolate(F.relu(self.mod1(x, w)), scale_factor=2, mode="nearest")
        h = self.conv2(F.relu(self.mod2(self.conv1(h), w)))
        return h + self.skip(F.interpolate(x, scale_factor=2, mode="nearest"))


def zoom(x: torch.Tensor, factor: float | torch.Tensor) -> torch.Tensor:
    """Each picture seen `factor` (one, or one per picture) times closer about its centre (< 1: further away, the
    border colour around it)."""
    f = torch.as_tensor(factor, dtype=x.dtype, device=x.device).expand(x.shape[0])
    theta = torch.zeros(x.shape[0], 2, 3, dtype=x.dtype, device=x.device)
    theta[:, 0, 0] = theta[:, 1, 1] = 1 / f
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    return F.grid_sample(x, grid, mode="bilinear", padding_mode="border", align_corners=False)


FITS = 0.96  # a free-standing product zoomed by a shop's framing keeps this share of the frame at most
DIFFERENT = 40  # a product pixel differs from its row's backdrop by more than this (0–255) in some channel


def line_span(hit: torch.Tensor) -> torch.Tensor:
    """(N, L) bool → the share of L from the first to the last True (0 where none)."""
    n = hit.shape[1]
    first = hit.float().argmax(1)
    last = n - 1 - hit.flip(1).float().argmax(1)
    return torch.where(hit.any(1), (last - first + 1).float() / n, torch.zeros_like(first, dtype=torch.float))


def product_lines(x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Pictures (N, 3, H, W) in [-1, 1] → (rows (N, H), columns (N, W)) that hold the product: at least 2 pixels
    that differ clearly from their row's backdrop, the colour at the row's two ends (so a coloured backdrop or a
    grey sweep is backdrop too; fewer pixels are noise)."""
    edge = (x[..., :1] + x[..., -1:]) / 2
    product = ((x - edge).abs() > DIFFERENT / 127.5).any(1)
    return product.sum(2) >= 2, product.sum(1) >= 2


def frame(x: torch.Tensor, factor: float) -> torch.Tensor:
    """A shop's framing on pictures in [-1, 1]: zoom each `factor` times closer, except that a product standing
    free on its backdrop (one that does not already run from the top edge to the bottom one, as a model does) is
    zoomed only as far as it still fits the frame — so a tighter shop crops into a model's outfit but never cuts a
    shoe's toe off."""
    if factor <= 1.0:
        return zoom(x, factor)
    rows, cols = product_lines(x)
    spans = rows[:, 0] & rows[:, -1]  # from the top edge to the bottom one: a model, head to feet
    fits = FITS / torch.maximum(line_span(rows), line_span(cols)).clamp(min=1e-3)
    per_picture = torch.where(spans | ~rows.any(1), torch.full_like(fits, factor),
                              torch.clamp(fits, min=1.0, max=factor))
    return zoom(x, per_picture.to(x.dtype))


class LookGrade(nn.Module):
    """A shop's look as a colour grade: each pixel's new colour from its colour and its height and place in the
    picture (a backdrop colour, a grey sweep, warm or cool light). The same for every product and every pixel
    alone, so it reaches products the shop never showed, draws no halo and moves no shape. Starts as "no change"."""

    def __init__(self, width: int):
        super().__init__()
        self.net = nn.Sequential(nn.Conv2d(5, width, 1), nn.SiLU(), nn.Conv2d(width, 3, 1))
        nn.init.zeros_(self.net[-1].weight)
        nn.init.zeros_(self.net[-1].bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n, _, h, w = x.shape
        ys = torch.linspace(-1, 1, h, dtype=x.dtype, device=x.device).view(1, 1, h, 1).expand(n, 1, h, w)
        xs = torch.linspace(-1, 1, w, dtype=x.dtype, device=x.device).view(1, 1, 1, w).expand(n, 1, h, w)
        return (x + self.net(torch.cat([x, ys, xs], 1))).clamp(-1, 1)


class Generator(nn.Module):
    """(z, c) → image in [-1, 1]; `mapping` and `synthesis` are exposed for sliders and inversion."""

    def __init__(self, cfg: GanConfig):
        super().__init__()
        cfg.validate()
        self.cfg = cfg
        self.embed = nn.Linear(cfg.cond_dim, cfg.cond_embed, bias=False)
        layers, d = [], cfg.z_dim + cfg.cond_embed
        for _ in range(cfg.mapping_layers):
            layers += [nn.Linear(d, cfg.w_dim), nn.LeakyReLU(0.2)]
            d = cfg.w_dim
        self.mapping_net = nn.Sequential(*layers)
        c0 = cfg.g_channels[0]
        self.input = nn.Linear(cfg.w_dim, c0 * 16)
        self.blocks = nn.ModuleList(GBlock(a, b, cfg.w_dim) for a, b in zip(cfg.g_channels[:-1], cfg.g_channels[1:]))
        self.out_mod = Modulation(cfg.g_channels[-1], cfg.w_dim)
        self.to_rgb = nn.Conv2d(cfg.g_channels[-1], 3, 3, padding=1)
        self.grade = LookGrade(cfg.look_grade) if cfg.look_grade else None

    def finish(self, x: torch.Tensor) -> torch.Tensor:
        """The picture out of to_rgb → [-1, 1], through the shop's framing and colour grade when the model has them."""
        x = torch.tanh(x)
        if self.cfg.look_zoom != 1.0:
            x = frame(x, self.cfg.look_zoom)
        return x if self.grade is None else self.grade(x)

    def mapping(self, z: torch.Tensor, c: torch.Tensor) -> torch.Tensor:
        """z: (N, z_dim), c: (N, cond_dim) → w: (N, w_dim)."""
        e = self.embed(c)
        if self.cfg.cond_norm:
            e = pixel_norm(e)  # else a large embedding swamps z and every seed paints the same picture
        return self.mapping_net(torch.cat([pixel_norm(z), e], dim=1))

    @property
    def num_layers(self) -> int:
        """Number of style inputs of synthesis (see `synthesis` for their order)."""
        return len(self.blocks) + 2

    def synthesis(self, w: torch.Tensor) -> torch.Tensor:
        """w: (N, w_dim), or per layer (N, num_layers, w_dim) ("w+") → image (N, 3, R, R) in [-1, 1].

        Layer order, coarse to fine: 0 = the input (the 4×4 start from w); 1 … len(blocks) = the up-sampling
        blocks (both modulations of block k, which paints 4·2^k px, read layer k); last = the output
        modulation before to_rgb (full resolution). A per-layer w whose rows are all equal gives exactly
        the pixels of the plain w. Shape lives in the early layers, colour and brightness in the late ones.
        """
        if w.dim() == 3:
            if w.shape[1] != self.num_layers:
                raise ValueError(f"per-layer w has {w.shape[1]} layers, the generator {self.num_layers}")
            ws = [w[:, i] for i in range(self.num_layers)]
        else:
            ws = [w] * self.num_layers
        x = self.input(ws[0]).view(w.shape[0], self.cfg.g_channels[0], 4, 4)
        for i, block in enumerate(self.blocks):
            x = block(x, ws[i + 1])
        return self.finish(self.to_rgb(F.relu(self.out_mod(x, ws[-1]))))

    def forward(self, z: torch.Tensor, c: torch.Tensor) -> torch.Tensor:
        return self.synthesis(self.mapping(z, c))


class DBlock(nn.Module):
    """Residual down-sampling block of the discriminator (spectrally normalised)."""

    def __init__(self, c_in: int, c_out: int, first: bool = False):
        super().__init__()
        self.first = first
        self.conv1 = spectral_norm(nn.Conv2d(c_in, c_out, 3, padding=1))
        self.conv2 = spectral_norm(nn.Conv2d(c_out, c_out, 3, padding=1))
        self.skip = spectral_norm(nn.Conv2d(c_in, c_out, 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = x if self.first else F.relu(x)
        h = F.avg_pool2d(self.conv2(F.relu(self.conv1(h))), 2)
        return h + F.avg_pool2d(self.skip(x), 2)


class Discriminator(nn.Module):
    """Image, condition → realness score; the projection term checks the image matches its description."""

    def __init__(self, cfg: GanConfig):
        super().__init__()
        cfg.validate()
        self.cfg = cfg
        ch = cfg.d_channels
        self.blocks = nn.ModuleList([DBlock(3, ch[0], first=True)] + [DBlock(a, b) for a, b in zip(ch[:-2], ch[1:-1])])
        self.mbstd = cfg.mbstd_group
        self.final = spectral_norm(nn.Conv2d(ch[-2] + (1 if self.mbstd else 0), ch[-1], 3, padding=1))
        self.linear = spectral_norm(nn.Linear(ch[-1], 1))
        self.embed = spectral_norm(nn.Linear(cfg.cond_dim, ch[-1], bias=False))

    def features(self, x: torch.Tensor) -> torch.Tensor:
        """Pooled features (N, C) before the heads; also used by few-shot fine-tuning."""
        for block in self.blocks:
            x = block(x)
        x = F.relu(x)
        if self.mbstd:
            x = minibatch_std(x, self.mbstd)
        return F.relu(self.final(x)).sum(dim=(2, 3))

    def forward(self, x: torch.Tensor, c: torch.Tensor) -> torch.Tensor:
        h = self.features(x)
        return self.linear(h).squeeze(1) + (self.embed(c) * h).sum(dim=1)


def minibatch_std(x: torch.Tensor, group: int) -> torch.Tensor:
    """Append one channel: the spread of features within groups of the batch (StyleGAN), so D sees sameness.

    x: (N, C, H, W) → (N, C + 1, H, W). A batch whose size is not a multiple of `group` uses the largest
    group that divides it (a batch of one gets zeros).
    """
    n = x.shape[0]
    g = max(d for d in range(1, min(group, n) + 1) if n % d == 0)
    if g < 2:
        return torch.cat([x, x.new_zeros(n, 1, *x.shape[2:])], dim=1)
    y = x.reshape(g, n // g, *x.shape[1:])
    y = (y.var(dim=0, unbiased=False) + 1e-8).sqrt().mean(dim=(1, 2, 3))  # (n // g,)
    y = y.repeat(g).view(n, 1, 1, 1).expand(n, 1, *x.shape[2:])
    return torch.cat([x, y], dim=1)


def build_discriminator(cfg: GanConfig) -> nn.Module:
    """The discriminator a config asks for; projected ones load their frozen feature network (offline)."""
    if cfg.disc == "pixel":
        return Discriminator(cfg)
    from app.engine.projected import CombinedDiscriminator, ProjectedDiscriminator

    proj = ProjectedDiscriminator(cfg.cond_dim, pretrained=cfg.proj_backbone == "lite0-imagenet")
    return proj if cfg.disc == "projected" else CombinedDiscriminator(Discriminator(cfg), proj)


def parameter_count(module: nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())
