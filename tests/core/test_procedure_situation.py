"""What a procedure's conditions see of an incident: the file's severity key, the type taken
out of the custom values, the status and the security flag as a field."""

from __future__ import annotations

from commander.core.policy import Severity, Status
from commander.core.procedure_file import load_procedure, seed_procedure
from commander.core.procedure_model import Situation
from commander.core.procedure_situation import incident_situation

RENAMED = load_procedure(
    """\
format = 1
name = "Renamed"
version = "1"

[[severity]]
key = "SEV1"
name = "Critical"

[[severity]]
key = "SEV2"
name = "Major"

[[deadline]]
key = "ack"
name = "Acknowledge"
anchor = "declared"
offset = "15m"
""",
    "renamed.toml",
)


def test_the_type_comes_out_of_the_values_and_the_flag_goes_in() -> None:
    values = {"type": "security", "tier": "enterprise"}
    situation = incident_situation(seed_procedure(), Severity.P1, Status.IDENTIFIED, True, values)
    assert situation == Situation(
        "P1", "security", "identified", {"tier": "enterprise", "security_related": True}
    )
    assert values == {"type": "security", "tier": "enterprise"}  # the caller's values untouched


def test_no_type_or_an_empty_one_is_blank() -> None:
    for values in ({}, {"type": None}, {"type": ""}):
        situation = incident_situation(
            seed_procedure(), Severity.P3, Status.RESOLVED, False, values
        )
        assert (situation.type, situation.status) == ("", "resolved")
        assert situation.fields == {"security_related": False}


def test_the_severity_is_named_as_the_loaded_file_names_it() -> None:
    situation = incident_situation(RENAMED, Severity.P1, Status.INVESTIGATING, False, {})
    assert situation.severity == "SEV2"
