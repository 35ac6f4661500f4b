"""Entry point of the bundled app: `vitrine <command> …` like the console script; no arguments opens the window."""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()  # torch / DataLoader workers re-enter the frozen executable
    from app.__main__ import main

    sys.exit(main(sys.argv[1:] or ["gui"]))
