"""One step of conditional GAN training, shared by the base model's and the few-shot recipe (train.py, finetune.py).

    D: hinge on real / fake / real-with-a-wrong-description (matching-aware), DiffAugment, lazy R1 on pixels
    G: non-saturating hinge, optional hinged mode-seeking term, plus whatever the recipe adds (extra_loss)
    EMA of G after each step; gradients averaged over processes when DDP runs (sync_gradients)

A recipe supplies the networks, optimisers, the trainable discriminator parameters (FreezeD keeps some still),
the batch and the extra generator term; the seed DCGAN (bench/dcgan.py) overrides `d_loss`, `g_loss` and `r1`.
"""

from __future__ import annotations

import copy
import os
from dataclasses import dataclass
from typing import Callable

import torch
from torch import distributed as dist
from torch.nn import functional as F

from app.engine import networks
from app.engine.augment import diff_augment
from app.engine.projected import CombinedDiscriminator

Batch = tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]  # x_real, c_real, c_fake, c_wrong


def heads(d: torch.Tensor) -> torch.Tensor:
    """Discriminator output as (N, heads): a pixel discriminator has one head, a projected one four."""
    return d[:, None] if d.dim() == 1 else d


def hinge(margin: torch.Tensor) -> torch.Tensor:
    """Hinge loss summed over heads (each head is its own discriminator), averaged over the batch."""
    return F.relu(heads(margin)).mean(0).sum()


def pixel_discriminator(D: torch.nn.Module) -> torch.nn.Module | None:
    """The part of D that sees pixels directly (R1 applies to it); None for a purely projected D."""
    if isinstance(D, networks.Discriminator):
        return D
    return D.pixel if isinstance(D, CombinedDiscriminator) else None


def dist_rank_world() -> tuple[int, int]:
    if dist.is_available() and dist.is_initialized():
        return dist.get_rank(), dist.get_world_size()
    return 0, 1


def setup_distributed(device: torch.device) -> None:
    if int(os.environ.get("WORLD_SIZE", "1")) > 1 and not dist.is_initialized():
        dist.init_process_group("nccl" if device.type == "cuda" else "gloo")


def sync_gradients(module: torch.nn.Module) -> None:
    """Average gradients over all processes (the data-parallel step of DDP, also valid for R1's double backward)."""
    rank, world = dist_rank_world()
    if world == 1:
        return
    grads = [p.grad for p in module.parameters() if p.grad is not None]
    if not grads:
        return
    flat = torch.cat([g.reshape(-1) for g in grads])
    dist.all_reduce(flat)
    flat /= world
    offset = 0
    for g in grads:
        g.copy_(flat[offset: offset + g.numel()].view_as(g))
        offset += g.numel()


@dataclass(frozen=True)
class GanParams:
    """The numbers of the step (a recipe fills them from its request)."""

    batch: int
    r1_gamma: float = 0.1
    r1_every: int = 16
    mismatch_weight: float = 0.5
    diversity_weight: float = 0.0
    diversity_target: float = 0.15
    augment: str = "colour,translation,cutout"
    precision: str = "fp32"


class GanStep:
    """The networks and optimisers of a GAN run and its training step (see the module docstring)."""

    def __init__(self, G: torch.nn.Module, D: torch.nn.Module, G_ema: torch.nn.Module, opt_g: torch.optim.Optimizer,
                 opt_d: torch.optim.Optimizer, params: GanParams, device: torch.device,
                 d_params: list[torch.nn.Parameter] | None = None):
        self.G, self.D, self.G_ema, self.opt_g, self.opt_d = G, D, G_ema, opt_g, opt_d
        self.p, self.device = params, device
        self.d_params = list(D.parameters()) if d_params is None else d_params  # what "D trains" switches on
        self.z_dim = G.cfg.z_dim

    def _d_trains(self, flag: bool) -> None:
        for p in self.d_params:
            p.requires_grad_(flag)

    def autocast(self):
        """bfloat16 autocast when asked for (weights, optimiser state and losses stay fp32)."""
        return torch.autocast(self.device.type, dtype=torch.bfloat16, enabled=self.p.precision == "bf16")

    def aug(self, x: torch.Tensor) -> torch.Tensor:
        return diff_augment(x, self.p.augment) if self.p.augment else x

    # ---- the losses (the seed DCGAN overrides these three) ------------------------------------------------
    def d_loss(self, d_real: torch.Tensor, d_fake: torch.Tensor, x_real: torch.Tensor,
               c_wrong: torch.Tensor) -> torch.Tensor:
        """Hinge, plus the matching-aware term: real photos with wrong descriptions count as fake."""
        with self.autocast():
            d_wrong = self.D(self.aug(x_real), c_wrong).float()
        return hinge(1 - d_real) + hinge(1 + d_fake) + self.p.mismatch_weight * hinge(1 + d_wrong)

    def g_loss(self, d_gen: torch.Tensor) -> torch.Tensor:
        return -heads(d_gen).mean(0).sum()

    def r1(self, step: int, x_real: torch.Tensor, c_real: torch.Tensor) -> torch.Tensor:
        """R1 on the pixel discriminator every `r1_every` steps (lazy, scaled up); its gradient is accumulated."""
        p, pixel_d = self.p, pixel_discriminator(self.D)
        if pixel_d is None or p.r1_gamma <= 0 or step % p.r1_every:
            return torch.zeros((), device=self.device)
        x_r = x_real.detach().requires_grad_(True)
        (grad,) = torch.autograd.grad(pixel_d(x_r, c_real).sum(), x_r, create_graph=True)
        r1 = grad.pow(2).sum(dim=(1, 2, 3)).mean()
        (r1 * p.r1_gamma / 2 * p.r1_every).backward()
        return r1

    # ---- the step ---------------------------------------------------------------------------------------
    def __call__(self, step: int, batch: Callable[[], Batch], extra_loss: Callable[[], torch.Tensor | None],
                 ema_beta: float) -> dict[str, float]:
        """One discriminator and one generator update, then the EMA; the step's numbers (one device sync)."""
        p = self.p
        x_real, c_real, c_fake, c_wrong = batch()
        z = torch.randn(p.batch, self.z_dim, device=self.device)
        self._d_trains(True)
        with torch.no_grad(), self.autocast():
            x_fake = self.G(z, c_fake).float()
        with self.autocast():
            d_real = self.D(self.aug(x_real), c_real).float()
            d_fake = self.D(self.aug(x_fake), c_fake).float()
        loss_d = self.d_loss(d_real, d_fake, x_real, c_wrong)
        self.opt_d.zero_grad(set_to_none=True)
        loss_d.backward()
        r1 = self.r1(step, x_real, c_real)
        sync_gradients(self.D)
        self.opt_d.step()
        loss_g = self._generator_update(c_fake, extra_loss)
        self.update_ema(ema_beta)
        values = torch.stack([loss_d.detach(), loss_g.detach(), r1.detach(), d_real.detach().mean(),
                              d_fake.detach().mean()]).tolist()
        return dict(zip(("loss_d", "loss_g", "r1", "d_real", "d_fake"), values))

    def _generator_update(self, c_fake: torch.Tensor, extra_loss: Callable[[], torch.Tensor | None]) -> torch.Tensor:
        p = self.p
        self._d_trains(False)
        z = torch.randn(p.batch, self.z_dim, device=self.device)
        half = p.batch // 2
        if p.diversity_weight > 0 and half > 0:
            # Pairs share a description so the mode-seeking term compares pictures of the same product.
            c_fake = torch.cat([c_fake[:half], c_fake[:half], c_fake[2 * half:]])
        with self.autocast():
            x_gen = self.G(z, c_fake).float()
            d_gen = self.D(self.aug(x_gen), c_fake).float()
        loss_g = self.g_loss(d_gen)
        if p.diversity_weight > 0 and half > 0:
            dx = (x_gen[:half] - x_gen[half:2 * half]).abs().mean(dim=(1, 2, 3))
            dz = (z[:half] - z[half:2 * half]).abs().mean(dim=1)
            # Hinged mode-seeking (MSGAN ratio, DSGAN-style cap): push apart only pairs that are too alike.
            loss_g = loss_g + p.diversity_weight * F.relu(p.diversity_target - dx / dz).mean()
        extra = extra_loss()
        if extra is not None:
            loss_g = loss_g + extra
        self.opt_g.zero_grad(set_to_none=True)
        loss_g.backward()
        sync_gradients(self.G)
        self.opt_g.step()
        return loss_g

    @torch.no_grad()
    def update_ema(self, beta: float) -> None:
        """EMA of the generator (buffers copied as they are)."""
        for p_ema, p in zip(self.G_ema.parameters(), self.G.parameters()):
            p_ema.lerp_(p, 1 - beta)
        for b_ema, b in zip(self.G_ema.buffers(), self.G.buffers()):
            b_ema.copy_(b)

    # ---- state: snapshots for recovery, tensors for checkpoints --------------------------------------------
    def snapshot(self) -> dict:
        return {"G": copy.deepcopy(self.G.state_dict()), "D": copy.deepcopy(self.D.state_dict()),
                "G_ema": copy.deepcopy(self.G_ema.state_dict()), "opt_g": copy.deepcopy(self.opt_g.state_dict()),
                "opt_d": copy.deepcopy(self.opt_d.state_dict())}

    def restore(self, snap: dict) -> None:
        self.G.load_state_dict(snap["G"])
        self.D.load_state_dict(snap["D"])
        self.G_ema.load_state_dict(snap["G_ema"])
        self.opt_g.load_state_dict(snap["opt_g"])
        self.opt_d.load_state_dict(snap["opt_d"])

    def modules(self) -> dict[str, torch.nn.Module]:
        return {"G": self.G, "D": self.D, "G_ema": self.G_ema}

    def optimizers(self) -> dict[str, torch.optim.Optimizer]:
        return {"opt_g": self.opt_g, "opt_d": self.opt_d}
