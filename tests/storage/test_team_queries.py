"""The team tables read back (storage/team_queries.py): the procedure's roles then the custom
ones by name (removed ones left out, yet still known by key for old history), an incident's
role history oldest first with concurrent handoffs marked, and where someone holds a role in
other active incidents."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection

from commander.core.ops import WORKSPACE_SCOPE, Entity, Field, register_change, role_entity_id
from commander.core.roles import INCIDENT_COMMANDER, PROCEDURE_ROLES, RoleDef, RoleKind
from commander.storage import team_queries as tq
from commander.storage.database import open_engine
from tests.storage.foreign_ops import WALL0, feed, iso_of, op

IC = INCIDENT_COMMANDER


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[Connection]:
    engine = open_engine(tmp_path)
    with engine.begin() as connection:
        yield connection
    engine.dispose()


def _incident(n: int, incident: str, ref: str, status: str = "investigating") -> Any:
    return op(
        n, Entity.INCIDENT, incident, Field.CREATE,
        {"ref": ref, "title": "t", "severity": "P1", "status": status, "phase": "detection",
         "services": [], "impact": "", "declared_at": iso_of(n)},
        incident=incident, op_id=f"create-{incident}",
    )  # fmt: skip


def _hold(
    n: int, incident: str, person: str | None, base: str | None, *, node: str = "a",
    role: str = IC, previous: str | None = None,
) -> Any:  # fmt: skip
    value = {"person": person, "name": (person or "").title(), "previous": previous,
             "previous_name": "", "note": f"note {n}", "at": iso_of(n)}  # fmt: skip
    return op(
        n, Entity.ROLE, role_entity_id(incident, role), Field.HOLDER,
        register_change(value, base), node=node, incident=incident,
    )  # fmt: skip


def _role_def(n: int, key: str, field: str, value: Any) -> Any:
    return op(
        n, Entity.ROLE_DEF, key, field, register_change(value, None),
        incident=WORKSPACE_SCOPE, op_id=f"rd-{key}-{field}-{n}",
    )  # fmt: skip


def test_custom_roles_follow_the_procedure_s_by_name(conn: Connection) -> None:
    feed(conn, [
        _role_def(1, "scribe", Field.NAME, "scribe"),
        _role_def(2, "liaison", Field.NAME, "Customer Liaison"),
        _role_def(3, "liaison", Field.DESCRIPTION, "Talks to customers"),
        _role_def(4, "old", Field.NAME, "Old Role"),
        _role_def(5, "old", Field.REMOVED, True),
        _role_def(6, "nameless", Field.DESCRIPTION, "no name yet"),
    ])  # fmt: skip
    roles = tq.current_roles(conn)
    assert roles[: len(PROCEDURE_ROLES)] == list(PROCEDURE_ROLES)
    custom = roles[len(PROCEDURE_ROLES) :]
    assert custom == [
        RoleDef("liaison", "Customer Liaison", RoleKind.CUSTOM, "Talks to customers"),
        RoleDef("scribe", "scribe", RoleKind.CUSTOM, ""),  # by name, any case
    ]
    mine = RoleDef("ops", "Ops", RoleKind.CORE)
    assert tq.current_roles(conn, [mine])[0] == mine and len(tq.current_roles(conn, [mine])) == 3


def test_every_role_by_key_keeps_removed_and_built_in_roles(conn: Connection) -> None:
    feed(conn, [_role_def(1, "old", Field.NAME, "Old Role"), _role_def(2, "old", Field.REMOVED, 1)])
    feed(conn, [_role_def(3, "nameless", Field.DESCRIPTION, "d")])
    loaded = RoleDef(IC, "Commander", RoleKind.CORE)
    found = tq.every_role_by_key(conn, [loaded])
    assert found[IC] == loaded  # the loaded procedure's wins over the built-in one
    assert found["old"].name == "Old Role" and found["nameless"].name == "nameless"
    assert set(found) == {r.key for r in PROCEDURE_ROLES} | {"old", "nameless"}


def test_role_history_is_oldest_first_with_a_concurrent_handoff_marked(conn: Connection) -> None:
    feed(conn, [
        _incident(0, "inc", "INC-1"),
        _hold(5, "inc", "bo", "a-1", node="b", previous="al"),  # pulled before what it replaced
        _hold(1, "inc", "al", None),
        _hold(6, "inc", "cy", "a-1", node="c", previous="al"),  # did not see bo's handoff
        _hold(7, "inc", None, "c-6"),  # a release
        _hold(2, "other", "zed", None),
    ])  # fmt: skip
    history = tq.role_history(conn, "inc")
    assert [(a.op_id, a.person, a.concurrent, a.superseded) for a in history] == [
        ("a-1", "al", False, False),
        ("b-5", "bo", True, True),  # lost the register to cy's
        ("c-6", "cy", True, False),
        ("a-7", None, False, False),
    ]
    first = history[0]
    assert (first.role, first.person_name, first.by, first.note) == (IC, "Al", "author-a", "note 1")
    assert history[1].previous == "al" and history[1].base == "a-1"
    assert history[-1].is_release and history[0].at.timestamp() * 1000 == WALL0 + 1
    assert tq.role_history(conn, "missing") == []


def test_holding_elsewhere_names_only_other_active_incidents_held_now(conn: Connection) -> None:
    feed(conn, [
        _incident(0, "here", "INC-0"),
        _incident(1, "b", "INC-B"),
        _incident(2, "a", "INC-A"),
        _incident(3, "done", "INC-D", status="resolved"),
        _incident(4, "gone", "INC-G"),
        _hold(10, "here", "al", None),
        _hold(11, "b", "al", None),
        _hold(12, "a", "al", None),
        _hold(13, "done", "al", None),
        _hold(14, "gone", "al", None),
        _hold(15, "gone", "bo", "a-14", previous="al"),  # handed on: al holds it no more
        _hold(16, "a", "al", None, role="scribe"),
    ])  # fmt: skip
    assert tq.holding_elsewhere(conn, IC, "al", "here") == ["INC-A", "INC-B"]
    assert tq.holding_elsewhere(conn, IC, "bo", "here") == ["INC-G"]
    assert tq.holding_elsewhere(conn, "scribe", "al", "a") == []
    assert tq.holding_elsewhere(conn, IC, "nobody", "here") == []
