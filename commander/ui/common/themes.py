"""Light, dark and war-room themes: a Fusion palette from a small table plus a style sheet.

Colours live in one table (``THEMES``); the style sheets in ``resources/themes/*.qss`` give
structure and refer to the table through ``@name`` tokens, so a colour is never written twice.
The war-room theme reuses the display's colours (``ui/features/display/theme.py``). Every
theme keeps the accent ``#3a5b5b`` for selection and focus; on dark backgrounds links use a
lighter tint of it, since the accent itself would be unreadable as text there.

The current theme is kept on the application (``app.property("commander_theme")``) so code that
paints its own colours can ask ``theme_colours(app)`` instead of a global.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import cache
from importlib import resources

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from commander.ui.features.display import theme as war_room

ACCENT = "#3a5b5b"
DEFAULT_THEME = "light"
THEME_PROPERTY = "commander_theme"
THEME_LABELS = {"light": "Light", "dark": "Dark", "war-room": "War room (high contrast)"}


@dataclass(frozen=True)
class ThemeColours:
    """The colours of one theme; field names are the ``@tokens`` of the style sheets."""

    window: str
    text: str
    base: str
    alternate: str
    button: str
    muted: str  # secondary text (counts, hints, references); still >= 4.5:1 on window and base
    border: str
    link: str
    error: str
    ok: str
    warning: str
    tooltip: str
    accent: str = ACCENT
    on_accent: str = "#ffffff"
    dark_mode: bool = False


THEMES: dict[str, ThemeColours] = {
    "light": ThemeColours(
        window="#f4f6f6",
        text="#1a1a1a",
        base="#ffffff",
        alternate="#f2f5f5",
        button="#e8eded",
        muted="#4a5454",
        border="#b9c3c3",
        link=ACCENT,
        error="#b00020",
        ok="#1e6b3a",
        warning="#7a5a00",
        tooltip="#ffffff",
    ),
    "dark": ThemeColours(
        window="#1e1f22",
        text="#e6e6e6",
        base="#16171a",
        alternate="#222428",
        button="#2b2d31",
        muted="#a9b3b3",
        border="#4a4e54",
        link="#8cc4c4",  # the accent, lightened to read as text on dark
        error="#ff8a80",
        ok="#7ddc9a",
        warning="#f0c060",
        tooltip="#2b2d31",
        dark_mode=True,
    ),
    "war-room": ThemeColours(
        window=war_room.BACKGROUND,
        text=war_room.FOREGROUND,
        base=war_room.BACKGROUND,
        alternate=war_room.PANEL,
        button=war_room.PANEL,
        muted=war_room.MUTED,
        border=war_room.MUTED,
        link=war_room.LIVE,
        error="#ff7b5a",  # vermillion, lightened for text on black
        ok="#3ddc97",
        warning="#e69f00",
        tooltip=war_room.PANEL,
        dark_mode=True,
    ),
}


def theme_names() -> tuple[str, ...]:
    return tuple(THEMES)


def stylesheet(name: str) -> str:
    """The theme's style sheet with its ``@tokens`` replaced by the theme's colours.

    Read as package data, so it works from a checkout and from an installed wheel alike.
    """
    colours = asdict(THEMES[name])
    text = (
        resources.files("commander.ui")
        .joinpath(f"resources/themes/{name}.qss")
        .read_text(encoding="utf-8")
    )
    for token in sorted(colours, key=len, reverse=True):  # @alternate before @a...
        value = colours[token]
        if isinstance(value, str):
            text = text.replace(f"@{token}", value)
    return text


def build_palette(name: str) -> QPalette:
    """A complete palette for ``name`` (Fusion uses it for everything the sheet leaves alone)."""
    c = THEMES[name]
    palette = QPalette()
    role = QPalette.ColorRole
    table = {
        role.Window: c.window,
        role.WindowText: c.text,
        role.Base: c.base,
        role.AlternateBase: c.alternate,
        role.Text: c.text,
        role.Button: c.button,
        role.ButtonText: c.text,
        role.BrightText: c.on_accent,
        role.ToolTipBase: c.tooltip,
        role.ToolTipText: c.text,
        role.PlaceholderText: c.muted,
        role.Highlight: c.accent,
        role.HighlightedText: c.on_accent,
        role.Link: c.link,
        role.LinkVisited: c.link,
        role.Light: QColor(c.button).lighter(150).name(),
        role.Midlight: QColor(c.button).lighter(120).name(),
        role.Mid: c.border,
        role.Dark: QColor(c.button).darker(160).name(),
        role.Shadow: "#000000",
    }
    for colour_role, value in table.items():
        palette.setColor(colour_role, QColor(value))
    disabled = QPalette.ColorGroup.Disabled
    faded = QColor(c.muted)
    faded.setAlpha(170)
    for colour_role in (role.WindowText, role.Text, role.ButtonText):
        palette.setColor(disabled, colour_role, faded)
    palette.setColor(disabled, role.Highlight, QColor(c.border))
    return palette


def apply_theme(app: QApplication, name: str) -> None:
    """Switch ``app`` to theme ``name`` now (Fusion style, palette and style sheet).

    Raises:
        KeyError: ``name`` is not one of ``theme_names()``.
    """
    if name not in THEMES:
        raise KeyError(f"Unknown theme {name!r}; choose one of {', '.join(THEMES)}.")
    app.setStyleSheet("")  # so the next line sees Fusion itself, not the sheet's proxy style
    app.setStyle("Fusion")
    app.setPalette(build_palette(name))
    app.setStyleSheet(stylesheet(name))
    app.setProperty(THEME_PROPERTY, name)


def current_theme(app: QCoreApplication | None = None) -> str:
    """The theme ``apply_theme`` last set on ``app`` (the light theme before any)."""
    app = app or QCoreApplication.instance()
    name = app.property(THEME_PROPERTY) if app is not None else None
    return name if isinstance(name, str) and name in THEMES else DEFAULT_THEME


def theme_colours(app: QCoreApplication | None = None) -> ThemeColours:
    """The colours of the current theme, for code that paints its own (models, charts)."""
    return THEMES[current_theme(app)]


@cache
def _qcolour(theme: str, role: str) -> QColor:
    return QColor(getattr(THEMES[theme], role))


def qcolour(role: str) -> QColor:
    """The current theme's colour for ``role`` ("muted", "error", "ok", "warning", "link"),
    for models that colour text: fixed colours would vanish on a dark background."""
    return _qcolour(current_theme(), role)


def set_role(widget: QWidget, role: str) -> None:
    """Give ``widget`` a themed text colour (``QLabel[role=...]`` in the style sheets); an empty
    role returns it to the normal text colour."""
    widget.setProperty("role", role or None)
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def relative_luminance(colour: str) -> float:
    """WCAG 2 relative luminance of ``#rrggbb``."""
    channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio (1 to 21); text wants at least 4.5."""
    a, b = sorted((relative_luminance(foreground), relative_luminance(background)), reverse=True)
    return (a + 0.05) / (b + 0.05)
