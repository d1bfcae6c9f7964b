"""reports.text: the wording every format shares, read in the reader's zone."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from commander.reports import text

from .conftest import mark_key_events, reports_for

BERLIN = ZoneInfo("Europe/Berlin")
TONGA = ZoneInfo("Pacific/Tongatapu")  # UTC+13: the told incident runs past midnight there
AT = datetime(2026, 11, 28, 10, 42, 7, tzinfo=UTC)


def test_when_and_clock_time_read_in_the_given_zone() -> None:
    assert text.when(AT, UTC) == "2026-11-28 10:42"
    assert text.when(AT, BERLIN) == "2026-11-28 11:42"
    assert text.when(AT, TONGA, seconds=True) == "2026-11-28 23:42:07"
    assert text.when(None, BERLIN) == "not recorded"
    assert text.clock_time(AT, BERLIN) == "11:42"


def test_durations_read_as_the_review_writes_them() -> None:
    assert text.duration(timedelta(minutes=45)) == "45 min"
    assert text.duration(timedelta(hours=2, minutes=5)) == "2 h 05 min"
    assert text.duration(timedelta(days=3, hours=4, minutes=59)) == "3 d 4 h"
    assert text.duration(None) == "not recorded"


def test_title_and_zone_name(told, workspace):
    report = reports_for(workspace).build(told.incident_id, charts=False)
    assert text.title(report) == f"Incident report — {report.incident.ref}"
    assert text.zone_name(report) == "UTC (UTC+00:00)"
    assert text.zone_name(replace(report, zone=BERLIN)) == "Europe/Berlin (UTC+01:00)"


def test_timeline_times_repeat_the_date_when_the_day_changes(told, workspace):
    report = reports_for(workspace).build(told.incident_id, charts=False)
    times = text.timeline_times(replace(report, zone=TONGA))
    assert times[0] == "28 Nov 23:00"
    assert times[-2:] == ["23:40", "29 Nov 00:30"]  # resolved 11:30 UTC: the next day there
    assert all(len(t) == 5 for t in times[1:-1])


def test_entry_wording_amended_struck_backfilled_and_decided(told, workspace, clock):
    decision_id = mark_key_events(workspace, told, clock)
    report = reports_for(workspace).build(told.incident_id, charts=False)
    entries = {e.id: e for e in report.timeline}
    amended, struck = entries[told.amended_entry], entries[told.struck_entry]
    decision = entries[decision_id]
    assert text.entry_event(amended) == "Error spike on checkout (5xx)"
    assert text.entry_action(amended) == "Rollback"
    assert text.entry_note(amended) == "amended; originally: Error spike on <checkout>"
    assert text.entry_kind(amended) == "★ ◉ observation"
    assert text.entry_owner(amended) == "bob"
    assert text.entry_note(struck) == "struck: Not DNS after all"
    assert text.entry_kind(decision) == "★ ◆ decision by bob"
    assert text.entry_owner(decision) == "alice"  # no owner given: who wrote it
    assert text.entry_note(decision) == "back-filled: recorded 11:41"
    # recorded 11:41 UTC is the next day in Tonga (00:41), so the date is written
    assert text.entry_note(decision, TONGA) == "back-filled: recorded 2026-11-29 00:41"
    first = report.timeline[0]
    assert (text.entry_kind(first), text.entry_note(first)) == ("⚙ system", "")
