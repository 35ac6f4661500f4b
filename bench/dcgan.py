"""The seed recipe this product grew from, as a recipe of the one training loop: an unconditional DCGAN (BCE
losses, no augmentation, no R1, no matching-aware term, Adam betas 0.5/0.999), kept as the measured baseline
(bench/baseline-models/dcgan-seed; its network is app/engine/baseline.py so `app evaluate` still loads it).

    .venv/bin/python bench/dcgan.py --data ../shared/datasets/fashion-small-64 --out runs/dcgan [train flags]

Takes the flags of `python -m app train` (its --recipe is ignored).
"""

from __future__ import annotations

import sys
from pathlib import Path

import torch
from torch.nn import functional as F

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.engine import baseline  # noqa: E402
from app.engine.gan_step import GanParams, GanStep  # noqa: E402
from app.engine.train import Trainer, TrainRequest  # noqa: E402


class DcganStep(GanStep):
    """The seed's losses: binary cross-entropy on D's logits, real vs fake; no R1, no wrong descriptions."""

    def d_loss(self, d_real, d_fake, x_real, c_wrong) -> torch.Tensor:
        return F.binary_cross_entropy_with_logits(d_real, torch.ones_like(d_real)) + \
            F.binary_cross_entropy_with_logits(d_fake, torch.zeros_like(d_fake))

    def g_loss(self, d_gen: torch.Tensor) -> torch.Tensor:
        return F.binary_cross_entropy_with_logits(d_gen, torch.ones_like(d_gen))

    def r1(self, step, x_real, c_real) -> torch.Tensor:
        return torch.zeros((), device=self.device)


class DcganTrainer(Trainer):
    """The base-model trainer with the seed's networks and step; it exports the raw generator (no EMA)."""

    recipe_name = "dcgan"

    def build_networks(self):
        cfg = baseline.DcganConfig()
        return cfg, baseline.DcganGenerator(cfg), baseline.DcganDiscriminator(cfg), (0.5, 0.999)

    def make_gan_step(self, G_ema, opt_g, opt_d) -> GanStep:
        r = self.req
        params = GanParams(batch=r.batch, diversity_weight=r.diversity_weight, diversity_target=r.diversity_target,
                           augment="", precision=r.precision)
        return DcganStep(self.G, self.D, G_ema, opt_g, opt_d, params, self.device)

    def exported_generator(self) -> torch.nn.Module:
        return self.G

    def model_config(self) -> dict:
        return {"text_encoder": "none"}


def request(**kw) -> TrainRequest:
    return TrainRequest(recipe="dcgan", **kw)


def main(argv: list[str] | None = None) -> int:
    import argparse
    import json

    from app.cli import train_cmd
    from app.engine.jobs import run_job

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    train_cmd.add_arguments(p)
    a = p.parse_args(argv)
    req = request(data=a.data, out=a.out, resume=a.resume, budget_minutes=a.budget_minutes,
                  budget_cpu_minutes=a.budget_cpu_minutes, max_steps=a.max_steps, batch=a.batch, lr_g=a.lr,
                  lr_d=a.lr_d or a.lr, device=a.device, limit=a.limit, sample_every=a.sample_every,
                  checkpoint_every=a.checkpoint_every, seed=a.seed, model_id=a.model_id,
                  gan=json.loads(a.gan) if a.gan else None, init=a.init, precision=a.precision,
                  diversity_weight=a.diversity_weight, ema_beta=a.ema_beta, ema_rampup=a.ema_rampup,
                  vocab_version=a.vocab_version, r1_every=a.r1_every)
    result = run_job(DcganTrainer(req).run(), lambda p: print(p.done, p.total, p.message, flush=True))
    print(f"model written to {result.model_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
