"""The selected incident at a glance: what, how bad, where in the procedure, for how long."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from commander.core.clock import Clock
from commander.core.records import Incident
from commander.ui.common.elapsed_label import ElapsedLabel
from commander.ui.common.severity_badge import SeverityBadge
from commander.ui.common.themes import set_role


class IncidentHeader(QFrame):
    """Reference, title, severity badge, status, phase and time since declared."""

    def __init__(self, clock: Clock, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._clock = clock
        self._incident: Incident | None = None
        self._setup_ui()

    def _setup_ui(self) -> None:
        self.setObjectName("incidentHeader")
        self.setAccessibleName("Incident header")
        self.setStyleSheet(
            "#incidentHeader { border-bottom: 1px solid palette(mid); }"
            " QLabel#fact { color: palette(window-text); }"
        )
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 6, 8, 8)
        outer.setSpacing(4)

        top = QHBoxLayout()
        top.setSpacing(10)
        self.badge = SeverityBadge(self)
        self.title_label = QLabel(self)
        self.title_label.setAccessibleName("Incident title")
        font = self.title_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.title_label.setFont(font)
        self.title_label.setTextFormat(Qt.TextFormat.PlainText)
        self.title_label.setWordWrap(True)  # large text: a second line, never a cut title
        self.title_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.ref_label = QLabel(self)
        self.ref_label.setAccessibleName("Incident reference")
        self.ref_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.ref_label.setStyleSheet("font-family: monospace;")
        set_role(self.ref_label, "muted")
        # Long titles and service lists clip instead of widening the window.
        ignored = QSizePolicy.Policy.Ignored
        self.title_label.setSizePolicy(ignored, QSizePolicy.Policy.Preferred)
        top.addWidget(self.badge)
        top.addWidget(self.title_label, 1)
        top.addWidget(self.ref_label)
        outer.addLayout(top)

        facts = QHBoxLayout()
        facts.setSpacing(18)
        self.status_label = QLabel(self)
        self.status_label.setAccessibleName("Status")
        self.phase_label = QLabel(self)
        self.phase_label.setAccessibleName("Phase")
        self.declared_label = QLabel(self)
        self.declared_label.setAccessibleName("Declared")
        self.elapsed_label = ElapsedLabel(self._clock, "Elapsed ", self)
        elapsed_font = self.elapsed_label.font()
        elapsed_font.setBold(True)
        elapsed_font.setFamily("monospace")
        self.elapsed_label.setFont(elapsed_font)
        self.services_label = QLabel(self)
        self.services_label.setAccessibleName("Affected services")
        for label in (
            self.status_label,
            self.phase_label,
            self.declared_label,
            self.services_label,
        ):
            label.setTextFormat(Qt.TextFormat.RichText)
            facts.addWidget(label)
        for label in (
            self.status_label,
            self.phase_label,
            self.declared_label,
            self.services_label,
        ):
            label.setMinimumWidth(40)  # shrink (clipped) rather than widen the window
        self.services_label.setWordWrap(True)
        facts.setStretch(facts.indexOf(self.services_label), 1)
        facts.addWidget(self.elapsed_label)
        outer.addLayout(facts)
        self._outer = outer
        self._followers: list[Callable[[Incident | None], None]] = []

    def add_row(self, widget: QWidget, follow: Callable[[Incident | None], None]) -> None:
        """A line under the facts (similar incidents); ``follow`` is told of every incident
        the header shows."""
        self._outer.addWidget(widget)
        self._followers.append(follow)

    @property
    def incident(self) -> Incident | None:
        return self._incident

    def set_incident(
        self,
        incident: Incident | None,
        zone_label: str = "",
        declared_text: str = "",
        resolved_at: datetime | None = None,
    ) -> None:
        """Show ``incident``; ``declared_text`` is the declared time already in the user's zone.

        ``resolved_at`` stops the elapsed time: a resolved incident's duration stands still.
        """
        self._incident = incident
        for follow in self._followers:
            follow(incident)
        if incident is None:
            self.elapsed_label.set_start(None)
            return
        self.badge.set_severity(incident.severity)
        self.title_label.setText(incident.title)
        self.title_label.setToolTip(incident.impact or incident.title)
        self.ref_label.setText(incident.ref)
        self.status_label.setText(f"Status: <b>{incident.status.label}</b>")
        self.phase_label.setText(f"Phase: <b>{incident.phase.label}</b>")
        self.declared_label.setText(
            f"Declared <b>{declared_text}</b> by {escape(incident.declared_by)}"
        )
        services = ", ".join(incident.services) or "—"
        self.services_label.setText(f"Services: <b>{escape(services)}</b>")
        self.services_label.setToolTip(services)
        self.elapsed_label.set_start(incident.declared_at, resolved_at)
        self.elapsed_label.setToolTip(
            "Duration from declaration to resolution" if resolved_at else "Time since declared"
        )
