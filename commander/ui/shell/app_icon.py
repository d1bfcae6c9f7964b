"""The application icon, found where the bundle, the source tree or a wheel install keeps it."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtGui import QIcon

SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def icons_dir() -> Path | None:
    """``resources/icons`` inside a PyInstaller bundle or beside the ``commander`` package (a
    source tree, an editable install), else ``<prefix>/share/icons`` (a wheel's data files)."""
    candidates = []
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        candidates.append(Path(bundle) / "resources" / "icons")
    candidates.append(Path(__file__).resolve().parents[3] / "resources" / "icons")
    candidates.append(Path(sys.prefix) / "share" / "icons")
    mine = Path("hicolor", "48x48", "apps", "commander.png")  # not just any hicolor theme
    return next((path for path in candidates if (path / mine).is_file()), None)


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
