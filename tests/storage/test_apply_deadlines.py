"""Deadline events from ops (storage/apply_deadlines.py): facts with their own time, kept side
by side (never last-writer-wins), once per op, with how they were met or until when snoozed."""

from __future__ import annotations

from pathlib import Path

from commander.core.ops import Entity, Field
from commander.storage import apply_deadlines
from commander.storage.database import open_engine
from tests.storage.foreign_ops import ms, op, rows, stamp


def test_every_event_is_kept_with_its_own_time(tmp_path: Path) -> None:
    events = [
        op(1, Entity.DEADLINE, "update", Field.MET, {"at": "2026-11-28T10:30:00Z", "how": "Slack"}),
        op(2, Entity.DEADLINE, "update", Field.SNOOZE,
           {"at": "2026-11-28T10:31:00Z", "until": "2026-11-28T11:00:00Z", "reason": "bridge"},
           node="b"),
        op(3, Entity.DEADLINE, "update", Field.MET, {"at": "2026-11-28T10:20:00Z"}, node="c"),
        op(4, Entity.DEADLINE, "review", Field.SEND_FAILED, {"at": "2026-11-28T10:40:00Z"}),
    ]  # fmt: skip
    engine = open_engine(tmp_path)
    with engine.begin() as conn:
        for event in [*events, events[0]]:  # the first delivered twice
            apply_deadlines.apply_deadline_event(conn, event)
        found = rows(
            conn,
            "SELECT op_id, incident_id, key, kind, at_ms, hlc, author, how, until_ms "
            "FROM deadline_event ORDER BY at_ms",
        )
    engine.dispose()
    t20, t30, t31, t40, t60 = (
        ms(f"2026-11-28T{hm}:00Z") for hm in ("10:20", "10:30", "10:31", "10:40", "11:00")
    )
    assert found == [
        ("c-3", "inc", "update", "met", t20, stamp(3), "author-c", "", None),
        ("a-1", "inc", "update", "met", t30, stamp(1), "author-a", "Slack", None),
        ("b-2", "inc", "update", "snooze", t31, stamp(2), "author-b", "bridge",
         t60),
        ("a-4", "inc", "review", "send_failed", t40, stamp(4), "author-a", "", None),
    ]  # fmt: skip
