"""The Open questions tab: what the team asked and nobody has answered yet, oldest first.

A question is any entry of kind question (``? …`` or a line ending in ``?``); *Answer…* logs
the answer as an entry linked to it, which closes it here and on every synced laptop. The
panel follows the window's selected incident and its refresh (every second, and right after
a local write): when the op log moved on it reads the open questions again (an indexed read
of the questions alone), otherwise only the ages move on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from commander.core.clock import Clock
from commander.core.errors import CommanderError
from commander.core.records import Incident
from commander.services.incidents import IncidentService
from commander.services.questions import OpenQuestion, QuestionService
from commander.services.workspace import Workspace
from commander.ui.common.themes import qcolour, set_role
from commander.ui.features.questions.answer_dialog import AnswerDialog
from commander.ui.features.questions.question_model import (
    COL_AGE,
    COL_ASKED,
    COL_BY,
    COL_QUESTION,
    QuestionModel,
)

if TYPE_CHECKING:
    from commander.ui.shell.feature_host import FeatureHost

TAB_TITLE = "Questions"
NONE_OPEN = "No open questions. A line starting with “?” or ending in “?” asks one."


class QuestionsPanel(QWidget):
    """Signals:
    sig_local_change: an answer was logged; the window refreshes (the timeline shows it).
    sig_message(str): a short note for the status bar.
    """

    sig_local_change = Signal()
    sig_message = Signal(str)

    def __init__(
        self,
        questions: QuestionService,
        incidents: IncidentService,
        clock: Clock,
        model: QuestionModel,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._questions = questions
        self._incidents = incidents
        self._clock = clock
        self.model = model
        self._incident: Incident | None = None
        self._seen_seq = -1  # the op log's last sequence number at the last read
        self.active_dialog: AnswerDialog | None = None
        self._setup_ui()

    @classmethod
    def of(cls, workspace: Workspace, incidents: IncidentService) -> QuestionsPanel:
        """The panel over ``workspace``, with its own service and model."""
        model = QuestionModel(workspace.zone)
        return cls(QuestionService(workspace), incidents, workspace.clock, model)

    def _setup_ui(self) -> None:
        self.setAccessibleName("Open questions")
        self.summary_label = QLabel(NONE_OPEN, self)
        self.summary_label.setAccessibleName("Open questions summary")
        self.summary_label.setWordWrap(True)
        self.summary_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        set_role(self.summary_label, "muted")
        self.table = QTableView(self)
        self.table.setAccessibleName("Open questions")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setShowGrid(False)
        vertical = self.table.verticalHeader()
        vertical.setVisible(False)
        vertical.setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        for column in (COL_ASKED, COL_AGE, COL_BY):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_QUESTION, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda index: self.answer(index.row()))
        self.answer_button = QPushButton("&Answer…", self)
        self.answer_button.setAccessibleName("Answer the selected question")
        self.answer_button.setToolTip("Log an answer linked to the selected question")
        self.answer_button.clicked.connect(lambda: self.answer())
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.answer_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 8)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.model.modelReset.connect(self._update_summary)
        self._update_summary()

    # -- following the window --------------------------------------------------------------

    def set_incident(self, incident: Incident | None) -> None:
        changed = (incident.id if incident else None) != (
            self._incident.id if self._incident else None
        )
        self._incident = incident
        if changed or incident is None:
            self.reload()

    def reload(self) -> None:
        """Read the incident's open questions again."""
        now = self._clock.now()
        self._seen_seq = self._incidents.last_seq()
        if self._incident is None:
            self.model.set_questions([], now)
            return
        try:
            found = self._questions.open_questions(self._incident.id, now=now)
        except CommanderError as err:
            self.sig_message.emit(str(err))
            return
        self.model.set_questions(found, now)

    def tick(self) -> None:
        """The window's refresh: read again if anything was written, else age the rows."""
        if self._incident is not None and self._incidents.last_seq() != self._seen_seq:
            self.reload()
        elif self.model.rowCount():
            self.model.set_now(self._clock.now())
            self._update_summary()

    def _update_summary(self) -> None:
        count = self.model.rowCount()
        self.answer_button.setEnabled(count > 0)
        if not count:
            self.summary_label.setText(NONE_OPEN)
        else:
            noun = "question" if count == 1 else "questions"
            self.summary_label.setText(
                f"{count} open {noun}, the oldest open for {self.model.oldest_age()}"
            )
        self._mark_tab(count)

    def _mark_tab(self, count: int) -> None:
        """Open questions show on the tab while another tab is in front: its title in the
        theme's warning colour, the count in its tooltip. Not in its title: at 1280 px the
        side tabs have no room for a longer one."""
        stack = self.parentWidget()
        tabs = stack.parentWidget() if stack is not None else None
        index = tabs.indexOf(self) if isinstance(tabs, QTabWidget) else -1
        if not isinstance(tabs, QTabWidget) or index < 0:
            return
        noun = "question" if count == 1 else "questions"
        tabs.setTabToolTip(index, f"{count} open {noun}" if count else "No open questions")
        tabs.tabBar().setTabTextColor(index, qcolour("warning") if count else QColor())

    # -- answering -------------------------------------------------------------------------

    def selected_question(self) -> OpenQuestion | None:
        index: QModelIndex = self.table.currentIndex()
        if index.isValid():
            return self.model.question_at(index.row())
        return self.model.question_at(0) if self.model.rowCount() == 1 else None

    def answer(self, row: int | None = None) -> AnswerDialog | None:
        """Open the answer form for ``row`` (or the selected question)."""
        question = self.model.question_at(row) if row is not None else self.selected_question()
        if question is None or self._incident is None:
            self.sig_message.emit("Select a question to answer")
            return None
        incident_id = self._incident.id

        def submit(text: str) -> None:
            self._incidents.log(incident_id, text, answers=question.entry.id)

        if self.active_dialog is not None:
            self.active_dialog.deleteLater()
        self.active_dialog = AnswerDialog(question, submit, self.window())
        self.active_dialog.accepted.connect(self._answered)
        self.active_dialog.open()
        return self.active_dialog

    def answer_entry(self, entry_id: str | None) -> AnswerDialog | None:
        """*Answer question…* on a timeline entry: the form, if it is an open question."""
        for row in range(self.model.rowCount()):
            if self.model.question_at(row).entry.id == entry_id:
                return self.answer(row)
        self.sig_message.emit("Select an open question to answer (a line asked with “?”)")
        return None

    def _answered(self) -> None:
        self.sig_message.emit("Answer logged; the question is closed")
        self.sig_local_change.emit()


def install_questions(host: FeatureHost) -> QuestionsPanel:
    """The Questions tab beside the roster, following the window's incident and refresh."""
    panel = QuestionsPanel.of(host.workspace, host.incidents)
    host.add_side_panel(panel, TAB_TITLE, 1)
    panel.sig_local_change.connect(host.local_write)
    panel.sig_message.connect(host.show_message)
    host.sig_refreshing.connect(panel.tick)
    host.sig_incident_changed.connect(panel.set_incident)
    panel.set_incident(host.current_incident())
    return panel
