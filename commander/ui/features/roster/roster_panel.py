"""The roster panel: every core role with its holder (or "unassigned" in warning colour where
the procedure expects one), the extended and custom roles in use, and since when.

Assign/hand off (Ctrl+R), release, history, "Form response team", the handoff briefing and the
people directory are reached from here; every change is logged on the timeline by the service.
"""

from __future__ import annotations

from datetime import tzinfo

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from commander.core.errors import CommanderError
from commander.core.records import Incident
from commander.core.roles import INCIDENT_COMMANDER
from commander.services.briefing import BriefingService
from commander.services.people import PeopleService
from commander.services.roster import AssignResult, Roster, RosterService
from commander.ui.common.severity_badge import shown_names
from commander.ui.common.themes import set_role
from commander.ui.common.zones import FollowsZone
from commander.ui.features.roster.people_dialog import PeopleDialog
from commander.ui.features.roster.roster_dialogs import (
    AssignDialog,
    BriefingDialog,
    TextDialog,
)
from commander.ui.features.roster.roster_model import COL_HOLDER, RosterModel

WARNING_STYLE = "font-weight: bold;"  # the colour comes from the theme (role "error")


class RosterPanel(QWidget, FollowsZone):
    """The response team of the selected incident.

    Signals:
        sig_local_change: a role or person was written; the window refreshes.
        sig_message(str): a short note for the status bar (warnings too).
    """

    sig_local_change = Signal()
    sig_message = Signal(str)

    def __init__(
        self,
        service: RosterService,
        people: PeopleService,
        briefings: BriefingService,
        zone: tzinfo,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._people = people
        self._briefings = briefings
        self._zone = zone
        self._incident: Incident | None = None
        self.roster: Roster | None = None
        self.active_dialog: QWidget | None = None
        self.model = RosterModel(zone, self)
        self._setup_ui()

    def _setup_ui(self) -> None:
        self.setAccessibleName("Roster")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 8)
        self.alert_label = QLabel(self)
        self.alert_label.setAccessibleName("Roster alert")
        self.alert_label.setStyleSheet(WARNING_STYLE)
        set_role(self.alert_label, "error")
        self.alert_label.setWordWrap(True)
        self.alert_label.hide()
        layout.addWidget(self.alert_label)
        self.table = QTableView(self)
        self.table.setAccessibleName("Roster table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setShowGrid(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.doubleClicked.connect(lambda _i: self.assign())
        layout.addWidget(self.table, 1)
        grid = QGridLayout()  # two rows of three: the side column stays narrow
        self.assign_button = QPushButton("&Assign…", self)
        self.assign_button.setToolTip("Assign or hand off the selected role (Ctrl+R)")
        self.release_button = QPushButton("Re&lease", self)
        self.history_button = QPushButton("&History…", self)
        self.team_button = QPushButton("&Form team…", self)
        self.briefing_button = QPushButton("&Briefing…", self)
        self.people_button = QPushButton("&People…", self)
        for n, button in enumerate(
            (
                self.assign_button,
                self.release_button,
                self.history_button,
                self.team_button,
                self.briefing_button,
                self.people_button,
            )
        ):
            button.setAccessibleName(button.text().replace("&", "").rstrip("…"))
            grid.addWidget(button, n // 3, n % 3)
        layout.addLayout(grid)
        self.assign_button.clicked.connect(lambda: self.assign())
        self.release_button.clicked.connect(self.release_current)
        self.history_button.clicked.connect(lambda: self.show_history())
        self.team_button.clicked.connect(self.form_team)
        self.briefing_button.clicked.connect(lambda: self.show_briefing())
        self.people_button.clicked.connect(self.open_people)
        self._set_enabled(False)

    def _set_enabled(self, on: bool) -> None:
        for button in (
            self.assign_button,
            self.release_button,
            self.history_button,
            self.team_button,
            self.briefing_button,
        ):
            button.setEnabled(on)

    # -- showing -------------------------------------------------------------------------

    def set_incident(self, incident: Incident | None) -> None:
        self._incident = incident
        self._set_enabled(incident is not None)
        self.reload()

    def reload(self) -> None:
        if self._incident is None:
            self.roster = None
            self.model.set_lines([])
            self.alert_label.hide()
            return
        try:
            self.roster = self._service.roster(self._incident.id)
        except CommanderError as err:
            self.sig_message.emit(str(err))
            return
        selected = self.current_role()
        self.model.set_lines(self.roster.lines)
        row = self.model.row_of(selected) if selected else None
        if row is not None:
            self.table.selectRow(row)
        alerts = []
        if self.roster.missing_ic:
            alerts.append("⚠ No Incident Commander on this active incident.")
        others = [r.name for r in self.roster.missing if r.key != INCIDENT_COMMANDER]
        if others:
            alerts.append(f"Missing: {', '.join(others)}.")
        for group in self.roster.conflicts:
            names = ", ".join(a.holder_text() for a in group)
            winner = max(group, key=lambda a: a.order)
            alerts.append(
                f"⚠ Concurrent handoff: {names} were assigned at the same time; "
                f"{winner.holder_text()} holds it (last writer). Confirm."
            )
        self.alert_label.setText("\n".join(alerts))
        self.alert_label.setVisible(bool(alerts))

    def holder_text(self, role: str) -> str:
        row = self.model.row_of(role)
        return "" if row is None else str(self.model.index(row, COL_HOLDER).data())

    def current_role(self) -> str | None:
        index = self.table.currentIndex()
        return self.model.line_at(index.row()).role.key if index.isValid() else None

    # -- actions -------------------------------------------------------------------------

    def _show(self, dialog: QWidget) -> None:
        if self.active_dialog is not None:
            self.active_dialog.deleteLater()
        self.active_dialog = dialog
        dialog.open()  # type: ignore[attr-defined]

    def assign(self, role: str | None = None) -> AssignDialog | None:
        """Ctrl+R: the selected role (or the first missing one), a person, Enter."""
        incident = self._incident
        if incident is None:
            return None
        if role is None:
            role = self.current_role()
        if role is None and self.roster is not None and self.roster.missing:
            role = self.roster.missing[0].key
        dialog = AssignDialog(
            f"Assign role — {incident.ref}",
            self._service.roles(),
            self._people.people(),
            role or INCIDENT_COMMANDER,
            lambda key, person, note: self._service.assign(incident.id, key, person, note),
            self,
        )
        dialog.accepted.connect(lambda: self._after_assign(dialog.result_value))
        self._show(dialog)
        return dialog

    def _after_assign(self, result: object) -> None:
        self.reload()
        self.sig_local_change.emit()
        if not isinstance(result, AssignResult):
            return
        a = result.assignment
        text = f"{a.holder_text()} assigned"
        notes = [*result.warnings, result.added_text] if result.added else result.warnings
        if notes:
            text += " — " + " ".join(notes)
        self.sig_message.emit(text)
        if result.ic_changed and a.is_handoff:
            self.show_briefing()

    def release_current(self) -> None:
        incident, role = self._incident, self.current_role()
        if incident is None or role is None:
            return
        try:
            self._service.release(incident.id, role)
        except CommanderError as err:
            self.sig_message.emit(str(err))
            return
        self.reload()
        self.sig_local_change.emit()

    def show_history(self, role: str | None = None) -> TextDialog | None:
        incident = self._incident
        if incident is None:
            return None
        role = role or self.current_role()
        history = self._service.history(incident.id, role) if role else []
        names = {r.role.key: r.role.name for r in (self.roster.lines if self.roster else [])}
        lines = [f"# {names.get(role or '', role or 'Role')} — {incident.ref}", ""]
        if not history:
            lines.append("Never assigned.")
        for a in history:
            when = a.at.astimezone(self._zone).strftime("%Y-%m-%d %H:%M")
            mark = " *(concurrent handoff; superseded)*" if a.superseded else ""
            note = f" — {a.note}" if a.note else ""
            lines.append(
                f"- **{when}** {a.previous_text()} → {a.holder_text()} (by {a.by}){mark}{note}"
            )
        dialog = TextDialog(f"Role history — {incident.ref}", "\n".join(lines), self)
        self._show(dialog)
        return dialog

    def form_team(self) -> TextDialog | None:
        incident = self._incident
        if incident is None:
            return None
        proposal = self._service.proposal(incident.id)
        lines = [
            f"# Form response team — {incident.ref} ({shown_names().key(incident.severity)})",
            "",
            "The procedure's initial response, step 3: assemble the roles this incident needs.",
            "",
        ]
        for item in proposal.items:
            line = item.line
            if line.assigned and line.holder is not None:
                lines.append(f"- ✓ **{line.role.name}**: {line.holder.holder_text()}")
            else:
                who = ", ".join(p.label for p in item.candidates[:4]) or "nobody listed"
                lines.append(f"- ⚠ **{line.role.name}**: missing — can take it: {who}")
        if not proposal.missing:
            lines += ["", "The team is complete."]
        else:
            lines += ["", "Select a role in the roster and press Ctrl+R to assign it."]
        dialog = TextDialog(f"Form response team — {incident.ref}", "\n".join(lines), self)
        self._show(dialog)
        return dialog

    def show_briefing(self) -> BriefingDialog | None:
        """Generate the handoff briefing (logged on the timeline) and show it."""
        incident = self._incident
        if incident is None:
            return None
        try:
            text, _changes = self._briefings.generate(incident.id)
        except CommanderError as err:
            self.sig_message.emit(str(err))
            return None
        self.sig_local_change.emit()
        dialog = BriefingDialog(f"Handoff briefing — {incident.ref}", text, self)
        self._show(dialog)
        return dialog

    def open_people(self) -> PeopleDialog:
        dialog = PeopleDialog(self._people, self._service, self)
        dialog.finished.connect(lambda _code: self.reload())
        self._show(dialog)
        return dialog

    def add_custom_role(self, name: str | None = None) -> bool:
        if name is None:
            name, ok = QInputDialog.getText(self, "Add role", "Name of the new role:")
            if not ok:
                return False
        try:
            role = self._service.add_role(name)
        except CommanderError as err:
            self.sig_message.emit(str(err))
            return False
        self.sig_message.emit(f"Role added: {role.name}")
        return True
