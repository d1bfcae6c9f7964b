"""Impact samples read back (storage/impact_queries.py): the live ones by metric then arrival,
their counts, those after a row mark, and the incident a sample belongs to."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection

from commander.storage import impact_queries
from commander.storage import tables as t
from commander.storage.database import open_engine
from tests.storage.table_rows import put


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[Connection]:
    engine = open_engine(tmp_path)
    with engine.begin() as connection:
        yield connection
    engine.dispose()


def test_impact_samples_live_ones_by_metric_and_arrival(conn: Connection) -> None:
    def sample(
        sample_id: str, metric: str, at_ms: int, value: float, struck: int = 0
    ) -> dict[str, Any]:
        return {
            "id": sample_id, "incident_id": "inc-a", "metric": metric, "at_ms": at_ms,
            "value": value, "hlc": f"h{at_ms}", "author": "a", "struck": struck,
        }  # fmt: skip

    assert impact_queries.last_sample_row(conn, "inc-a") == 0
    put(
        conn,
        t.impact_sample_table,
        sample("s-b", "errors", 20, 2.5),
        sample("s-a", "errors", 10, 1.0),
    )
    mark = impact_queries.last_sample_row(conn, "inc-a")
    put(
        conn,
        t.impact_sample_table,
        sample("s-c", "customers", 30, 7.0),
        sample("s-d", "errors", 5, 9.0, struck=1),
        {**sample("s-e", "errors", 1, 1.0), "incident_id": "inc-b"},
    )
    assert [s[0] for s in impact_queries.live_samples(conn, "inc-a")] == ["s-c", "s-a", "s-b"]
    assert impact_queries.live_samples(conn, "inc-a")[1] == ("s-a", "errors", 10, 1.0, "a")
    assert impact_queries.live_sample_counts(conn, "inc-a") == {"errors": 2, "customers": 1}
    after = impact_queries.live_samples_after(conn, "inc-a", mark)
    assert [(metric, at_ms, value) for _, metric, at_ms, value in after] == [("customers", 30, 7.0)]
    assert after[0][0] > mark
    assert impact_queries.last_sample_row(conn, "inc-a") == mark + 2  # the struck one counts
    assert impact_queries.sample_incident_id(conn, "s-e") == "inc-b"
    assert impact_queries.sample_incident_id(conn, "nope") is None
