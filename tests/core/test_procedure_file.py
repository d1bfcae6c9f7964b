"""Procedure files: refused with every problem by line, never half-loaded; examples are valid."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commander.core.errors import ValidationError
from commander.core.procedure_file import ProcedureError, load_procedure, seed_text
from commander.core.procedure_model import Duration, Situation, parse_duration

EXAMPLES = Path(__file__).parents[2] / "docs" / "examples"
PACKS = ("gdpr-art33.toml", "nis2-art23.toml", "dora-major-ict.toml")
_LINE = re.compile(r"^(line \d+|the file|not TOML): ")

MINIMAL = """\
format = 1
name = "Mini"
version = "1"

[[severity]]
key = "S1"
name = "Bad"

[[field]]
key = "tier"
name = "Tier"
type = "text"

[[deadline]]
key = "ack"
name = "Acknowledge"
anchor = "declared"
offset = "15m"
"""


def problems(text: str) -> list[str]:
    with pytest.raises(ProcedureError) as caught:
        load_procedure(text, "test.toml")
    return caught.value.problems


def test_a_minimal_file_loads() -> None:
    procedure = load_procedure(MINIMAL, "mini.toml")
    assert procedure.label == "Mini 1"
    assert procedure.source == "mini.toml"
    assert procedure.text == MINIMAL


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ('offset = "15m"', 'offset = "15m"\nofset = "3m"'),
            ["line 19: unknown key 'ofset' in deadline[1]"],
        ),
        (
            ('offset = "15m"', 'offset = "fifteen"'),
            ["line 18: deadline[1].offset: 'fifteen' is not a duration"],
        ),
        (('anchor = "declared"\n', ""), ["line 14: deadline[1]: 'anchor' is missing"]),
        (('anchor = "declared"', 'anchor = "whenever"'), ["line 17: deadline[1].anchor"]),
        (
            ('offset = "15m"', 'offset = "15m"\nwhen = { fields = { region = "eu" } }'),
            ["line 19: condition names unknown field 'region'"],
        ),
        (
            ('offset = "15m"', 'offset = "15m"\nwhen = { severity = ["S9"] }'),
            ["line 19: condition names unknown severity 'S9'"],
        ),
        (('key = "tier"', 'key = "S1"\nshade = 1'), ["line 11: unknown key 'shade' in field[1]"]),
        (('offset = "15m"\n', ""), ["line 14: deadline 'ack' needs one of offset, cadence"]),
        (
            ('anchor = "declared"', 'anchor = "field:tier"'),
            ["line 17: anchor 'field:tier' needs a datetime"],
        ),
        (
            ("format = 1", "format = 2"),
            ["line 1: format: this Commander reads procedure format 1, not 2"],
        ),
    ],
)
def test_each_problem_names_its_line(change: tuple[str, str], expected: list[str]) -> None:
    old, new = change
    assert old in MINIMAL
    found = problems(MINIMAL.replace(old, new, 1))
    for want in expected:
        assert any(p.startswith(want) or want in p for p in found), (want, found)


def test_every_problem_is_listed_at_once() -> None:
    text = MINIMAL.replace(
        'offset = "15m"', 'offset = "soon"\nnote = "x"\nwhen = { fields = { nope = true } }'
    )
    text = text.replace('name = "Bad"', 'name = "Bad"\nresponse_time = "quickly"')
    found = problems(text)
    assert len(found) == 4, found
    assert [int(p.split()[1].rstrip(":")) for p in found] == sorted(
        int(p.split()[1].rstrip(":")) for p in found
    )


def test_not_toml_is_one_reason() -> None:
    found = problems("format = = 1")
    assert found[0].startswith("not TOML: ")


def test_durations() -> None:
    assert parse_duration("1h30m") == Duration(0, timedelta(minutes=90))
    assert parse_duration("2w") == Duration(0, timedelta(days=14))
    jan31 = datetime(2026, 1, 31, 12, tzinfo=UTC)
    assert parse_duration("1mo").after(jan31) == datetime(2026, 2, 28, 12, tzinfo=UTC)
    with pytest.raises(ValidationError, match="not a duration"):
        parse_duration("72x")


def test_the_example_procedure_is_valid_and_its_conditions_follow_the_incident() -> None:
    procedure = load_procedure((EXAMPLES / "sev-security.toml").read_text("utf-8"), "example")
    assert [s.key for s in procedure.severities] == ["SEV1", "SEV2", "SEV3", "SEV4"]
    service = Situation("SEV3", "service")
    security = Situation("SEV3", "security", fields={"personal_data_breach": "yes"})
    assert procedure.required_roles(service) == ["incident_commander"]
    assert procedure.required_roles(security) == ["incident_commander", "security_lead"]
    assert procedure.rule_for("security_triage", service) is None
    assert procedure.rule_for("security_triage", security) is not None
    required = [f.key for f in procedure.fields_required("resolution", security)]
    assert "regulator_reference" in required
    assert "regulator_reference" not in [
        f.key for f in procedure.fields_required("resolution", service)
    ]


@pytest.mark.parametrize("pack", PACKS)
def test_each_regulatory_pack_appended_to_the_seed_is_valid_and_cites_its_article(
    pack: str,
) -> None:
    text = (EXAMPLES / pack).read_text("utf-8")
    procedure = load_procedure(seed_text() + "\n" + text, pack)
    added = [rule for rule in procedure.deadlines if rule.cite]
    assert added and all("Art." in rule.cite for rule in added)


def test_the_pack_clocks() -> None:
    def rules(pack: str) -> dict[str, object]:
        procedure = load_procedure(seed_text() + "\n" + (EXAMPLES / pack).read_text("utf-8"), pack)
        return {r.key: r.offset for r in procedure.deadlines if r.cite}

    assert rules("gdpr-art33.toml") == {"gdpr_art33_authority": parse_duration("72h")}
    assert rules("nis2-art23.toml") == {
        "nis2_early_warning": parse_duration("24h"),
        "nis2_notification": parse_duration("72h"),
        "nis2_final_report": parse_duration("1mo"),
    }
    assert rules("dora-major-ict.toml") == {
        "dora_initial": parse_duration("4h"),
        "dora_initial_backstop": parse_duration("24h"),
        "dora_intermediate": parse_duration("72h"),
        "dora_final": parse_duration("1mo"),
    }


# -- a fuzzed corpus: mutations of real files are loaded whole or refused with lines -------------

_SOURCES = [seed_text(), (EXAMPLES / "sev-security.toml").read_text("utf-8"), MINIMAL]
_JUNK = ['"72x"', "-1", "true", '["SEV9"]', "{ fields = { ghost = true } }", '"field:nope"', '""']


@st.composite
def mutated(draw: st.DrawFn) -> str:
    lines = draw(st.sampled_from(_SOURCES)).splitlines()
    for _ in range(draw(st.integers(1, 4))):
        index = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["drop", "value", "key", "dup"]))
        line = lines[index]
        if action == "drop":
            del lines[index]
        elif action == "value" and " = " in line:
            lines[index] = line.split(" = ")[0] + " = " + draw(st.sampled_from(_JUNK))
        elif action == "key":
            lines.insert(
                index + 1, draw(st.sampled_from(["bogus = 1", "when.fields.ghost = true"]))
            )
        else:
            lines.insert(index, line)
    return "\n".join(lines) + "\n"


@settings(max_examples=150, deadline=None)
@given(text=mutated())
def test_a_mutated_file_loads_whole_or_is_refused_with_lines(text: str) -> None:
    try:
        procedure = load_procedure(text, "fuzz.toml")
    except ProcedureError as exc:
        assert exc.problems
        for problem in exc.problems:
            assert _LINE.match(problem), problem
        return
    assert procedure.severities and procedure.deadlines
