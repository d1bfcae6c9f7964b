"""The names the menus (``main_menus.install_menus``) and the app give the main window.

Declared here, typed, so every module that reaches for ``window.action_declare`` is checked;
the window module itself stays about building and refreshing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from commander.ui.host_window import HostWindow

if TYPE_CHECKING:
    from commander.ui.app_shortcuts import PromisedShortcuts
    from commander.ui.exercise_ui import ExerciseUi
    from commander.ui.panels.questions_panel import QuestionsPanel
    from commander.ui.search_feature import SearchFeature


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
    promised_shortcuts: PromisedShortcuts
    exercise_dialog: QWidget
    exercise_ui: ExerciseUi | None
