"""`python -m app directions`: find, measure and name latent directions (sliders) and store them in the model."""

from __future__ import annotations

import json
import sys
from pathlib import Path

NAME = "directions"
HELP = "Find named latent directions (GANSpace-style sliders) for a model and write them into its folder."


def add_arguments(p) -> None:
    p.add_argument("--model", required=True, help="model folder (rewritten in place, atomically)")
    p.add_argument("--classifier", default=None, help="attribute-classifier folder (default models/attribute-classifier)")
    p.add_argument("--samples", type=int, default=4000, help="w samples for the PCA")
    p.add_argument("--components", type=int, default=10, help="principal components measured")
    p.add_argument("--keep", type=int, default=8, help="at most this many sliders")
    p.add_argument("--per-condition", type=int, default=20,
                   help="w samples per random condition; PCA on w minus its condition's mean (1 = plain GANSpace)")
    p.add_argument("--probe", type=int, default=32, help="pictures per measurement")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--dry-run", action="store_true", help="print what would be written, change nothing")
    p.add_argument("--json", default=None, help="also write the measurements here")
    p.add_argument("--threads", type=int, default=2)


def run(args) -> int:
    import torch

    from app.cli import CliError
    from app.engine.checkpoints import ModelError
    from app.engine.classifier import DEFAULT_DIR, load_classifier
    from app.engine.directions import find_directions, write_directions
    from app.engine.loading import load_model

    torch.set_num_threads(args.threads)
    folder = Path(args.model)
    try:
        model = load_model(folder)
    except ModelError as e:
        raise CliError(str(e)) from None
    if not hasattr(model.generator, "mapping"):
        raise CliError(f"The model {folder.name} has no mapping network, so it has no w space to find sliders in.")
    try:
        clf = load_classifier(args.classifier or DEFAULT_DIR)
    except ModelError as e:
        print(f"vitrine: {e} Naming from picture measurements only.", file=sys.stderr)
        clf = None
    log = lambda s: print(s, file=sys.stderr, flush=True)  # noqa: E731
    found = find_directions(model.generator, clf, n_w=args.samples, components=args.components, keep=args.keep,
                            probe=args.probe, seed=args.seed,
                            per_condition=args.per_condition, log=log)
    rows = [{"name": d.name, "label_zh": d.label_zh, "sigma": d.sigma, "variance_share": d.variance_share,
             "description": d.description, "effects": d.effects} for d in found]
    text = json.dumps({"model": str(folder), "command": "python -m app directions " + " ".join(sys.argv[2:]),
                       "directions": rows}, indent=2, ensure_ascii=False)
    print(text)
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(text, encoding="utf-8")
    if not args.dry_run:
        write_directions(folder, found)
        print(f"wrote {len(found)} directions into {folder}", file=sys.stderr)
    return 0
