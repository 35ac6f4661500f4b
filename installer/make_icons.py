"""Render resources/icons/app-vitrine.svg to the PNG, .ico and .icns the installers use.

Run with the project venv: `QT_QPA_PLATFORM=offscreen .venv/bin/python installer/make_icons.py`.
Qt (QtSvg, part of PySide6-Essentials) rasterises the SVG; Pillow writes .ico and .icns.
The outputs are committed, so building an installer does not need to run this.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from PIL import Image
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
SVG = ICONS / "app-vitrine.svg"


def render(size: int) -> Image.Image:
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"cannot read {SVG}")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buf, "PNG")
    return Image.open(io.BytesIO(bytes(data))).convert("RGBA")


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 (Qt needs one)
    big = render(1024)
    render(256).save(ICONS / "app-vitrine-256.png")
    render(512).save(ICONS / "app-vitrine-512.png")
    big.save(ICONS / "app-vitrine.ico", sizes=[(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)])
    big.save(ICONS / "app-vitrine.icns")  # Pillow writes the 16…1024 px members from the 1024 px image
    for name in ("app-vitrine-256.png", "app-vitrine-512.png", "app-vitrine.ico", "app-vitrine.icns"):
        print(ICONS / name, (ICONS / name).stat().st_size, "bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
