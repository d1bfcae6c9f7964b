"""The Health panel: service health URLs and certificate expiry, with the procedure's flags.

Signals:
    sig_check_requested(): run every check now.
    sig_declare_requested(object): declare an incident from this ``CheckResult``.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from commander.core.health import CheckResult, CheckState
from commander.ui.features.alerts.health_model import (
    COL_CHECK,
    COL_DETAIL,
    COL_EXPIRY,
    COL_STATE,
    HealthModel,
)

ERROR_STYLE = "color: #b00020;"


class HealthPanel(QWidget):
    sig_check_requested = Signal()
    sig_declare_requested = Signal(object)

    def __init__(self, model: HealthModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self._setup_ui()

    def _setup_ui(self) -> None:
        self.setAccessibleName("Health")
        self.status_label = QLabel("No health checks yet — Alerts → Sources and checks…", self)
        self.status_label.setAccessibleName("Health check status")
        self.status_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.check_button = QPushButton("&Check now", self)
        self.check_button.setAccessibleName("Run health and certificate checks now")
        self.check_button.clicked.connect(self.sig_check_requested)
        self.declare_button = QPushButton("&Declare incident", self)
        self.declare_button.setAccessibleName("Declare incident from the selected check")
        self.declare_button.setToolTip(
            "Declare an incident from a flagged check, with the procedure's severity "
            "(a certificate under 24 hours is P1)"
        )
        self.declare_button.clicked.connect(self._on_declare_clicked)
        bar = QHBoxLayout()
        bar.addWidget(self.status_label, 1)
        bar.addWidget(self.check_button)
        bar.addWidget(self.declare_button)
        self.view = QTableView(self)
        self.view.setAccessibleName("Health checks")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.view.setShowGrid(False)
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(COL_CHECK, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(COL_CHECK, 240)
        header.setSectionResizeMode(COL_STATE, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_EXPIRY, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_DETAIL, QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self._update())
        self.model.dataChanged.connect(lambda *_: self._update())
        self.model.modelReset.connect(self._update)
        self._update()

    def selected(self) -> CheckResult | None:
        index = self.view.currentIndex()
        return self.model.result_at(index.row()) if index.isValid() else None

    def _update(self) -> None:
        result = self.selected()
        self.declare_button.setEnabled(result is not None and result.state != CheckState.OK)

    def _on_declare_clicked(self) -> None:
        result = self.selected()
        if result is not None and result.state != CheckState.OK:
            self.sig_declare_requested.emit(result)

    def set_status(self, text: str, *, error: bool = False) -> None:
        self.status_label.setText(text)
        self.status_label.setToolTip(text)
        self.status_label.setStyleSheet(ERROR_STYLE if error else "")

    def set_busy(self, busy: bool) -> None:
        self.check_button.setEnabled(not busy)
        if busy:
            self.set_status("Checking…")
