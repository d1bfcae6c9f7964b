"""The settings dialog: what it saves survives a new window, and applying takes effect live."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import keyring
import pytest
from PySide6.QtCore import QSettings, Qt, QTime
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from commander.app import build_main_window
from commander.config import load_identity, resolve_author
from commander.integrations.channel_settings import SLACK_URL
from commander.integrations.secrets import MemoryKeyring
from commander.services.incidents import IncidentService
from commander.services.roster import RosterService
from commander.services.workspace import Workspace
from commander.ui.common import themes
from commander.ui.features.roster.roster_model import COL_SINCE
from commander.ui.features.timeline.timeline_model import COL_TIME
from commander.ui.shell.main_window import MainWindow
from commander.ui.shell.preferences import THEME_KEY, load_preferences
from commander.ui.shell.settings_dialog import SettingsDialog

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support")


@pytest.fixture(autouse=True)
def _light_theme_after(qapp: QApplication) -> Iterator[None]:
    yield
    themes.apply_theme(qapp, themes.DEFAULT_THEME)


@pytest.fixture(autouse=True)
def _memory_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    yield
    keyring.set_keyring(previous)


def open_settings(qtbot, window: MainWindow) -> SettingsDialog:  # type: ignore[no-untyped-def]
    qtbot.keyClick(window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    dialog = window.prefs_ui.dialog
    assert isinstance(dialog, SettingsDialog) and dialog.isVisible()
    return dialog


def fill_everything(qtbot, dialog: SettingsDialog) -> None:  # type: ignore[no-untyped-def]
    dialog.identity_page.name_edit.clear()
    qtbot.keyClicks(dialog.identity_page.name_edit, "Dana Okafor")
    qtbot.keyClicks(dialog.identity_page.handle_edit, "@dana")
    time_page = dialog.time_page
    time_page.zone_combo.set_zone_name("Europe/Paris")
    for n, check in enumerate(time_page.day_checks):
        check.setChecked(n < 4)  # mon-thu
    time_page.start_edit.setTime(QTime(8, 0))
    time_page.end_edit.setTime(QTime(16, 30))
    time_page.business_zone_combo.set_zone_name("America/New_York")
    look = dialog.appearance_page
    look.theme_combo.setCurrentIndex(look.theme_combo.findData("dark"))
    look.due_soon_spin.setValue(15)
    dialog.notifications_page.sound_check.setChecked(True)


def test_saved_settings_survive_a_new_window_and_settings_instance(
    qtbot, window: MainWindow, workspace: Workspace, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    dialog = open_settings(qtbot, window)
    fill_everything(qtbot, dialog)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert not dialog.isVisible()

    fresh = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    assert fresh.value(THEME_KEY) == "dark"
    prefs, problem = load_preferences(workspace.data_dir, fresh)
    assert problem == ""
    assert (prefs.identity.name, prefs.identity.handle) == ("Dana Okafor", "dana")
    assert prefs.display_zone == "Europe/Paris"
    assert prefs.deadlines.days == frozenset(range(4))
    assert (prefs.deadlines.start, prefs.deadlines.end) == ("08:00", "16:30")
    assert prefs.deadlines.zone == "America/New_York"
    assert prefs.deadlines.due_soon_minutes == 15
    assert prefs.sound is True
    monkeypatch.delenv("COMMANDER_AUTHOR", raising=False)
    assert resolve_author(None, workspace.data_dir) == "dana"  # the CLI signs as dana too

    window.close()
    again = build_main_window(workspace, fresh)
    qtbot.addWidget(again)
    again.poll_timer.stop()
    assert themes.current_theme() == "dark"  # applied at start-up from the saved settings
    assert again.action_sound.isChecked()
    reopened = again.prefs_ui.open_settings()
    assert reopened.identity_page.handle_edit.text() == "dana"
    assert reopened.time_page.zone_combo.zone_name() == "Europe/Paris"
    assert reopened.time_page.end_edit.time() == QTime(16, 30)
    assert reopened.appearance_page.theme_combo.currentData() == "dark"
    assert reopened.appearance_page.due_soon_spin.value() == 15


def test_apply_takes_effect_without_restart(
    qtbot, window: MainWindow, workspace: Workspace, incidents: IncidentService, qapp
) -> None:  # type: ignore[no-untyped-def]
    declared = incidents.declare(title="API down", severity="P1")  # 10:00 UTC
    RosterService(workspace).assign(declared.incident.id, "technical_lead", "alice", "")
    window.refresh()
    window.select_incident(declared.incident.id)
    assert window.timeline_model.index(0, COL_TIME).data().startswith("10:00")
    light_window = qapp.palette().color(QPalette.ColorRole.Window).name()
    dialog = open_settings(qtbot, window)
    fill_everything(qtbot, dialog)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Apply).click()
    assert dialog.isVisible() and not dialog.error_label.isVisible()

    assert qapp.palette().color(QPalette.ColorRole.Window).name() == themes.THEMES["dark"].window
    assert qapp.palette().color(QPalette.ColorRole.Window).name() != light_window
    assert window.timeline_model.index(0, COL_TIME).data().startswith("11:00")  # Paris, CET
    assert "11:00" in window.header.declared_label.text()
    roster = window.roster_panel.model
    lead = next(r for r in range(roster.rowCount()) if "Technical" in roster.index(r, 0).data())
    assert roster.index(lead, COL_SINCE).data() == "11:00"  # every model follows, not only one
    assert window.author_label.text() == "Author: dana"
    assert window.notifier.sound and window.action_sound.isChecked()
    assert window._deadlines.due_soon == timedelta(minutes=15)
    assert window._deadlines.hours.days == frozenset(range(4))
    window.timeline_panel.quick_entry.event_edit.setText("Rolled back")
    qtbot.keyClick(window.timeline_panel.quick_entry.event_edit, Qt.Key.Key_Return)
    last = window.timeline_model.entry_at(window.timeline_model.rowCount() - 1)
    assert last.event == "Rolled back" and last.author == "dana"


@pytest.mark.parametrize(
    ("setup", "page", "words"),
    [
        (lambda d: d.identity_page.handle_edit.setText("dana okafor"), "Identity", "Handle"),
        (lambda d: d.time_page.end_edit.setTime(QTime(8, 0)), "Time & business hours", "end"),
        (lambda d: d.time_page.zone_combo.setEditText("Mars/Olympus"), "Time", "Unknown time zone"),
        (
            lambda d: [c.setChecked(False) for c in d.time_page.day_checks],
            "Time",
            "working day",
        ),
    ],
)
def test_refusals_name_the_problem_show_the_page_and_save_nothing(
    qtbot, window: MainWindow, workspace: Workspace, settings: QSettings, setup, page, words
) -> None:  # type: ignore[no-untyped-def]
    dialog = open_settings(qtbot, window)
    dialog.show_page("Notifications")
    dialog.appearance_page.theme_combo.setCurrentIndex(2)
    setup(dialog)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.isVisible()
    assert dialog.error_label.isVisible() and words in dialog.error_label.text()
    assert dialog.page_list.currentItem().text().startswith(page)
    assert settings.value(THEME_KEY) is None
    assert not (workspace.data_dir / "settings.json").exists()
    assert themes.current_theme() == "light"


def test_cancel_changes_nothing(qtbot, window: MainWindow, workspace: Workspace) -> None:  # type: ignore[no-untyped-def]
    dialog = open_settings(qtbot, window)
    fill_everything(qtbot, dialog)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).click()
    assert not dialog.isVisible()
    assert load_identity(workspace.data_dir).handle == ""
    assert themes.current_theme() == "light" and workspace.author == "alice"


def test_sync_and_channel_pages_open_the_dialogs_that_own_them(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    dialog = open_settings(qtbot, window)
    dialog.show_page("Sync server")
    sync_page = dialog.stack.currentWidget()
    assert "Not connected" in sync_page.state_label.text()
    assert not sync_page.buttons[1].isEnabled()  # nothing to disconnect
    sync_page.buttons[0].click()
    assert window.sync_ui.dialog is not None and window.sync_ui.dialog.isVisible()
    window.sync_ui.dialog.reject()

    dialog.show_page("Channels")
    channels_page = dialog.stack.currentWidget()
    assert channels_page.state_label.text() == "No channel is configured yet."
    channels_page.buttons[0].click()
    channels_dialog = window.comms.dialog
    assert channels_dialog is not None and channels_dialog.isVisible()
    window.comms.secrets.set(SLACK_URL, "https://hooks.slack.test/x")
    channels_dialog.reject()
    assert channels_page.state_label.text() == "Configured: Slack."


def test_settings_menu_entry_and_single_dialog(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    first = open_settings(qtbot, window)
    window.prefs_ui.action_settings.trigger()
    assert window.prefs_ui.dialog is first
    assert window.prefs_ui.action_settings.text().replace("&", "") == "Settings…"


def test_charts_follow_the_theme(qtbot, window: MainWindow, incidents: IncidentService) -> None:  # type: ignore[no-untyped-def]
    from matplotlib.colors import to_hex

    from commander.charts.theme import THEMES as CHART_THEMES

    declared = incidents.declare(title="API down", severity="P1")
    window.refresh()
    window.select_incident(declared.incident.id)
    window.side_tabs.setCurrentWidget(window.charts_panel)
    window.charts_panel.redraw()
    light = to_hex(window.charts_panel.view.figure.axes[0].get_facecolor())
    assert light == CHART_THEMES["light"].background
    dialog = open_settings(qtbot, window)
    combo = dialog.appearance_page.theme_combo
    combo.setCurrentIndex(combo.findData("war-room"))
    dialog.apply()
    war = to_hex(window.charts_panel.view.figure.axes[0].get_facecolor())
    assert war == CHART_THEMES["war-room"].background
