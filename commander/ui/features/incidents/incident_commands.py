"""The window's incident commands: declare, change severity/status/phase, security, demo,
the state at a past moment.

Kept apart from ``main_window`` so the shell stays a shell. Each command writes through the
service and then takes the window's one refresh path, so the list, header and timeline update
as for any other change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox
from shiboken6 import isValid

from commander.core.deadline_policy import DeadlineKind
from commander.core.errors import CommanderError
from commander.core.policy import Phase, Severity, Status
from commander.services.deadlines import DeadlineService
from commander.services.incident_fields import IncidentFieldService
from commander.services.incidents import IncidentService
from commander.services.procedures import ProcedureService
from commander.services.similar import SimilarIncident, SimilarService
from commander.services.workspace import Workspace
from commander.ui.common.form_dialog import FormDialog
from commander.ui.common.severity_badge import shown_names
from commander.ui.features.incidents.declare_dialog import DeclareDialog, DeclareForm
from commander.ui.features.incidents.field_dialog import FieldDialog
from commander.ui.features.incidents.time_travel_dialog import TimeTravelDialog
from commander.ui.features.search.similar_strip import similar_html
from commander.ui.features.timeline.entry_dialogs import ChoiceDialog

if TYPE_CHECKING:
    from commander.ui.shell.feature_host import FeatureHost

ESCALATED_HOW = {
    Severity.P0: "Executives notified (ticked when declaring)",
    Severity.P1: "Management notified (ticked when declaring)",
    Severity.P2: "Team lead notified (ticked when declaring)",
}
_FIELD_CHOICES: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "status": ("Status", [(s.value, s.label) for s in Status]),
    "phase": ("Phase", [(p.value, p.label) for p in Phase]),
}


def _field_choices(field: str) -> tuple[str, list[tuple[str, str]]]:
    """The choices of ``field``; severities as the loaded procedure names them."""
    if field == "severity":
        names = shown_names()
        return "Severity", [(s.value, f"{names.key(s)} · {names.name(s)}") for s in Severity]
    return _FIELD_CHOICES[field]


class IncidentCommands(QObject):
    """Commands on incidents, with the dialog each opens (``active_dialog``, for tests).

    Signals:
        sig_message(str): a short note for the status bar.
    """

    sig_message = Signal(str)

    def __init__(
        self,
        window: FeatureHost,
        service: IncidentService,
        workspace: Workspace,
        deadlines: DeadlineService,
    ) -> None:
        super().__init__(window.main_window())
        self._window = window
        self._service = service
        self._ws = workspace
        self._deadlines = deadlines
        self.fields = IncidentFieldService(workspace, deadlines)
        self.active_dialog: FormDialog | None = None
        self.time_travel: TimeTravelDialog | None = None

    def _open(self, dialog: FormDialog) -> FormDialog:
        if self.active_dialog is not None:
            self.active_dialog.deleteLater()
        self.active_dialog = dialog
        dialog.open()
        return dialog

    def declare(self) -> DeclareDialog:
        def submit(form: DeclareForm) -> str:
            declared = self._service.declare(
                title=form.title,
                severity=form.severity,
                services=form.services,
                impact=form.impact,
                fields=form.fields,
            )
            incident_id = declared.incident.id
            if form.escalated:  # done before declaring: the deadline is met, on the record
                self._deadlines.mark_met(
                    incident_id, DeadlineKind.ESCALATION, how=ESCALATED_HOW[form.severity]
                )
            return incident_id

        dialog = DeclareDialog(
            submit,
            self._window.main_window(),
            on_draft=lambda title, services: self._similar(dialog),
            procedure=ProcedureService(self._ws).current().procedure,
        )
        dialog.accepted.connect(lambda: self.show_declared(str(dialog.result_value)))
        self._open(dialog)
        return dialog

    def _similar(self, dialog: DeclareDialog) -> None:
        """Past incidents like the one being declared, looked up on a worker."""
        draft = dialog.draft()
        title, services = draft
        similar = SimilarService(self._ws)
        probe = similar.probe_draft(title, services=[s for s in services.split(",") if s])

        def done(found: list[SimilarIncident]) -> None:
            if isValid(dialog):  # the dialog may be gone by the time the answer comes
                dialog.show_similar(draft, similar_html(found, links=False))

        self._window.tasks.submit(lambda: similar.similar(probe), done)

    def show_declared(self, incident_id: str) -> None:
        """Select a just declared (or imported) incident, ready for the scribe's first line."""
        window = self._window
        window.refresh()
        window.select_incident(incident_id)
        window.timeline_panel.quick_entry.focus()

    def change_field(self, field: str) -> ChoiceDialog | None:
        window = self._window
        incident = window.current_incident()
        if incident is None:
            return None
        label, choices = _field_choices(field)
        current = str(getattr(incident, field).value)
        dialog = ChoiceDialog(
            f"Change {field} — {incident.ref}",
            label,
            choices,
            current,
            lambda value: self._service.set_field(incident.id, field, value),
            window.main_window(),
        )
        dialog.accepted.connect(window.refresh)
        self._open(dialog)
        return dialog

    def set_procedure_field(self, key: str = "") -> FieldDialog | None:
        """The incident's type or a custom field of the workspace's procedure (at ``key``)."""
        window = self._window
        incident = window.current_incident()
        if incident is None:
            self.sig_message.emit("Select an incident first.")
            return None
        fields = self.fields
        try:
            values = fields.values(incident.id)
            procedure = ProcedureService(self._ws).current().procedure
        except CommanderError as err:
            self.sig_message.emit(str(err))
            return None
        dialog = FieldDialog(
            f"Set field — {incident.ref}",
            procedure,
            values,
            lambda key, text: fields.set(incident.id, key, text),
            window.main_window(),
        )
        if key:
            dialog.set_key(key)
        dialog.accepted.connect(window.refresh)
        self._open(dialog)
        return dialog

    def state_at_moment(self) -> TimeTravelDialog | None:
        """The current incident as recorded at a chosen moment (read-only)."""
        incident = self._window.current_incident()
        if incident is None:
            self.sig_message.emit("Select an incident first.")
            return None
        if self.time_travel is not None:
            self.time_travel.deleteLater()
        dialog = TimeTravelDialog(
            self._ws,
            incident.id,
            self._deadlines.hours,
            self._window.tasks,
            self._window.main_window(),
        )
        self.time_travel = dialog
        dialog.open()
        return dialog

    def toggle_security_related(self) -> None:
        """Flag the incident security related (or not): the Security Lead becomes expected."""
        incident = self._window.current_incident()
        if incident is None:
            return
        try:
            self._service.set_field(incident.id, "security_related", not incident.security_related)
        except CommanderError as err:
            self.sig_message.emit(str(err))
            return
        self._window.refresh()

    def load_demo(self) -> None:
        window = self._window
        try:
            from commander.services.demo.create import create_demo  # lazy: rarely used
        except ImportError:
            QMessageBox.information(
                window.main_window(), "Commander", "The demo loader is not available."
            )
            return
        try:
            result = create_demo(self._ws)
        except CommanderError as err:
            QMessageBox.warning(window.main_window(), "Commander", str(err))
            return
        window.refresh()
        window.select_incident(result.incident.id)
        self.sig_message.emit("Demo incident loaded" if result.created else "Demo incident shown")
