"""Command-line front: each sub-command lives in its own module with `add_parser` and `run`."""

from __future__ import annotations

import argparse
import importlib
import sys

# Module names under app.cli; each defines NAME, HELP, add_arguments(parser) and run(args) -> int.
# A name whose module does not exist yet is skipped. "train-upscaler" → app/cli/train_upscaler_cmd.py.
COMMANDS = ("gui", "generate", "models", "export", "regenerate", "train", "evaluate", "directions", "finetune",
            "upscale", "train-upscaler", "invert")


class CliError(Exception):
    """A problem to report as one clear sentence and a non-zero exit status."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="vitrine", description="Vitrine: product photos from a description.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"app.cli.{name.replace('-', '_')}_cmd")
        except ModuleNotFoundError as e:
            if e.name == f"app.cli.{name.replace('-', '_')}_cmd":
                continue
            raise
        p = sub.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        module.add_arguments(p)
        p.set_defaults(_run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "_run", None):
        parser.print_help()
        return 2
    _sweep()
    from app.services import Services

    args.services = Services.default(getattr(args, "device", None) or "auto")  # the one composition root
    try:
        return int(args._run(args) or 0)
    except CliError as e:
        print(f"vitrine: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("vitrine: interrupted", file=sys.stderr)
        return 130


def _sweep() -> None:
    """Settle what a killed run left (export staging, unfinished model saves) and say so once."""
    from app.engine.messages import say
    from app.staging import sweep

    try:
        notes = sweep()
    except OSError:
        return
    if notes:
        print(f"vitrine: {say('swept', items='; '.join(notes))}", file=sys.stderr)
