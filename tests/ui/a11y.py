"""Find interactive widgets and actions that a screen reader could not name."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QTabBar,
    QTabWidget,
    QTextEdit,
    QToolBar,
    QWidget,
)

INTERACTIVE = (
    QAbstractButton,  # push, tool, check and radio buttons
    QLineEdit,
    QComboBox,
    QAbstractSpinBox,  # spin boxes, date/time edits
    QAbstractItemView,  # tables, lists, trees
    QTabWidget,
    QTextEdit,
    QPlainTextEdit,
    QAbstractSlider,
)


def qt_internal(widget: QWidget) -> bool:
    """Parts Qt builds and names itself: a tab bar's scroll arrows, a table's headers, the
    line edit inside a combo or spin box (and its popup), a scroll area's bars, a line
    edit's clear button."""
    if isinstance(widget, QHeaderView | QTabBar):
        return True
    node = widget.parentWidget()
    while node is not None:
        if isinstance(node, QTabBar | QComboBox | QAbstractSpinBox | QLineEdit):
            return True
        if node.objectName().startswith("qt_scrollarea"):
            return True
        node = node.parentWidget()
    return widget.objectName().startswith("qt_")


def describe(widget: QWidget) -> str:
    text = getattr(widget, "text", lambda: "")()
    chain = []
    node: QWidget | None = widget
    while node is not None and len(chain) < 4:
        name = node.objectName()
        chain.append(node.metaObject().className() + (f"#{name}" if name else ""))
        node = node.parentWidget()
    return f"{' < '.join(chain)} {text!r}"


def unnamed_controls(root: QWidget) -> list[str]:
    """Every interactive widget under ``root`` without an accessible name, and every menu or
    toolbar action without text (an action's text is its accessible name)."""
    missing = [
        describe(w)
        for w in root.findChildren(QWidget)
        if isinstance(w, INTERACTIVE) and not qt_internal(w) and not w.accessibleName().strip()
    ]
    for holder in [*root.findChildren(QToolBar), *root.findChildren(QMenu)]:
        for action in holder.actions():
            if not action.isSeparator() and not action.text().replace("&", "").strip():
                missing.append(f"action in {holder.metaObject().className()} {describe(holder)}")
    for action in root.findChildren(QAction):
        if action.parent() is root and not action.isSeparator() and not action.text().strip():
            missing.append(f"window action {action.objectName() or action!r}")
    return missing
