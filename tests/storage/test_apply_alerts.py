"""Alert-incident links (storage/apply_alerts.py): the link's firing and resolution are a
function of all its ops, whatever order they arrive in, on a real workspace file."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest

from commander.core.clock import parse_iso, to_ms
from commander.core.ops import Entity, Field, Op
from commander.storage import apply_alerts, oplog
from commander.storage.database import open_engine

LINK = "inc-1:fp-1"


def _op(n: int, field: str, value: dict[str, Any], node: str = "a") -> Op:
    return Op(
        f"op-{n}-{node}", node, f"{1_800_000_000_000 + n:015d}.000000", "inc-1",
        Entity.ALERT_LINK, LINK, field, value, f"author-{node}",
    )  # fmt: skip


def _ms(text: str) -> int:
    return to_ms(parse_iso(text))


LINKED = {"name": "CertExpired", "summary": "api", "starts_at": "2026-12-01T08:00:00Z"}
CREATE = _op(1, Field.CREATE, LINKED)
RESOLVED_EARLY = _op(2, Field.RESOLVED, {"at": "2026-12-01T09:00:00Z"})
RESOLVED_LATE = _op(3, Field.RESOLVED, {"at": "2026-12-01T09:05:00Z"}, node="b")
FIRED_AGAIN = _op(4, Field.FIRED, {"at": "2026-12-01T10:00:00Z"})
RESOLVED_AGAIN = _op(5, Field.RESOLVED, {"at": "2026-12-01T11:00:00Z"})


def _settled(tmp_path: Path, ops: list[Op]) -> tuple[Any, ...]:
    engine = open_engine(tmp_path)
    with engine.begin() as conn:
        for op in ops:  # stored before applied, as oplog does
            oplog.store(conn, op)
            apply_alerts.apply_alert_link(conn, op)
        rows = conn.exec_driver_sql(
            "SELECT incident_id, fingerprint, name, fired_at, resolved_at FROM alert_link"
        ).fetchall()
    engine.dispose()
    assert len(rows) <= 1
    return tuple(rows[0]) if rows else ()


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))))
def test_two_resolutions_agree_on_the_earliest_in_any_order(
    tmp_path: Path, order: tuple[int, ...]
) -> None:
    ops = [CREATE, RESOLVED_EARLY, RESOLVED_LATE]
    row = _settled(tmp_path, [ops[i] for i in order])
    fired, resolved = _ms("2026-12-01T08:00:00Z"), _ms("2026-12-01T09:00:00Z")
    assert row == ("inc-1", "fp-1", "CertExpired", fired, resolved)


def test_firing_again_reopens_the_link_until_its_own_resolution(tmp_path: Path) -> None:
    firing = _settled(tmp_path / "a", [CREATE, RESOLVED_EARLY, FIRED_AGAIN])
    assert firing[3:] == (_ms("2026-12-01T10:00:00Z"), None)
    ended = _settled(tmp_path / "b", [RESOLVED_AGAIN, FIRED_AGAIN, RESOLVED_EARLY, CREATE])
    assert ended[3:] == (_ms("2026-12-01T10:00:00Z"), _ms("2026-12-01T11:00:00Z"))


def test_a_resolution_before_its_link_waits_for_it(tmp_path: Path) -> None:
    assert _settled(tmp_path, [RESOLVED_EARLY]) == ()
