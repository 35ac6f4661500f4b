"""`python -m app directions`: fit (or find by PCA), measure and name latent directions (sliders); store them in the model."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

NAME = "directions"
HELP = "Fit named latent directions (sliders: brightness, size, colour warmth, …) and write them into a model folder."


def add_arguments(p) -> None:
    p.add_argument("--model", required=True, help="model folder (rewritten in place, atomically; generator untouched)")
    p.add_argument("--method", choices=("layered", "supervised", "pca"), default="layered",
                   help="layered (default): the supervised sliders that pass, then per-layer GANSpace components "
                        "named by what they measurably change; supervised: regress picture measurements on w only; "
                        "pca: whole-w GANSpace PCA, named by measurement")
    p.add_argument("--classifier", default=None, help="attribute-classifier folder (default models/attribute-classifier)")
    p.add_argument("--conditions", type=int, default=250, help="supervised: random descriptions sampled")
    p.add_argument("--samples", type=int, default=4000, help="pca: w samples for the PCA")
    p.add_argument("--components", type=int, default=12, help="pca, layered: principal components measured")
    p.add_argument("--keep", type=int, default=8, help="pca, layered: at most this many sliders")
    p.add_argument("--min-effect", type=float, default=0.2,
                   help="layered: drop a slider moving its measure less than this many std per unit")
    p.add_argument("--per-condition", type=int, default=None,
                   help="latents per description (default 8 supervised, 20 pca; pca 1 = plain GANSpace)")
    p.add_argument("--probe", type=int, default=24, help="pictures per measurement")
    p.add_argument("--alpha", type=float, default=5.0, help="supervised: ridge strength (relative)")
    p.add_argument("--target", type=float, default=0.5,
                   help="supervised: change per slider unit, in within-description std of the measure")
    p.add_argument("--max-scale", type=float, default=8.0, help="supervised: sigma at most this × the std of w along it")
    p.add_argument("--max-flip", type=float, default=0.2, help="supervised: drop a slider flipping the product type more often at ±2")
    p.add_argument("--min-spearman", type=float, default=0.7, help="supervised: drop a slider less monotonic than this")
    p.add_argument("--protect-types", type=int, default=8,
                   help="supervised: make shape sliders orthogonal to this many product-type directions (0 = off)")
    p.add_argument("--all-layers", action="store_true",
                   help="supervised: move every synthesis layer (old behaviour) instead of late layers for style "
                        "sliders and early/middle layers for shape sliders, the split measured per slider")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--sheet", default=None, help="also save a visual check PNG (rows = sliders, columns = −3..+3)")
    p.add_argument("--dry-run", action="store_true", help="print what would be written, change nothing")
    p.add_argument("--json", default=None, help="also write the measurements here")
    p.add_argument("--threads", type=int, default=1)


def _find(args, model, clf, log) -> tuple[list, dict]:
    """The directions the chosen method finds, and its measurements."""
    from app.engine.directions import find_directions, find_supervised_directions
    from app.engine.directions_pca import find_layered_directions

    extra = {}
    if args.method in ("supervised", "layered"):
        found, report = find_supervised_directions(
            model.generator, clf, n_conditions=args.conditions, per_condition=args.per_condition or 8,
            probe=args.probe, alpha=args.alpha, seed=args.seed, target=args.target, max_scale=args.max_scale,
            min_spearman=args.min_spearman, max_flip=args.max_flip, per_layer=not args.all_layers,
            protect_types=args.protect_types, log=log)
        extra["fit"] = report
        if args.method == "layered":
            # keep the fitted sliders that change their measure visibly, then add per-layer PCA sliders
            found = [d for d in found if d.effects.get("per_unit_in_std", 0.0) >= args.min_effect]
            more, pca_report = find_layered_directions(
                model.generator, clf, n_conditions=args.conditions, per_condition=args.per_condition or 8,
                components=args.components, probe=args.probe, target=args.target, max_flip=args.max_flip,
                min_spearman=max(args.min_spearman, 0.8), min_effect=args.min_effect,
                keep=max(0, args.keep - len(found)), skip_names=tuple(d.name for d in found), seed=args.seed, log=log)
            found = found + more
            extra["layered_pca"] = pca_report
    else:
        found = find_directions(model.generator, clf, n_w=args.samples, components=args.components, keep=args.keep,
                                probe=args.probe, seed=args.seed, per_condition=args.per_condition or 20, log=log)
    return found, extra


def run(args) -> int:
    import torch

    from app.cli import CliError
    from app.engine.checkpoints import ModelError
    from app.cli.common import services_of
    from app.engine.directions import slider_sheet, write_directions
    from app.engine.generators import is_style
    from app.engine.loading import load_model

    torch.set_num_threads(args.threads)
    t0 = time.perf_counter()
    folder = Path(args.model)
    try:
        model = load_model(folder)
    except ModelError as e:
        raise CliError(str(e)) from None
    if not is_style(model.generator):
        raise CliError(f"The model {folder.name} has no mapping network, so it has no w space to find sliders in.")
    try:
        clf = services_of(args).load_classifier(args.classifier)
    except ModelError as e:
        print(f"vitrine: {e} Naming from picture measurements only.", file=sys.stderr)
        clf = None
    log = lambda s: print(s, file=sys.stderr, flush=True)  # noqa: E731
    found, extra = _find(args, model, clf, log)
    if not found:
        raise CliError("No slider passed its check; nothing written (see the measurements above).")
    rows = [{"name": d.name, "label_zh": d.label_zh, "sigma": d.sigma, "variance_share": d.variance_share,
             "layers": list(d.layers) if d.layers else None, "description": d.description, "effects": d.effects}
            for d in found]
    if args.sheet:
        slider_sheet(model.generator, found, Path(args.sheet))
    seconds = time.perf_counter() - t0
    text = json.dumps({"model": str(folder), "model_hash": model.model_hash, "method": args.method,
                       "command": "python -m app directions " + " ".join(sys.argv[2:]),
                       "seconds": round(seconds, 1), "threads": args.threads, "directions": rows, **extra},
                      indent=2, ensure_ascii=False)
    print(text)
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(text, encoding="utf-8")
    if not args.dry_run:
        write_directions(folder, found)
        print(f"wrote {len(found)} directions into {folder} ({seconds:.0f} s)", file=sys.stderr)
    return 0
