"""Render the app icon's PNG sizes from its SVG source, so the icon set is reproducible.

Usage: ``python packaging/render_icons.py`` (from anywhere). Writes
``resources/icons/hicolor/<N>x<N>/apps/commander.png`` (the freedesktop icon-theme layout, so
the folder can be copied into ``/usr/share/icons`` as is) and leaves the SVG as the
scalable entry. Uses QtSvg's renderer: no Inkscape or rsvg needed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ICONS = ROOT / "resources" / "icons"
SOURCE = ICONS / "commander.svg"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def png_path(size: int) -> Path:
    return ICONS / "hicolor" / f"{size}x{size}" / "apps" / "commander.png"


def render(sizes: tuple[int, ...] = SIZES) -> list[Path]:
    """Render each size with antialiasing on a transparent background; return the files."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        raise SystemExit(f"{SOURCE} is not a valid SVG")
    written = []
    for size in sizes:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        renderer.render(painter)
        painter.end()
        target = png_path(size)
        target.parent.mkdir(parents=True, exist_ok=True)
        if not image.save(str(target), "PNG"):
            raise SystemExit(f"cannot write {target}")
        written.append(target)
    scalable = ICONS / "hicolor" / "scalable" / "apps" / "commander.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    scalable.write_bytes(SOURCE.read_bytes())
    return written


if __name__ == "__main__":
    for path in render():
        print(path.relative_to(ROOT))
