"""The incident's type and custom fields under the header: "Type: Security · Region: EU ·
Regulator reference: to fill in".

Each name is a link that opens *Set type or field…* at that field, so a commander fills what
the procedure asks for without hunting through a menu. Hidden under a procedure with no
types to choose and no fields (the seed), so the built-in header is unchanged.

Signals:
    sig_edit(str): the key of the field the user clicked.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QWidget

from commander.core.errors import CommanderError
from commander.core.procedure_fields import HeaderField
from commander.core.records import Incident
from commander.services.incident_fields import IncidentFieldService


def fields_html(rows: list[HeaderField]) -> str:
    """ "Type: <b>Security</b> · Region: <i>to fill in</i>", each name a link to its key."""
    parts = []
    for row in rows:
        name = f'<a href="{escape(row.key)}">{escape(row.name)}</a>'
        if row.text:
            value = f"<b>{escape(row.text)}</b>"
        else:
            value = "<i>to fill in</i>" if row.to_fill else "—"
        parts.append(f"{name}: {value}")
    return " · ".join(parts)


class FieldsLine(QLabel):
    """One line of the procedure's fields for the incident the header shows."""

    sig_edit = Signal(str)

    def __init__(self, fields: IncidentFieldService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._fields = fields
        self.rows: list[HeaderField] = []
        self.setAccessibleName("Incident type and fields")
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
        self.linkActivated.connect(self.sig_edit.emit)
        self.setToolTip("Click a field's name to set it")
        self.hide()

    def set_incident(self, incident: Incident | None) -> None:
        """Show ``incident``'s fields as recorded now; hidden when there are none to show."""
        try:
            self.rows = self._fields.header(incident) if incident is not None else []
        except CommanderError:
            self.rows = []  # a deleted incident: the header is about to change anyway
        self.setText(fields_html(self.rows))
        self.setVisible(bool(self.rows))
