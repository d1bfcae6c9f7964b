"""Two replicas hand off the same role concurrently: every delivery order converges, and the
losing handoff is still in the role's history, marked, so the conflict is shown."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, select

from commander.core.clock import from_ms
from commander.core.ops import GENESIS_HASH, Op, register_change
from commander.core.roles import Assignment, conflicts, current_holders, mark_concurrency
from commander.storage import oplog
from commander.storage.tables import (
    incident_table,
    metadata,
    person_table,
    register_table,
    role_assignment_table,
)

CREATE = {
    "ref": "INC-20261128-AAAAAA",
    "title": "API down",
    "severity": "P1",
    "status": "investigating",
    "phase": "detection",
    "services": [],
    "impact": "",
    "declared_at": "2026-11-28T10:00:00.000Z",
}


def _holder(person: str | None, at: str, previous: str | None = None, note: str = "") -> dict:
    return {
        "person": person,
        "name": (person or "").title(),
        "previous": previous,
        "previous_name": (previous or "").title(),
        "note": note,
        "at": at,
    }


def _node_ops(node: str, specs: list[tuple[str, str, str, str, object]], wall0: int) -> list[Op]:
    ops, head = [], GENESIS_HASH
    for i, (incident_id, entity, entity_id, field, value) in enumerate(specs):
        op = Op(
            op_id=f"{node}-{i}",
            node_id=node,
            hlc=f"{wall0 + i:015d}.000000",
            incident_id=incident_id,
            entity=entity,
            entity_id=entity_id,
            field=field,
            value=value,
            author=node,
        ).sealed(head)
        head = op.hash
        ops.append(op)
    return ops


ROLE = "inc:incident_commander"
ALL_OPS = _node_ops(
    "a",
    [
        ("inc", "incident", "inc", "create", CREATE),
        ("", "person", "alice", "name", register_change("Alice", None)),
        (
            "inc",
            "role",
            ROLE,
            "holder",
            register_change(_holder("alice", "2026-11-28T10:01:00Z"), None),
        ),
        # a hands IC to bob; concurrently b hands it to carol, both from alice (a-2)
        (
            "inc",
            "role",
            ROLE,
            "holder",
            register_change(_holder("bob", "2026-11-28T10:30:00Z", "alice", "shift"), "a-2"),
        ),
        ("", "person", "alice", "phone", register_change("+1 555", None)),
    ],
    1000,
) + _node_ops(
    "b",
    [
        ("", "person", "alice", "name", register_change("Alice Smith", None)),
        (
            "inc",
            "role",
            ROLE,
            "holder",
            register_change(_holder("carol", "2026-11-28T10:30:00Z", "alice"), "a-2"),
        ),
        (
            "inc",
            "role",
            "inc:technical_lead",
            "holder",
            register_change(_holder("dave", "2026-11-28T10:31:00Z"), None),
        ),
    ],
    1002,
)


def _materialize(ops: list[Op]) -> dict[str, list]:
    engine = create_engine("sqlite://")
    metadata.create_all(engine)
    with engine.begin() as conn:
        for op in ops:
            oplog.store(conn, op)
            oplog.apply(conn, op)
        return {
            "incident": list(conn.execute(select(incident_table))),
            "person": list(conn.execute(select(person_table))),
            "register": list(
                conn.execute(
                    select(register_table).order_by(
                        register_table.c.entity, register_table.c.entity_id, register_table.c.field
                    )
                )
            ),
            "role_assignment": list(
                conn.execute(select(role_assignment_table).order_by(role_assignment_table.c.op_id))
            ),
        }


@settings(max_examples=80, deadline=None)
@given(st.permutations(ALL_OPS))
def test_concurrent_handoffs_converge_in_any_order(order: list[Op]) -> None:
    assert _materialize(order) == _materialize(list(ALL_OPS))


def test_the_losing_handoff_stays_in_the_history_and_is_shown() -> None:
    tables = _materialize(list(reversed(ALL_OPS)))
    rows = tables["role_assignment"]
    history = mark_concurrency(
        Assignment(
            op_id=r.op_id,
            incident_id=r.incident_id,
            role=r.role,
            person=r.person,
            person_name=r.person_name,
            at=from_ms(r.at_ms),
            hlc=r.hlc,
            node_id=r.node_id,
            by=r.author,
            note=r.note,
            base=r.base,
            previous=r.previous,
        )
        for r in rows
    )
    ic = [a for a in history if a.role == "incident_commander"]
    assert [a.person for a in ic] == ["alice", "bob", "carol"]
    holders = current_holders(history)
    assert holders["incident_commander"].person == "carol"  # b's op has the later HLC
    register = {(r.entity_id, r.field): r.op_id for r in tables["register"]}
    assert register[(ROLE, "holder")] == "b-1"
    (group,) = conflicts(history)
    assert [a.person for a in group] == ["bob", "carol"]
    loser = next(a for a in ic if a.person == "bob")
    assert loser.superseded and loser.note == "shift"
    (person,) = tables["person"]
    assert (person.name, person.phone) == ("Alice Smith", "+1 555")  # LWW per field
