"""`python -m app train`: train the base model (or the seed-recipe baseline) from photos."""

from __future__ import annotations

import json
from pathlib import Path

NAME = "train"
HELP = "Train a base model on product photos (tar shards + captions.csv, or a folder with a CSV)."


def add_arguments(p) -> None:
    p.add_argument("--data", required=True, help="dataset folder")
    p.add_argument("--out", required=True, help="run folder (checkpoints, samples, model/)")
    p.add_argument("--resume", action="store_true", help="continue from the run folder's checkpoint")
    p.add_argument("--budget-minutes", type=float, default=None, help="stop after this much training time")
    p.add_argument("--budget-cpu-minutes", type=float, default=None,
                   help="stop after this much CPU time of the process (equal-compute comparisons on a busy machine)")
    p.add_argument("--precision", choices=("fp32", "bf16"), default="fp32",
                   help="bf16: about twice as fast on CPUs with AVX512-BF16 and on GPUs")
    p.add_argument("--r1-every", type=int, default=16)
    p.add_argument("--max-steps", type=int, default=100_000)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--recipe", choices=("vitrine", "dcgan"), default="vitrine")
    p.add_argument("--device", default="auto")
    p.add_argument("--limit", type=int, default=None, help="read at most this many photos")
    p.add_argument("--sample-every", type=int, default=500)
    p.add_argument("--checkpoint-every", type=int, default=1000)
    p.add_argument("--lr", type=float, default=2e-4, help="generator learning rate")
    p.add_argument("--lr-d", type=float, default=None, help="discriminator learning rate (default: --lr)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--diversity-weight", type=float, default=0.0, help="mode-seeking term against repeated pictures")
    p.add_argument("--ema-beta", type=float, default=0.999, help="EMA decay of the generator average")
    p.add_argument("--ema-rampup", type=float, default=None,
                   help="EMA spans at most this fraction of the images seen so far (0.05 for runs from scratch)")
    p.add_argument("--init", default=None, help="start from this model folder's weights (e.g. to continue a shipped model)")
    p.add_argument("--vocab-version", type=int, default=None,
                   help="product vocabulary of the new model (with --init from an older one: its weights are transplanted)")
    p.add_argument("--model-id", default="vitrine-base")
    p.add_argument("--gan", default=None, help="JSON overrides of the network config (advanced)")


def run(args) -> int:
    from app.cli import CliError
    from app.cli.progress import ProgressPrinter
    from app.engine.train import Trainer, TrainRequest

    if not Path(args.data).exists():
        raise CliError(f"The data folder {args.data} does not exist.")
    req = TrainRequest(data=args.data, out=args.out, recipe=args.recipe, resume=args.resume,
                       budget_minutes=args.budget_minutes, budget_cpu_minutes=args.budget_cpu_minutes, max_steps=args.max_steps, batch=args.batch,
                       lr_g=args.lr, lr_d=args.lr_d or args.lr, device=args.device, limit=args.limit,
                       sample_every=args.sample_every, checkpoint_every=args.checkpoint_every, seed=args.seed,
                       model_id=args.model_id, gan=json.loads(args.gan) if args.gan else None,
                       diversity_weight=args.diversity_weight, init=args.init,
                       ema_beta=args.ema_beta, ema_rampup=args.ema_rampup, vocab_version=args.vocab_version, precision=args.precision, r1_every=args.r1_every)
    if args.recipe == "dcgan":  # the seed recipe is a bench tool (bench/dcgan.py), there in a checkout of Vitrine
        try:
            from bench.dcgan import DcganTrainer as Trainer
        except ImportError:
            raise CliError("The seed DCGAN recipe is bench/dcgan.py; run it from a checkout of Vitrine.") from None
    try:
        trainer = Trainer(req)
    except FileNotFoundError as e:
        raise CliError(str(e)) from None
    show = ProgressPrinter()
    if trainer.rank == 0:
        print(f"training on {trainer.choice.name} × {trainer.world} process(es), {len(trainer.photos)} photos", flush=True)
    last = None
    for p in trainer.run():
        last = p
        if trainer.rank == 0:
            show(p)
    if trainer.rank == 0 and last is not None:
        show(last, force=True)
        print(f"\nmodel written to {Path(args.out) / 'model'}", flush=True)
    return 0
