"""The briefing's choices are made in Python (``briefing_model``) and its layout in the
template: the running table keeps the last entries and says how many it left out; struck
entries stay out; and building a briefing service does not import the template engine."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta

from commander.core.briefing import MAX_ENTRIES, briefing_model
from commander.core.business_hours import BusinessHours
from commander.services.briefing import BriefingService
from commander.services.deadlines import DeadlineService
from commander.services.roster import RosterService


def _briefing(workspace) -> BriefingService:  # type: ignore[no-untyped-def]
    deadlines = DeadlineService(workspace, hours=BusinessHours())
    return BriefingService(workspace, RosterService(workspace), deadlines)


def test_the_running_table_keeps_the_last_entries_and_counts_the_rest(
    incidents, workspace, clock
) -> None:  # type: ignore[no-untyped-def]
    incident_id = incidents.declare(title="API down", severity="P1").incident.id
    for n in range(MAX_ENTRIES + 5):
        clock.advance(timedelta(minutes=1))
        incidents.log(incident_id, f"step {n}")
    wrong, _ = incidents.log_quick(incident_id, "o: wrong incident")
    incidents.strike(wrong.id, "not ours")
    service = _briefing(workspace)
    model = briefing_model(service.facts(incident_id))
    assert len(model.entries) == MAX_ENTRIES
    assert model.entries[-1].event == f"step {MAX_ENTRIES + 4}"  # the newest kept
    omitted = model.entries_omitted
    assert omitted > 0 and all(line.event != "wrong incident" for line in model.entries)
    text = service.render(incident_id)
    assert f"*{omitted} earlier entries omitted; see the full timeline.*" in text
    assert "| step 4 |" not in text and f"| step {MAX_ENTRIES + 4} |" in text


def test_briefing_service_imports_no_template_engine_until_it_renders() -> None:
    """The window builds the service at start; jinja2 is paid for on the first briefing."""
    probe = "import sys, commander.services.briefing; print('jinja2' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "False"
