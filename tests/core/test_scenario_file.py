"""Scenario files: the shipped ones load and match their schema; a bad one is refused with
one sentence per problem, each with its line; a written file reads back equal."""

from __future__ import annotations

import tomllib

import pytest
from jsonschema import Draft202012Validator

from commander.core.scenario_file import (
    ScenarioError,
    builtin_names,
    builtin_text,
    dump_scenario,
    load_scenario,
    scenario_schema,
)
from commander.core.scenario_model import InjectKind

BAD = """\
title = "Broken"

[incident]
title = "Something"
severity = "P9"

[[inject]]
at = "5q"
kind = "alert_firing"
alert = "A"

[[inject]]
at = "3m"
kind = "alert_resolved"
alert = "B"

[[inject]]
at = "4m"
kind = "impact"
metric = "happiness"
value = -1
colour = "red"

[[inject]]
at = "6m"
kind = "unreachable"
role = "janitor"

[[inject]]
at = "7m"
kind = "telegram"

[[inject]]
at = "8m"
kind = "message"
from = "Acme"
"""


def test_the_three_shipped_scenarios_load_and_match_the_schema() -> None:
    assert builtin_names() == [
        "certificate-expiry",
        "database-failover",
        "partner-integration-failure",
    ]
    validator = Draft202012Validator(scenario_schema())
    for name in builtin_names():
        text = builtin_text(name)
        scenario = load_scenario(text, name)
        assert list(validator.iter_errors(tomllib.loads(text))) == []
        kinds = {i.kind for i in scenario.injects}
        assert {InjectKind.ALERT_FIRING, InjectKind.ALERT_RESOLVED, InjectKind.IMPACT} <= kinds
        assert {InjectKind.MESSAGE, InjectKind.UNREACHABLE} <= kinds
        assert [i.at for i in scenario.injects] == sorted(i.at for i in scenario.injects)


def test_every_problem_is_one_sentence_with_its_line() -> None:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(BAD, "bad.toml")
    assert caught.value.problems == [
        "line 5: Unknown severity 'P9': use P0, P1, P2 or P3.",
        "line 8: Inject 1: '5q' is not an offset: write it like 0m, 90s, 5m or 1h30m.",
        "line 22: Inject 3 has an unknown key 'colour' (known: at, kind, metric, value).",
        "line 20: metric 'happiness' is not an impact metric: use one of customers_pct, "
        "customers, error_rate, latency_ms, partners, revenue.",
        "line 21: value must be a number of 0 or more.",
        "line 27: Unknown role 'janitor': use one of Incident Commander, Technical Lead, "
        "Communications Lead, Security Lead, Database Administrator, Network Engineer, "
        "Certificate Manager, Vendor Liaison (or add a custom role).",
        "line 29: Inject 5 needs kind = one of alert_firing, alert_resolved, impact, message, "
        "unreachable.",
        "line 33: Inject 6 (message) needs text.",
        "line 15: Alert B resolves at 3m but no inject fires it before.",
    ]
    assert str(caught.value).startswith("bad.toml is not a valid scenario (9 problems):")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("not toml [", "It is not valid TOML"),
        ('title = "x"\n', "The scenario needs an [incident] table"),
        ('title = "x"\ninject = 3\n[incident]\ntitle = "t"\nseverity = "P1"\n', "[[inject]]"),
    ],
)
def test_shapes_that_are_not_a_scenario_are_refused(text: str, problem: str) -> None:
    with pytest.raises(ScenarioError, match=problem.replace("[", r"\[")):
        load_scenario(text, "x.toml")


def test_a_written_scenario_reads_back_equal() -> None:
    for name in builtin_names():
        scenario = load_scenario(builtin_text(name), name)
        assert load_scenario(dump_scenario(scenario), "again") == scenario


def test_the_published_schema_is_the_shipped_one() -> None:
    from pathlib import Path

    published = Path(__file__).resolve().parents[2] / "docs" / "scenario.schema.json"
    import json

    assert json.loads(published.read_text("utf-8")) == scenario_schema()
