"""A checked procedure file's plain values turned into the model: every default a key left
out takes, durations parsed, lists made tuples, conditions read."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from commander.core.procedure_build import build_procedure, when_of
from commander.core.procedure_model import (
    ChecklistSpec,
    DeadlineSpec,
    Duration,
    FieldSpec,
    RoleSpec,
    SeveritySpec,
    StepSpec,
    TemplateSpec,
    TypeSpec,
    When,
)

MINIMAL: dict[str, Any] = {
    "name": "Small",
    "version": "3",
    "severity": [{"key": "S1", "name": "Bad"}],
    "deadline": [{"key": "ack", "name": "Acknowledge", "anchor": "declared", "offset": "15m"}],
}

FULL: dict[str, Any] = {
    "name": "Full",
    "version": "1.2",
    "description": "Everything",
    "severity": [
        {
            "key": "S1",
            "name": "Critical",
            "headline": "All down",
            "definition": "No one can log in",
            "examples": ["outage"],
            "response_time": "1h30m",
            "escalation": "page the VP",
            "colour": "#ff0000",
        }
    ],
    "type": [{"key": "security", "name": "Security", "description": "Breach"}],
    "role": [
        {
            "key": "ic",
            "name": "Incident Commander",
            "kind": "core",
            "exclusive": True,
            "aliases": ["commander"],
            "required_when": [{"severity": ["S1"]}, {"type": ["security"]}],
        }
    ],
    "deadline": [
        {
            "key": "review",
            "name": "Review",
            "anchor": "resolved",
            "source": "within a month",
            "cadence": "1mo",
            "window": "2d",
            "grace": "5m",
            "audience": "Team",
            "tightens": True,
            "when": {"status": ["resolved"], "fields": {"tier": "enterprise"}},
            "met_by": ["marked", "review_done"],
            "cite": "§7",
        },
        {
            "key": "ack",
            "name": "Acknowledge",
            "anchor": "declared",
            "business_hours": "next_business_day",
            "not_applicable": "never",
        },
    ],
    "checklist": [
        {
            "key": "triage",
            "phase": "detection",
            "title": "Triage",
            "step": [
                {"key": "s1", "text": "Open a bridge"},
                {
                    "key": "s2",
                    "text": "Page security",
                    "detail": "Use the rota",
                    "command": "page sec",
                    "note": "at night too",
                    "when": {"type": ["security"]},
                },
            ],
            "when": {"severity": ["S1"]},
        }
    ],
    "template": [
        {"key": "t", "name": "Initial", "audience": "internal", "subject": "S", "body": "B"}
    ],
    "field": [
        {
            "key": "tier",
            "name": "Tier",
            "type": "choice",
            "required": "declaration",
            "choices": ["enterprise", "free"],
            "help": "The customer's plan",
            "when": {"type": ["security"]},
        }
    ],
}


def test_a_minimal_file_takes_every_default() -> None:
    procedure = build_procedure(MINIMAL, "small.toml", "text")
    assert (procedure.name, procedure.version, procedure.description) == ("Small", "3", "")
    assert (procedure.source, procedure.text) == ("small.toml", "text")
    assert procedure.severities == (
        SeveritySpec("S1", "Bad", response_time_text="next business day", response_time=None),
    )
    assert procedure.deadlines == (
        DeadlineSpec(
            "ack", "Acknowledge", "declared", offset=Duration(exact=timedelta(minutes=15))
        ),
    )
    assert procedure.types == procedure.roles == procedure.checklists == ()
    assert procedure.templates == procedure.fields == ()


def test_a_full_file_keeps_everything_it_says() -> None:
    procedure = build_procedure(FULL, "full.toml", "")
    assert procedure.description == "Everything"
    assert procedure.severities[0] == SeveritySpec(
        "S1",
        "Critical",
        "All down",
        "No one can log in",
        ("outage",),
        "1h30m",
        Duration(exact=timedelta(hours=1, minutes=30)),
        "page the VP",
        "#ff0000",
    )
    assert procedure.types == (TypeSpec("security", "Security", "Breach"),)
    assert procedure.roles == (
        RoleSpec(
            "ic",
            "Incident Commander",
            "core",
            exclusive=True,
            aliases=("commander",),
            required_when=(When(severity=("S1",)), When(type=("security",))),
        ),
    )
    assert procedure.templates == (TemplateSpec("t", "Initial", "internal", "S", "B"),)
    assert procedure.fields == (
        FieldSpec(
            "tier",
            "Tier",
            "choice",
            "declaration",
            ("enterprise", "free"),
            "The customer's plan",
            When(type=("security",)),
        ),
    )


def test_deadline_durations_and_options_are_read() -> None:
    review, ack = build_procedure(FULL, "full.toml", "").deadlines
    assert review == DeadlineSpec(
        key="review",
        name="Review",
        anchor="resolved",
        source="within a month",
        cadence=Duration(months=1),
        window=Duration(exact=timedelta(days=2)),
        grace=Duration(exact=timedelta(minutes=5)),
        audience="Team",
        tightens=True,
        when=When(status=("resolved",), fields={"tier": "enterprise"}),
        met_by=("marked", "review_done"),
        cite="§7",
    )
    assert ack.next_business_day
    assert (ack.offset, ack.cadence, ack.not_applicable) == (None, None, "never")
    assert ack.met_by == ("marked",)


def test_checklist_steps_keep_their_order_details_and_conditions() -> None:
    (checklist,) = build_procedure(FULL, "full.toml", "").checklists
    assert checklist == ChecklistSpec(
        "triage",
        "detection",
        "Triage",
        (
            StepSpec("s1", "Open a bridge"),
            StepSpec(
                "s2",
                "Page security",
                "Use the rota",
                "page sec",
                "at night too",
                When(type=("security",)),
            ),
        ),
        When(severity=("S1",)),
    )


def test_a_condition_left_out_always_holds() -> None:
    assert when_of(None) == When()
    assert when_of({}) == When()
    assert when_of({"severity": ["S1", "S2"], "fields": {"x": True}}) == When(
        severity=("S1", "S2"), fields={"x": True}
    )
