"""The main window's menus and shortcuts: every action the window offers, in one place.

Kept apart from ``main_window`` so the shell stays a shell; actions that need a selected
incident are given to ``window.add_incident_action`` and enabled with it.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

from commander.ui.features.incidents.fields_line import FieldsLine
from commander.ui.features.questions.questions_panel import install_questions
from commander.ui.features.search.search_feature import SearchFeature
from commander.ui.features.timeline.chat_paste_command import PASTE_CHAT_SHORTCUT, open_chat_paste
from commander.ui.features.timeline.timeline_keys import toggle_key_selected
from commander.ui.shell.app_shortcuts import PromisedShortcuts

if TYPE_CHECKING:
    from commander.ui.shell.main_window import MainWindow


def _action(window: MainWindow, menu: Any, text: str, slot: Any, shortcut: Any = None) -> QAction:
    action = QAction(text, window)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    action.triggered.connect(slot)
    menu.addAction(action)
    return action


def _composer_types() -> tuple[type, ...]:
    """The composer's class once it was imported (no composer can be open before that);
    importing it at start would pull in the message templates and jinja2."""
    module = sys.modules.get("commander.ui.features.comms.composer_dialog")
    return (module.ComposerDialog,) if module is not None else ()


def _start_exercise(window: MainWindow) -> None:
    """Help → Start an exercise…: a practice workspace, opened in a new window."""
    from commander.ui.features.exercise.exercise_ui import open_start_dialog  # lazy: rarely used

    window.exercise_dialog = open_start_dialog(window, window.workspace)


def _current_id(panel: Any) -> str | None:
    entry = panel.current_entry()
    return entry.id if entry is not None else None


def install_menus(window: MainWindow) -> None:
    """Build the menu bar of ``window`` and keep each action on it (tests trigger them)."""
    bar = window.menuBar()
    cmds = window.incident_commands
    incident = bar.addMenu("&Incident")
    window.incident_menu = incident
    window.action_declare = _action(
        window, incident, "&Declare…", cmds.declare, QKeySequence.StandardKey.New
    )
    incident.addSeparator()
    window.action_severity = _action(
        window,
        incident,
        "Change &severity…",
        lambda: cmds.change_field("severity"),
        "Ctrl+Shift+S",
    )
    window.action_status = _action(
        window, incident, "Change s&tatus…", lambda: cmds.change_field("status"), "Ctrl+Shift+T"
    )
    window.action_phase = _action(
        window, incident, "Change &phase…", lambda: cmds.change_field("phase"), "Ctrl+Shift+P"
    )
    window.action_set_field = _action(
        window, incident, "Set type or &field…", lambda: cmds.set_procedure_field(), "Ctrl+Shift+Y"
    )
    window.fields_line = FieldsLine(cmds.fields, window.header)
    window.header.add_row(window.fields_line, window.fields_line.set_incident)
    window.fields_line.sig_edit.connect(cmds.set_procedure_field)
    window.action_state_at = _action(
        window, incident, "State at a &moment…", cmds.state_at_moment, "Ctrl+Shift+H"
    )
    incident.addSeparator()
    window.action_export_report = _action(
        window,
        incident,
        "&Export report…",
        lambda: window.reports.export(window.current_incident()),
        "Ctrl+E",
    )
    window.action_import_incident = _action(
        window,
        incident,
        "&Import incident…",
        lambda: window.reports.import_file(on_done=cmds.show_declared),
    )
    incident.addSeparator()
    window.action_quit = _action(
        window, incident, "&Quit", window.close, QKeySequence.StandardKey.Quit
    )

    panel = window.timeline_panel
    quick = panel.quick_entry
    edit = bar.addMenu("&Edit")
    window.action_undo = _action(
        window, edit, "&Undo last entry", quick.undo_last_entry, QKeySequence.StandardKey.Undo
    )
    edit.addSeparator()
    window.action_copy = _action(window, edit, "&Copy rows", panel.copy_rows, "Ctrl+C")
    window.action_copy_md = _action(
        window, edit, "Copy as &Markdown", panel.copy_markdown, "Ctrl+Shift+C"
    )
    edit.addSeparator()
    window.action_strike = _action(
        window, edit, "&Strike entry…", panel.strike_current, "Ctrl+Delete"
    )
    window.action_amend = _action(window, edit, "&Amend entry…", panel.amend_current, "F2")
    window.action_key = _action(
        window,
        edit,
        "Mark or unmark &key event",
        lambda: toggle_key_selected(panel, window.incidents),
        "Ctrl+Shift+M",
    )
    panel.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
    window.questions_panel = install_questions(window)  # the Questions tab: Answer… needs it
    window.action_answer = _action(
        window,
        edit,
        "A&nswer question…",
        lambda: window.questions_panel.answer_entry(_current_id(panel)),
    )
    panel.table.addAction(window.action_key)  # also on the entry's context menu (right click)
    panel.table.addAction(window.action_answer)
    edit.addSeparator()
    window.action_find = _action(
        window, edit, "&Filter timeline", panel.focus_filter, QKeySequence.StandardKey.Find
    )
    window.action_quick_entry = _action(window, edit, "&Log entry", quick.focus, "Ctrl+L")
    window.action_paste_chat = _action(
        window, edit, "Paste c&hat…", lambda: open_chat_paste(window), PASTE_CHAT_SHORTCUT
    )
    quick.sig_chat_pasted.connect(lambda text: open_chat_paste(window, text))
    panel.capture.sig_text_pasted.connect(lambda text: open_chat_paste(window, text))
    window.search = SearchFeature(window, window.workspace)  # also similar incidents, in the header
    window.action_search = _action(
        window, edit, "Search &everything…", window.search.open, "Ctrl+Shift+F"
    )
    team = bar.addMenu("&Team")
    roster = window.roster_panel
    window.action_assign = _action(
        window, team, "&Assign or hand off role…", lambda: roster.assign(), "Ctrl+R"
    )
    window.action_release = _action(window, team, "&Release role", roster.release_current)
    window.action_history = _action(window, team, "Role &history…", lambda: roster.show_history())
    window.action_form_team = _action(
        window, team, "&Form response team…", roster.form_team, "Ctrl+Shift+R"
    )
    window.action_briefing = _action(
        window, team, "Handoff &briefing…", lambda: roster.show_briefing(), "Ctrl+Shift+B"
    )
    window.action_security = _action(
        window, team, "Toggle &security related", cmds.toggle_security_related
    )
    team.addSeparator()
    window.action_people = _action(window, team, "&People directory…", roster.open_people)
    window.action_add_role = _action(
        window, team, "Add custom &role…", lambda: roster.add_custom_role()
    )
    comms_actions = window.comms.add_menu(bar.addMenu("&Comms"))
    view = bar.addMenu("&View")
    window.action_sound = view.addAction("&Sound on deadline alerts")
    window.action_sound.setCheckable(True)
    window.action_sound.setChecked(window.notifier.sound)
    window.action_sound.toggled.connect(window.set_alert_sound)
    view.addSeparator()
    window.action_reports = _action(
        window, view, "&Reports across incidents…", window.charts_panel.open_reports, "Ctrl+Alt+R"
    )
    window.action_display = _action(
        window, view, "&War-room display", window.open_display, "Ctrl+Shift+D"
    )
    window.action_checklists = _action(
        window, view, "&Checklists", window.checklists.show_checklists, "Ctrl+Shift+K"
    )
    window.action_runbook = _action(
        window, view, "Run&book", window.checklists.show_runbook, "Ctrl+Shift+J"
    )
    # Ctrl+U and Ctrl+L beat the line edits' own bindings (Ctrl+U would delete the line).
    window.promised_shortcuts = PromisedShortcuts(
        window, [window.comms.action_compose, window.action_quick_entry], _composer_types
    )
    help_menu = bar.addMenu("&Help")
    window.action_demo = _action(window, help_menu, "Load &demo incident", window.load_demo)
    window.action_exercise = _action(
        window, help_menu, "Start an &exercise…", lambda: _start_exercise(window)
    )
    window.add_incident_action(
        window.action_severity,
        window.action_status,
        window.action_phase,
        window.action_undo,
        window.action_copy,
        window.action_copy_md,
        window.action_strike,
        window.action_amend,
        window.action_key,
        window.action_answer,
        window.action_find,
        window.action_quick_entry,
        window.action_paste_chat,
        window.action_assign,
        window.action_release,
        window.action_history,
        window.action_form_team,
        window.action_briefing,
        window.action_security,
        window.action_export_report,
        *comms_actions,
    )
