"""Message templates and drafts from ops (storage/apply_comms.py): each is one last-writer-wins
record, the newest op's content whole, a deletion or a discard a flag of it."""

from __future__ import annotations

from pathlib import Path

from commander.core.ops import Entity, Field, register_change
from commander.storage import apply_comms
from commander.storage.database import open_engine
from tests.storage.foreign_ops import WALL0, op, rows


def _template(n: int, subject: str, node: str = "a", **extra: object):  # type: ignore[no-untyped-def]
    body = {"name": "Update", "audience": "internal", "subject": subject, "body": "b", **extra}
    return op(n, Entity.TEMPLATE, "update", Field.CONTENT, register_change(body, None), node=node)


def test_the_newest_template_content_is_the_template(tmp_path: Path) -> None:
    engine = open_engine(tmp_path)
    with engine.begin() as conn:
        apply_comms.apply_comms(conn, _template(3, "newest", node="b"))
        apply_comms.apply_comms(conn, _template(2, "older, arriving late", node="z"))
        apply_comms.apply_comms(conn, op(9, Entity.TEMPLATE, "update", Field.TITLE, {}))
        kept = rows(conn, "SELECT key, subject, deleted, updated_at, author FROM comms_template")
        apply_comms.apply_comms(conn, _template(4, "gone", deleted=True))
        deleted = rows(conn, "SELECT subject, deleted FROM comms_template")
    engine.dispose()
    assert kept == [("update", "newest", 0, WALL0 + 3, "author-b")]
    assert deleted == [("gone", 1)]


def test_a_draft_is_one_record_with_its_fields_as_json(tmp_path: Path) -> None:
    def draft(n: int, **extra: object):  # type: ignore[no-untyped-def]
        body = {
            "template_key": "update", "audience": "customer", "channel": "email",
            "fields": {"eta": "11:00", "cause": "pool exhausted"}, **extra,
        }  # fmt: skip
        return op(n, Entity.DRAFT, "d1", Field.CONTENT, register_change(body, None))

    engine = open_engine(tmp_path)
    with engine.begin() as conn:
        apply_comms.apply_comms(conn, draft(1))
        first = rows(conn, "SELECT id, incident_id, channel, fields, discarded FROM comms_draft")
        apply_comms.apply_comms(conn, draft(2, discarded=True))
        apply_comms.apply_comms(conn, draft(1, channel="slack"))  # a replay of an older op
        later = rows(conn, "SELECT channel, discarded, updated_at FROM comms_draft")
    engine.dispose()
    assert first == [
        ("d1", "inc", "email", '{"cause": "pool exhausted", "eta": "11:00"}', 0)
    ]  # fields sorted by key
    assert later == [("email", 1, WALL0 + 2)]
