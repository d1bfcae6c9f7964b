"""A procedure's own names for the stored levels P0-P3: shown as the file writes them, and read
back from the file's key, its name or the stored key, with one sentence for anything else."""

from __future__ import annotations

from pathlib import Path

import pytest

from commander.core.errors import ValidationError
from commander.core.policy import Severity
from commander.core.procedure_file import load_procedure
from commander.core.severity_names import BUILTIN, SeverityNames

SEV = SeverityNames.of(
    load_procedure(
        (Path(__file__).parents[2] / "docs" / "examples" / "sev-security.toml").read_text("utf-8"),
        "sev-security.toml",
    )
)
TWO = SeverityNames(("Red", "Amber"), ("Stop everything", "Soon"))


def test_the_builtin_names_are_the_stored_keys() -> None:
    assert BUILTIN.builtin
    assert BUILTIN.keys == ("P0", "P1", "P2", "P3")
    assert BUILTIN.label(Severity.P0) == "P0 Critical"
    assert BUILTIN.levels() == list(Severity)


def test_a_sev_file_names_each_stored_level_its_own_way() -> None:
    assert not SEV.builtin
    assert SEV.key(Severity.P0) == "SEV1"
    assert SEV.name(Severity.P1) == "Major"
    assert SEV.label(Severity.P3) == "SEV4 Low"
    spec = SEV.spec(Severity.P0)
    assert spec is not None and spec.key == "SEV1"


def test_a_file_with_fewer_levels_offers_only_those_and_keeps_builtin_names_beyond() -> None:
    assert TWO.levels() == [Severity.P0, Severity.P1]
    assert TWO.key(Severity.P2) == "P2"
    assert TWO.name(Severity.P3) == Severity.P3.level.name
    assert TWO.spec(Severity.P0) is None  # made without the file's rows
    assert SeverityNames((), ()).levels() == [Severity.P0]


@pytest.mark.parametrize(
    ("text", "level"),
    [("SEV1", Severity.P0), ("sev2", Severity.P1), (" minor ", Severity.P2), ("P3", Severity.P3)],
)
def test_parse_reads_the_files_key_its_name_or_the_stored_key(text: str, level: Severity) -> None:
    assert SEV.parse(text) == level


def test_the_builtin_names_also_take_what_parse_severity_takes() -> None:
    assert BUILTIN.parse("critical") == Severity.P0
    assert BUILTIN.parse("1") == Severity.P1
    with pytest.raises(ValidationError, match="use P0, P1, P2 or P3"):
        BUILTIN.parse("P7")


def test_a_stored_key_beyond_the_files_levels_is_unknown() -> None:
    assert TWO.parse("p1") == Severity.P1
    with pytest.raises(ValidationError) as caught:
        TWO.parse(" P2 ")
    assert str(caught.value) == (
        "Unknown severity 'P2': use one of Red (Stop everything), Amber (Soon)."
    )


def test_a_file_that_reuses_a_stored_key_for_another_level_shadows_the_stored_keys() -> None:
    # P1 names the most severe level here: "P0" would be ambiguous, so it is refused.
    shifted = SeverityNames(("P1", "P2"), ("Worst", "Bad"))
    assert shifted.parse("P1") == Severity.P0
    assert shifted.parse("bad") == Severity.P1
    with pytest.raises(ValidationError, match=r"^Unknown severity 'P0': use one of P1 \(Worst\)"):
        shifted.parse("P0")
