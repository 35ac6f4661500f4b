"""`python -m app invert PHOTO --out DIR`: start from a photo — find the model's closest picture and neighbours."""

from __future__ import annotations

from pathlib import Path

NAME = "invert"
HELP = ("Start from a photo: find the model's picture closest to it (reconstruction.png), paint neighbours "
        "(variation-k.png) and store their latents (latent.safetensors, request.json).")


def add_arguments(p) -> None:
    from app.cli.options import request_options
    from app.engine.invert import InvertRequest

    p.add_argument("photo", help="a product photo (JPEG, PNG, WebP, BMP or TIFF)")
    p.add_argument("--out", required=True, help="folder to write into (created if missing)")
    request_options(p, InvertRequest, ["model_id", "steps", "variations", "description", "seed", "per_layer"],
                    flags={"model_id": "--model"}, negated={"per_layer": "--shared-w"},
                    help={"model_id": "model id or name (default: the bundled base model)",
                          "steps": "optimisation steps (more: closer, slower)",
                          "variations": "neighbouring pictures to paint as well",
                          "description": "what the photo shows (default: guessed from the photo)",
                          "per_layer": "one w for all layers (no per-layer fine-tuning)"})
    p.add_argument("--device", default="auto")


def run(args) -> int:
    from app.cli import CliError
    from app.cli.common import prepare_out_dir, services_of
    from app.cli.options import request_from_args
    from app.cli.progress import ProgressPrinter, drive
    from app.engine.checkpoints import ModelError
    from app.engine.invert import MAX_STEPS, MAX_VARIATIONS, Inversion, InvertRequest, prepare_photo, save_inversion

    if not 1 <= args.steps <= MAX_STEPS:
        raise CliError(f"--steps must be between 1 and {MAX_STEPS}.")
    if not 0 <= args.variations <= MAX_VARIATIONS:
        raise CliError(f"--variations must be between 0 and {MAX_VARIATIONS}.")
    photo = Path(args.photo)
    if not photo.exists():
        raise CliError(f"The photo {photo} does not exist.")
    try:
        prepare_photo(photo)  # refuse a bad photo before loading anything
    except ValueError as e:
        raise CliError(str(e)) from None
    out = prepare_out_dir(Path(args.out))
    engine = services_of(args).engine()
    req = request_from_args(InvertRequest, args, photo=str(photo.resolve()))
    show = ProgressPrinter()
    try:
        result = drive(Inversion(engine, req).run(), show, force=lambda p: p.done <= 1)
    except (ModelError, ValueError) as e:
        raise CliError(str(e)) from None
    show.stream.write("\n" if show.tty else "")
    try:
        written = save_inversion(result, out)
    except OSError as e:
        raise CliError(f"Could not write to {out}: {e.strerror or e}.") from None
    m = result.metrics
    print(f"condition: {result.description or 'open'} ({result.condition_source}); "
          f"PSNR {m['psnr']:.1f} dB in {m['seconds']:.1f} s")
    for path in written:
        print(f"wrote {path}")
    return 0
