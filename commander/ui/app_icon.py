"""The application icon, found where the source tree or the bundle keeps ``resources/``."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtGui import QIcon

SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def icons_dir() -> Path | None:
    """``resources/icons`` inside a PyInstaller bundle, else beside the ``commander`` package."""
    candidates = []
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        candidates.append(Path(bundle) / "resources" / "icons")
    candidates.append(Path(__file__).resolve().parents[2] / "resources" / "icons")
    return next((path for path in candidates if (path / "hicolor").is_dir()), None)


def app_icon() -> QIcon:
    """Every rendered PNG size (crisp at 16 px, where a scaled SVG blurs); empty if missing."""
    icon = QIcon()
    folder = icons_dir()
    if folder is None:
        return icon
    for size in SIZES:
        png = folder / "hicolor" / f"{size}x{size}" / "apps" / "commander.png"
        if png.exists():
            icon.addFile(str(png))
    return icon
