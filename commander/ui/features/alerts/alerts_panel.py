"""The Alerts panel: what Alertmanager and Grafana say is firing, and "Declare incident".

The panel only shows and asks; ``MonitoringFeature`` polls, declares and links. A problem
with a source is one sentence in the status line, never a dialog: alerts are background
information until someone acts on one.

Signals:
    sig_declare_requested(str): declare an incident from this fingerprint.
    sig_link_requested(str): link this fingerprint to the current incident.
    sig_poll_requested(): poll every source now.
"""

from __future__ import annotations

import html
from datetime import tzinfo
from typing import Any

from PySide6.QtCore import QPoint, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from commander.core.alert_mapping import label_text
from commander.services.alerts import AlertView
from commander.ui.common.zones import FollowsZone
from commander.ui.features.alerts.alert_model import (
    COL_ALERT,
    COL_INCIDENT,
    COL_SEV,
    COL_SINCE,
    COL_STATE,
    COL_SUMMARY,
    AlertModel,
)

ERROR_STYLE = "color: #b00020;"


class AlertsPanel(QWidget, FollowsZone):
    sig_declare_requested = Signal(str)
    sig_link_requested = Signal(str)
    sig_poll_requested = Signal()

    def __init__(self, model: AlertModel, zone: tzinfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self._zone = zone
        self._can_link = False
        self._setup_ui()

    def _setup_ui(self) -> None:
        self.setAccessibleName("Alerts")
        self.status_label = QLabel("No alert sources yet — Alerts → Sources and checks…", self)
        self.status_label.setAccessibleName("Alert polling status")
        self.status_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.declare_button = QPushButton("&Declare incident", self)
        self.declare_button.setAccessibleName("Declare incident from the selected alert")
        self.declare_button.setToolTip(
            "Declare an incident from the selected alert: title, services and the suggested "
            "severity from its labels; logs when it fired"
        )
        self.declare_button.clicked.connect(self._on_declare_clicked)
        self.link_button = QPushButton("&Link to incident", self)
        self.link_button.setAccessibleName("Link the selected alert to the current incident")
        self.link_button.setToolTip("Log this alert on the incident shown, and its resolution")
        self.link_button.clicked.connect(self._on_link_clicked)
        self.poll_button = QPushButton("&Poll now", self)
        self.poll_button.setAccessibleName("Poll alert sources now")
        self.poll_button.clicked.connect(self.sig_poll_requested)
        bar = QHBoxLayout()
        bar.addWidget(self.status_label, 1)
        bar.addWidget(self.poll_button)
        bar.addWidget(self.link_button)
        bar.addWidget(self.declare_button)

        self.view = QTableView(self)
        self.view.setAccessibleName("Alert list")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.view.setShowGrid(False)
        self.view.setWordWrap(False)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._on_context_menu)
        self.view.doubleClicked.connect(lambda _index: self._on_declare_clicked())
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(COL_SEV, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(COL_SEV, 44)
        for column in (COL_STATE, COL_SINCE, COL_INCIDENT):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_ALERT, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(COL_ALERT, 190)
        header.setSectionResizeMode(COL_SUMMARY, QHeaderView.ResizeMode.Stretch)

        self.detail_label = QLabel(self)
        self.detail_label.setAccessibleName("Alert details")
        self.detail_label.setWordWrap(True)
        self.detail_label.setTextFormat(Qt.TextFormat.RichText)
        self.detail_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.detail_label.setOpenExternalLinks(True)
        self.detail_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.detail_label.setMargin(6)
        self.detail_label.setMinimumWidth(220)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.setAccessibleName("Alerts and details")
        split.addWidget(self.view)
        split.addWidget(self.detail_label)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        layout.addWidget(split, 1)
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self._update())
        self.model.modelReset.connect(self._update)
        self.model.dataChanged.connect(lambda *_: self._update())
        self._update()

    # -- state -----------------------------------------------------------------------------

    def selected(self) -> AlertView | None:
        index = self.view.currentIndex()
        if index.isValid():
            return self.model.view_at(index.row())
        return None

    def select(self, fingerprint: str) -> None:
        row = self.model.row_of(fingerprint)
        if row is not None:
            self.view.selectRow(row)

    def set_status(self, text: str, *, error: bool = False) -> None:
        self.status_label.setText(text)
        self.status_label.setToolTip(text)
        self.status_label.setStyleSheet(ERROR_STYLE if error else "")

    def set_can_link(self, can: bool) -> None:
        self._can_link = can
        self._update()

    def _update(self) -> None:
        view = self.selected()
        if view is None and self.model.rowCount():
            self.view.selectRow(0)
            return
        self.declare_button.setEnabled(view is not None)
        self.link_button.setEnabled(view is not None and self._can_link)
        self.detail_label.setText(self._details(view) if view else self._empty_text())

    def _empty_text(self) -> str:
        return "<i>No alerts. Firing alerts from Alertmanager or Grafana appear here.</i>"

    def _details(self, view: AlertView) -> str:
        alert = view.alert
        esc = html.escape
        rows = [f"<b>{esc(alert.name)}</b> — {esc(alert.state_text)}"]
        if alert.description:
            rows.append(esc(alert.description))
        rows.append(f"<small>{esc(label_text(alert.labels, skip=('alertname',)))}</small>")
        started = alert.starts_at.astimezone(self._zone).strftime("%Y-%m-%d %H:%M")
        rows.append(f"Fired {started}; suggested {esc(view.reason)}")
        if alert.generator_url:
            url = esc(alert.generator_url, quote=True)
            rows.append(f'<a href="{url}">Open in the source</a>')
        runbook = alert.annotations.get("runbook_url", "")
        if runbook.startswith(("http://", "https://")):
            rows.append(f'<a href="{esc(runbook, quote=True)}">Runbook</a>')
        if alert.silenced:
            rows.append("Silenced (" + esc(", ".join(alert.silenced_by)) + ")")
        if alert.inhibited:
            rows.append("Inhibited by " + esc(", ".join(alert.inhibited_by)))
        return "<br>".join(rows)

    # -- actions ---------------------------------------------------------------------------

    def _on_declare_clicked(self) -> None:
        view = self.selected()
        if view is not None:
            self.sig_declare_requested.emit(view.alert.fingerprint)

    def _on_link_clicked(self) -> None:
        view = self.selected()
        if view is not None and self._can_link:
            self.sig_link_requested.emit(view.alert.fingerprint)

    def _on_context_menu(self, pos: QPoint) -> None:
        self.context_menu(pos).popup(self.view.viewport().mapToGlobal(pos))

    def context_menu(self, pos: QPoint) -> QMenu:
        index = self.view.indexAt(pos)
        if index.isValid():
            self.view.selectRow(index.row())
        menu = QMenu(self)
        view = self.selected()
        declare = menu.addAction("&Declare incident from this alert", self._on_declare_clicked)
        declare.setShortcut(QKeySequence("Ctrl+Shift+I"))
        link = menu.addAction("&Link to current incident", self._on_link_clicked)
        source = menu.addAction("&Open in the source", lambda: self._open_source(view))
        declare.setEnabled(view is not None)
        link.setEnabled(view is not None and self._can_link)
        source.setEnabled(view is not None and bool(view.alert.generator_url))
        return menu

    def _open_source(self, view: Any) -> None:
        if view is not None and view.alert.generator_url:
            QDesktopServices.openUrl(QUrl(view.alert.generator_url))
