"""`python -m app train-upscaler`: train the 4x super-resolution model on 256 px photos."""

from __future__ import annotations

from pathlib import Path

NAME = "train-upscaler"
HELP = "Train the 4x upscaler (64 → 256 px) on high-resolution photos (images.tar + captions.csv)."


def add_arguments(p) -> None:
    from app.cli.options import request_options
    from app.engine.upscale import UpscalerTrainRequest
    from app.requests import ENLARGE_STYLES

    request_options(
        p, UpscalerTrainRequest,
        ["data", "lr_data", "out", "resume", "budget_minutes", "max_steps", "batch", "crop", "lr", "seed", "limit",
         "checkpoint_every", "threads", "network", "init", "perceptual_weight", "adversarial_weight", "style"],
        required=["data", "out"], choices={"style": ENLARGE_STYLES},
        help={"data": "high-resolution dataset folder (256 px tar + captions.csv with a split)",
              "lr_data": "optional aligned 64 px dataset folder (real low-resolution photos of the same ids)",
              "out": "run folder (checkpoint.pt, model/)", "resume": "continue from the run folder's checkpoint",
              "budget_minutes": "stop after this much training time",
              "max_steps": "steps of the learning-rate schedule",
              "crop": "high-resolution crop size (multiple of 4)",
              "limit": "read at most this many training photos", "threads": "CPU threads for torch",
              "network": "JSON overrides of the network config (advanced)",
              "init": "start from this upscaler folder (Sharp starts from Faithful)",
              "perceptual_weight": "Sharp: L1 on frozen Lite0 features",
              "adversarial_weight": "Sharp: patch-discriminator term", "style": "what the model is offered as"})


def run(args) -> int:
    from app.cli import CliError
    from app.cli.progress import drive
    from app.cli.options import request_from_args
    from app.engine.upscale import UpscalerTrainer, UpscalerTrainRequest

    if not Path(args.data).exists():
        raise CliError(f"The data folder {args.data} does not exist.")
    if args.crop % 4 or args.crop < 16:
        raise CliError("--crop must be a multiple of 4 and at least 16.")
    req = request_from_args(UpscalerTrainRequest, args)
    try:
        trainer = UpscalerTrainer(req)
    except FileNotFoundError as e:
        raise CliError(str(e)) from None
    print(f"training the upscaler on {len(trainer.names)} photos ({len(trainer.lr)} with real 64 px pairs), "
          f"starting at step {trainer.step}", flush=True)
    drive(trainer.run())
    print(f"\nmodel written to {trainer.model_dir}", flush=True)
    return 0
