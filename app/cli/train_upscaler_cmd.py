"""`python -m app train-upscaler`: train the 4x super-resolution model on 256 px photos."""

from __future__ import annotations

import json
from pathlib import Path

NAME = "train-upscaler"
HELP = "Train the 4x upscaler (64 → 256 px) on high-resolution photos (images.tar + captions.csv)."


def add_arguments(p) -> None:
    p.add_argument("--data", required=True, help="high-resolution dataset folder (256 px tar + captions.csv with a split)")
    p.add_argument("--lr-data", default=None,
                   help="optional aligned 64 px dataset folder (real low-resolution photos of the same ids)")
    p.add_argument("--out", required=True, help="run folder (checkpoint.pt, model/)")
    p.add_argument("--resume", action="store_true", help="continue from the run folder's checkpoint")
    p.add_argument("--budget-minutes", type=float, default=None, help="stop after this much training time")
    p.add_argument("--max-steps", type=int, default=3000, help="steps of the learning-rate schedule")
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--crop", type=int, default=128, help="high-resolution crop size (multiple of 4)")
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--limit", type=int, default=None, help="read at most this many training photos")
    p.add_argument("--checkpoint-every", type=int, default=200)
    p.add_argument("--threads", type=int, default=None, help="CPU threads for torch")
    p.add_argument("--network", default=None, help="JSON overrides of the network config (advanced)")
    p.add_argument("--init", default=None, help="start from this upscaler folder (Sharp starts from Faithful)")
    p.add_argument("--perceptual-weight", type=float, default=0.0, help="Sharp: L1 on frozen Lite0 features")
    p.add_argument("--adversarial-weight", type=float, default=0.0, help="Sharp: patch-discriminator term")
    p.add_argument("--style", choices=("faithful", "sharp"), default="faithful", help="what the model is offered as")


def run(args) -> int:
    from app.cli import CliError
    from app.cli.progress import ProgressPrinter
    from app.engine.upscale import UpscalerTrainer, UpscalerTrainRequest

    if not Path(args.data).exists():
        raise CliError(f"The data folder {args.data} does not exist.")
    if args.crop % 4 or args.crop < 16:
        raise CliError("--crop must be a multiple of 4 and at least 16.")
    req = UpscalerTrainRequest(data=args.data, out=args.out, lr_data=args.lr_data, resume=args.resume,
                               budget_minutes=args.budget_minutes, max_steps=args.max_steps, batch=args.batch,
                               crop=args.crop, lr=args.lr, seed=args.seed, limit=args.limit,
                               checkpoint_every=args.checkpoint_every, threads=args.threads,
                               network=json.loads(args.network) if args.network else {}, init=args.init,
                               perceptual_weight=args.perceptual_weight, adversarial_weight=args.adversarial_weight,
                               style=args.style)
    try:
        trainer = UpscalerTrainer(req)
    except FileNotFoundError as e:
        raise CliError(str(e)) from None
    print(f"training the upscaler on {len(trainer.names)} photos ({len(trainer.lr)} with real 64 px pairs), "
          f"starting at step {trainer.step}", flush=True)
    show = ProgressPrinter()
    last = None
    for p in trainer.run():
        last = p
        show(p)
    if last is not None:
        show(last, force=True)
    print(f"\nmodel written to {trainer.model_dir}", flush=True)
    return 0
