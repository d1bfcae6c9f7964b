"""The report as an ICS-214 activity log: the form's blocks and one activity per entry."""

from __future__ import annotations

import csv
import io

from commander.reports.ics214 import render_ics214

from .conftest import reports_for


def test_ics214_has_the_form_blocks_and_one_activity_per_entry(told, workspace):
    report = reports_for(workspace).build(told.incident_id, charts=False)
    rows = list(csv.reader(io.StringIO(render_ics214(report))))
    labels = [row[0] for row in rows]
    for block in (
        "1. Incident Name",
        "2. Operational Period",
        "3. Name",
        "4. ICS Position",
        "5. Home Agency (and Unit)",
        "6. Resources Assigned",
        "7. Activity Log",
        "8. Prepared by",
    ):
        assert block in labels
    assert rows[labels.index("1. Incident Name")][1].endswith(f"({report.incident.ref})")
    period = rows[labels.index("2. Operational Period")]
    assert period[2:9] == [
        "2026-11-28",
        "Date To",
        "2026-11-28",
        "Time From",
        "10:00",
        "Time To",
        "11:30",
    ]
    assert rows[labels.index("3. Name")][1] == "Bob Jones"
    assert rows[labels.index("5. Home Agency (and Unit)")][1] == "Payments"
    start = labels.index("6. Resources Assigned") + 2
    resources = rows[start : labels.index("7. Activity Log")]
    assert resources == [
        ["Alice Smith", "Incident Commander", "SRE"],
        ["Bob Jones", "Technical Lead, Incident Commander", "Payments"],
        ["Carol Diaz", "Scribe", "Support"],
    ]
    activities = rows[labels.index("7. Activity Log") + 2 : labels.index("8. Prepared by")]
    assert len(activities) == len(report.timeline)
    assert any(a[1].startswith("[STRUCK] DNS suspected") for a in activities)
    assert rows[labels.index("8. Prepared by") + 2][0] == "alice"
