"""`python -m app gui`: the desktop app; with --screenshot it paints, saves a picture of the window and exits."""

from __future__ import annotations

NAME = "gui"
HELP = "Open the Vitrine window (optionally paint a description and save a screenshot of the window)."


def add_arguments(p) -> None:
    p.add_argument("--description", help="start with this description (and paint it when taking a screenshot)")
    p.add_argument("--screenshot", metavar="PATH", help="paint, save a PNG of the whole window to PATH and exit")
    p.add_argument("--lang", choices=("en", "zh"), help="interface language (saved for next time)")
    p.add_argument("--theme", choices=("light", "dark"), help="colour theme (saved for next time)")
    p.add_argument("--count", type=int, default=None, help="pictures to paint for the screenshot")
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--device", default="auto")
    p.add_argument("--timeout", type=float, default=120.0, help="give up on the screenshot after this many seconds")


def run(args) -> int:
    from app.cli import CliError
    from app.ui.screenshot import take_screenshot

    from app.main import build_app

    def hook(settings):
        if args.description:
            settings.description = args.description
        if args.count:
            settings.count = args.count
        if args.seed is not None:
            settings.seed, settings.seed_locked = args.seed, True

    app = build_app(language=args.lang, theme=args.theme, settings_hook=hook, services=args.services)
    app.window.show()
    if not args.screenshot:
        return app.qt.exec()
    ok, message = take_screenshot(app, args.screenshot, paint=bool(args.description), timeout_s=args.timeout)
    app.window.close()
    if not ok:
        raise CliError(message)
    print(message)
    return 0
