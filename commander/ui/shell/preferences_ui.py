"""Settings, themes and the keyboard layer, wired into the main window in one call.

``install_preferences(window, ...)`` applies the saved theme, adds Edit › Settings… (Ctrl+,),
Help › Command palette… (Ctrl+K) and Help › Keyboard shortcuts (F1), and applies saved
settings live: theme, display time zone, author, business hours, due-soon threshold, sound.
"""

from __future__ import annotations

from datetime import timedelta, tzinfo
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QApplication, QMainWindow, QMenu, QWidget

from commander.config import parse_zone
from commander.core.errors import CommanderError
from commander.services.deadlines import DeadlineService
from commander.services.workspace import Workspace
from commander.ui.common.themes import THEME_PROPERTY, apply_theme, current_theme
from commander.ui.common.zones import FollowsZone
from commander.ui.shell.commands import HIDDEN_PROPERTY, plain
from commander.ui.shell.preferences import (
    Preferences,
    load_preferences,
    save_preferences,
    saved_theme,
)

if TYPE_CHECKING:  # the dialogs and the palette load on first use: start-up stays lean
    from commander.ui.features.sync.install import SyncUi
    from commander.ui.shell.command_palette import CommandPalette
    from commander.ui.shell.feature_host import FeatureHost
    from commander.ui.shell.procedure_page import ProcedurePage
    from commander.ui.shell.settings_dialog import SettingsDialog
    from commander.ui.shell.settings_pages import LinkPage
    from commander.ui.shell.shortcuts_dialog import ShortcutsDialog

SETTINGS_SHORTCUT = "Ctrl+,"
PALETTE_SHORTCUT = "Ctrl+K"
CHEAT_SHEET_SHORTCUT = "F1"


def _menu(window: QMainWindow, title: str) -> QMenu:
    """The menu bar's menu called ``title`` (created last if missing)."""
    for action in window.menuBar().actions():
        menu = action.menu()
        if isinstance(menu, QMenu) and plain(action.text()) == title:
            return menu
    return window.menuBar().addMenu(f"&{title}")


def _add(menu: QMenu, window: QMainWindow, text: str, slot: object, shortcut: str) -> QAction:
    action = QAction(text, window)
    action.setShortcut(QKeySequence(shortcut))
    action.triggered.connect(slot)
    menu.addAction(action)
    return action


def _disconnect(sync_ui: SyncUi, page: LinkPage) -> None:
    sync_ui.disconnect_server()
    page.refresh()


class PreferencesUi(QObject):
    """The settings dialog, command palette and cheat sheet of one main window."""

    def __init__(
        self,
        window: FeatureHost,
        workspace: Workspace,
        deadlines: DeadlineService,
        settings: QSettings,
    ) -> None:
        super().__init__(window.main_window())
        self._window = window
        self._ws = workspace
        self._deadlines = deadlines
        self._settings = settings
        self.dialog: SettingsDialog | None = None
        self.shortcuts_dialog: ShortcutsDialog | None = None
        self._palette: CommandPalette | None = None
        theme = saved_theme(settings)
        if self._app().property(THEME_PROPERTY) != theme:  # prepare_application set light
            apply_theme(self._app(), theme)
        shell = window.main_window()
        edit = _menu(shell, "Edit")
        edit.addSeparator()
        self.action_settings = _add(
            edit, shell, "S&ettings…", self.open_settings, SETTINGS_SHORTCUT
        )
        help_menu = _menu(shell, "Help")
        help_menu.addSeparator()
        self.action_palette = _add(
            help_menu, shell, "&Command palette…", self.open_palette, PALETTE_SHORTCUT
        )
        self.action_palette.setProperty(HIDDEN_PROPERTY, True)  # it is already open
        self.action_shortcuts = _add(
            help_menu, shell, "&Keyboard shortcuts", self.show_shortcuts, CHEAT_SHEET_SHORTCUT
        )

    @staticmethod
    def _app() -> QApplication:
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        return app

    # -- opening -----------------------------------------------------------------------------

    @property
    def palette(self) -> CommandPalette:
        if self._palette is None:
            from commander.ui.shell.command_palette import CommandPalette

            self._palette = CommandPalette(self._window.main_window())
        return self._palette

    def open_palette(self) -> CommandPalette:
        self.palette.popup()
        return self.palette

    def show_shortcuts(self) -> ShortcutsDialog:
        from commander.ui.shell.shortcuts_dialog import ShortcutsDialog

        if self.shortcuts_dialog is not None:
            self.shortcuts_dialog.deleteLater()
        self.shortcuts_dialog = ShortcutsDialog(self._window.main_window())
        self.shortcuts_dialog.show()
        return self.shortcuts_dialog

    def open_settings(self, page: str = "") -> SettingsDialog:
        """The settings dialog; not modal, so the sync and channel dialogs it opens work."""
        from commander.ui.shell.settings_dialog import SettingsDialog

        if self.dialog is not None and self.dialog.isVisible():
            if QGuiApplication.platformName() != "offscreen":  # which cannot raise windows
                self.dialog.raise_()
            self.dialog.activateWindow()
        else:
            if self.dialog is not None:
                self.dialog.deleteLater()
            prefs, problem = load_preferences(self._ws.data_dir, self._settings)
            pages: list[tuple[str, QWidget]] = [*self._link_pages()]
            pages.append(("Procedure", self._procedure_page()))
            self.dialog = SettingsDialog(
                prefs, self._save, pages, problem, self._window.main_window()
            )
            self.dialog.sig_applied.connect(self.apply)
            self.dialog.show()
        if page:
            self.dialog.show_page(page)
        return self.dialog

    def _save(self, prefs: Preferences) -> Preferences:
        return save_preferences(self._ws.data_dir, self._settings, prefs)

    # -- the pages other features own ------------------------------------------------------

    def _link_pages(self) -> list[tuple[str, LinkPage]]:
        from commander.ui.shell.settings_pages import LinkPage

        pages: list[tuple[str, LinkPage]] = []
        sync_ui = self._window.sync_ui
        sync_page = LinkPage(
            lambda: self._sync_text(sync_ui),
            [
                (
                    "&Connect…",
                    lambda: self._open_then_refresh(sync_ui.open_connect_dialog),
                    None,
                ),
                (
                    "&Disconnect",
                    lambda: _disconnect(sync_ui, sync_page),
                    lambda: bool(sync_ui.controller.running),
                ),
            ],
            "The server password is kept in the keyring (or the owner-only secrets file).",
        )
        sync_ui.controller.sig_status.connect(sync_page.refresh)  # dropped with the page
        pages.append(("Sync server", sync_page))
        comms = self._window.comms
        channels_page = LinkPage(
            lambda: self._channels_text(comms),
            [
                (
                    "Configure &channels…",
                    lambda: self._open_then_refresh(comms.edit_channels),
                    None,
                )
            ],
            "Webhook URLs, API keys and passwords are kept in the system keyring"
            " (or the owner-only secrets file).",
        )
        pages.append(("Channels", channels_page))
        return pages

    def _procedure_page(self) -> ProcedurePage:
        from commander.services.procedures import ProcedureService
        from commander.ui.shell.procedure_page import ProcedurePage

        window = self._window
        return ProcedurePage(
            ProcedureService(self._ws), window.tasks, self._ws.zone, window.local_write
        )

    def _open_then_refresh(self, opener: object) -> None:
        from commander.ui.shell.settings_pages import LinkPage

        dialog = opener()  # type: ignore[operator]
        if self.dialog is not None and dialog is not None:
            for page in self.dialog.findChildren(LinkPage):
                dialog.finished.connect(lambda _result, p=page: p.refresh())

    @staticmethod
    def _sync_text(sync_ui: object) -> str:
        controller = sync_ui.controller  # type: ignore[attr-defined]
        if controller.running and controller.server is not None:
            return f"Syncing with {controller.server.redacted}."
        try:
            saved = controller.saved_url()
        except CommanderError:
            saved = None
        return f"Not syncing (last server: {saved})." if saved else "Not connected to a server."

    def _channels_text(self, comms: object) -> str:
        from commander.integrations import channel_settings as cs

        try:
            settings = cs.load_channel_settings(self._ws.data_dir)
        except CommanderError as err:
            return str(err)
        secrets = comms.secrets  # type: ignore[attr-defined]
        ready = {
            "Slack": secrets.has(cs.SLACK_URL),
            "Teams": secrets.has(cs.TEAMS_URL),
            "Email": bool(settings.smtp_host and settings.email_to),
            "Status page": bool(settings.statuspage_page_id) and secrets.has(cs.STATUSPAGE_KEY),
            "PagerDuty": secrets.has(cs.PAGERDUTY_KEY),
            "Webhook": secrets.has(cs.WEBHOOK_URL),
        }
        on = [name for name, ok in ready.items() if ok]
        return f"Configured: {', '.join(on)}." if on else "No channel is configured yet."

    # -- applying live -----------------------------------------------------------------------

    def apply(self, prefs: Preferences) -> None:
        """Take saved settings into the running window, no restart needed."""
        window = self._window
        if prefs.theme != current_theme(self._app()):
            apply_theme(self._app(), prefs.theme)
            window.redraw_charts()  # matplotlib does not follow the Qt palette
        window.show_alert_sound(prefs.sound)
        if prefs.identity.author:
            self._ws.author = prefs.identity.author
            window.show_author()
        self._deadlines.hours = prefs.deadlines.business_hours()
        self._deadlines.due_soon = timedelta(minutes=prefs.deadlines.due_soon_minutes)
        self.apply_zone(parse_zone(prefs.display_zone))
        window.show_message("Settings applied", 4000)

    def apply_zone(self, zone: tzinfo) -> None:
        """Show times in ``zone`` everywhere: the workspace, and every model or panel that
        formats times (each is a :class:`FollowsZone`)."""
        self._ws.zone = zone
        for obj in self._window.main_window().findChildren(QObject):
            if isinstance(obj, FollowsZone):
                obj.set_zone(zone)
        self._window.show_current_incident()


def install_preferences(
    window: FeatureHost, workspace: Workspace, deadlines: DeadlineService, settings: QSettings
) -> PreferencesUi:
    """Add settings, themes, the command palette and the cheat sheet to ``window``."""
    return PreferencesUi(window, workspace, deadlines, settings)
