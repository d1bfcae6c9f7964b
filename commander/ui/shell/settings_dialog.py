"""The settings dialog (Ctrl+,): one page per topic, OK / Apply / Cancel.

Apply validates every page first (a refusal shows its page and one sentence, nothing is
written), then saves through the ``save`` callable and emits ``sig_applied`` so the window can
take the new settings live (theme, time zone, author, deadlines) without a restart.

Signals:
    sig_applied(Preferences): the settings were saved; apply them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from commander.core.errors import CommanderError
from commander.ui.shell.preferences import Preferences
from commander.ui.shell.settings_pages import (
    AppearancePage,
    IdentityPage,
    NotificationsPage,
    TimePage,
)


class SettingsDialog(QDialog):
    """Identity, time, appearance and notifications, plus pages other features contribute.

    Every page is a widget with ``load(prefs)``, ``read(prefs) -> Preferences`` and optionally
    ``check(prefs)`` (raises ``CommanderError``).
    """

    sig_applied = Signal(object)

    def __init__(
        self,
        prefs: Preferences,
        save: Callable[[Preferences], Preferences],
        extra_pages: Sequence[tuple[str, QWidget]] | None = None,
        problem: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._prefs = prefs
        self._save = save
        self.identity_page = IdentityPage(self)
        self.time_page = TimePage(self)
        self.appearance_page = AppearancePage(self)
        self.notifications_page = NotificationsPage(self)
        self.pages: list[tuple[str, QWidget]] = [
            ("Identity", self.identity_page),
            ("Time & business hours", self.time_page),
            ("Appearance", self.appearance_page),
            ("Notifications", self.notifications_page),
            *(extra_pages or []),
        ]
        self._setup_ui()
        for _, page in self.pages:
            page.load(prefs)  # type: ignore[attr-defined]
        self.show_error(problem)

    def _setup_ui(self) -> None:
        self.setWindowTitle("Settings")
        self.setAccessibleName("Settings")
        self.page_list = QListWidget(self)
        self.page_list.setObjectName("settingsPages")
        self.page_list.setAccessibleName("Settings pages")
        self.stack = QStackedWidget(self)
        for title, page in self.pages:
            self.page_list.addItem(title)
            page.setAccessibleName(title)
            self.stack.addWidget(page)
        self.page_list.setFixedWidth(self.page_list.sizeHintForColumn(0) + 36)
        self.page_list.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.page_list.setCurrentRow(0)
        self.error_label = QLabel(self)
        self.error_label.setProperty("role", "error")
        self.error_label.setWordWrap(True)
        self.error_label.setAccessibleName("Error")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Apply
            | QDialogButtonBox.StandardButton.Cancel,
            self,
        )
        for which, name in (
            (QDialogButtonBox.StandardButton.Ok, "OK"),
            (QDialogButtonBox.StandardButton.Apply, "Apply"),
            (QDialogButtonBox.StandardButton.Cancel, "Cancel"),
        ):
            self.buttons.button(which).setAccessibleName(name)
        self.buttons.accepted.connect(self._on_ok)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.Apply).clicked.connect(self.apply)
        body = QHBoxLayout()
        body.addWidget(self.page_list)
        body.addWidget(self.stack, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.resize(720, 440)

    def show_page(self, title: str) -> None:
        titles = [t for t, _ in self.pages]
        self.page_list.setCurrentRow(titles.index(title))

    def show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.setVisible(bool(message))

    def collect(self) -> Preferences:
        prefs = self._prefs
        for _, page in self.pages:
            prefs = page.read(prefs)  # type: ignore[attr-defined]
        return prefs

    def apply(self) -> bool:
        """Validate, save and announce; on a refusal show the page at fault and say why."""
        prefs = self.collect()
        for row, (_, page) in enumerate(self.pages):
            check = getattr(page, "check", None)
            if check is None:
                continue
            try:
                check(prefs)
            except CommanderError as err:
                self.page_list.setCurrentRow(row)
                self.show_error(str(err))
                return False
        try:
            self._prefs = self._save(prefs)
        except (CommanderError, OSError) as err:
            self.show_error(f"Settings were not saved: {err}")
            return False
        self.show_error("")
        self.sig_applied.emit(self._prefs)
        return True

    def _on_ok(self) -> None:
        if self.apply():
            self.accept()
