"""The review's pure parts: section keys, term -> due date, overdue ordering."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from commander.core.errors import ValidationError
from commander.core.review import (
    REVIEW_KEYS,
    REVIEW_SECTIONS,
    ActionItem,
    add_months,
    default_due,
    overdue_first,
    parse_term,
)

T0 = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def test_sections_follow_the_procedure_with_stable_keys() -> None:
    assert [title for title, _ in REVIEW_SECTIONS] == [
        "Incident Summary",
        "Root Cause",
        "Resolution",
        "Root Cause Analysis",
        "Review Agenda",
    ]
    assert REVIEW_KEYS[:4] == (
        "services_affected",
        "customer_impact",
        "users_affected",
        "revenue_impact",
    )
    assert "what_we_will_change" in REVIEW_KEYS and "agenda_action_items" in REVIEW_KEYS
    assert len(set(REVIEW_KEYS)) == len(REVIEW_KEYS) == 21


@pytest.mark.parametrize(
    ("term", "today", "due"),
    [
        ("short", date(2026, 11, 28), date(2026, 12, 12)),
        ("medium", date(2026, 11, 28), date(2027, 2, 28)),
        ("long", date(2026, 11, 28), date(2027, 5, 28)),
        ("medium", date(2026, 11, 30), date(2027, 2, 28)),  # no 30 Feb: the month's last day
        ("Long-term", date(2026, 8, 31), date(2027, 2, 28)),
    ],
)
def test_the_term_gives_the_due_date_at_the_end_of_its_span(term, today, due) -> None:
    assert default_due(term, today) == due


def test_add_months_clamps_and_crosses_years() -> None:
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2026, 12, 15), 13) == date(2028, 1, 15)


def test_an_unknown_term_is_refused() -> None:
    with pytest.raises(ValidationError, match="short, medium or long"):
        parse_term("soonish")


def _item(title: str, due: date, status: str = "open") -> ActionItem:
    return ActionItem(title, "inc", title, "", "short", due, status, "", None, T0)


def test_overdue_items_come_first_then_open_by_due_then_finished() -> None:
    today = date(2026, 12, 10)
    items = [
        _item("later", date(2026, 12, 20)),
        _item("done long ago", date(2026, 11, 1), "done"),
        _item("overdue a bit", date(2026, 12, 9)),
        _item("due today", date(2026, 12, 10)),
        _item("overdue most", date(2026, 12, 1), "in_progress"),
        _item("cancelled", date(2026, 12, 2), "cancelled"),
    ]
    ordered = [item.title for item in overdue_first(items, today)]
    assert ordered == [
        "overdue most",
        "overdue a bit",
        "due today",
        "later",
        "done long ago",
        "cancelled",
    ]
    assert not _item("due today", today).is_overdue(today)
    assert not _item("done", date(2020, 1, 1), "done").is_overdue(today)
