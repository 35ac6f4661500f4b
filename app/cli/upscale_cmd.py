"""`python -m app upscale`: enlarge any pictures with the learned 4x upscaler, then Lanczos to --size."""

from __future__ import annotations

import sys
from pathlib import Path

NAME = "upscale"
HELP = "Enlarge pictures (PNG/JPEG/...) with the learned 4x upscaler and write square PNGs of --size px."

MODEL_PX = 64  # the upscaler was trained on 64 px product pictures


def add_arguments(p) -> None:
    p.add_argument("images", nargs="+", metavar="IMAGE", help="pictures to enlarge")
    p.add_argument("--out", required=True, help="folder for the PNGs")
    p.add_argument("--size", type=int, default=1024, help="side of the square output in pixels (default 1024)")
    p.add_argument("--style", default="sharp", choices=("sharp", "faithful"),
                   help="sharp (GAN-trained, bundled upscaler-sharp-x4; the default) or faithful (upscaler-x4)")
    p.add_argument("--model", default=None, help="upscaler model folder (default: the bundled one of --style)")
    p.add_argument("--device", default="cpu")


def square(img):
    """Pad to a square, centred, with the picture's own border colour (white for studio shots)."""
    import numpy as np
    from PIL import Image

    w, h = img.size
    if w == h:
        return img
    a = np.asarray(img)
    border = np.concatenate([a[0], a[-1], a[:, 0], a[:, -1]])
    fill = tuple(int(v) for v in np.median(border, axis=0))
    s = max(w, h)
    canvas = Image.new("RGB", (s, s), fill)
    canvas.paste(img, ((s - w) // 2, (s - h) // 2))
    return canvas


def enlarge(img, upscaler, size: int):
    """Any RGB picture → size × size, padded to a square first.

    Pictures at least half of `size` wide are only resized (Lanczos): 4x detail would be thrown away
    again. Smaller ones go once through the 4x model at their own resolution (it is fully
    convolutional and tiles large inputs), pictures under 64 px being first brought to 64 px, its
    training scale; the 4x result is then Lanczos-resized to `size`."""
    import numpy as np
    from PIL import Image

    img = square(img)
    s = img.width
    if 2 * s >= size:
        return img.resize((size, size), Image.Resampling.LANCZOS)
    if s < MODEL_PX:
        img = img.resize((MODEL_PX, MODEL_PX), Image.Resampling.LANCZOS)
    up = upscaler(np.asarray(img)[None])[0]
    out = Image.fromarray(up)
    return out if out.width == size else out.resize((size, size), Image.Resampling.LANCZOS)


def run(args) -> int:
    from app.cli import CliError
    from app.cli.common import prepare_out_dir
    from app.data.pictures import PictureError, read_picture
    from app.engine.checkpoints import ModelError
    from app.engine.upscale import load_upscaler
    from app.cli.common import services_of
    from app.engine.upscalers import style_folder

    if not 16 <= args.size <= 8192:
        raise CliError("--size must be between 16 and 8192 pixels.")
    try:
        if args.model:
            if not Path(args.model).is_dir():
                raise CliError(f"The upscaler model folder {args.model} does not exist.")
            upscaler = load_upscaler(Path(args.model), args.device)
        else:
            services = services_of(args)
            bundled = services.paths.bundled_models
            upscaler = services.load_upscaler(args.style, args.device)
            if upscaler is None:
                other = "faithful" if args.style == "sharp" else "sharp"
                raise CliError(f"No upscaler model is installed for --style {args.style} "
                               f"({style_folder(bundled, args.style)} is missing); --style {other} uses the other one.")
    except ModelError as e:
        raise CliError(str(e)) from None
    out = prepare_out_dir(Path(args.out))
    used: set[str] = set()
    failed = 0
    for name in args.images:
        path = Path(name)
        try:
            img = read_picture(path)  # the one reader: EXIF orientation, 16-bit scaled, alpha on white
        except PictureError as e:
            what = "does not exist" if "does not exist" in e.reason else f"is not a picture Vitrine can read ({e.reason})"
            print(f"vitrine: {name} {what}; skipped.", file=sys.stderr)
            failed += 1
            continue
        stem, k = path.stem, 1
        while f"{stem}.png" in used:
            k += 1
            stem = f"{path.stem}-{k}"
        used.add(f"{stem}.png")
        dest = out / f"{stem}.png"
        enlarge(img, upscaler, args.size).save(dest)
        print(dest, flush=True)
    if failed:
        print(f"vitrine: {failed} of {len(args.images)} picture(s) could not be read.", file=sys.stderr)
        return 1
    return 0
