"""`python -m app models`: list the models Vitrine can use; rename, delete, export and import the shop's own."""

from __future__ import annotations

NAME = "models"
HELP = "List installed models (bundled and your own); rename, delete, export or import your own."


def add_arguments(p) -> None:
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--delete", metavar="NAME", help="delete one of your models (bundled ones cannot be deleted)")
    g.add_argument("--rename", nargs=2, metavar=("OLD", "NEW"), help="rename one of your models")
    g.add_argument("--export", nargs=2, metavar=("NAME", "FILE"), help="write a model to one .vitrine file")
    g.add_argument("--import", dest="import_file", metavar="FILE", help="install a model from a .vitrine file")
    p.add_argument("--as", dest="as_name", default=None, help="with --import: the name to install it under")


def run(args) -> int:
    from app.cli import CliError
    from app.engine import shop_models
    from app.engine.checkpoints import ModelError
    from app.cli.common import services_of

    services = services_of(args)
    paths = services.paths
    try:
        if args.delete:
            shop_models.delete_model(paths, args.delete)
            print(f"deleted {args.delete}")
            return 0
        if args.rename:
            dest = shop_models.rename_model(paths, *args.rename)
            print(f"renamed {args.rename[0]} to {args.rename[1]} ({dest})")
            return 0
        if args.export:
            out = shop_models.export_model_file(paths, args.export[0], args.export[1])
            print(f"exported {args.export[0]} to {out}")
            return 0
        if args.import_file:
            dest = shop_models.import_model_file(paths, args.import_file, args.as_name)
            print(f"imported {args.import_file} as {dest.name} ({dest})")
            return 0
    except (ModelError, ValueError, OSError) as e:
        raise CliError(str(e)) from None
    _list(services.registry.list_all(verify=True), paths, args.json)
    return 0


def _list(models, paths, as_json: bool) -> None:
    """Every model folder, usable or damaged: a damaged one shows its reason and how to remove it."""
    import json

    from app.engine.messages import reason

    if as_json:
        print(json.dumps([{"id": m.id, "name": m.name, "resolution": m.resolution, "source": m.source,
                           "hash": m.model_hash, "folder": str(m.folder), "damaged": m.damaged,
                           "remove": f"vitrine models --delete {m.id}" if m.damaged and m.source == "user" else ""}
                          for m in models], indent=2, ensure_ascii=False))
        return
    if not models:
        print(f"No models installed. Bundled models are looked for in {paths.bundled_models}.")
        return
    print(f"{'id':<24} {'name':<24} {'res':>4}  {'source':<8} {'hash':<12}  folder")
    for m in models:
        if m.damaged:
            fix = f"remove: vitrine models --delete {m.id}" if m.source == "user" else "reinstall Vitrine"
            print(f"{m.id:<24} {'DAMAGED':<24} {'-':>4}  {m.source:<8} {'-':<12}  {m.folder}\n"
                  f"{'':<24} {reason(m.damaged)} ({fix})")
        else:
            print(f"{m.id:<24} {m.name[:24]:<24} {m.resolution:>4}  {m.source:<8} {m.model_hash:<12}  {m.folder}")
