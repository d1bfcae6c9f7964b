"""The names the menus (``main_menus.install_menus``) and the app give the main window, and
the small ``FeatureHost`` methods that only read what the window built.

Declared here, typed, so every module that reaches for ``window.action_declare`` is checked;
the window module itself stays about building and refreshing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QWidget

from commander.ui.shell.host_window import HostWindow

if TYPE_CHECKING:
    from commander.ui.features.charts.charts_panel import ChartsPanel
    from commander.ui.features.checklists.checklists_feature import ChecklistsFeature
    from commander.ui.features.comms.comms_feature import CommsFeature
    from commander.ui.features.exercise.exercise_ui import ExerciseUi
    from commander.ui.features.incidents.fields_line import FieldsLine
    from commander.ui.features.incidents.incident_header import IncidentHeader
    from commander.ui.features.incidents.incident_list_model import IncidentListModel
    from commander.ui.features.questions.questions_panel import QuestionsPanel
    from commander.ui.features.search.search_feature import SearchFeature
    from commander.ui.features.sync.install import SyncUi
    from commander.ui.shell.app_shortcuts import PromisedShortcuts
    from commander.ui.shell.notifier import Notifier


class ShellActions(HostWindow):
    """The window's menu actions and the features the menus build (set once, at start)."""

    action_add_role: QAction
    action_amend: QAction
    action_answer: QAction
    action_assign: QAction
    action_set_field: QAction
    action_briefing: QAction
    action_checklists: QAction
    action_copy: QAction
    action_copy_md: QAction
    action_declare: QAction
    action_demo: QAction
    action_display: QAction
    action_exercise: QAction
    action_export_report: QAction
    action_find: QAction
    action_form_team: QAction
    action_history: QAction
    action_import_incident: QAction
    action_key: QAction
    action_paste_chat: QAction
    action_people: QAction
    action_phase: QAction
    action_quick_entry: QAction
    action_release: QAction
    action_reports: QAction
    action_runbook: QAction
    action_search: QAction
    action_security: QAction
    action_severity: QAction
    action_sound: QAction
    action_state_at: QAction
    action_status: QAction
    action_strike: QAction
    action_undo: QAction
    questions_panel: QuestionsPanel
    search: SearchFeature
    fields_line: FieldsLine
    promised_shortcuts: PromisedShortcuts
    exercise_dialog: QWidget
    exercise_ui: ExerciseUi | None
    # the window builds these (main_window.py); the methods below are for the features
    header: IncidentHeader
    incident_model: IncidentListModel
    checklists: ChecklistsFeature
    charts_panel: ChartsPanel
    comms: CommsFeature
    sync_ui: SyncUi
    notifier: Notifier
    author_label: QLabel
    display_window: QWidget
    _settings: QSettings

    def lists_incident(self, incident_id: str) -> bool:
        return self.incident_model.row_of(incident_id) is not None

    def show_runbook_step(self, key: str) -> None:
        self.checklists.show_runbook()
        if key:
            self.checklists.runbook_panel.select_step(key)

    def redraw_charts(self) -> None:
        self.charts_panel.redraw()  # matplotlib does not follow the Qt palette

    def show_alert_sound(self, on: bool) -> None:
        self.notifier.sound = on
        self.action_sound.setChecked(on)

    def show_author(self) -> None:
        self.author_label.setText(f"Author: {self._ws.author}")

    def set_alert_sound(self, on: bool) -> None:
        """View → Sound on deadline alerts, remembered in the settings."""
        self.notifier.sound = on
        self._settings.setValue("alerts/sound", on)

    def open_display(self) -> QWidget:
        """The read-only war-room display of this workspace, on another screen if any."""
        from commander.ui.features.display.launch import open_beside  # lazy: most sessions never do

        self.display_window = open_beside(self._ws, self._deadlines, self)
        return self.display_window
