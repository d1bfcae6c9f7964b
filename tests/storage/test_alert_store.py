"""The local alert cache and the alert-incident links (storage/alert_store.py): an alert read
back as it was upserted, a poll refreshing all but when it was first seen, fingerprints matched
by a literal prefix, firing alerts of some sources, resolved ones pruned by age, a state stamp
that changes with any of that, and links in the order they were made."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from commander.core.alerts import FIRING, RESOLVED, Alert
from commander.core.clock import FakeClock, from_ms, to_ms
from commander.core.ops import Entity, Field
from commander.services.workspace import Workspace
from commander.storage import alert_store
from tests.storage.foreign_ops import WALL0, feed, iso_of, op


def _alert(fingerprint: str, status: str = FIRING, source: str = "am-1", **more: Any) -> Alert:
    return Alert(
        fingerprint=fingerprint, status=status,
        labels={"alertname": f"Alert{fingerprint}", "sev": "page"},
        annotations={"summary": "ünïcode summary"}, starts_at=from_ms(WALL0),
        source=source, **more,
    )  # fmt: skip


def _seen(conn, fingerprint: str) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    row = conn.exec_driver_sql(
        "SELECT first_seen, last_seen FROM alert WHERE fingerprint = ?", (fingerprint,)
    ).one()
    return int(row[0]), int(row[1])


def test_an_alert_reads_back_as_upserted_and_a_poll_refreshes_it(
    workspace: Workspace, clock: FakeClock
) -> None:
    first = _alert("abc1", ends_at=from_ms(WALL0 + 60_000), generator_url="http://x",
                   silenced_by=("s1",), inhibited_by=("f9",))  # fmt: skip
    t0 = clock.now()
    with workspace.write() as conn:
        assert alert_store.get(conn, "abc1") is None and alert_store.all_alerts(conn) == []
        alert_store.upsert(conn, first, t0)
        assert alert_store.get(conn, "abc1") == first
        later = _alert("abc1", status=RESOLVED, source="am-2")
        alert_store.upsert(conn, later, t0 + timedelta(minutes=5))
        assert alert_store.get(conn, "abc1") == later  # every field refreshed
        assert _seen(conn, "abc1") == (to_ms(t0), to_ms(t0) + 300_000)  # first seen stays
        assert alert_store.all_alerts(conn) == [later]


def test_a_prefix_is_literal_and_capped_at_six(workspace: Workspace, clock: FakeClock) -> None:
    with workspace.write() as conn:
        for fingerprint in ["ab_1", "abc2", "x%y", *(f"zz{n}" for n in range(8))]:
            alert_store.upsert(conn, _alert(fingerprint), clock.now())
        assert sorted(a.fingerprint for a in alert_store.match(conn, "ab")) == ["ab_1", "abc2"]
        assert [a.fingerprint for a in alert_store.match(conn, "ab_")] == ["ab_1"]
        assert [a.fingerprint for a in alert_store.match(conn, "x%")] == ["x%y"]
        assert alert_store.match(conn, "%") == []
        assert len(alert_store.match(conn, "zz")) == 6


def test_firing_from_some_sources_and_pruning_resolved_ones(
    workspace: Workspace, clock: FakeClock
) -> None:
    t0 = clock.now()
    with workspace.write() as conn:
        alert_store.upsert(conn, _alert("f1", source="am-1"), t0)
        alert_store.upsert(conn, _alert("f2", source="am-2"), t0)
        alert_store.upsert(conn, _alert("r-old", RESOLVED), t0)
        alert_store.upsert(conn, _alert("r-new", RESOLVED), t0 + timedelta(hours=2))
        assert [a.fingerprint for a in alert_store.firing_from(conn, ["am-1", "webhook:x"])] == [
            "f1"
        ]
        assert alert_store.firing_from(conn, []) == []
        assert alert_store.prune_resolved(conn, t0 + timedelta(hours=1)) == 1
        left = sorted(a.fingerprint for a in alert_store.all_alerts(conn))
        assert alert_store.prune_resolved(conn, t0 + timedelta(hours=1)) == 0
    assert left == ["f1", "f2", "r-new"]  # a firing alert is never pruned, however old


def test_the_state_stamp_changes_with_any_ingest_or_resolve(
    workspace: Workspace, clock: FakeClock
) -> None:
    t0 = clock.now()
    with workspace.write() as conn:
        empty = alert_store.state_stamp(conn)
        alert_store.upsert(conn, _alert("a1"), t0)
        one = alert_store.state_stamp(conn)
        alert_store.upsert(conn, _alert("a1", RESOLVED), t0)  # same time, other status
        resolved = alert_store.state_stamp(conn)
        alert_store.upsert(conn, _alert("a1", RESOLVED, silenced_by=("s",)), t0)
        silenced = alert_store.state_stamp(conn)
        assert alert_store.state_stamp(conn) == silenced  # nothing changed: same stamp
    assert empty == (0, 0, 0, 0, 0, 0)
    assert one[:3] == (1, to_ms(t0), 1)
    assert len({empty, one, resolved, silenced}) == 4


def _link(n: int, incident: str, fingerprint: str) -> Any:
    value = {"name": f"Alert{fingerprint}", "summary": "s", "starts_at": iso_of(n)}
    return op(n, Entity.ALERT_LINK, f"{incident}:{fingerprint}", Field.CREATE, value,
              incident=incident)  # fmt: skip


def test_links_in_the_order_made_with_their_resolution(workspace: Workspace) -> None:
    with workspace.write() as conn:
        assert alert_store.all_links(conn) == [] and alert_store.links_of(conn, "f1") == []
        feed(conn, [
            _link(3, "inc-b", "f1"),
            _link(1, "inc-a", "f1"),
            _link(2, "inc-a", "f2"),
            op(9, Entity.ALERT_LINK, "inc-b:f1", Field.RESOLVED, {"at": iso_of(8)},
               incident="inc-b"),
        ])  # fmt: skip
        links = alert_store.links_of(conn, "f1")
        every = alert_store.all_links(conn)
    assert [(link.incident_id, link.resolved_at) for link in links] == [
        ("inc-a", None),
        ("inc-b", from_ms(WALL0 + 8)),
    ]  # linked at: the ops' stamps, 1 then 3
    assert links[0].fired_at == from_ms(WALL0 + 1) and links[0].name == "Alertf1"
    assert [(link.incident_id, link.fingerprint) for link in every] == [
        ("inc-a", "f1"), ("inc-a", "f2"), ("inc-b", "f1"),
    ]  # fmt: skip
