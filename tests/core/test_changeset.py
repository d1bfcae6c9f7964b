"""``ChangeSet.of``: what appended ops changed, for the views to refresh."""

from __future__ import annotations

from types import SimpleNamespace

from commander.core.ops import WORKSPACE_SCOPE, Entity
from commander.core.records import ChangeSet


def _op(incident_id: str, entity: str, entity_id: str) -> SimpleNamespace:
    return SimpleNamespace(incident_id=incident_id, entity=entity, entity_id=entity_id)


def test_entries_and_records_are_told_apart_and_workspace_ops_concern_no_incident() -> None:
    changes = ChangeSet.of(
        [
            _op("inc-1", Entity.ENTRY, "e1"),
            _op("inc-1", Entity.INCIDENT, "inc-1"),
            _op("inc-2", Entity.IMPACT, "s1"),
            _op(WORKSPACE_SCOPE, Entity.PERSON, "alice"),
        ]
    )
    assert changes.incident_ids == {"inc-1", "inc-2"}
    assert changes.entry_ids == {"inc-1": {"e1"}}
    assert changes.records_changed == {"inc-1", "inc-2"}
    assert not ChangeSet.of([_op(WORKSPACE_SCOPE, Entity.PERSON, "bob")])
