"""`python -m app train`: train the base model (or the seed-recipe baseline) from photos."""

from __future__ import annotations

from pathlib import Path

NAME = "train"
HELP = "Train a base model on product photos (tar shards + captions.csv, or a folder with a CSV)."


FIELDS = ["data", "out", "resume", "budget_minutes", "budget_cpu_minutes", "precision", "r1_every", "max_steps",
          "batch", "recipe", "device", "limit", "sample_every", "checkpoint_every", "lr_g", "lr_d", "seed",
          "diversity_weight", "ema_beta", "ema_rampup", "init", "vocab_version", "model_id", "gan"]
HELP_TEXT = {
    "data": "dataset folder", "out": "run folder (checkpoints, samples, model/)",
    "resume": "continue from the run folder's checkpoint", "budget_minutes": "stop after this much training time",
    "budget_cpu_minutes": "stop after this much CPU time of the process (equal-compute comparisons on a busy "
                          "machine)",
    "precision": "bf16: about twice as fast on CPUs with AVX512-BF16 and on GPUs",
    "limit": "read at most this many photos", "lr_g": "generator learning rate",
    "lr_d": "discriminator learning rate (default: --lr)",
    "diversity_weight": "mode-seeking term against repeated pictures", "ema_beta": "EMA decay of the generator average",
    "ema_rampup": "EMA spans at most this fraction of the images seen so far (0.05 for runs from scratch)",
    "init": "start from this model folder's weights (e.g. to continue a shipped model)",
    "vocab_version": "product vocabulary of the new model (with --init from an older one: its weights are "
                     "transplanted)",
    "gan": "JSON overrides of the network config (advanced)"}


def add_arguments(p) -> None:
    from app.cli.options import request_options
    from app.engine.train import TrainRequest

    request_options(p, TrainRequest, FIELDS, required=["data", "out"], help=HELP_TEXT,
                    flags={"lr_g": "--lr"}, defaults={"lr_d": None},
                    choices={"precision": ("fp32", "bf16"), "recipe": ("vitrine", "dcgan")})


def run(args) -> int:
    from app.cli import CliError
    from app.cli.options import request_from_args
    from app.cli.progress import drive
    from app.engine.jobs import run_job
    from app.engine.train import Trainer, TrainRequest

    if not Path(args.data).exists():
        raise CliError(f"The data folder {args.data} does not exist.")
    req = request_from_args(TrainRequest, args, lr_d=args.lr_d or args.lr_g)
    if args.recipe == "dcgan":  # the seed recipe is a bench tool (bench/dcgan.py), there in a checkout of Vitrine
        try:
            from bench.dcgan import DcganTrainer as Trainer
        except ImportError:
            raise CliError("The seed DCGAN recipe is bench/dcgan.py; run it from a checkout of Vitrine.") from None
    try:
        trainer = Trainer(req)
    except FileNotFoundError as e:
        raise CliError(str(e)) from None
    if trainer.rank != 0:  # the other processes of a multi-GPU run train quietly
        run_job(trainer.run())
        return 0
    print(f"training on {trainer.choice.name} × {trainer.world} process(es), {len(trainer.photos)} photos", flush=True)
    drive(trainer.run())
    print(f"\nmodel written to {Path(args.out) / 'model'}", flush=True)
    return 0
