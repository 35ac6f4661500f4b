"""`python -m app finetune`: teach Vitrine the shop's own look from a folder of its photos."""

from __future__ import annotations

from pathlib import Path

NAME = "finetune"
HELP = "Fine-tune a model on your own product photos (a few dozen are enough) and save it under a name."


def add_arguments(p) -> None:
    p.add_argument("--photos", required=True, nargs="+", help="folder(s) or files of your photos")
    p.add_argument("--name", required=True, help="name of the new model")
    p.add_argument("--base", default="vitrine-base", help="model to start from (id or name)")
    p.add_argument("--preset", choices=("quick", "standard", "thorough"), default="standard",
                   help="quick 120 steps (≈3 min on a two-core CPU), standard 420 (≈10 min), thorough 1260 (≈30 min); "
                        "the same photos, seed and preset give the same model however busy the computer is")
    p.add_argument("--max-steps", type=int, default=None, help="stop after this many steps (overrides the preset)")
    p.add_argument("--description", default="", help="one description for all photos (default: from file names)")
    p.add_argument("--whiten", action="store_true", help="make near-white backgrounds pure white")
    p.add_argument("--resume", action="store_true", help="continue the interrupted run of this name")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--device", default="auto")


def run(args) -> int:
    from app.cli import CliError
    from app.cli.progress import ProgressPrinter
    from app.data.photo_import import import_photos
    from safetensors import SafetensorError

    from app.engine.checkpoints import ModelError, save_error
    from app.engine.finetune import FinetuneControl, FinetuneRequest, Finetuner, check_name
    from app.engine.registry import Registry
    from app.paths import AppPaths

    paths = AppPaths.default()
    for p in args.photos:
        if not Path(p).exists():
            raise CliError(f"{p} does not exist.")
    try:
        check_name(paths, args.name)
        base = Registry(paths.bundled_models, paths.user_models).find(args.base)
    except (ValueError, ModelError) as e:
        raise CliError(str(e)) from None
    res = import_photos(args.photos, base.resolution, args.whiten)
    for r in res.rejected:
        print(f"skipped {r.path}: {r.reason}")
    if not res.photos:
        raise CliError("None of the given files is a usable photo.")
    req = FinetuneRequest(tuple(args.photos), args.name, base.id, args.preset, args.max_steps, args.description,
                          seed=args.seed, device=args.device, resume=args.resume, whiten=args.whiten)
    try:
        tuner = Finetuner(req, paths, res.photos)
    except (ValueError, ModelError) as e:
        raise CliError(str(e)) from None
    from app.engine.finetune_plan import preset_estimate

    print(f"learning from {len(res.photos)} photos ({len(res.rejected)} skipped) on {tuner.choice.name}; "
          f"base {base.id}; {preset_estimate(paths, args.preset, base.id)}", flush=True)
    show = ProgressPrinter()
    control = FinetuneControl()
    last = None
    try:
        for p in tuner.run(control=control):
            last = p
            show(p, force=p.key != "step")
    except KeyboardInterrupt:
        tuner.save_checkpoint()
        print(f"\ninterrupted at step {tuner.step}; no model was written. Continue with --resume.", flush=True)
        return 130
    except (ValueError, ModelError) as e:
        raise CliError(str(e)) from None
    except (OSError, SafetensorError) as e:  # the run's own checkpoint on a full disk, a read-only folder…
        raise CliError(str(save_error(e, paths.user_models / tuner.model_id, {}))) from None
    if tuner.model_folder is None:
        return 1
    print(f"\nmodel {args.name!r} written to {tuner.model_folder}", flush=True)
    return 0
