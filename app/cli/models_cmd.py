"""`python -m app models`: list the models Vitrine can use."""

from __future__ import annotations

NAME = "models"
HELP = "List installed models (bundled and your own) with id, resolution and location."


def add_arguments(p) -> None:
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")


def run(args) -> int:
    import json

    from app.engine.registry import Registry
    from app.paths import AppPaths

    paths = AppPaths.default()
    models = Registry(paths.bundled_models, paths.user_models).list()
    if args.json:
        print(json.dumps([{"id": m.id, "name": m.name, "resolution": m.resolution, "source": m.source,
                           "hash": m.model_hash, "folder": str(m.folder)} for m in models], indent=2, ensure_ascii=False))
        return 0
    if not models:
        print(f"No models installed. Bundled models are looked for in {paths.bundled_models}.")
        return 0
    print(f"{'id':<24} {'res':>4}  {'source':<8} {'hash':<12}  folder")
    for m in models:
        print(f"{m.id:<24} {m.resolution:>4}  {m.source:<8} {m.model_hash:<12}  {m.folder}")
    return 0
