"""The Open questions tab: unanswered questions with their age, oldest first; Answer… links
the answer and the question leaves the list; it follows the window's refresh path."""

from __future__ import annotations

from datetime import timedelta

from commander.core.clock import FakeClock
from commander.core.entry_kinds import Kind
from commander.services.incidents import IncidentService
from commander.ui.features.questions.answer_dialog import AnswerDialog
from commander.ui.features.questions.question_model import COL_AGE, COL_ASKED, COL_BY, COL_QUESTION
from commander.ui.features.questions.questions_panel import NONE_OPEN
from commander.ui.shell.main_window import MainWindow
from tests.ui.a11y import unnamed_controls
from tests.ui.test_main_window import log_line


def _declare(window: MainWindow, incidents: IncidentService) -> str:
    incident_id = incidents.declare(title="Checkout down", severity="P1").incident.id
    window.refresh()
    window.select_incident(incident_id)
    return incident_id


def _cells(window: MainWindow, column: int) -> list[str]:
    model = window.questions_panel.model
    return [model.index(r, column).data() for r in range(model.rowCount())]


def _tab_text(window: MainWindow) -> str:
    """The tab's title and its tooltip (the count: no room for it in the title at 1280 px)."""
    tabs = window.side_tabs
    index = tabs.indexOf(window.questions_panel)
    return f"{tabs.tabText(index)}: {tabs.tabToolTip(index)}"


def test_open_questions_oldest_first_with_their_age(qtbot, window, incidents, clock) -> None:  # type: ignore[no-untyped-def]
    _declare(window, incidents)
    panel = window.questions_panel
    assert panel.summary_label.text() == NONE_OPEN and not panel.answer_button.isEnabled()
    log_line(qtbot, window, "? is the replica lagging")  # logged here: the own-change path
    clock.advance(timedelta(minutes=3))
    log_line(qtbot, window, "who owns the cache?")
    log_line(qtbot, window, "o: not a question")
    clock.advance(timedelta(minutes=4))
    window.refresh()  # the one-second refresh: ages move on
    assert _cells(window, COL_QUESTION) == ["is the replica lagging", "who owns the cache?"]
    assert _cells(window, COL_AGE) == ["7 min", "4 min"]
    assert _cells(window, COL_ASKED) == ["10:00", "10:03"]
    assert _cells(window, COL_BY) == ["alice", "alice"]
    assert panel.summary_label.text() == "2 open questions, the oldest open for 7 min"
    assert _tab_text(window) == "Questions: 2 open questions"


def test_answering_links_the_answer_and_removes_the_question(qtbot, window, incidents) -> None:  # type: ignore[no-untyped-def]
    incident_id = _declare(window, incidents)
    log_line(qtbot, window, "? is it DNS")
    log_line(qtbot, window, "? is it the cache")
    window.refresh()  # the window's one-second refresh: the tab reads the questions again
    panel = window.questions_panel
    panel.table.selectRow(0)
    panel.answer_button.click()
    dialog = panel.active_dialog
    assert isinstance(dialog, AnswerDialog) and dialog.isVisible()
    dialog.buttons.accepted.emit()  # empty: refused inline, the dialog stays
    assert dialog.isVisible() and "empty answer" in dialog.error_label.text()
    qtbot.keyClicks(dialog.answer_edit, "no, the resolver is fine")
    dialog.buttons.accepted.emit()
    assert not dialog.isVisible()
    assert _cells(window, COL_QUESTION) == ["is it the cache"]
    answer = incidents.timeline(incident_id)[-1]
    assert (answer.kind, answer.event) == (Kind.ANSWER, "no, the resolver is fine")
    asked = next(e for e in incidents.timeline(incident_id) if e.event == "is it DNS")
    assert answer.answers == asked.id
    assert window.timeline_model.row_of(answer.id) is not None  # the timeline shows it
    assert _tab_text(window) == "Questions: 1 open question"


def test_an_answer_from_elsewhere_closes_the_question_on_refresh(qtbot, window, incidents) -> None:  # type: ignore[no-untyped-def]
    incident_id = _declare(window, incidents)
    question, _ = incidents.log_quick(incident_id, "? failover done")
    window.refresh()
    assert _cells(window, COL_QUESTION) == ["failover done"]
    incidents.log(incident_id, "yes, at 10:02", answers=question.id)  # the CLI, a laptop
    window.refresh()
    assert window.questions_panel.model.rowCount() == 0
    assert _tab_text(window) == "Questions: No open questions"


def test_the_panel_follows_the_selected_incident(qtbot, window, incidents) -> None:  # type: ignore[no-untyped-def]
    first = _declare(window, incidents)
    incidents.log_quick(first, "? who is on call")
    second = incidents.declare(title="Search slow", severity="P3").incident.id
    window.refresh()
    window.select_incident(first)
    assert _cells(window, COL_QUESTION) == ["who is on call"]
    window.select_incident(second)
    assert window.questions_panel.model.rowCount() == 0
    assert window.questions_panel.answer() is None  # nothing to answer: says so
    assert window.statusBar().currentMessage() == "Select a question to answer"


def test_double_click_opens_the_answer_form(qtbot, window, incidents, clock: FakeClock) -> None:  # type: ignore[no-untyped-def]
    incident_id = _declare(window, incidents)
    incidents.log_quick(incident_id, "? rollback safe")
    window.refresh()
    panel = window.questions_panel
    panel.table.doubleClicked.emit(panel.model.index(0, COL_QUESTION))
    assert isinstance(panel.active_dialog, AnswerDialog)
    assert panel.active_dialog.isVisible()
    assert unnamed_controls(panel.active_dialog) == []  # screen readers name every control
    assert unnamed_controls(panel) == []
    panel.active_dialog.reject()


def test_answer_question_from_the_timeline_entry(qtbot, window, incidents) -> None:  # type: ignore[no-untyped-def]
    incident_id = _declare(window, incidents)
    question, _ = incidents.log_quick(incident_id, "? is the cache warm")
    note, _ = incidents.log_quick(incident_id, "o: not a question")
    window.refresh()
    panel = window.timeline_panel
    assert window.action_answer in panel.table.actions()  # on the right-click menu
    panel.select_entry(note.id)
    window.action_answer.trigger()
    assert window.statusBar().currentMessage().startswith("Select an open question")
    panel.select_entry(question.id)
    window.action_answer.trigger()
    dialog = window.questions_panel.active_dialog
    assert isinstance(dialog, AnswerDialog) and dialog.isVisible()
    qtbot.keyClicks(dialog.answer_edit, "yes")
    dialog.buttons.accepted.emit()
    assert window.questions_panel.model.rowCount() == 0
    assert incidents.timeline(incident_id)[-1].answers == question.id
