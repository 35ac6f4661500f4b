"""`python -m app <command>` and the `vitrine` console script."""

from __future__ import annotations

import sys

from app.cli import main as _main


def main(argv: list[str] | None = None) -> int:
    return _main(argv)


if __name__ == "__main__":
    sys.exit(main())
