"""`python -m app regenerate FILE --out DIR`: remake exactly the picture a Vitrine file records.

An exported file also records its export settings (preset, framing, size, white background, format, quality):
the file is then made again as exported, in its own format, not just the picture behind it.
"""

from __future__ import annotations

import json
from pathlib import Path

NAME = "regenerate"
HELP = "Regenerate the exact picture recorded in a Vitrine PNG, JPEG, WebP or JSON sidecar (exports as exported)."


def add_arguments(p) -> None:
    p.add_argument("file", help="a picture exported by Vitrine, or its .json sidecar")
    p.add_argument("--out", required=True, help="folder to write into (created if missing)")
    p.add_argument("--size", type=int, default=None,
                   help="output side in pixels (default: the recorded size; ignores the export settings)")
    p.add_argument("--device", default="auto")


def run(args) -> int:
    from app.cli import CliError
    from app.cli.common import prepare_out_dir, services_of
    from app.export import ExportError, ExportRequest, checked_settings, plan_paths, remake_exported
    from app.metadata import EXTENSIONS, read_export
    from app.output import atomic_write_bytes, write_png_with_sidecar
    from app.reopen import ReopenError, open_request, regenerate

    source = Path(args.file)
    try:
        request = open_request(source)
        settings = None if args.size else read_export(source)
        settings = checked_settings(settings) if settings else None
    except (ReopenError, ExportError) as e:
        raise CliError(str(e)) from None
    engine = services_of(args).engine()
    out = prepare_out_dir(Path(args.out))
    try:
        image = regenerate(request, engine, size=args.size)
    except ReopenError as e:
        raise CliError(str(e)) from None
    fmt = settings["format"] if settings else "png"
    # Same naming rules as export: a safe name, never overwriting what is there.
    try:
        stem = source.stem.replace("{", "{{").replace("}", "}}") or "vitrine"
        path = plan_paths([image], ExportRequest(folder=str(out), template=stem, format=fmt, sidecar=True))[0][0]
    except ExportError as e:
        raise CliError(str(e)) from None
    try:
        if settings:
            atomic_write_bytes(path, remake_exported(image.pixels, image.request, settings, engine))
            sidecar = {"vitrine": 1, "request": image.request.to_dict(), "export": settings}
            atomic_write_bytes(path.with_suffix(".json"), json.dumps(sidecar, ensure_ascii=False, indent=2).encode())
        else:
            write_png_with_sidecar(path, image.pixels, image.request)
    except OSError as e:
        raise CliError(f"Could not write to {out}: {e.strerror or e}.") from None
    print(f"wrote {path}" + (f" (as exported: {settings['preset']}, {settings['size']} px, "
                              f"{EXTENSIONS[fmt][1:]})" if settings else ""))
    return 0
