"""`python -m app generate`: pictures for a description (or a CSV of them) written as PNG + JSON sidecars."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

NAME = "generate"
HELP = "Paint product pictures for a description and write them as PNG files with JSON sidecars."


def add_arguments(p) -> None:
    p.add_argument("description", nargs="?", default=None, help="what to paint, in English or Chinese")
    p.add_argument("--prompts", help="CSV file with columns prompt_id,prompt (UTF-8)")
    from app.cli.options import request_options
    from app.requests import ENLARGE_STYLES, GenerateRequest

    request_options(p, GenerateRequest, ["count", "seed", "model_id", "size", "truncation"],
                    flags={"model_id": "--model", "truncation": "--creativity"},
                    defaults={"count": 4, "model_id": None, "size": None},
                    help={"model_id": "model id or name (default: the bundled base model)",
                          "size": "output side in pixels (default: the model's)",
                          "truncation": "truncation: 0 typical … 1 full variety"})
    p.add_argument("--slider", action="append", default=[], metavar="NAME=VALUE", help="latent slider offset")
    p.add_argument("--out", required=True, help="folder to write into (created if missing)")
    p.add_argument("--device", default="auto")
    p.add_argument("--preset", default=None, metavar="NAME",
                   help="also export listing-ready JPEGs into OUT/NAME/ (taobao, jd, amazon, shopify)")
    request_options(p, GenerateRequest, ["enlarge"], choices={"enlarge": ENLARGE_STYLES},
                    help={"enlarge": "learned upscaler for sizes above the model's: sharp (default) or faithful"})


def _read_prompts(path: Path) -> list[tuple[str, str]]:
    from app.cli import CliError

    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            reader = csv.DictReader(f)
            if not reader.fieldnames or not {"prompt_id", "prompt"} <= set(reader.fieldnames):
                raise CliError(f"{path} must have the columns prompt_id,prompt.")
            rows = [(r["prompt_id"].strip(), (r["prompt"] or "").strip()) for r in reader]
    except FileNotFoundError:
        raise CliError(f"The prompts file {path} does not exist.") from None
    except UnicodeDecodeError:
        raise CliError(f"The prompts file {path} is not UTF-8 text.") from None
    except csv.Error as e:
        raise CliError(f"The prompts file {path} is not a valid CSV ({e}).") from None
    if not rows:
        raise CliError(f"The prompts file {path} has no prompts.")
    for pid, prompt in rows:
        if not pid or not prompt:
            raise CliError(f"The prompts file {path} has a row with an empty prompt_id or prompt.")
    return rows


def _sliders(values: list[str]) -> tuple[tuple[str, float], ...]:
    from app.cli import CliError

    out = []
    for v in values:
        name, _, num = v.partition("=")
        try:
            out.append((name.strip(), float(num)))
        except ValueError:
            raise CliError(f"--slider expects NAME=NUMBER, not {v!r}.") from None
    return tuple(sorted(out))


def _prompts(args) -> list[tuple[str, str]]:
    """(prompt_id, description) pairs to paint, checked before any work is done."""
    from app.cli import CliError
    from app.request_limits import RequestLimitError, check_description

    if args.prompts and args.description:
        raise CliError("Give either a description or --prompts, not both.")
    if args.prompts:
        prompts = _read_prompts(Path(args.prompts))
    elif args.description is not None:
        if not args.description.strip():
            raise CliError("The description is empty; say what to paint, e.g. \"navy blue shirt for men\".")
        prompts = [("", args.description)]
    else:
        raise CliError("Say what to paint, e.g. vitrine generate \"navy blue shirt for men\" --out DIR.")
    if args.count < 1:
        raise CliError("--count must be at least 1.")
    try:
        for _, prompt in prompts:
            check_description(prompt)  # said before any work: a 100 kB description is refused, not read for a minute
    except RequestLimitError as e:
        raise CliError(str(e)) from None
    if args.preset:
        from app.export import PRESETS

        if args.preset.lower() not in PRESETS:
            raise CliError(f"Unknown preset {args.preset!r}; choose {', '.join(PRESETS)}.")
    return prompts


def _load(engine, args, prompts):
    """The model to paint with; refuses a description that names no product the model knows."""
    from app.cli import CliError
    from app.engine.checkpoints import ModelError

    try:
        model = engine.load(args.model_id)
    except ModelError as e:
        raise CliError(str(e)) from None
    for _, prompt in prompts:
        understood = engine.understand(prompt, model_id=model.model_id)
        if understood.unknown_product:  # no product it knows: said (in the description's language), nothing painted
            raise CliError(understood.unknown_product_message())
    return model


def _paint(engine, model, args, prompts, out: Path, enlarge: str) -> tuple[list, list]:
    """Paint every prompt into `out` (PNG + JSON sidecar); (manifest rows, (prompt_id, picture) pairs)."""
    from app.cli import CliError
    from app.engine.checkpoints import ModelError
    from app.engine.generate import GenerationError
    from app.cli.options import request_from_args
    from app.output import write_png_with_sidecar
    from app.requests import GenerateRequest

    size = args.size or model.resolution
    manifest, generated = [], []
    try:
        for pid, prompt in prompts:
            req = request_from_args(GenerateRequest, args, description=prompt, model_id=model.model_id,
                                    model_hash=model.model_hash, offsets=_sliders(args.slider), size=size,
                                    enlarge=enlarge)
            for img in engine.generate(req):
                seed = img.request.seed + img.request.start  # the picture's own seed
                name = f"{pid}-{seed}.png" if pid else f"vitrine-{seed}.png"
                path = write_png_with_sidecar(out / name, img.pixels, img.request)
                manifest.append((path.name, pid, seed))
                generated.append((pid, img))
    except (GenerationError, ModelError) as e:
        raise CliError(str(e)) from None
    except OSError as e:
        raise CliError(f"Could not write to {out}: {e.strerror or e}.") from None
    return manifest, generated


def run(args) -> int:
    from app.cli.common import prepare_out_dir, services_of

    prompts = _prompts(args)
    engine = services_of(args).engine()
    model = _load(engine, args, prompts)
    out = prepare_out_dir(Path(args.out))
    size = args.size or model.resolution
    enlarge = enlarge_style(engine, args.enlarge) if size > model.resolution or args.preset else args.enlarge
    manifest, generated = _paint(engine, model, args, prompts, out, enlarge)
    if args.prompts:
        from app.output import atomic_write_bytes

        lines = ["file_name,prompt_id,seed"] + [f"{f},{_csv_field(p)},{s}" for f, p, s in manifest]
        atomic_write_bytes(out / "manifest.csv", ("\n".join(lines) + "\n").encode("utf-8"))
    if args.preset:
        _export_preset(args.preset.lower(), out, generated, engine, enlarge)
    print(f"wrote {len(manifest)} picture(s) to {out} in {engine.last_seconds:.2f} s on {engine.device_choice.name}")
    return 0


def _export_preset(preset: str, out: Path, generated: list, engine, enlarge: str = "sharp") -> None:
    """Listing-ready copies of the pictures just written, in OUT/PRESET/, named like the PNGs."""
    from app.cli import CliError
    from app.cli.common import prepare_out_dir
    from app.export import ExportError, ExportRequest, export_images

    folder = prepare_out_dir(out / preset)
    by_pid: dict[str, list] = {}
    for pid, img in generated:
        by_pid.setdefault(pid, []).append(img)
    try:
        for pid, images in by_pid.items():
            export_images(images, ExportRequest(folder=str(folder), preset=preset, sku=pid, enlarge=enlarge,
                                                template="{sku}-{seed}" if pid else "vitrine-{seed}"), engine=engine)
    except ExportError as e:
        raise CliError(str(e)) from None


def enlarge_style(engine, wanted: str) -> str:
    """The upscaler style to paint with: `wanted`, or Faithful (said on stderr) when Sharp is not installed."""
    from app.cli import CliError
    from app.engine.checkpoints import ModelError
    from app.engine.messages import say
    from app.engine.upscalers import display_name, missing_message

    try:
        other = "faithful" if wanted == "sharp" else "sharp"
        if engine.upscaler(wanted) is not None or engine.upscaler(other) is None:
            return wanted  # none installed at all: Lanczos, as always
        if wanted == "sharp":
            print("note: " + say("upscaler_fallback", sharp=display_name("sharp"), faithful=display_name("faithful")),
                  file=sys.stderr)
            return "faithful"
    except ModelError as e:
        raise CliError(str(e)) from None
    raise CliError(missing_message(wanted))


def _csv_field(value: str) -> str:
    if any(ch in value for ch in ',"\n'):
        return '"' + value.replace('"', '""') + '"'
    return value
