"""Exercises in the window: the marking, the injects arriving while it is open, and
*Help → Start an exercise…*.

A 1 s timer on the GUI thread hands ``ExerciseReplay.apply_due`` (Qt-free, it writes) to the
window's ``TaskRunner``; when injects were applied the window refreshes like after any other
writer. Starting an exercise makes its workspace on a worker too, then opens it in a new
Commander process, so the real window stays as it was.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QProcess, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QWidget,
)

from commander.core.clock import SystemClock
from commander.core.scenario_file import builtin_names, builtin_text, load_scenario
from commander.services.exercise.debrief import debrief, render_debrief
from commander.services.exercise.replay import ExerciseReplay, ReplayStep, start_exercise
from commander.services.files import read_bounded
from commander.services.workspace import Workspace
from commander.ui.features.exercise.exercise_marks import EXERCISE, exercise_label

if TYPE_CHECKING:
    from commander.ui.features.sync.install import SyncUi
    from commander.ui.shell.feature_host import FeatureHost

TICK_MS = 1000
DEFAULT_SPEED = 10


class ExerciseUi(QObject):
    """The marking and the inject timer of a window over an exercise workspace."""

    def __init__(self, window: FeatureHost, workspace: Workspace, sync: SyncUi | None) -> None:
        shell = window.main_window()
        super().__init__(shell)
        self._window = window
        self.replay = ExerciseReplay(workspace)
        self.label = exercise_label(workspace, shell)
        shell.statusBar().insertPermanentWidget(0, self.label)
        shell.windowTitleChanged.connect(self._mark_title)
        self._mark_title(shell.windowTitle())
        if sync is not None:  # the engine refuses anyway; the menu says so first
            sync.action_connect.setEnabled(False)
            sync.action_connect.setText("Connect to shared database… (not in an exercise)")
        help_menu = _help_menu(shell)
        self.action_end = help_menu.addAction("End the e&xercise and show the debrief…")
        self.action_end.triggered.connect(self.end_and_debrief)
        self.debrief_dialog: QMessageBox | None = None
        self._busy = False
        self.finished = False
        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self.tick)
        self.timer.start()  # the first pass a second after start, once the window is up

    def _mark_title(self, title: str) -> None:
        """Every title the window sets (the incident shown) says EXERCISE first."""
        if not title.startswith(EXERCISE):
            self._window.main_window().setWindowTitle(f"{EXERCISE} — {title}")

    def tick(self) -> None:
        """Apply what is due, on a worker; one pass at a time."""
        if self._busy or self.finished:
            return
        self._busy = True
        self._window.tasks.submit(self.replay.apply_due, self._applied, self._failed)

    def _applied(self, step: ReplayStep) -> None:
        self._busy = False
        if step.applied:
            self._window.refresh()
            said = "; ".join(inject.describe() for inject in step.applied)
            self._window.show_message(f"Exercise: {said}", 10_000)
        if step.finished:
            self.finished = True
            self.timer.stop()
            self._window.show_message(
                "Exercise: every inject is in; 'commander exercise debrief' tells how it went.",
                30_000,
            )

    def _failed(self, error: Exception) -> None:
        self._busy = False
        self._window.show_message(f"Exercise: {error}", 10_000)

    def end_and_debrief(self) -> None:
        """Stop the exercise's clock and show the debrief, both worked out on a worker."""
        self.timer.stop()
        self.finished = True
        replay = self.replay

        def work() -> str:
            replay.end()
            return render_debrief(debrief(replay.workspace))

        self._window.tasks.submit(work, self._show_debrief, self._failed)

    def _show_debrief(self, text: str) -> None:
        self._window.refresh()
        box = QMessageBox(self._window.main_window())
        box.setWindowTitle(f"{EXERCISE} — debrief")
        box.setText(text.splitlines()[0])
        box.setInformativeText("\n".join(text.splitlines()[1:]).strip())
        box.setIcon(QMessageBox.Icon.Information)
        self.debrief_dialog = box
        box.open()


def _help_menu(window: QMainWindow) -> QMenu:
    for action in window.menuBar().actions():
        if action.text().replace("&", "") == "Help" and action.menu() is not None:
            return action.menu()  # type: ignore[return-value]
    return window.menuBar().addMenu("&Help")


def install_exercise(window: FeatureHost, workspace: Workspace) -> ExerciseUi | None:
    """Mark an exercise workspace's window and replay its injects; its sync stays off."""
    if workspace.exercise is None:
        return None
    return ExerciseUi(window, workspace, window.sync_ui)


class StartExerciseDialog(QDialog):
    """Pick a scenario (shipped, or a file) and a speed; OK makes and opens the exercise."""

    def __init__(self, window: FeatureHost, workspace: Workspace) -> None:
        super().__init__(window.main_window())
        self._window = window
        self._ws = workspace
        self.setWindowTitle("Start an exercise")
        self.scenario_box = QComboBox(self)
        self.scenario_box.setAccessibleName("Scenario")
        for name in builtin_names():
            title = load_scenario(builtin_text(name), name).title
            self.scenario_box.addItem(title, name)
        self.file_button = QPushButton("Scenario &file…", self)
        self.file_button.setAccessibleName("Choose a scenario file")
        self.file_button.clicked.connect(self._pick_file)
        self.speed_box = QSpinBox(self)
        self.speed_box.setAccessibleName("Speed")
        self.speed_box.setRange(1, 60)
        self.speed_box.setValue(DEFAULT_SPEED)
        self.speed_box.setSuffix("x")
        self.note = QLabel(
            "A separate practice workspace opens in a new window: nothing from it syncs or is "
            "sent to a real channel.",
            self,
        )
        self.note.setWordWrap(True)
        self.error = QLabel("", self)
        self.error.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        start = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        start.setText("Start")
        start.setAccessibleName("Start the exercise")
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName("Cancel")
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Scenario", self.scenario_box)
        form.addRow("", self.file_button)
        form.addRow("Speed", self.speed_box)
        form.addRow(self.note)
        form.addRow(self.error)
        form.addRow(self.buttons)
        self.started_dir: Path | None = None
        self.launched: int | None = None  # the new process's id

    def _pick_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Scenario file", "", "Scenarios (*.toml)")
        if path:
            self.scenario_box.addItem(Path(path).name, path)
            self.scenario_box.setCurrentIndex(self.scenario_box.count() - 1)

    def start(self) -> None:
        if self._ws.exercise is not None:
            self.error.setText("This window is an exercise already; start one from your workspace.")
            return
        choice = str(self.scenario_box.currentData())
        speed = self.speed_box.value()
        ws = self._ws
        self.buttons.setEnabled(False)
        self.error.setText("Preparing the exercise…")

        def work() -> Path:
            if choice in builtin_names():
                text, source = builtin_text(choice), choice
            else:
                text = read_bounded(choice, limit=1_000_000).decode("utf-8", "replace")
                source = choice
            made = start_exercise(
                ws.data_dir,
                text,
                source,
                speed=speed,
                author=ws.author,
                clock=SystemClock(),
                zone=ws.zone,
            )
            made.close()
            return made.data_dir

        self._window.tasks.submit(work, self._started, self._failed)

    def _started(self, folder: Path) -> None:
        self.started_dir = folder
        self.launched = open_exercise_window(folder)
        if self.launched is None:
            self.buttons.setEnabled(True)
            self.error.setText(f"The exercise is ready in {folder} but its window did not start.")
            return
        self.accept()

    def _failed(self, error: Exception) -> None:
        self.buttons.setEnabled(True)
        self.error.setText(str(error))


def open_exercise_window(folder: Path) -> int | None:
    """A new Commander process on the exercise workspace (its own window and clock); its
    process id, or None when it could not start."""
    if getattr(sys, "frozen", False):  # the standalone bundle: the executable is Commander
        program, args = sys.executable, ["--data-dir", str(folder)]
    else:
        program, args = sys.executable, ["-m", "commander", "--data-dir", str(folder)]
    started, pid = QProcess.startDetached(program, args)
    return int(pid) if started else None


def open_start_dialog(window: FeatureHost, workspace: Workspace) -> QWidget:
    dialog = StartExerciseDialog(window, workspace)
    dialog.open()
    return dialog
