"""Themes (a Qt style sheet with colour variables) and icons from resources/."""

from __future__ import annotations

import re
from functools import lru_cache

from PySide6.QtGui import QIcon, QPalette, QColor
from PySide6.QtWidgets import QApplication

from app.paths import REPO_ROOT

STYLE_DIR = REPO_ROOT / "resources" / "style"
ICON_DIR = REPO_ROOT / "resources" / "icons"


def style_sheet(theme: str) -> str:
    """base.qss with the @variables of light.qss or dark.qss filled in."""
    theme = theme if theme in ("light", "dark") else "light"
    colours = dict(re.findall(r"@(\w+):\s*([^;]+);", (STYLE_DIR / f"{theme}.qss").read_text(encoding="utf-8")))
    base = (STYLE_DIR / "base.qss").read_text(encoding="utf-8")
    # Longest names first so "@accentHover" is not eaten by "@accent".
    base = base.replace("@icons", ICON_DIR.as_posix())
    for name in sorted(colours, key=len, reverse=True):
        base = base.replace("@" + name, colours[name].strip())
    return base


def apply_theme(app: QApplication, theme: str) -> None:
    app.setStyle("Fusion")
    pal = QPalette()
    if theme == "dark":
        for role, c in ((QPalette.Window, "#17191e"), (QPalette.Base, "#262a31"), (QPalette.Text, "#e6e8ec"),
                        (QPalette.WindowText, "#e6e8ec"), (QPalette.Button, "#2b2f37"), (QPalette.ButtonText, "#e6e8ec"),
                        (QPalette.Highlight, "#6d64f0"), (QPalette.ToolTipBase, "#262a31"), (QPalette.ToolTipText, "#e6e8ec")):
            pal.setColor(role, QColor(c))
    app.setPalette(pal)
    app.setStyleSheet(style_sheet(theme))


@lru_cache(maxsize=None)
def icon(name: str) -> QIcon:
    path = ICON_DIR / f"{name}.svg"
    return QIcon(str(path)) if path.exists() else QIcon()
