"""Action items across all incidents: overdue first, sortable, double-click to edit.

A non-modal window: it stays open beside the main window while people go through items in a
review or a weekly follow-up. It reloads itself when the workspace changes (``reload``).
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QItemSelectionModel, QSortFilterProxyModel, Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from commander.core.review import ActionItem
from commander.ui.features.review.action_item_model import (
    COL_DUE,
    COL_INCIDENT,
    COL_OWNER,
    COL_STATUS,
    COL_TERM,
    COL_TITLE,
    COL_TRACKER,
    SORT_ROLE,
    ActionItemModel,
)

POLL_MS = 2000


class ItemHost(Protocol):
    """What the window needs from the review feature."""

    def load_items(self, incident_id: str | None) -> None: ...
    def changed_since_last_look(self) -> bool: ...
    def edit_item(self, item: ActionItem) -> object: ...
    def new_item(self) -> object: ...
    def go_to_incident(self, incident_id: str) -> None: ...


class _Proxy(QSortFilterProxyModel):
    """Sorts by ``SORT_ROLE``; hides finished items unless asked."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.show_finished = False
        self.setSortRole(SORT_ROLE)

    def filterAcceptsRow(self, row: int, parent) -> bool:  # type: ignore[no-untyped-def]
        model = self.sourceModel()
        assert isinstance(model, ActionItemModel)
        return self.show_finished or not model.item_at(row).finished


class ActionItemsWindow(QDialog):
    """Every action item; the host reloads ``model`` and opens the edit dialogs."""

    def __init__(self, host: ItemHost, model: ActionItemModel, parent: QWidget | None = None):
        super().__init__(parent)
        self._host = host
        self.model = model
        self.setWindowTitle("Action items — all incidents")
        self.setAccessibleName("Action items")
        self.setModal(False)
        self.resize(980, 460)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.summary_label = QLabel(self)
        self.summary_label.setAccessibleName("Action item summary")
        self.finished_check = QCheckBox("Show &done and cancelled", self)
        self.finished_check.setAccessibleName("Show done and cancelled")
        self.finished_check.toggled.connect(self._on_show_finished)
        top.addWidget(self.summary_label, 1)
        top.addWidget(self.finished_check)
        layout.addLayout(top)

        self.proxy = _Proxy(self)
        self.proxy.setSourceModel(model)
        self.table = QTableView(self)
        self.table.setAccessibleName("Action items table")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.proxy.sort(-1)  # the service's order: overdue first
        self.table.horizontalHeader().setSortIndicatorShown(False)
        self.table.horizontalHeader().sectionClicked.connect(self._on_sorted)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        for column, width in (
            (COL_DUE, 96),
            (COL_INCIDENT, 160),
            (COL_OWNER, 120),
            (COL_TERM, 100),
            (COL_STATUS, 170),
            (COL_TRACKER, 60),
        ):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        header.setSectionResizeMode(COL_TITLE, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(self._on_double_clicked)
        layout.addWidget(self.table, 1)

        buttons = QHBoxLayout()
        self.new_button = QPushButton("&New for current incident…", self)
        self.new_button.setAccessibleName("New action item")
        self.new_button.clicked.connect(self._host.new_item)
        self.edit_button = QPushButton("&Edit…", self)
        self.edit_button.setAccessibleName("Edit action item")
        self.edit_button.clicked.connect(self.edit_current)
        self.link_button = QPushButton("Open &tracker link", self)
        self.link_button.setAccessibleName("Open tracker link")
        self.link_button.clicked.connect(self._open_link)
        self.go_button = QPushButton("&Go to incident", self)
        self.go_button.setAccessibleName("Go to incident")
        self.go_button.clicked.connect(self._go)
        close = QPushButton("Close", self)
        close.setAccessibleName("Close")
        close.clicked.connect(self.close)
        for button in (self.new_button, self.edit_button, self.link_button, self.go_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        edit = QShortcut(QKeySequence(Qt.Key.Key_Return), self.table)
        edit.setContext(Qt.ShortcutContext.WidgetShortcut)
        edit.activated.connect(self.edit_current)
        self.table.selectionModel().currentRowChanged.connect(self._update_buttons)
        model.modelAboutToBeReset.connect(self._remember_current)
        model.modelReset.connect(self._on_reset)
        self._current_id: str | None = None
        self.poll_timer = QTimer(self)
        self.poll_timer.setInterval(POLL_MS)
        self.poll_timer.timeout.connect(self.poll)
        self._on_reset()

    def reload(self) -> None:
        self._host.load_items(None)

    def poll(self) -> None:
        """Follow changes made elsewhere (CLI, another laptop) while the window is open."""
        if self.isVisible() and self._host.changed_since_last_look():
            self.reload()

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().showEvent(event)
        self.poll_timer.start()

    def hideEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        self.poll_timer.stop()
        super().hideEvent(event)

    def _remember_current(self) -> None:
        item = self.current_item()
        self._current_id = item.id if item is not None else None

    def current_item(self) -> ActionItem | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.model.item_at(self.proxy.mapToSource(index).row())

    def edit_current(self) -> object:
        item = self.current_item()
        return None if item is None else self._host.edit_item(item)

    def _on_double_clicked(self, index) -> None:  # type: ignore[no-untyped-def]
        self._host.edit_item(self.model.item_at(self.proxy.mapToSource(index).row()))

    def _on_sorted(self, section: int) -> None:
        del section
        self.table.horizontalHeader().setSortIndicatorShown(True)

    def _on_show_finished(self, on: bool) -> None:
        self.proxy.show_finished = on
        self.proxy.invalidate()
        self._on_reset()

    def _on_reset(self) -> None:
        items = self.model.items
        overdue = sum(1 for row in range(self.model.rowCount()) if self._overdue(row))
        open_count = sum(1 for item in items if not item.finished)
        text = f"{open_count} open, {overdue} overdue"
        if not items:
            text = "No action items yet — add them from an incident's Review tab."
        self.summary_label.setText(text)
        row = self.model.row_of(self._current_id) if self._current_id else None
        if row is not None:  # a reload keeps the selected item selected
            index = self.proxy.mapFromSource(self.model.index(row, 0))
            if index.isValid():
                self.table.selectionModel().setCurrentIndex(
                    index,
                    QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows,
                )
        self._update_buttons()

    def _overdue(self, row: int) -> bool:
        index = self.model.index(row, COL_STATUS)
        return str(self.model.data(index)).startswith("Overdue")

    def _update_buttons(self) -> None:
        item = self.current_item()
        self.edit_button.setEnabled(item is not None)
        self.go_button.setEnabled(item is not None)
        self.link_button.setEnabled(item is not None and bool(item.tracker_url))

    def _open_link(self) -> None:
        item = self.current_item()
        if item is not None and item.tracker_url:
            QDesktopServices.openUrl(QUrl(item.tracker_url))

    def _go(self) -> None:
        item = self.current_item()
        if item is not None:
            self._host.go_to_incident(item.incident_id)
