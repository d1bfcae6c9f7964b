"""Qt's model tester over every model of the UI, filled from the real services, then changed.

Each model is checked filled, then changed the way its panel changes it (rows added, cells
updated, rows removed, a filter or a reset) with Qt's C++ tester and pytest-qt's Python tester
both watching every signal (the C++ one's complaints are Qt warnings, which fail the test),
then checked again (``model_checks.checked``). ``test_every_model_is_covered`` keeps this
honest: a new model class under ``commander.ui`` without a check fails it.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import (
    QAbstractItemModel,
    QSortFilterProxyModel,
    Qt,
)

import commander.ui
from commander.core.business_hours import BusinessHours
from commander.core.chat_paste import parse_chat
from commander.core.clock import FakeClock
from commander.core.health import CheckResult, CheckState
from commander.core.people import Person
from commander.core.policy import Phase
from commander.integrations.monitoring_settings import HealthTarget
from commander.services.action_items import ActionItemService
from commander.services.checklists import ChecklistService
from commander.services.deadlines import DeadlineService
from commander.services.incidents import IncidentService
from commander.services.nodes import SyncProblem
from commander.services.peer.admission import Peer
from commander.services.people import PeopleService
from commander.services.questions import QuestionService
from commander.services.roster import RosterService
from commander.services.runbooks import RunbookService
from commander.services.search import SearchService
from commander.services.similar import SimilarService
from commander.services.workspace import Workspace
from commander.ui.common.rows_model import RowsModel
from commander.ui.features.alerts.health_model import HealthModel
from commander.ui.features.checklists.checklist_model import ChecklistModel
from commander.ui.features.checklists.runbook_model import RunbookModel
from commander.ui.features.deadlines.deadline_model import DeadlineModel
from commander.ui.features.incidents.incident_list_model import IncidentListModel
from commander.ui.features.questions.question_model import QuestionModel
from commander.ui.features.review.action_item_model import ActionItemModel
from commander.ui.features.review.action_items_window import _Proxy
from commander.ui.features.roster.people_model import PeopleModel
from commander.ui.features.roster.roster_model import RosterModel
from commander.ui.features.search.search_model import SearchResultsModel
from commander.ui.features.search.similar_model import SimilarModel
from commander.ui.features.sync.peer_model import PeerTableModel
from commander.ui.features.sync.sync_problem_model import SyncProblemModel
from commander.ui.features.timeline.chat_paste_model import COL_KEEP, COL_TEXT, ChatPasteModel
from commander.ui.features.timeline.timeline_model import TimelineModel
from tests.services.similar_fixture import build_past
from tests.ui.model_checks import checked as _checked

CHAT = Path(__file__).resolve().parents[1] / "fixtures" / "chat" / "slack_desktop.txt"

# Every model class in commander.ui, and the test below (or elsewhere) that checks it.
COVERED = {
    "ActionItemModel": "test_action_items",
    "_Proxy": "test_action_items_filter",
    "AlertModel": "test_window_models_qtmodeltester.py",
    "ChatPasteModel": "test_chat_paste",
    "ChecklistModel": "test_checklists_tree",
    "ColumnsTableModel": "the base of the flat tables below",
    "CommandModel": "test_window_models_qtmodeltester.py",
    "DeadlineModel": "test_deadlines",
    "HealthModel": "test_health",
    "IncidentListModel": "test_incident_list",
    "OutboxModel": "test_window_models_qtmodeltester.py",
    "PeerTableModel": "test_peers",
    "PeopleModel": "test_people",
    "QuestionModel": "test_questions",
    "RosterModel": "test_roster",
    "RowsModel": "test_rows",
    "RunbookModel": "test_runbook",
    "SearchResultsModel": "test_search_results",
    "SimilarModel": "test_similar",
    "SyncProblemModel": "test_sync_problems",
    "ThumbnailModel": "test_window_models_qtmodeltester.py",
    "TimelineModel": "test_timeline",
}


def test_every_model_is_covered() -> None:
    found: set[str] = set()
    for info in pkgutil.walk_packages(commander.ui.__path__, "commander.ui."):
        module = importlib.import_module(info.name)
        for name, value in inspect.getmembers(module, inspect.isclass):
            if value.__module__ == module.__name__ and issubclass(value, QAbstractItemModel):
                found.add(name)
    assert found == set(COVERED), f"models without a model-tester check: {found - set(COVERED)}"


def test_incident_list(qtmodeltester, workspace: Workspace, incidents: IncidentService) -> None:  # type: ignore[no-untyped-def]
    first = incidents.declare(title="Checkout errors", severity="P2").incident
    incidents.declare(title="Slow search", severity="P3")
    model = IncidentListModel()
    model.set_incidents(incidents.list())

    def change() -> None:
        incidents.declare(title="Payments down", severity="P0")  # a new row, sorted first
        incidents.set_field(first.id, "severity", "P1")  # a move
        model.set_incidents(incidents.list())
        model.set_incidents(incidents.list()[1:])  # a removal

    _checked(qtmodeltester, model, change)
    assert model.rowCount() == 2


def _action_items(workspace: Workspace, incidents: IncidentService):  # type: ignore[no-untyped-def]
    incident = incidents.declare(title="Queue backlog", severity="P2").incident
    service = ActionItemService(workspace)
    first = service.add_action_item(incident.id, "Alert on consumer lag", owner="dana")
    service.add_action_item(incident.id, "Document the replay", owner="sam")
    model = ActionItemModel()
    refs = {incident.id: incident.ref}
    model.set_items(service.action_items(incident.id), refs, date(2026, 11, 28))

    def finish_one() -> None:
        service.update_action_item(first.id, status="done")
        model.set_items(service.action_items(incident.id), refs, date(2027, 1, 10))  # overdue

    return model, finish_one


def test_action_items(qtmodeltester, workspace: Workspace, incidents) -> None:  # type: ignore[no-untyped-def]
    model, finish_one = _action_items(workspace, incidents)
    _checked(qtmodeltester, model, finish_one)


def test_action_items_filter(qtmodeltester, workspace: Workspace, incidents) -> None:  # type: ignore[no-untyped-def]
    model, finish_one = _action_items(workspace, incidents)
    proxy = _Proxy(None)  # type: ignore[arg-type]  # the window is its parent: none needed here
    proxy.setSourceModel(model)

    def change() -> None:
        finish_one()  # the finished item is filtered out
        assert proxy.rowCount() == 1
        proxy.sort(0, Qt.SortOrder.DescendingOrder)
        proxy.show_finished = True  # as the window's check box does
        proxy.invalidate()

    _checked(qtmodeltester, proxy, change)
    assert proxy.rowCount() == 2
    assert isinstance(proxy, QSortFilterProxyModel)


def test_checklists_tree(qtmodeltester, workspace: Workspace, incidents) -> None:  # type: ignore[no-untyped-def]
    incident = incidents.declare(title="Certificate expiry", severity="P1").incident
    service = ChecklistService(workspace)
    model = ChecklistModel(workspace.zone)
    model.set_progress(service.progress(incident.id), None)

    def change() -> None:
        service.tick(incident.id, "cert.certificates")  # same shape: cells change in place
        model.set_progress(service.progress(incident.id), None)
        service.add_step("Certificate Health Check", "Page the PKI owner")  # a new shape
        model.set_progress(None, None)
        model.set_progress(service.progress(incident.id), Phase.INVESTIGATION)

    _checked(qtmodeltester, model, change)


def test_runbook(qtmodeltester, workspace: Workspace, incidents) -> None:  # type: ignore[no-untyped-def]
    incident = incidents.declare(title="Pods restarting", severity="P2", services=["orders"])
    incident_id = incident.incident.id
    service = RunbookService(workspace)
    model = RunbookModel()
    model.set_steps(service.steps(incident_id))

    def change() -> None:
        service.set_value(incident_id, "namespace", "orders-prod")
        model.set_steps(service.steps(incident_id))  # the same steps, filled
        service.ran(incident_id, "net.proxy-status")
        model.set_steps(service.steps(incident_id)[2:])  # other steps: a reset

    _checked(qtmodeltester, model, change)


def test_roster(qtmodeltester, workspace: Workspace, incidents) -> None:  # type: ignore[no-untyped-def]
    incident_id = incidents.declare(title="Login failures", severity="P1").incident.id
    PeopleService(workspace).save_person(Person("bob", "Bob Jones"))
    service = RosterService(workspace)
    model = RosterModel(workspace.zone)
    model.set_lines(service.roster(incident_id).lines)

    def change() -> None:
        service.assign(incident_id, service.roles()[0], "bob", note="taking over")
        model.set_lines(service.roster(incident_id).lines)

    _checked(qtmodeltester, model, change)


def test_people(qtmodeltester, workspace: Workspace) -> None:  # type: ignore[no-untyped-def]
    service = PeopleService(workspace)
    service.save_person(Person("alice", "Alice Smith", email="a@example.org"))
    names = {role.key: role.name for role in RosterService(workspace).roles()}
    model = PeopleModel()
    model.set_people(service.people(), names)

    def change() -> None:
        row = model.add_row()
        model.setData(model.index(row, 0), "Carol Diaz", Qt.ItemDataRole.EditRole)
        service.save_person(Person("bob", "Bob Jones"))
        model.set_people(service.people(), names)  # the new row stays, as typed
        model.remove_row(model.rowCount() - 1)

    _checked(qtmodeltester, model, change)


def test_deadlines(qtmodeltester, workspace: Workspace, incidents, clock: FakeClock) -> None:  # type: ignore[no-untyped-def]
    incident_id = incidents.declare(title="Partner API down", severity="P1").incident.id
    service = DeadlineService(workspace, hours=BusinessHours())
    model = DeadlineModel(service, workspace.zone)
    model.set_facts(service.facts(incident_id), clock.now())

    def change() -> None:
        for minutes in (5, 20, 90):
            model.tick(clock.now() + timedelta(minutes=minutes))  # states change as time runs
        model.set_facts(None, clock.now())
        model.set_facts(service.facts(incident_id), clock.now() + timedelta(hours=2))

    _checked(qtmodeltester, model, change)


def test_questions(qtmodeltester, workspace: Workspace, incidents, clock: FakeClock) -> None:  # type: ignore[no-untyped-def]
    incident_id = incidents.declare(title="Checkout down", severity="P1").incident.id
    incidents.log(incident_id, "Who owns the payment gateway?", kind="question")
    service = QuestionService(workspace)
    model = QuestionModel(workspace.zone)
    model.set_questions(service.open_questions(incident_id), clock.now())

    def change() -> None:
        model.set_now(clock.now() + timedelta(minutes=30))
        incidents.log(incident_id, "Is the CDN healthy?", kind="question")
        model.set_questions(service.open_questions(incident_id), clock.now())

    _checked(qtmodeltester, model, change)
    assert model.rowCount() == 2


def test_search_results(qtmodeltester, workspace: Workspace, incidents) -> None:  # type: ignore[no-untyped-def]
    incident_id = incidents.declare(title="Certificate expired", severity="P1").incident.id
    incidents.log(incident_id, "certificate renewed by hand")
    service = SearchService(workspace)
    model = SearchResultsModel(workspace.zone)
    model.set_results(service.search("certificate"))

    def change() -> None:
        incidents.declare(title="Certificate warning on the CDN", severity="P3")
        model.set_results(None)
        model.set_results(service.search("certificate"))

    _checked(qtmodeltester, model, change)


def test_similar(qtmodeltester, workspace: Workspace, clock: FakeClock) -> None:  # type: ignore[no-untyped-def]
    past = build_past(workspace, clock)
    service = SimilarService(workspace)
    model = SimilarModel(workspace.zone)
    model.set_items(service.for_incident(past["probe"]))

    def change() -> None:
        model.set_items(service.for_incident(past["similar_words"]))

    _checked(qtmodeltester, model, change)


def test_chat_paste(qtmodeltester, workspace: Workspace, clock: FakeClock) -> None:  # type: ignore[no-untyped-def]
    paste = parse_chat(CHAT.read_text(encoding="utf-8"), now=clock.now(), zone=workspace.zone)
    model = ChatPasteModel(workspace.zone)
    model.set_messages(paste.messages)

    def change() -> None:
        model.setData(
            model.index(0, COL_KEEP), Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole
        )
        model.setData(model.index(1, COL_TEXT), "looking at api-gw", Qt.ItemDataRole.EditRole)
        model.set_all_kept(True)
        model.set_messages(paste.messages[:3], model.rows())

    _checked(qtmodeltester, model, change)
    assert model.data(model.index(1, COL_TEXT)) == "looking at api-gw"


def test_health(qtmodeltester, clock: FakeClock) -> None:  # type: ignore[no-untyped-def]
    targets = (
        HealthTarget("tls", "api.example.com:443", "customer API"),
        HealthTarget("http", "https://status.example.com/health", "status"),
    )
    model = HealthModel()
    model.set_targets(targets)
    now = clock.now()

    def change() -> None:
        model.set_results(
            [
                CheckResult(
                    "tls",
                    "customer API",
                    "api.example.com:443",
                    CheckState.WARNING,
                    "expires in 5 days",
                    now,
                    None,
                    now + timedelta(days=5),
                    True,
                )
            ]
        )
        model.set_targets(targets[:1])

    _checked(qtmodeltester, model, change)


def test_peers(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = PeerTableModel()
    alice = Peer("a" * 64, "node-a", "alice", "admitted", "10.0.0.2:7420", "2026-11-28", None, None)

    def change() -> None:
        bob = Peer("b" * 64, "node-b", "bob", "pending", "10.0.0.3:7420", "2026-11-28", "10:00", 3)
        model.set_peers([alice, bob])
        model.set_peers([bob])

    model.set_peers([alice])
    _checked(qtmodeltester, model, change)


def test_sync_problems(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    def problem(n: int) -> SyncProblem:
        return SyncProblem(f"op{n}", "node-b", "bob", n, "quarantined", "bad signature", "entry", n)

    model = SyncProblemModel()
    model.set_problems([problem(1)])

    def change() -> None:
        model.set_problems([problem(1), problem(2), problem(3)])  # appended
        model.set_problems([problem(3)])  # anything else: a reset

    _checked(qtmodeltester, model, change)


def test_timeline(qtmodeltester, workspace: Workspace, incidents, clock: FakeClock) -> None:  # type: ignore[no-untyped-def]
    incident = incidents.declare(title="Gateway 502s", severity="P1").incident
    for n in range(5):
        clock.advance(timedelta(minutes=1))
        incidents.log(incident.id, f"gateway check {n}", owner="sam")
    model = TimelineModel(workspace.zone)
    model.set_entries(incidents.timeline(incident.id), incident.declared_at)

    def change() -> None:
        clock.advance(timedelta(minutes=1))
        entry, _ = incidents.log(incident.id, "gateway restarted")
        incidents.strike(incidents.timeline(incident.id)[1].id, "wrong incident")
        model.apply([entry, *(e for e in incidents.timeline(incident.id) if e.struck)])
        model.set_filter("gateway")

    _checked(qtmodeltester, model, change)


def test_rows(qtmodeltester, workspace: Workspace, incidents) -> None:  # type: ignore[no-untyped-def]
    incident_id = incidents.declare(title="Login failures", severity="P1").incident.id
    lines = RosterService(workspace).roster(incident_id).lines
    model = RowsModel(["Role", "Held by"])
    model.set_rows([[line.role.name, "unassigned"] for line in lines])

    def change() -> None:
        model.set_rows([[line.role.name, "Dana"] for line in lines[:2]])

    _checked(qtmodeltester, model, change)
