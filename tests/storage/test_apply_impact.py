"""Impact samples from ops (storage/apply_impact.py): append-only facts, each kept once, and a
strike hides one whether it comes before or after the sample, once or twice."""

from __future__ import annotations

from pathlib import Path

import pytest

from commander.core.ops import Entity, Field, register_change
from commander.storage import apply_impact
from commander.storage.database import open_engine
from tests.storage.foreign_ops import ORDERS_OF_FOUR, ms, op, rows, stamp


def _sample(n: int, sample_id: str, value: float, node: str = "a"):  # type: ignore[no-untyped-def]
    body = {"metric": "error_rate", "at": "2026-11-28T10:05:00Z", "value": value}
    return op(n, Entity.IMPACT, sample_id, Field.SAMPLE, body, node=node)


def _strike(n: int, sample_id: str, node: str = "b"):  # type: ignore[no-untyped-def]
    return op(n, Entity.IMPACT, sample_id, Field.STRIKE, register_change(True, None), node=node)


@pytest.mark.parametrize("order", ORDERS_OF_FOUR)
def test_a_strike_hides_its_sample_in_any_order(tmp_path: Path, order: tuple[int, ...]) -> None:
    ops = [_sample(1, "s1", 4.5), _sample(2, "s2", "7"), _strike(3, "s1"), _strike(4, "s1", "c")]
    engine = open_engine(tmp_path)
    with engine.begin() as conn:
        for i in order:
            apply_impact.apply_impact(conn, ops[i])
        found = rows(
            conn,
            "SELECT id, incident_id, metric, at_ms, value, hlc, author, struck "
            "FROM impact_sample ORDER BY id",
        )
    engine.dispose()
    assert found == [
        ("s1", "inc", "error_rate", ms("2026-11-28T10:05:00Z"), 4.5, stamp(1), "author-a", 1),
        ("s2", "inc", "error_rate", ms("2026-11-28T10:05:00Z"), 7.0, stamp(2), "author-a", 0),
    ]


def test_a_sample_is_kept_once_and_an_unknown_field_writes_nothing(tmp_path: Path) -> None:
    engine = open_engine(tmp_path)
    with engine.begin() as conn:
        apply_impact.apply_impact(conn, _sample(1, "s1", 1.0))
        apply_impact.apply_impact(conn, _sample(1, "s1", 99.0))  # a replay keeps the first
        apply_impact.apply_impact(conn, op(2, Entity.IMPACT, "s1", Field.AMEND, {"v": 1}))
        assert rows(conn, "SELECT value, struck FROM impact_sample") == [(1.0, 0)]
    engine.dispose()
