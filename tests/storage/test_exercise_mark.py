"""The exercise mark (storage/exercise_mark.py): written in the workspace's ``meta``, read back
the same, absent in a real workspace; the count of scenario steps applied starts at zero."""

from __future__ import annotations

from datetime import UTC, datetime

from commander.services.workspace import Workspace
from commander.storage import exercise_mark


def test_a_mark_reads_back_as_written(workspace: Workspace) -> None:
    started = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
    mark = exercise_mark.ExerciseMark("Broker outage", "title = 'Broker outage'", started, 6.0)
    ended = exercise_mark.ExerciseMark(
        mark.scenario_title,
        mark.scenario_text,
        started,
        6.0,
        datetime(2026, 11, 28, 9, 30, tzinfo=UTC),
    )
    with workspace.write() as conn:
        assert exercise_mark.read_mark(conn) is None  # a real workspace
        exercise_mark.write_mark(conn, mark)
        assert exercise_mark.read_mark(conn) == mark
        exercise_mark.write_mark(conn, ended)
        assert exercise_mark.read_mark(conn) == ended
        assert exercise_mark.read_mark(conn).ended_at == ended.ended_at  # type: ignore[union-attr]


def test_the_applied_count_starts_at_zero(workspace: Workspace) -> None:
    with workspace.write() as conn:
        assert exercise_mark.applied_count(conn) == 0
        exercise_mark.set_applied_count(conn, 7)
        assert exercise_mark.applied_count(conn) == 7
        exercise_mark.set_applied_count(conn, 0)
        assert exercise_mark.applied_count(conn) == 0
