"""The workspace file is damaged: say what is wrong, and offer Recover / Restore backup / Quit.

Shown on start when ``PRAGMA quick_check`` finds damaged pages, before the main window opens
over a file that would refuse its first write. Recovery and restoring run on a worker (a
100,000-entry workspace takes seconds); the dialog stays responsive and says when it is done.

Signals:
    sig_repaired(str): the workspace is usable again; the text says what was done.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from commander.core.clock import Clock
from commander.services import backups
from commander.services.recovery import RecoveryReport, recover_workspace
from commander.ui.common.polled_work import PolledWork


class DamagedWorkspaceDialog(QDialog):
    """Explains the damage; accepted once the workspace was recovered or restored."""

    sig_repaired = Signal(str)

    def __init__(
        self,
        data_dir: Path,
        problems: list[str],
        *,
        author: str,
        clock: Clock,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._data_dir = Path(data_dir)
        self._problems = problems
        self._author = author
        self._clock = clock
        self._work = PolledWork(self, name="commander-recovery")
        self.outcome = ""
        self._setup_ui()

    def _setup_ui(self) -> None:
        self.setWindowTitle("Commander — the workspace is damaged")
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        path = self._data_dir / "workspace.sqlite3"
        shown = "; ".join(self._problems[:3])
        self.explanation = QLabel(
            f"<p><b>{path}</b> opens, but parts of it are damaged ({_escape(shown)}), so "
            "Commander would fail on the first change that touches them.</p>"
            "<p><b>Recover</b> sets the damaged file aside, rebuilds the workspace from every "
            "change that can still be read and checks the result. <b>Restore backup</b> puts "
            "a backup in its place (changes made after it are not in it).</p>",
            self,
        )
        self.explanation.setWordWrap(True)
        self.explanation.setAccessibleName("What is damaged")
        layout.addWidget(self.explanation)

        self.backup_combo = QComboBox(self)
        self.backup_combo.setAccessibleName("Backup to restore")
        for backup in backups.list_backups(self._data_dir):
            self.backup_combo.addItem(
                f"{backup.taken_at:%Y-%m-%d %H:%M} UTC · {backup.size / 1e6:.1f} MB", backup
            )
        if not self.backup_combo.count():
            self.backup_combo.addItem("No backups yet")
            self.backup_combo.setEnabled(False)
        layout.addWidget(self.backup_combo)

        self.progress = QProgressBar(self)
        self.progress.setAccessibleName("Working")
        self.progress.setRange(0, 0)
        self.progress.hide()
        layout.addWidget(self.progress)
        self.status = QLabel("", self)
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Result")
        layout.addWidget(self.status)

        buttons = QHBoxLayout()
        self.recover_button = QPushButton("&Recover", self)
        self.recover_button.setAccessibleName("Recover")
        self.recover_button.setDefault(True)
        self.recover_button.clicked.connect(self._on_recover_clicked)
        self.restore_button = QPushButton("Restore &backup", self)
        self.restore_button.setAccessibleName("Restore backup")
        self.restore_button.setEnabled(self.backup_combo.isEnabled())
        self.restore_button.clicked.connect(self._on_restore_clicked)
        self.quit_button = QPushButton("&Quit", self)
        self.quit_button.setAccessibleName("Quit")
        self.quit_button.clicked.connect(self.reject)
        buttons.addWidget(self.recover_button)
        buttons.addWidget(self.restore_button)
        buttons.addStretch(1)
        buttons.addWidget(self.quit_button)
        layout.addLayout(buttons)

    def _on_recover_clicked(self) -> None:
        data_dir, author, clock = self._data_dir, self._author, self._clock

        def work() -> str:
            report: RecoveryReport = recover_workspace(data_dir, author=author, clock=clock)
            return report.summary()

        self._run(work, "Recovering…")

    def _on_restore_clicked(self) -> None:
        chosen = self.backup_combo.currentData()
        if not isinstance(chosen, backups.Backup):
            return
        data_dir, clock = self._data_dir, self._clock

        def work() -> str:
            aside = backups.restore_backup(data_dir, chosen, now=clock.now())
            kept = f" The damaged file is kept as {aside}." if aside else ""
            return f"Restored the backup of {chosen.taken_at:%Y-%m-%d %H:%M} UTC.{kept}"

        self._run(work, "Restoring the backup…")

    def _run(self, work: Callable[[], str], label: str) -> None:
        self._set_busy(True)
        self.status.setText(label)
        self._work.submit(work, self._on_done, self._on_failed)

    def _on_done(self, outcome: str) -> None:
        self._set_busy(False)
        self.outcome = outcome
        self.sig_repaired.emit(outcome)
        self.accept()

    def _on_failed(self, exc: Exception) -> None:
        self._set_busy(False)
        self.status.setText(f"That did not work: {exc}")

    def _set_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.recover_button.setEnabled(not busy)
        self.restore_button.setEnabled(not busy and self.backup_combo.isEnabled())
        self.quit_button.setEnabled(not busy)

    def reject(self) -> None:
        if self._work.busy():
            return  # never leave a half-written workspace behind
        super().reject()

    def wait_for_work(self, timeout_s: float = 30.0) -> bool:
        """Block until a running recovery ends."""
        return self._work.wait(timeout_s)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
