"""Templates: the procedure's messages, filled in a sandbox that names every problem."""

from __future__ import annotations

import pytest

from commander.core.errors import ValidationError
from commander.core.templates import (
    BUILTIN_TEMPLATES,
    Audience,
    MessageTemplate,
    check_template,
    render,
    sample_fields,
)


def _template(body: str, subject: str = "S") -> MessageTemplate:
    return MessageTemplate("t", "T", Audience.INTERNAL, subject, body)


def _builtin(key: str) -> MessageTemplate:
    return next(t for t in BUILTIN_TEMPLATES if t.key == key)


def test_initial_notification_is_the_procedures_text() -> None:
    rendered = render(_builtin("initial"), sample_fields())
    assert rendered.body == (
        "INCIDENT ALERT - P1\n\n"
        "Service: api-gateway\n"
        "Started: 2026-11-28 10:00 UTC\n"
        "Impact: Requests fail for about 20% of customers\n"
        "Status: Investigating\n\n"
        "We are currently investigating an issue affecting the customer API.\n"
        "We will provide updates every 30 minutes until resolved.\n\n"
        "Next Update: 10:30 UTC\n"
        "Incident Commander: Alice"
    )
    assert rendered.empty == ()


def test_resolution_notification_names_root_cause_and_review() -> None:
    body = render(_builtin("resolved"), sample_fields()).body
    assert body.startswith("INCIDENT RESOLVED - P1\n\nService: api-gateway\nDuration: 1 h 25 min")
    assert "Status: Resolved" in body
    assert "has been resolved as of 2026-11-28 11:25 UTC." in body
    assert body.endswith(
        "Root Cause: An expired TLS certificate on the gateway\nPost-Incident Review: 2026-12-02"
        "\nIncident Report: https://wiki.example.com/incidents/INC-20261128-K3F7QA"
    )


def test_every_builtin_renders_and_covers_its_audience() -> None:
    audiences = {t.audience for t in BUILTIN_TEMPLATES}
    assert {Audience.INTERNAL, Audience.CUSTOMER, Audience.PARTNER} <= audiences
    for template in BUILTIN_TEMPLATES:
        check_template(template.subject, template.body)
    update = render(_builtin("update"), sample_fields()).body
    for label in ("Status:", "Impact:", "ETA:", "Next Steps:"):
        assert label in update


def test_empty_fields_are_listed_and_shown_as_placeholders() -> None:
    fields = {**sample_fields(), "root_cause": "", "review_date": ""}
    rendered = render(_builtin("resolved"), fields)
    assert rendered.empty == ("root_cause", "review_date")
    assert "Root Cause: <root cause>" in rendered.body


def test_an_unknown_field_is_a_clear_message() -> None:
    with pytest.raises(ValidationError, match=r"uses \{\{ eta2 \}\}, which is not a field"):
        render(_template("ETA: {{ eta2 }}"), sample_fields())
    with pytest.raises(ValidationError, match="Body: uses"):
        check_template("S", "{{ nope }}")


@pytest.mark.parametrize(
    "body",
    [
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ severity.__class__.__init__.__globals__ }}",
        "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    ],
)
def test_reaching_python_internals_is_refused(body: str) -> None:
    with pytest.raises(ValidationError) as err:
        render(_template(body), sample_fields())
    assert "Traceback" not in str(err.value)
    assert (
        "inside Python" in str(err.value)
        or "does not exist" in str(err.value)
        or ("not a field" in str(err.value))
    )


def test_syntax_errors_name_the_line() -> None:
    with pytest.raises(ValidationError, match="line 2"):
        render(_template("ok\n{{ severity "), sample_fields())


def test_empty_subject_or_body_is_refused() -> None:
    with pytest.raises(ValidationError, match="Subject"):
        check_template(" ", "body")
    with pytest.raises(ValidationError, match="Body"):
        check_template("s", "")


def test_a_field_that_does_not_apply_reads_plainly_and_is_not_empty() -> None:
    from commander.core.templates import NotApplicable

    fields = {**sample_fields(), "next_update": NotApplicable("none, the incident is resolved")}
    for key in ("initial", "update", "partner"):
        rendered = render(_builtin(key), fields)
        assert "Next Update: none, the incident is resolved" in rendered.body, key
        assert "next_update" not in rendered.empty and "<" not in rendered.body
    initial = render(_builtin("initial"), fields).body
    assert "We will provide updates every 30 minutes" not in initial
    customer = render(_builtin("status-page"), fields).body
    assert "this is our last update on it" in customer and "another update by" not in customer
    plain = render(_template("Next: {{ next_update }}"), fields)  # a user's own template
    assert plain.body == "Next: none, the incident is resolved" and plain.empty == ()


def test_capitalize_keeps_the_rest_of_the_words() -> None:
    fields = {**sample_fields(), "service_description": "the customer API"}
    assert render(_builtin("status-page"), fields).subject == "The customer API: Investigating"


def test_used_fields_and_labels() -> None:
    from commander.core.templates import FIELD_HELP, FIELD_LABELS, used_fields

    assert set(FIELD_LABELS) == set(FIELD_HELP)
    assert FIELD_LABELS["eta"] == "ETA"
    initial = used_fields(_builtin("initial"))
    assert initial == [  # as the message names them: the subject first
        "severity",
        "service",
        "started",
        "impact",
        "status",
        "service_description",
        "next_update",
        "incident_commander",
    ]
    assert "technical_details" not in initial and "eta" not in initial


def test_a_procedure_field_placeholder_fills_and_an_unset_one_is_named_empty() -> None:
    check_template("S", "Tier {{ field_customer_tier }} ({{ field_type }})")
    template = _template("Tier {{ field_customer_tier }}; ref {{ field_regulator_reference }}")
    rendered = render(template, {**sample_fields(), "field_customer_tier": "enterprise"})
    assert rendered.body == "Tier enterprise; ref <field regulator reference>"
    assert rendered.empty == ("field_regulator_reference",)
