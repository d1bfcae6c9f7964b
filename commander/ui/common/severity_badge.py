"""A severity badge: colour *and* text, so colour-blind users read it as easily as anyone.

The colours follow the Okabe–Ito palette (distinguishable under the common colour-vision
deficiencies) and differ in lightness too; the text label ("P1 · High", or the loaded
procedure's "SEV2 · Major") carries the meaning. The window tells this module the loaded
procedure's names (``use_severity_names``) each time it reads the incident list, so every
badge, list and picker of that window says the same.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QWidget

from commander.core.policy import Severity
from commander.core.severity_names import BUILTIN, SeverityNames

# (background, foreground) per severity.
SEVERITY_COLOURS: dict[Severity, tuple[str, str]] = {
    Severity.P0: ("#b8420a", "#ffffff"),  # dark vermillion
    Severity.P1: ("#e69f00", "#1a1a1a"),  # orange
    Severity.P2: ("#f0e442", "#1a1a1a"),  # yellow
    Severity.P3: ("#8fc7ea", "#1a1a1a"),  # light sky blue
}


_names: list[SeverityNames] = [BUILTIN]  # the window's loaded procedure, one per process


def use_severity_names(names: SeverityNames) -> None:
    """Show severities by ``names`` from now on (the window calls it with each list read)."""
    _names[0] = names


def shown_names() -> SeverityNames:
    return _names[0]


def severity_text(severity: Severity) -> str:
    """The badge label: ``P1 · High`` (``SEV2 · Major`` under a loaded file)."""
    names = _names[0]
    return f"{names.key(severity)} · {names.name(severity)}"


def severity_details(severity: Severity) -> str:
    """``SEV2 Major: definition. Response within 30 minutes.`` from the loaded procedure."""
    names = _names[0]
    spec = names.spec(severity)
    definition = spec.definition if spec else severity.level.definition
    response = spec.response_time_text if spec else severity.level.response_time_text
    text = f"{names.label(severity)}: {definition}."
    return f"{text} Response within {response.lower()}." if response else text


def severity_colours(severity: Severity) -> tuple[QColor, QColor]:
    background, foreground = SEVERITY_COLOURS[severity]
    return QColor(background), QColor(foreground)


class SeverityBadge(QLabel):
    """A rounded label showing a severity with its colour and name."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._severity: Severity | None = None
        self._setup_ui()

    def _setup_ui(self) -> None:
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setAccessibleName("Severity")
        self.set_severity(Severity.P3)

    @property
    def severity(self) -> Severity | None:
        return self._severity

    def set_severity(self, severity: Severity) -> None:
        self._severity = severity
        background, foreground = SEVERITY_COLOURS[severity]
        self.setText(severity_text(severity))
        self.setToolTip(severity_details(severity))
        self.setAccessibleDescription(self.toolTip())
        self.setStyleSheet(
            f"QLabel {{ background: {background}; color: {foreground}; font-weight: bold;"
            " border-radius: 4px; padding: 3px 10px; }"
        )
