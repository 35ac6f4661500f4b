"""`python -m app regenerate FILE --out DIR`: remake exactly the picture a Vitrine file records."""

from __future__ import annotations

from pathlib import Path

NAME = "regenerate"
HELP = "Regenerate the exact picture recorded in a Vitrine PNG, JPEG, WebP or JSON sidecar."


def add_arguments(p) -> None:
    p.add_argument("file", help="a picture exported by Vitrine, or its .json sidecar")
    p.add_argument("--out", required=True, help="folder to write into (created if missing)")
    p.add_argument("--size", type=int, default=None, help="output side in pixels (default: the recorded size)")
    p.add_argument("--device", default="auto")


def run(args) -> int:
    from app.cli import CliError
    from app.cli.common import make_engine, prepare_out_dir
    from app.export import ExportError, plan_paths, ExportRequest
    from app.output import write_png_with_sidecar
    from app.reopen import ReopenError, open_request, regenerate

    try:
        request = open_request(Path(args.file))
    except ReopenError as e:
        raise CliError(str(e)) from None
    engine = make_engine(args.device)
    out = prepare_out_dir(Path(args.out))
    try:
        image = regenerate(request, engine, size=args.size)
    except ReopenError as e:
        raise CliError(str(e)) from None
    # Same naming rules as export: a safe name, never overwriting what is there.
    try:
        stem = Path(args.file).stem.replace("{", "{{").replace("}", "}}") or "vitrine"
        path = plan_paths([image], ExportRequest(folder=str(out), template=stem, format="png", sidecar=True))[0][0]
    except ExportError as e:
        raise CliError(str(e)) from None
    try:
        write_png_with_sidecar(path, image.pixels, image.request)
    except OSError as e:
        raise CliError(f"Could not write to {out}: {e.strerror or e}.") from None
    print(f"wrote {path}")
    return 0
