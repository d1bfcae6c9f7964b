"""The pages of the settings dialog: each shows part of ``Preferences`` and reads it back.

Every page has ``load(prefs)`` and ``read(prefs) -> Preferences``. The sync and channel pages
hold no settings of their own: they show the state and open the existing dialogs (secrets go to
keyring there), so nothing about a server or a channel is configured in two places.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import cache

from PySide6.QtCore import Qt, QTime
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QCompleter,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from commander.config import DAY_NAMES, DeadlineSettings, Identity, local_zone, parse_zone
from commander.core.errors import ValidationError
from commander.ui.common.themes import THEME_LABELS, THEMES
from commander.ui.shell.preferences import MAX_DUE_SOON_MINUTES, Preferences


@cache
def _zone_names() -> tuple[str, ...]:
    from zoneinfo import available_timezones

    return tuple(sorted(available_timezones()))


def _note(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setProperty("role", "muted")
    label.setAccessibleName("Note")
    return label


class ZoneCombo(QComboBox):
    """An IANA zone picker: "this computer's zone" first, then every zone; type to search."""

    def __init__(self, accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(accessible_name)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMaxVisibleItems(16)
        self.addItem(f"This computer's zone ({local_zone()})", None)
        for name in _zone_names():
            self.addItem(name, name)
        completer = QCompleter([self.itemText(n) for n in range(self.count())], self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.setCompleter(completer)

    def zone_name(self) -> str | None:
        """The chosen zone (None: the computer's); free text is returned as typed."""
        text = self.currentText().strip()
        found = self.findText(text)
        if found >= 0:
            return self.itemData(found)
        return text or None

    def set_zone_name(self, name: str | None) -> None:
        found = self.findData(name) if name else 0
        if found >= 0:
            self.setCurrentIndex(found)
        else:
            self.setEditText(name or "")


class IdentityPage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name_edit = QLineEdit(self)
        self.name_edit.setAccessibleName("Name")
        self.name_edit.setPlaceholderText("Alice Martin")
        self.handle_edit = QLineEdit(self)
        self.handle_edit.setAccessibleName("Handle")
        self.handle_edit.setPlaceholderText("alice")
        form = QFormLayout(self)
        form.addRow("&Name:", self.name_edit)
        form.addRow("&Handle:", self.handle_edit)
        form.addRow(
            _note(
                "The handle (or, without one, the name) is written as the author of everything"
                " you log, and shown to everyone you sync with. --author and COMMANDER_AUTHOR"
                " still override it for one session.",
                self,
            )
        )

    def load(self, prefs: Preferences) -> None:
        self.name_edit.setText(prefs.identity.name)
        self.handle_edit.setText(prefs.identity.handle)

    def read(self, prefs: Preferences) -> Preferences:
        identity = Identity(name=self.name_edit.text(), handle=self.handle_edit.text())
        return replace(prefs, identity=identity)

    def check(self, prefs: Preferences) -> None:
        prefs.identity.validated()


class TimePage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.zone_combo = ZoneCombo("Time zone", self)
        self.day_checks: list[QCheckBox] = []
        days = QHBoxLayout()
        for name in DAY_NAMES:
            check = QCheckBox(name.capitalize(), self)
            check.setAccessibleName(f"Business day {name.capitalize()}")
            self.day_checks.append(check)
            days.addWidget(check)
        days.addStretch(1)
        self.start_edit = self._time_edit("Business hours start")
        self.end_edit = self._time_edit("Business hours end")
        hours = QHBoxLayout()
        hours.addWidget(self.start_edit)
        hours.addWidget(QLabel("to", self))
        hours.addWidget(self.end_edit)
        hours.addStretch(1)
        self.business_zone_combo = ZoneCombo("Business hours time zone", self)
        form = QFormLayout(self)
        form.addRow("Show times &in:", self.zone_combo)
        form.addRow(_note("Timelines, deadlines and the roster show times in this zone.", self))
        form.addRow("Business days:", days)
        form.addRow("Business hours:", hours)
        form.addRow("Business hours &zone:", self.business_zone_combo)
        form.addRow(
            _note("A P3 must be acknowledged by the next business day: these define it.", self)
        )

    def _time_edit(self, name: str) -> QTimeEdit:
        edit = QTimeEdit(self)
        edit.setDisplayFormat("HH:mm")
        edit.setAccessibleName(name)
        return edit

    def load(self, prefs: Preferences) -> None:
        d = prefs.deadlines
        self.zone_combo.set_zone_name(prefs.display_zone)
        for n, check in enumerate(self.day_checks):
            check.setChecked(n in d.days)
        for edit, text in ((self.start_edit, d.start), (self.end_edit, d.end)):
            edit.setTime(QTime.fromString(text, "HH:mm"))
        self.business_zone_combo.set_zone_name(d.zone)

    def read(self, prefs: Preferences) -> Preferences:
        days = frozenset(n for n, check in enumerate(self.day_checks) if check.isChecked())
        deadlines = replace(
            prefs.deadlines,
            days=days,
            start=self.start_edit.time().toString("HH:mm"),
            end=self.end_edit.time().toString("HH:mm"),
            zone=self.business_zone_combo.zone_name(),
        )
        return replace(prefs, display_zone=self.zone_combo.zone_name(), deadlines=deadlines)

    def check(self, prefs: Preferences) -> None:
        parse_zone(prefs.display_zone)
        try:
            prefs.deadlines.business_hours()
        except ValidationError as err:
            raise ValidationError(f"Business hours: {err}") from None


class AppearancePage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme_combo = QComboBox(self)
        self.theme_combo.setAccessibleName("Theme")
        for name in THEMES:
            self.theme_combo.addItem(THEME_LABELS[name], name)
        self.due_soon_spin = QSpinBox(self)
        self.due_soon_spin.setAccessibleName("Due-soon threshold")
        self.due_soon_spin.setRange(0, MAX_DUE_SOON_MINUTES)
        self.due_soon_spin.setSuffix(" min")
        self.due_soon_spin.setMaximumWidth(140)
        self.theme_combo.setMaximumWidth(320)
        form = QFormLayout(self)
        form.addRow("&Theme:", self.theme_combo)
        form.addRow(
            _note(
                "War room: white on black with bold focus, for a dim room or a projector."
                " Severities always carry their label (P0 … P3), whatever the colours.",
                self,
            )
        )
        form.addRow("&Due soon:", self.due_soon_spin)
        form.addRow(_note("A deadline turns “due soon” this long before it is due.", self))

    def load(self, prefs: Preferences) -> None:
        self.theme_combo.setCurrentIndex(max(0, self.theme_combo.findData(prefs.theme)))
        self.due_soon_spin.setValue(prefs.deadlines.due_soon_minutes)

    def read(self, prefs: Preferences) -> Preferences:
        deadlines: DeadlineSettings = replace(
            prefs.deadlines, due_soon_minutes=self.due_soon_spin.value()
        )
        return replace(prefs, theme=str(self.theme_combo.currentData()), deadlines=deadlines)


class NotificationsPage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sound_check = QCheckBox("Play a &sound on deadline alerts", self)
        self.sound_check.setAccessibleName("Sound on deadline alerts")
        self.test_button = QPushButton("&Test sound", self)
        self.test_button.setAccessibleName("Test sound")
        self.test_button.clicked.connect(QApplication.beep)
        row = QHBoxLayout()
        row.addWidget(self.sound_check)
        row.addWidget(self.test_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(
            _note(
                "Alerts always show in the status bar and, where the desktop has one, the"
                " system tray. The sound is off by default: war rooms are loud.",
                self,
            )
        )
        layout.addStretch(1)

    def load(self, prefs: Preferences) -> None:
        self.sound_check.setChecked(prefs.sound)

    def read(self, prefs: Preferences) -> Preferences:
        return replace(prefs, sound=self.sound_check.isChecked())


class LinkPage(QWidget):
    """A page that shows a state and opens the dialog that owns it (sync server, channels)."""

    def __init__(
        self,
        describe: Callable[[], str],
        buttons: list[tuple[str, Callable[[], object], Callable[[], bool] | None]],
        note: str,
        parent: QWidget | None = None,
    ) -> None:
        """``buttons``: (text, what it does, when it is enabled — None for always)."""
        super().__init__(parent)
        self._describe = describe
        self._enabled: list[Callable[[], bool] | None] = []
        self.state_label = QLabel(self)
        self.state_label.setWordWrap(True)
        self.state_label.setAccessibleName("State")
        self.state_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons: list[QPushButton] = []
        row = QHBoxLayout()
        for text, slot, enabled in buttons:
            button = QPushButton(text, self)
            self._enabled.append(enabled)
            button.setAccessibleName(text.replace("&", "").rstrip("…"))
            button.clicked.connect(lambda _=False, run=slot: run())
            self.buttons.append(button)
            row.addWidget(button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.state_label)
        layout.addLayout(row)
        layout.addWidget(_note(note, self))
        layout.addStretch(1)
        self.refresh()

    def refresh(self, *_: object) -> None:
        """Show the state now (also a slot for signals that carry a value)."""
        self.state_label.setText(self._describe())
        for button, enabled in zip(self.buttons, self._enabled, strict=True):
            button.setEnabled(enabled() if enabled is not None else True)

    def load(self, prefs: Preferences) -> None:
        self.refresh()

    def read(self, prefs: Preferences) -> Preferences:
        return prefs
