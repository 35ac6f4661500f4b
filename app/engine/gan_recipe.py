"""What the two GAN recipes of the one training loop share: the base model (train.Trainer) and few-shot
fine-tuning (finetune.Finetuner) both train a `GanStep` (`self.gan`).

Here once: its networks and optimisers by name, the snapshot a recovery puts back, and the GAN half of a
checkpoint (weights, optimisers, RNG states; the step and the clocks). Each recipe adds what is its own to the
checkpoint's meta (its request, network config, …) and writes it with its Checkpointer.
"""

from __future__ import annotations

import torch

from app.engine.gan_step import GanStep
from app.engine.train_checkpoint import gan_tensors, load_gan_tensors
from app.engine.train_loop import Recipe


class GanRecipe(Recipe):
    """A recipe whose step is a GanStep; subclasses set `gan`, `data_gen` (the data RNG) and `device`."""

    gan: GanStep
    data_gen: torch.Generator
    device: torch.device

    @property
    def G_ema(self) -> torch.nn.Module:
        return self.gan.G_ema

    @property
    def opt_g(self) -> torch.optim.Optimizer:
        return self.gan.opt_g

    @property
    def opt_d(self) -> torch.optim.Optimizer:
        return self.gan.opt_d

    def snapshot(self) -> dict:
        return self.gan.snapshot()

    def restore(self, snap: dict) -> None:
        self.gan.restore(snap)

    def gan_checkpoint(self) -> tuple[dict[str, torch.Tensor], dict]:
        """(tensors, meta) of the GAN half of a checkpoint: weights, optimisers, RNG states; step and clocks."""
        tensors, meta = gan_tensors(self.gan, self.data_gen, self.device)
        meta.update({"step": self.step, "wall_s": self.wall, "cpu_s": self.cpu_s, "recoveries": self.recoveries})
        return tensors, meta

    def load_gan_checkpoint(self, tensors: dict[str, torch.Tensor], meta: dict) -> None:
        """Put back what gan_checkpoint wrote (the exact state to resume from)."""
        load_gan_tensors(self.gan, tensors, meta, self.data_gen, self.device)
        self.step, self.wall, self.recoveries = meta["step"], meta["wall_s"], meta.get("recoveries", 0)
        self.cpu_s = float(meta.get("cpu_s", 0.0))
