"""The keyboard cheat sheet (F1): every action with a shortcut, grouped by menu.

Generated from the window's live actions each time it opens, like the command palette, so it
never lists a shortcut that no longer exists or misses one a feature added.
"""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMainWindow,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from commander.ui.shell.commands import Command, collect_commands

PALETTE_HINT = "Every action, with or without a shortcut, is in the command palette."


def shortcut_groups(commands: list[Command]) -> dict[str, list[Command]]:
    """Commands that have a shortcut, by top-level menu, in menu order."""
    groups: dict[str, list[Command]] = {}
    for command in commands:
        if command.shortcut:
            groups.setdefault(command.group, []).append(command)
    return groups


def cheat_sheet_html(groups: dict[str, list[Command]]) -> str:
    """Two columns per group: what it does, the keys."""
    parts = []
    for group, commands in groups.items():
        rows = "".join(
            f"<tr><td width='62%' style='padding:2px 0'>{escape(c.text)}</td>"
            f"<td style='padding:2px 0'><b><code>{escape(c.shortcut)}</code></b></td></tr>"
            for c in commands
        )
        parts.append(
            f"<h3 style='margin:10px 0 4px 0'>{escape(group)}</h3>"
            f"<table width='100%' cellspacing='0'>{rows}</table>"
        )
    return "".join(parts)


class ShortcutsDialog(QDialog):
    """A read-only list of the window's shortcuts, searchable with the browser's Ctrl+F."""

    def __init__(self, window: QMainWindow, parent: QWidget | None = None) -> None:
        super().__init__(parent or window)
        self._window = window
        self.groups = shortcut_groups(collect_commands(window, include_hidden=True))
        self._setup_ui()

    def _setup_ui(self) -> None:
        self.setWindowTitle("Keyboard shortcuts")
        self.setAccessibleName("Keyboard shortcuts")
        palette_keys = next(
            (c.shortcut for g in self.groups.values() for c in g if "palette" in c.text.lower()),
            "",
        )
        hint = PALETTE_HINT + (f" Open it with {palette_keys}." if palette_keys else "")
        self.hint_label = QLabel(hint, self)
        self.hint_label.setWordWrap(True)
        self.hint_label.setProperty("role", "muted")
        self.hint_label.setAccessibleName("Hint")
        self.browser = QTextBrowser(self)
        self.browser.setAccessibleName("Shortcuts")
        self.browser.setHtml(cheat_sheet_html(self.groups))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName("Close")
        layout = QVBoxLayout(self)
        layout.addWidget(self.hint_label)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        self.resize(520, 640)
