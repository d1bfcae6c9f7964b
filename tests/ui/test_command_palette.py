"""Keyboard first: the command palette reaches every action, the cheat sheet lists every
shortcut, and no two actions share a key."""

from __future__ import annotations

from collections import Counter

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QMenu

from commander.services.incidents import IncidentService
from commander.ui.shell.command_palette import CommandPalette
from commander.ui.shell.commands import collect_commands, filter_commands, fuzzy_score, plain
from commander.ui.shell.main_window import MainWindow
from commander.ui.shell.shortcuts_dialog import ShortcutsDialog

# The offscreen platform cannot raise windows or grab the keyboard for a popup.
pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support")


def menu_actions(window: MainWindow) -> list[QAction]:
    """Every leaf action in the menu bar, walked independently of the palette's own code."""
    found: list[QAction] = []

    def walk(menu: QMenu) -> None:
        for action in menu.actions():
            if action.menu() is not None:
                walk(action.menu())
            elif not action.isSeparator():
                found.append(action)

    for top in window.menuBar().actions():
        walk(top.menu())
    return found


def open_palette(qtbot, window: MainWindow) -> CommandPalette:  # type: ignore[no-untyped-def]
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    palette = window.prefs_ui.palette
    assert palette.isVisible()
    return palette


def rows(palette: CommandPalette) -> list[str]:
    return [palette.model.command_at(r).text for r in range(palette.model.rowCount())]


def test_fuzzy_match_is_an_ordered_subsequence_preferring_word_starts() -> None:
    assert fuzzy_score("csev", "Change severity…") is not None
    assert fuzzy_score("sevc", "Change severity…") is None
    assert fuzzy_score("", "anything") == 0
    assert fuzzy_score("cs", "Change severity") > fuzzy_score("cs", "Discuss")  # type: ignore[operator]


def test_every_menu_action_is_in_the_palette(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    listed = {id(c.action) for c in collect_commands(window)}
    expected = [a for a in menu_actions(window) if a is not window.prefs_ui.action_palette]
    assert len(expected) > 30
    missing = [plain(a.text()) for a in expected if id(a) not in listed]
    assert not missing
    palette = open_palette(qtbot, window)
    assert len(rows(palette)) == len(collect_commands(window))


def test_actions_added_later_appear_without_registration(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    menu = window.menuBar().addMenu("&Runbooks")
    hits: list[bool] = []
    later = menu.addAction("Run &failover checklist")
    later.triggered.connect(lambda: hits.append(True))
    palette = open_palette(qtbot, window)
    qtbot.keyClicks(palette.query_edit, "failover")
    assert rows(palette) == ["Run failover checklist"]
    assert palette.model.command_at(0).path == "Runbooks"
    qtbot.keyClick(palette.query_edit, Qt.Key.Key_Return)
    assert hits == [True] and not palette.isVisible()


def test_typing_filters_and_enter_triggers(
    qtbot, window: MainWindow, incidents: IncidentService
) -> None:  # type: ignore[no-untyped-def]
    declared = incidents.declare(title="API down", severity="P1")
    window.refresh()
    window.select_incident(declared.incident.id)
    palette = open_palette(qtbot, window)
    qtbot.keyClicks(palette.query_edit, "chg sev")
    assert rows(palette)[0] == "Change severity…"
    assert all(fuzzy_score("chgsev", c.haystack) is not None for c in palette.model._commands)
    qtbot.keyClick(palette.query_edit, Qt.Key.Key_Return)
    assert not palette.isVisible()
    dialog = window.incident_commands.active_dialog
    assert dialog is not None and dialog.isVisible() and "severity" in dialog.windowTitle()


def test_arrows_choose_and_escape_closes(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    palette = open_palette(qtbot, window)
    qtbot.keyClicks(palette.query_edit, "o")
    start = palette.current_row()
    qtbot.keyClick(palette.query_edit, Qt.Key.Key_Down)
    moved = palette.current_row()
    assert moved > start  # the next *enabled* command: greyed ones are skipped
    assert palette.model.command_at(moved).action.isEnabled()
    assert palette.query_edit.hasFocus()
    qtbot.keyClick(palette.query_edit, Qt.Key.Key_Escape)
    assert not palette.isVisible()


def test_disabled_actions_are_shown_greyed_and_do_nothing(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    assert window.current_incident() is None  # so "Change severity…" is disabled
    palette = open_palette(qtbot, window)
    qtbot.keyClicks(palette.query_edit, "change severity")
    row = rows(palette).index("Change severity…")
    index = palette.model.index(row, 0)
    assert not (palette.model.flags(index) & Qt.ItemFlag.ItemIsEnabled)
    assert palette.trigger_row(row) is False
    assert palette.isVisible() and window.incident_commands.active_dialog is None
    assert "not available" in palette.empty_label.text()


def test_toggles_show_their_state_and_flip(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    palette = open_palette(qtbot, window)
    qtbot.keyClicks(palette.query_edit, "sound alerts")
    assert rows(palette)[0] == "Sound on deadline alerts"
    state = palette.model.index(0, 0).data(Qt.ItemDataRole.CheckStateRole)
    assert state == Qt.CheckState.Unchecked
    qtbot.keyClick(palette.query_edit, Qt.Key.Key_Return)
    assert window.action_sound.isChecked() and window.notifier.sound


def test_nothing_matches_says_so(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    palette = open_palette(qtbot, window)
    qtbot.keyClicks(palette.query_edit, "zzzzqqq")
    assert rows(palette) == [] and palette.empty_label.isVisible()
    qtbot.keyClick(palette.query_edit, Qt.Key.Key_Return)  # no crash, stays open
    assert palette.isVisible()


def test_filter_keeps_menu_order_when_empty(window: MainWindow) -> None:
    commands = collect_commands(window)
    assert filter_commands(commands, "  ") == commands
    assert commands[0].text == "Declare…" and commands[0].path == "Incident"


@pytest.mark.parametrize(
    ("keys", "action_name"),
    [
        ("Ctrl+N", "action_declare"),
        ("Ctrl+L", "action_quick_entry"),
        ("Ctrl+Shift+S", "action_severity"),
        ("Ctrl+R", "action_assign"),  # assign or hand off a role
        ("Ctrl+Shift+D", "action_display"),
    ],
)
def test_required_shortcuts(window: MainWindow, keys: str, action_name: str) -> None:
    action = getattr(window, action_name)
    assert action.shortcut().matches(QKeySequence(keys)) == QKeySequence.SequenceMatch.ExactMatch


def test_required_shortcuts_of_other_features(window: MainWindow) -> None:
    def keys(action: QAction) -> str:
        return action.shortcut().toString(QKeySequence.SequenceFormat.PortableText)

    assert keys(window.comms.action_compose) == "Ctrl+U"
    assert keys(window.prefs_ui.action_palette) == "Ctrl+K"
    assert keys(window.prefs_ui.action_shortcuts) == "F1"
    assert keys(window.prefs_ui.action_settings) == "Ctrl+,"


def test_shortcuts_are_unique_across_the_window(window: MainWindow) -> None:
    """Two window-wide bindings of one key make Qt ignore both ("ambiguous shortcut")."""
    bound: list[str] = []
    for action in window.findChildren(QAction):
        if action.shortcutContext() == Qt.ShortcutContext.WidgetShortcut:
            continue
        for sequence in action.shortcuts():
            bound.append(sequence.toString(QKeySequence.SequenceFormat.PortableText))
    for shortcut in window.findChildren(QShortcut):
        if shortcut.context() != Qt.ShortcutContext.WidgetShortcut:
            bound.append(shortcut.key().toString(QKeySequence.SequenceFormat.PortableText))
    duplicates = [key for key, count in Counter(bound).items() if count > 1]
    assert len(bound) >= 20
    assert not duplicates


def test_ctrl_l_focuses_the_quick_entry(
    qtbot, window: MainWindow, incidents: IncidentService
) -> None:  # type: ignore[no-untyped-def]
    declared = incidents.declare(title="API down", severity="P1")
    window.refresh()
    window.select_incident(declared.incident.id)
    window.incident_view.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.timeline_panel.quick_entry.event_edit.hasFocus()


def test_cheat_sheet_lists_every_shortcut_by_menu(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(window, Qt.Key.Key_F1)
    sheet = window.prefs_ui.shortcuts_dialog
    assert isinstance(sheet, ShortcutsDialog) and sheet.isVisible()
    text = sheet.browser.toPlainText()
    with_keys = [c for c in collect_commands(window, include_hidden=True) if c.shortcut]
    for command in with_keys:
        assert command.text in text and command.shortcut in text
    assert list(sheet.groups)[:2] == ["Incident", "Edit"]
    assert "Ctrl+K" in sheet.hint_label.text()


def test_cheat_sheet_follows_new_shortcuts(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    extra = window.menuBar().addMenu("&Runbooks").addAction("Open runbook")
    extra.setShortcut(QKeySequence("Ctrl+Alt+B"))
    sheet = window.prefs_ui.show_shortcuts()
    assert "Open runbook" in sheet.browser.toPlainText()
    assert "Runbooks" in sheet.groups
