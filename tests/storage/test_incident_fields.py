"""An incident's type and custom fields from the op log (storage/incident_fields.py): every
change as (when, key, value) in HLC order (node id breaks a tie), so the last writer wins on
every replica alike and an emptied field reads None."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from commander.core.clock import from_ms
from commander.services.incidents import IncidentService
from commander.services.workspace import Workspace
from commander.storage import incident_fields as fields
from commander.storage.database import open_engine
from tests.storage.foreign_ops import ORDERS_OF_FOUR, WALL0, feed, op


def _set(n: int, key: str, value: Any, *, node: str = "a", incident: str = "inc") -> Any:
    return op(
        n, fields.ENTITY, f"{incident}:{key}", fields.FIELD, {"value": value, "base": None},
        node=node, incident=incident,
    )  # fmt: skip


@pytest.mark.parametrize("order", ORDERS_OF_FOUR)
def test_changes_in_stamp_order_whatever_the_arrival(
    tmp_path: Path, order: tuple[int, ...]
) -> None:
    ops = [
        _set(1, "type", "outage"),
        _set(2, "region", "eu-west"),
        _set(3, "type", "degradation", node="b"),
        _set(3, "type", "security", node="c"),  # same stamp: node c after node b
    ]
    engine = open_engine(tmp_path)
    with engine.begin() as conn:
        feed(conn, [ops[i] for i in order])
        feed(conn, [_set(9, "type", "elsewhere", incident="other")])
        changes = fields.incident_fields(conn, "inc")
    engine.dispose()
    assert changes == [
        (from_ms(WALL0 + 1), "type", "outage"),
        (from_ms(WALL0 + 2), "region", "eu-west"),
        (from_ms(WALL0 + 3), "type", "degradation"),
        (from_ms(WALL0 + 3), "type", "security"),
    ]
    assert fields.current_values(changes) == {"type": "security", "region": "eu-west"}


def test_an_emptied_field_is_none_and_no_changes_are_no_values(tmp_path: Path) -> None:
    engine = open_engine(tmp_path)
    with engine.begin() as conn:
        feed(conn, [_set(1, "customer", "acme"), _set(2, "customer", None)])
        assert fields.current_values(fields.incident_fields(conn, "inc")) == {"customer": None}
        assert fields.incident_fields(conn, "missing") == []
    engine.dispose()
    assert fields.current_values([]) == {}


def test_a_key_with_a_colon_keeps_it(tmp_path: Path) -> None:
    engine = open_engine(tmp_path)
    with engine.begin() as conn:
        feed(conn, [_set(1, "ticket:jira", "OPS-1")])
        assert fields.incident_fields(conn, "inc") == [(from_ms(WALL0 + 1), "ticket:jira", "OPS-1")]
    engine.dispose()


def test_a_declared_incident_s_fields_are_read_back(
    workspace: Workspace, incidents: IncidentService
) -> None:
    incident = incidents.declare(title="API down", severity="P1").incident
    with workspace.read() as conn:
        changes = fields.incident_fields(conn, incident.id)
    assert all(when == incident.declared_at for when, _, _ in changes)
    assert len({key for _, key, _ in changes}) == len(changes)  # each noted once
