"""How an exercise workspace looks: the words and colours every window marks it with."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from commander.services.workspace import Workspace

EXERCISE = "EXERCISE"
# White on a strong magenta: unlike any severity colour, readable in light and dark themes.
MARK_STYLE = "background: #a4006c; color: #ffffff; font-weight: bold; padding: 2px 10px;"


def exercise_text(workspace: Workspace) -> str:
    """``EXERCISE — <scenario> at 10x``; empty for a real workspace."""
    mark = workspace.exercise
    if mark is None:
        return ""
    return f"{EXERCISE} — {mark.scenario_title} at {mark.speed:g}x"


def title_for(workspace: Workspace, title: str) -> str:
    """A window title, prefixed with EXERCISE in an exercise workspace."""
    return f"{EXERCISE} — {title}" if workspace.exercise is not None else title


def exercise_label(workspace: Workspace, parent: QWidget) -> QLabel:
    label = QLabel(exercise_text(workspace), parent)
    label.setAccessibleName("Exercise")
    label.setStyleSheet(MARK_STYLE)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return label
