"""Open questions and key events are read after every change (the Questions tab, display,
briefing): their queries must use the partial indexes, not scan the incident's timeline."""

from __future__ import annotations

from commander.services.incidents import IncidentService
from commander.storage import entry_queries
from commander.storage.database import dbapi


def test_open_questions_and_key_events_use_their_own_indexes(incidents: IncidentService) -> None:
    incident_id = incidents.declare(title="API down", severity="P1").incident.id
    incidents.log_quick(incident_id, "? is it DNS")
    with incidents.workspace.read() as conn:
        plans = {}
        for name, statement in (
            ("questions", entry_queries._OPEN_QUESTIONS),
            ("key", entry_queries._KEY_EVENTS),
        ):
            compiled = statement.compile(conn)
            values = compiled.construct_params({"incident_id": incident_id})
            params = [values[key] for key in compiled.positiontup or ()]
            plan = dbapi(conn).execute(f"EXPLAIN QUERY PLAN {compiled}", params)
            plans[name] = " ".join(row[-1] for row in plan)
    assert "USING INDEX ix_entry_questions" in plans["questions"]
    assert "ix_entry_answers" in plans["questions"]  # the answer lookup, per question
    assert "USING INDEX ix_entry_key_events" in plans["key"]
