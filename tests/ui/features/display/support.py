"""Layout checks and data shared by the display tests."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from commander.services.demo.create import create_demo
from commander.services.incidents import IncidentService
from commander.services.workspace import Workspace

SIZES = ((1366, 768), (1920, 1080), (3840, 2160))


def layout_problems(window: QWidget) -> list[str]:
    """Visible widgets outside the window or their parent, overlapping siblings, and label
    text wider or taller than its label (by the label's own font metrics)."""
    QApplication.processEvents()  # pending layout requests: what the screen would show
    problems: list[str] = []
    bounds = window.rect()
    visible = [w for w in window.findChildren(QWidget) if w.isVisibleTo(window)]
    for widget in visible:
        name = widget.accessibleName() or type(widget).__name__
        rect = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
        if not bounds.contains(rect):
            problems.append(f"{name} {rect} outside the window {bounds}")
        parent = widget.parentWidget()
        if (
            parent is not None
            and parent is not window
            and not parent.rect().contains(widget.geometry())
        ):
            problems.append(f"{name} {widget.geometry()} outside its parent {parent.rect()}")
        if isinstance(widget, QLabel) and widget.text():
            metrics, room = widget.fontMetrics(), widget.contentsRect()
            if metrics.horizontalAdvance(widget.text()) > room.width():
                problems.append(f"{name}: {widget.text()!r} wider than {room.width()} px")
            if metrics.height() > room.height():
                problems.append(f"{name}: text taller than {room.height()} px")
    for parent in {w.parentWidget() for w in visible}:
        siblings = [
            w
            for w in visible
            if w.parentWidget() is parent and not w.isWindow() and w.width() and w.height()
        ]
        for n, first in enumerate(siblings):
            for second in siblings[n + 1 :]:
                if first.geometry().intersects(second.geometry()):
                    problems.append(
                        f"{first.accessibleName() or type(first).__name__} overlaps "
                        f"{second.accessibleName() or type(second).__name__}"
                    )
    return problems


def demo_and_another(workspace: Workspace, incidents: IncidentService) -> str:
    demo = create_demo(workspace)
    incidents.set_field(demo.incident.id, "status", "monitoring")
    incidents.declare(title="Partner API errors with a rather long title " * 3, severity="P2")
    return demo.incident.id
