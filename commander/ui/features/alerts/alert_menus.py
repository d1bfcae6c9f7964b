"""The Alerts menu and the View menu's toggle for the Alerts and health dock.

Added by the feature itself, so the window's own menu module stays untouched.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

if TYPE_CHECKING:
    from commander.ui.features.alerts.monitoring_feature import MonitoringFeature


def install_alert_menus(feature: MonitoringFeature, window: QMainWindow) -> None:
    """View → Alerts and health (Ctrl+Alt+A), and the Alerts menu before Help."""
    bar = window.menuBar()
    toggle = feature.dock.toggleViewAction()
    toggle.setText("&Alerts and health")
    toggle.setShortcut(QKeySequence("Ctrl+Alt+A"))
    feature.action_toggle = toggle
    view = _menu(bar, "View")
    if view is not None:
        view.addSeparator()
        view.addAction(toggle)
    menu = QMenu("&Alerts", window)
    help_action = next((a for a in bar.actions() if a.text().replace("&", "") == "Help"), None)
    if help_action is not None:
        bar.insertMenu(help_action, menu)
    else:
        bar.addMenu(menu)
    feature.action_declare = QAction("&Declare incident from alert", window)
    feature.action_declare.setShortcut(QKeySequence("Ctrl+Shift+I"))
    feature.action_declare.triggered.connect(feature.declare_selected)
    feature.action_link = QAction("&Link alert to current incident", window)
    feature.action_link.triggered.connect(feature.link_selected)
    feature.action_poll = QAction("&Poll alerts now", window)
    feature.action_poll.setShortcut(QKeySequence("F5"))
    feature.action_poll.triggered.connect(feature.poll_now)
    feature.action_check = QAction("&Check health now", window)
    feature.action_check.triggered.connect(feature.check_now)
    feature.action_settings = QAction("&Sources and checks…", window)
    feature.action_settings.triggered.connect(feature.open_settings)
    for action in (feature.action_declare, feature.action_link):
        menu.addAction(action)
    menu.addSeparator()
    for action in (feature.action_poll, feature.action_check):
        menu.addAction(action)
    menu.addSeparator()
    menu.addAction(feature.action_settings)
    feature.menu = menu


def _menu(bar: Any, title: str) -> QMenu | None:
    for action in bar.actions():
        if action.text().replace("&", "") == title:
            return action.menu()  # type: ignore[no-any-return]
    return None
