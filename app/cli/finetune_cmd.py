"""`python -m app finetune`: teach Vitrine the shop's own look from a folder of its photos."""

from __future__ import annotations

from pathlib import Path

NAME = "finetune"
HELP = "Fine-tune a model on your own product photos (a few dozen are enough) and save it under a name."


def add_arguments(p) -> None:
    from app.cli.options import request_options
    from app.engine.finetune import FinetuneRequest
    from app.engine.finetune_plan import PRESETS

    request_options(p, FinetuneRequest, ["photos", "name", "base", "preset", "max_steps", "description", "whiten",
                                         "resume", "seed", "device"],
                    required=["photos", "name"], defaults={"preset": "standard"}, choices={"preset": tuple(PRESETS)},
                    help={"photos": "folder(s) or files of your photos", "name": "name of the new model",
                          "base": "model to start from (id or name)",
                          "preset": "quick 120 steps (≈3 min on a two-core CPU), standard 420 (≈10 min), thorough 1260 "
                                    "(≈30 min); the same photos, seed and preset give the same model however busy the "
                                    "computer is",
                          "max_steps": "stop after this many steps (overrides the preset)",
                          "description": "one description for all photos (default: from file names)",
                          "whiten": "make near-white backgrounds pure white",
                          "resume": "continue the interrupted run of this name"})


def run(args) -> int:
    from app.cli import CliError
    from app.cli.progress import drive
    from app.data.photo_import import import_photos
    from safetensors import SafetensorError

    from app.engine.checkpoints import ModelError, save_error
    from app.engine.finetune import FinetuneRequest, Finetuner, check_name
    from app.cli.common import services_of
    from app.cli.options import request_from_args

    services = services_of(args)
    paths = services.paths
    for p in args.photos:
        if not Path(p).exists():
            raise CliError(f"{p} does not exist.")
    try:
        check_name(paths, args.name)
        base = services.registry.find(args.base)
    except (ValueError, ModelError) as e:
        raise CliError(str(e)) from None
    res = import_photos(args.photos, base.resolution, args.whiten)
    for r in res.rejected:
        print(f"skipped {r.path}: {r.reason}")
    if not res.photos:
        raise CliError("None of the given files is a usable photo.")
    req = request_from_args(FinetuneRequest, args, base=base.id)
    try:
        tuner = Finetuner(req, paths, res.photos, registry=services.registry)
    except (ValueError, ModelError) as e:
        raise CliError(str(e)) from None
    from app.engine.finetune_plan import preset_estimate

    print(f"learning from {len(res.photos)} photos ({len(res.rejected)} skipped) on {tuner.choice.name}; "
          f"base {base.id}; {preset_estimate(paths, args.preset, base.id)}", flush=True)
    try:
        drive(tuner.run(), force=lambda p: p.message_key != "finetune.step")
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
