"""Saving a chart as PNG or SVG, including the live-updated (animated) artists."""

from __future__ import annotations

from pathlib import Path

from matplotlib.figure import Figure

from commander.core.errors import ValidationError

FORMATS = ("png", "svg")


def save_figure(figure: Figure, path: str | Path, *, dpi: int = 150) -> Path:
    """Write ``figure`` to ``path`` (format from the suffix: .png or .svg).

    Lines drawn by blitting are marked animated and a plain save would leave them out, so they
    are drawn normally for the save.
    """
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ValidationError(f"Export as .png or .svg, not {path.suffix or 'no suffix'}.")
    animated = [a for ax in figure.axes for a in ax.get_children() if a.get_animated()]
    for artist in animated:
        artist.set_animated(False)
    try:
        figure.savefig(path, format=fmt, dpi=dpi, facecolor=figure.get_facecolor())
    except OSError as exc:
        raise ValidationError(f"Could not write {path}: {exc.strerror or exc}") from exc
    finally:
        for artist in animated:
            artist.set_animated(True)
    return path
