"""`python -m app export FILES… --to DIR`: listing-ready copies of Vitrine pictures (regenerated at size when possible)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

NAME = "export"
HELP = ("Export Vitrine pictures (or their JSON sidecars) to a listing folder with a marketplace preset, "
        "regenerating them at the target size when the model is installed.")


def add_arguments(p) -> None:
    from app.cli.options import request_options
    from app.export import FORMATS, PRESETS, SUBFOLDERS, ExportRequest
    from app.requests import ENLARGE_STYLES

    p.add_argument("files", nargs="+", metavar="IMAGE_OR_SIDECAR")
    request_options(p, ExportRequest, ["folder", "preset", "size", "format", "quality", "template", "sku",
                                       "product_name", "subfolder", "white_background", "sidecar", "enlarge"],
                    flags={"folder": "--to", "product_name": "--name", "white_background": "--white"},
                    negated={"sidecar": "--no-sidecar"}, required=["folder"], defaults={"size": None},
                    choices={"format": FORMATS, "subfolder": SUBFOLDERS, "enlarge": ENLARGE_STYLES},
                    help={"folder": "folder to write into (created if missing)",
                          "preset": f"{', '.join(PRESETS)} or custom (with --size)",
                          "size": "square side for --preset custom",
                          "template": "file-name template: {sku} {name} {index} {date} {seed} {colour} {category} "
                                      "{model}",
                          "product_name": "product name for {name} (default: each picture's description)",
                          "white_background": "force the background to pure white",
                          "enlarge": "learned upscaler that enlarges the pictures: sharp (default) or faithful"})
    p.add_argument("--device", default="auto")


@dataclass(frozen=True)
class _Item:
    pixels: np.ndarray
    request: object


def _beside(sidecar: Path) -> Path | None:
    for ext in (".png", ".jpg", ".jpeg", ".webp"):
        if sidecar.with_suffix(ext).is_file():
            return sidecar.with_suffix(ext)
    return None


def run(args) -> int:
    from app.cli import CliError
    from app.cli.common import prepare_out_dir, services_of
    from app.export import CUSTOM, ExportError, ExportRequest, export_images
    from app.metadata import read_pixels
    from app.reopen import ReopenError, open_request, regenerate, unavailable

    from app.cli.options import request_from_args

    preset = args.preset.lower()
    export = request_from_args(ExportRequest, args, preset=preset, size=args.size or 800)
    if preset == CUSTOM and not args.size:
        raise CliError("--preset custom needs --size PIXELS.")
    try:
        export.validate()
    except ExportError as e:
        raise CliError(str(e)) from None
    requests = []
    for f in map(Path, args.files):
        try:
            requests.append((f, open_request(f)))
        except ReopenError as e:
            raise CliError(str(e)) from None
    engine = services_of(args).engine()
    from app.cli.generate_cmd import enlarge_style

    style = enlarge_style(engine, args.enlarge)  # Faithful (with a note) when Sharp is not installed
    items, notes = [], []
    for f, req in requests:
        why = unavailable(engine, req)
        if why is None:
            try:
                # Painted again with the chosen upscaler; the file records it, so `regenerate` remakes it exactly.
                items.append(regenerate(replace(req, enlarge=style), engine, size=export.target_size))
                continue
            except ReopenError as e:
                raise CliError(str(e)) from None
        picture = f if f.suffix.lower() != ".json" else _beside(f)
        if picture is None:
            raise CliError(f"{f.name}: {why} No picture lies beside it to export instead.")
        notes.append(f"{f.name}: {why} Exported the file's own pixels.")
        items.append(_Item(read_pixels(picture), req))
    prepare_out_dir(Path(args.folder))
    try:
        result = export_images(items, export, engine=engine)
    except ExportError as e:
        raise CliError(str(e)) from None
    for note in notes:
        print(f"note: {note}")
    print(f"exported {len(result.files)} picture(s) to {result.folder}")
    return 0
