"""The composer's fields: only those the chosen template uses, the ones a person must fill first.

An initial notification needs nothing typed (the record fills it), a resolution needs the root
cause and the review date, a partner notice the technical details: showing all thirteen fields
for every template hid which ones mattered. A field the record fills shows its value as the
placeholder and can be overridden; a field that does not apply (no next update once the
incident is resolved) is not shown at all. What was typed is kept when the template changes.
The procedure's type and custom fields (``field_<key>``) get an editor the first time a
template uses them, named as the procedure names them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from commander.core.templates import (
    FIELD_HELP,
    FIELD_LABELS,
    TYPED_FIELDS,
    NotApplicable,
    field_label,
    is_procedure_field,
)

OVERRIDABLE = ("incident_commander", "next_update", "status")
EDITABLE = (*TYPED_FIELDS, *OVERRIDABLE)
MULTILINE = ("progress", "next_steps", "technical_details", "impact")


class ComposerFields(QWidget):
    """Editors for the template's fields, in two groups: needed, then from the record.

    Signals:
        sig_changed: a field's text changed (the preview follows).
    """

    sig_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._record: Mapping[str, str] = {}
        self.shown: list[str] = []
        self.needed: list[str] = []
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 8, 0)
        self._form = QFormLayout()
        outer.addLayout(self._form)
        outer.addStretch(1)  # rows keep their height; the space goes below them
        self.needed_header = QLabel("<b>Needed</b> — the record cannot fill these", self)
        self.record_header = QLabel("<b>From the record</b> — type to override", self)
        self.nothing_label = QLabel("This template takes everything from the record.", self)
        self.nothing_label.setWordWrap(True)
        self.edits: dict[str, QLineEdit | QPlainTextEdit] = {}
        self.labels: dict[str, QLabel] = {}
        self._names: Mapping[str, str] = {}  # the procedure's fields as it names them
        for name in EDITABLE:
            self._editor(name, FIELD_LABELS[name], FIELD_HELP[name])
        for widget in (self.needed_header, self.record_header, self.nothing_label):
            widget.hide()

    def _editor(self, name: str, label_text: str, help_text: str) -> None:
        edit: QLineEdit | QPlainTextEdit
        if name in MULTILINE:
            edit = QPlainTextEdit(self)
            edit.setTabChangesFocus(True)
            edit.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 12)
        else:
            edit = QLineEdit(self)
        edit.textChanged.connect(self.sig_changed)
        label = QLabel(label_text, self)
        label.setBuddy(edit)
        edit.setAccessibleName(label_text)
        edit.setToolTip(help_text)
        self.edits[name] = edit
        self.labels[name] = label
        edit.hide()
        label.hide()
        self._placeholder(name)

    def _procedure_editor(self, name: str) -> None:
        """An editor for the procedure's ``field_<key>``, the first time it is needed."""
        if is_procedure_field(name) and name not in self.edits:
            label = self._names.get(name) or field_label(name)
            self._editor(name, label, f"{label}: the procedure's field; type to override")

    def set_procedure_names(self, names: Mapping[str, str]) -> None:
        """``field_<key>`` → the procedure's name for it ("Customer tier")."""
        self._names = names

    # -- what is shown ---------------------------------------------------------------------

    def set_record(self, record: Mapping[str, str]) -> None:
        """What the record holds now: each field's placeholder, and what counts as needed."""
        self._record = record
        for name in self.edits:
            self._placeholder(name)

    def _placeholder(self, name: str) -> None:
        value = " ".join(str(self._record.get(name, "")).split())
        help_text = FIELD_HELP.get(name) or "The procedure's field, as recorded on the incident"
        self.edits[name].setPlaceholderText(f"From the record: {value}" if value else help_text)

    def show_for(self, used: Sequence[str]) -> None:
        """Show the editable fields among ``used``: needed ones first, then the record's."""
        for name in used:
            self._procedure_editor(name)
        editable = [n for n in used if n in self.edits]
        applies = [n for n in editable if not isinstance(self._record.get(n), NotApplicable)]
        needed = [n for n in applies if not str(self._record.get(n, ""))]
        filled = [n for n in applies if n not in needed]
        while self._form.rowCount():
            self._form.takeRow(0)  # keeps the widgets; they are laid out again below
        for widget in (self.needed_header, self.record_header, self.nothing_label):
            widget.hide()
        for name in self.edits:
            self.edits[name].hide()
            self.labels[name].hide()
        if needed:
            self._add_group(self.needed_header, needed)
        if filled:
            self._add_group(self.record_header, filled)
        if not applies:
            self._form.addRow(self.nothing_label)
            self.nothing_label.show()
        self.shown = needed + filled
        self.needed = needed

    def _add_group(self, header: QLabel, names: Sequence[str]) -> None:
        self._form.addRow(header)
        header.show()
        for name in names:
            self._form.addRow(self.labels[name], self.edits[name])
            self.labels[name].show()
            self.edits[name].show()

    # -- values ----------------------------------------------------------------------------

    def typed(self) -> dict[str, str]:
        """Everything typed, shown or not (a draft keeps what the other template needed)."""
        values = {}
        for name, edit in self.edits.items():
            text = edit.toPlainText() if isinstance(edit, QPlainTextEdit) else edit.text()
            if text.strip():
                values[name] = text
        return values

    def set_values(self, values: Mapping[str, str]) -> None:
        for name, value in values.items():
            self._procedure_editor(name)
            edit = self.edits.get(name)
            if isinstance(edit, QPlainTextEdit):
                edit.setPlainText(value)
            elif edit is not None:
                edit.setText(value)
