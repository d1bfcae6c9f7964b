"""The post-incident review from ops (storage/apply_review.py): each section, the meeting and
each action-item field is its own last-writer-wins register, in any arrival order; an item's
row exists from its first op, even a change that came before its create."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from commander.core.ops import Entity, Field, register_change
from commander.core.review import REVIEW_SCHEDULE
from commander.storage import apply_review
from commander.storage.database import open_engine
from tests.storage.foreign_ops import ORDERS_OF_FOUR, WALL0, ms, op, rows

_ITEM = "SELECT title, owner, term, due, status, entry_id, created_at, updated_at FROM action_item"


def _review(n: int, field: str, value: object, node: str = "a"):  # type: ignore[no-untyped-def]
    return op(n, Entity.REVIEW, "inc", field, register_change(value, None), node=node)


def _item(n: int, field: str, value: object, node: str = "a"):  # type: ignore[no-untyped-def]
    if field != Field.CREATE:
        value = register_change(value, None)
    return op(n, Entity.ACTION_ITEM, "item-1", field, value, node=node)


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))))
def test_sections_keep_the_newest_edit_each(tmp_path: Path, order: tuple[int, ...]) -> None:
    ops = [
        _review(1, "customer_impact", "Checkout failed for 20 minutes", node="a"),
        _review(2, "services_affected", "api, payments", node="b"),
        _review(3, "customer_impact", "Checkout failed for 25 minutes", node="c"),
    ]
    engine = open_engine(tmp_path)
    with engine.begin() as conn:
        for i in order:
            apply_review.apply_review(conn, ops[i])
        found = rows(conn, "SELECT id, key, text, updated_at, author FROM review_field ORDER BY id")
    engine.dispose()
    assert found == [
        ("inc:customer_impact", "customer_impact", "Checkout failed for 25 minutes", WALL0 + 3,
         "author-c"),
        ("inc:services_affected", "services_affected", "api, payments", WALL0 + 2, "author-b"),
    ]  # fmt: skip


def test_the_meeting_time_and_an_unknown_field(tmp_path: Path) -> None:
    engine = open_engine(tmp_path)
    with engine.begin() as conn:
        apply_review.apply_review(conn, _review(1, "no_such_section", "ignored"))
        apply_review.apply_review(
            conn, _review(2, REVIEW_SCHEDULE, {"start": "2026-12-01T15:00:00Z", "minutes": 45})
        )
        apply_review.apply_review(conn, _review(1, REVIEW_SCHEDULE, {"start": None}, node="z"))
        scheduled = rows(conn, "SELECT incident_id, start_ms, minutes, author FROM review_schedule")
        apply_review.apply_review(conn, _review(3, REVIEW_SCHEDULE, {"start": None, "minutes": 0}))
        cancelled = rows(conn, "SELECT start_ms, minutes FROM review_schedule")
        assert rows(conn, "SELECT count(*) FROM review_field") == [(0,)]
    engine.dispose()
    assert scheduled == [("inc", ms("2026-12-01T15:00:00Z"), 45, "author-a")]  # the older op lost
    assert cancelled == [(None, 60)]  # no time; no length given: an hour


@pytest.mark.parametrize("order", ORDERS_OF_FOUR)
def test_an_action_item_settles_field_by_field(tmp_path: Path, order: tuple[int, ...]) -> None:
    ops = [
        _item(
            1,
            Field.CREATE,
            {
                "title": "Add a pool alarm",
                "owner": "dana",
                "created_at": "2026-11-28T11:00:00Z",
                "entry_id": "e1",
                "status": "open",
            },
        ),
        _item(2, "status", "done", node="b"),
        _item(3, "due", "2026-12-15", node="c"),
        _item(0, "owner", "erin", node="z"),  # older than the create: the create's owner stays
    ]
    engine = open_engine(tmp_path)
    with engine.begin() as conn:
        for i in order:
            apply_review.apply_action_item(conn, ops[i])
        found = rows(conn, _ITEM)
    engine.dispose()
    assert found == [
        ("Add a pool alarm", "dana", "short", "2026-12-15", "done", "e1",
         ms("2026-11-28T11:00:00Z"), WALL0 + 3)
    ]  # fmt: skip


def test_a_change_before_the_create_makes_the_row_and_an_unknown_field_nothing(
    tmp_path: Path,
) -> None:
    engine = open_engine(tmp_path)
    with engine.begin() as conn:
        apply_review.apply_action_item(conn, _item(5, "no_such_field", "x"))
        assert rows(conn, "SELECT count(*) FROM action_item") == [(0,)]
        apply_review.apply_action_item(conn, _item(5, "term", "long"))
        found = rows(conn, _ITEM)
    engine.dispose()
    assert found == [("", "", "long", "", "open", None, WALL0 + 5, WALL0 + 5)]
