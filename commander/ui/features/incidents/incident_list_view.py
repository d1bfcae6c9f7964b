"""The incident list: one table of incidents, severity and title first, one selected at a time."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from commander.ui.features.incidents.incident_list_model import (
    COL_REF,
    COL_SEVERITY,
    COL_STATUS,
    COL_TITLE,
    IncidentListModel,
)


def make_incident_view(model: IncidentListModel, parent: QWidget) -> QTableView:
    """The view over ``model``; the reference column is hidden (the header shows it)."""
    view = QTableView(parent)
    view.setAccessibleName("Incidents")
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(parent.fontMetrics().height() + 12)
    view.setShowGrid(False)
    view.setWordWrap(False)
    header = view.horizontalHeader()
    header.setSectionResizeMode(COL_SEVERITY, QHeaderView.ResizeMode.Fixed)
    header.resizeSection(COL_SEVERITY, max(44, header.sectionSizeHint(COL_SEVERITY)))
    header.setSectionResizeMode(COL_REF, QHeaderView.ResizeMode.ResizeToContents)
    view.setColumnHidden(COL_REF, True)  # the header shows it; titles matter
    header.setSectionResizeMode(COL_TITLE, QHeaderView.ResizeMode.Stretch)
    header.setSectionResizeMode(COL_STATUS, QHeaderView.ResizeMode.ResizeToContents)
    return view
