"""Fields required at declaration: a person must give them; the app declaring notes them."""

from __future__ import annotations

from pathlib import Path

import pytest

from commander.core.errors import ValidationError
from commander.services.deadlines import deadline_service_for
from commander.services.incident_fields import IncidentFieldService
from commander.services.incidents import IncidentService
from commander.services.procedures import ProcedureService
from commander.services.workspace import Workspace

EXAMPLE = Path(__file__).parents[2] / "docs" / "examples" / "sev-security.toml"


@pytest.fixture
def incidents(workspace: Workspace) -> IncidentService:
    ProcedureService(workspace).load(EXAMPLE.read_text("utf-8"), EXAMPLE.name)
    return IncidentService(workspace)


def test_a_person_declaring_must_give_them(incidents: IncidentService) -> None:
    with pytest.raises(ValidationError, match=r"requires Customer tier \(customer_tier\)"):
        incidents.declare(title="Checkout errors", severity="SEV2", fields={})
    assert incidents.list() == []
    with pytest.raises(ValidationError, match="Customer tier takes one of"):
        incidents.declare(title="Checkout errors", severity="SEV2", fields={"customer_tier": "x"})
    made = incidents.declare(
        title="Checkout errors", severity="SEV2", fields={"customer_tier": "business"}
    ).incident
    fields = IncidentFieldService(incidents.workspace, deadline_service_for(incidents.workspace))
    assert fields.values(made.id)["customer_tier"] == "business"


def test_the_app_declaring_from_an_alert_is_not_refused_and_says_what_is_left(
    incidents: IncidentService,
) -> None:
    made = incidents.declare(title="Disk full on db-1", severity="SEV3").incident  # fields=None
    first = incidents.timeline(made.id)[0]
    assert first.action.endswith("still to fill in: Customer tier (customer_tier)")
