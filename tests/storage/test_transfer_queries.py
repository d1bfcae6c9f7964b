"""What an export and a comparison read (storage/transfer_queries.py): an incident's ops with
the workspace ops they depend on (people on its roster, custom roles, each writer's key) in log
order, which ops are here, a node's chain head, and the incident's materialized rows."""

from __future__ import annotations

from commander.core.ops import OP_FIELDS, Entity
from commander.core.people import Person
from commander.services.incidents import IncidentService
from commander.services.people import PeopleService
from commander.services.roster import RosterService
from commander.services.workspace import Workspace
from commander.storage import transfer_queries as tq
from tests.storage.foreign_ops import rows

_ID, _SCOPE, _ENTITY, _ENTITY_ID = (
    OP_FIELDS.index(n) for n in ("op_id", "incident_id", "entity", "entity_id")
)


def test_an_incidents_ops_come_with_the_workspace_ops_it_depends_on(
    workspace: Workspace, incidents: IncidentService
) -> None:
    incident = incidents.declare(title="API down", severity="P1").incident
    other = incidents.declare(title="Unrelated", severity="P3").incident
    incidents.log(other.id, "not exported with the first")
    roster = RosterService(workspace)
    scribe = roster.add_role("Scribe")
    roster.assign(incident.id, "IC", "dana")  # a new person: added to the directory
    roster.assign(incident.id, scribe, "dana")
    PeopleService(workspace).save_person(Person(handle="erin", name="Erin"))  # on no roster
    with workspace.read() as conn:
        exported = tq.incident_op_rows(conn, incident.id)
        log_order = [r[0] for r in rows(conn, "SELECT op_id FROM op ORDER BY seq")]
    ids = [row[_ID] for row in exported]
    assert ids == [op_id for op_id in log_order if op_id in set(ids)]  # in log order
    assert {row[_SCOPE] for row in exported} == {incident.id, ""}
    workspace_ops = {(row[_ENTITY], row[_ENTITY_ID]) for row in exported if not row[_SCOPE]}
    assert (Entity.PERSON, "dana") in workspace_ops
    assert (Entity.ROLE_DEF, scribe.key) in workspace_ops
    assert (Entity.NODE, workspace.node_id) in workspace_ops  # the writer's key
    assert (Entity.PERSON, "erin") not in workspace_ops
    assert all(len(row) == len(OP_FIELDS) + 1 and row[-1] is None for row in exported)


def test_heads_and_present_ids(workspace: Workspace, incidents: IncidentService) -> None:
    incident = incidents.declare(title="API down", severity="P1").incident
    incidents.log(incident.id, "paged the DBA")
    with workspace.read() as conn:
        (last_hash,) = rows(conn, "SELECT hash FROM op ORDER BY seq DESC LIMIT 1")[0]
        assert tq.node_head(conn, workspace.node_id) == last_hash
        assert tq.node_head(conn, "no-such-node") is None
        held = [r[0] for r in rows(conn, "SELECT op_id FROM op")]
        asked = [f"missing-{n}" for n in range(1100)] + held
        assert tq.present_ids(conn, asked) == set(held)  # over the 500-id chunks
        assert tq.present_ids(conn, []) == set()
        assert tq.incident_op_rows(conn, "no-such-incident") == []


def test_the_materialized_record_is_the_incidents_rows_in_key_order(
    workspace: Workspace, incidents: IncidentService
) -> None:
    incident = incidents.declare(title="API down", severity="P1").incident
    other = incidents.declare(title="Unrelated", severity="P3").incident
    for n in range(3):
        incidents.log(incident.id, f"entry {n}")
    incidents.log(other.id, "elsewhere")
    RosterService(workspace).assign(incident.id, "IC", "dana")
    with workspace.read() as conn:
        record = tq.materialized_rows(conn, incident.id)
    assert not {"op", "outbox", "meta", "register", "op_stamp", "node_key"} & set(record)
    assert [row["id"] for row in record["incident"]] == [incident.id]
    entry_ids = [row["id"] for row in record["entry"]]
    assert len(entry_ids) == 4 + 1 and entry_ids == sorted(entry_ids)  # + the IC's entry
    assert {row["incident_id"] for row in record["entry"]} == {incident.id}
    assert [row["handle"] for row in record["person"]] == ["dana"]
    assert record["comms_template"] == []
    assert record["role_def"] == []  # the IC is a built-in role: no row
