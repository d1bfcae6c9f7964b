"""The local alert cache and the blob store (storage/alert_store.py, blobs.py) in Core: the
upsert keeps when an alert was first seen, the state stamp moves with every change, a file
attached twice counts once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, insert, select

from commander.core.alerts import FIRING, Alert
from commander.core.ops import Entity, Field, Op
from commander.storage import alert_store, blobs
from commander.storage import tables as t
from commander.storage.database import open_engine

NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[Connection]:
    engine = open_engine(tmp_path)
    with engine.begin() as connection:
        yield connection
    engine.dispose()


def _alert(fingerprint: str, status: str = FIRING, source: str = "am", **more: Any) -> Alert:
    values: dict[str, Any] = {
        "labels": {"alertname": "HighLatency"}, "annotations": {}, "starts_at": NOW,
        "ends_at": None, "generator_url": "", "silenced_by": (), "inhibited_by": (),
    }  # fmt: skip
    return Alert(fingerprint=fingerprint, status=status, source=source, **{**values, **more})


def test_an_upsert_refreshes_the_alert_but_keeps_when_it_was_first_seen(conn: Connection) -> None:
    alert_store.upsert(conn, _alert("fp-1"), NOW)
    stamp = alert_store.state_stamp(conn)
    assert stamp[0] == 1
    resolved = _alert("fp-1", status="resolved", ends_at=NOW + timedelta(minutes=5))
    alert_store.upsert(conn, resolved, NOW + timedelta(minutes=6))
    assert alert_store.state_stamp(conn) != stamp
    first, last = conn.execute(select(t.alert_table.c.first_seen, t.alert_table.c.last_seen)).one()
    assert last - first == 6 * 60_000
    stored = alert_store.get(conn, "fp-1")
    assert stored is not None and stored.status == "resolved" and stored.ends_at is not None
    assert alert_store.get(conn, "fp-2") is None


def test_prefix_match_escapes_wildcards_and_firing_is_by_source(conn: Connection) -> None:
    for fingerprint, source in (("ab_1", "am"), ("abx1", "am"), ("cd", "webhook:x")):
        alert_store.upsert(conn, _alert(fingerprint, source=source), NOW)
    alert_store.upsert(conn, _alert("ab_2", status="resolved"), NOW - timedelta(days=2))
    assert {a.fingerprint for a in alert_store.match(conn, "ab_")} == {"ab_1", "ab_2"}
    assert {a.fingerprint for a in alert_store.match(conn, "ab")} == {"ab_1", "ab_2", "abx1"}
    assert {a.fingerprint for a in alert_store.firing_from(conn, ["am"])} == {"ab_1", "abx1"}
    assert alert_store.firing_from(conn, []) == []
    assert alert_store.prune_resolved(conn, NOW - timedelta(days=1)) == 1
    assert len(alert_store.all_alerts(conn)) == 3


def test_links_in_the_order_they_were_made(conn: Connection) -> None:
    link = {"summary": "", "fired_at": 1, "resolved_at": None, "author": "a", "name": "X"}
    for incident_id, fingerprint, linked_at in (
        ("i1", "f1", 30),
        ("i2", "f1", 10),
        ("i1", "f2", 20),
    ):
        conn.execute(
            insert(t.alert_link_table).values(
                incident_id=incident_id, fingerprint=fingerprint, linked_at=linked_at, **link
            )
        )
    assert [x.incident_id for x in alert_store.links_of(conn, "f1")] == ["i2", "i1"]
    assert [(x.incident_id, x.fingerprint) for x in alert_store.all_links(conn)] == [
        ("i2", "f1"), ("i1", "f2"), ("i1", "f1"),
    ]  # fmt: skip


def _attach(conn: Connection, entry_id: str, sha: str, at_ms: int, size: int = 10) -> None:
    conn.execute(
        insert(t.entry_table).values(
            id=entry_id,
            incident_id="inc-a",
            occurred_at=at_ms,
            hlc=f"h{at_ms}",
            node_id="n",
            kind="note",
            event="file",
            action="",
            owner="",
            author="a",
            struck=0,
            strike_reason="",
        )
    )
    value = {"text": "file", "attachment": {"sha256": sha, "name": f"{entry_id}.png",
             "media_type": "image/png", "size": size}}  # fmt: skip
    op = Op(
        "o-" + entry_id, "n", f"h{at_ms}", "inc-a", Entity.ENTRY, entry_id, Field.CREATE, value, "a"
    )
    blobs.apply_attachment(conn, op)


def test_blobs_once_per_digest_and_an_incident_total_counts_a_file_once(conn: Connection) -> None:
    blobs.put(conn, "a" * 64, b"first")
    blobs.put(conn, "a" * 64, b"ignored")  # once per file
    assert blobs.get(conn, "a" * 64) == b"first"
    assert blobs.get(conn, "b" * 64) is None
    assert blobs.present(conn, ["a" * 64, "b" * 64]) == {"a" * 64}
    _attach(conn, "e2", "a" * 64, 200)
    _attach(conn, "e1", "a" * 64, 300)
    _attach(conn, "e3", "c" * 64, 100, size=5)
    assert blobs.incident_total(conn, "inc-a") == 15
    assert blobs.incident_total(conn, "inc-b") == 0
    assert [s.entry_id for s in blobs.for_incident(conn, "inc-a")] == ["e3", "e2", "e1"]
    found = blobs.by_digest(conn, "a" * 64)
    assert found is not None and found.entry_id == "e1" and found.ref.name == "e1.png"
    assert blobs.of_entry(conn, "e3") is not None and blobs.of_entry(conn, "zz") is None
    assert [s.entry_id for s in blobs.all_references(conn)] == ["e1", "e2", "e3"]
