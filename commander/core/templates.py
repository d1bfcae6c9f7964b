"""Communication templates: the procedure's messages, rendered from the record in a sandbox.

A template is data (users edit them and add their own, and they sync), so rendering must treat
it as untrusted: Jinja2's ``SandboxedEnvironment`` keeps a template away from Python internals
and ``StrictUndefined`` turns a misspelt field into a clear sentence instead of an empty hole.
Rendering does no I/O, so it lives in the pure core.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from typing import TYPE_CHECKING

from commander.core import limits
from commander.core.errors import ValidationError
from commander.core.procedure_file import seed_procedure
from commander.core.procedure_model import Procedure
from commander.core.records_json import JsonRecord

if TYPE_CHECKING:
    from jinja2 import TemplateSyntaxError
    from jinja2.sandbox import SandboxedEnvironment

NAME_MAX = limits.TEMPLATE_NAME_MAX
SUBJECT_MAX = limits.TEMPLATE_SUBJECT_MAX
BODY_MAX = limits.TEMPLATE_BODY_MAX


class Audience(StrEnum):
    INTERNAL = "internal"
    EXECUTIVE = "executive"
    CUSTOMER = "customer"
    PARTNER = "partner"

    @property
    def label(self) -> str:
        return self.value.capitalize()


def parse_audience(text: str) -> Audience:
    try:
        return Audience(text.strip().lower())
    except ValueError:
        names = ", ".join(a.value for a in Audience)
        raise ValidationError(f"Unknown audience {text!r}: use one of {names}.") from None


# Every field a template can use, with what it holds. Record fields fill themselves; the
# rest are typed by the composer (the record does not know an ETA or a root cause yet).
FIELD_HELP: dict[str, str] = {
    "ref": "Incident reference (INC-…)",
    "title": "Incident title",
    "severity": "Severity number, e.g. 1 (write P{{ severity }})",
    "severity_name": "Severity name, e.g. High",
    "severity_key": "Severity as the procedure names it, e.g. P1 or SEV2",
    "service": "Affected service(s), comma-separated",
    "service_description": "Affected service, in words customers understand",
    "started": "When the incident started (declared)",
    "duration": "Total duration so far, or to resolution",
    "impact": "Customer and business impact",
    "status": "Current status, e.g. Investigating",
    "next_update": "Time of the next update",
    "incident_commander": "Name of the incident commander",
    "resolved_at": "When it was resolved (or now)",
    "root_cause": "Brief explanation of the root cause",
    "review_date": "Planned post-incident review date",
    "eta": "Estimated time to resolution",
    "next_steps": "Planned resolution activities",
    "progress": "What has been done since the last update",
    "timeline": "Expected resolution timeline (partners)",
    "technical_details": "Technical details for partners",
    "report": "Link to the incident report (the last export, or paste a link)",
}

# What the composer calls each field (a label, not the identifier).
FIELD_LABELS: dict[str, str] = {
    "ref": "Reference",
    "title": "Title",
    "severity": "Severity",
    "severity_name": "Severity name",
    "severity_key": "Severity key",
    "service": "Service",
    "service_description": "Service (in customers' words)",
    "started": "Started",
    "duration": "Duration",
    "impact": "Impact",
    "status": "Status",
    "next_update": "Next update",
    "incident_commander": "Incident commander",
    "resolved_at": "Resolved at",
    "root_cause": "Root cause",
    "review_date": "Review date",
    "eta": "ETA",
    "next_steps": "Next steps",
    "progress": "Progress",
    "timeline": "Expected timeline",
    "technical_details": "Technical details",
    "report": "Report link",
}


class NotApplicable(str):
    """A field the record knows does not apply now (no next update once resolved).

    It renders as a plain phrase (``{{ next_update }}`` → "none, the incident is resolved"),
    is false in ``{% if next_update %}``, and is not "still empty": nobody needs to type it.
    """

    __slots__ = ()

    def __bool__(self) -> bool:
        return False


# Fields the composer asks for; the others come from the record.
TYPED_FIELDS = (
    "service_description",
    "impact",
    "progress",
    "eta",
    "next_steps",
    "technical_details",
    "timeline",
    "root_cause",
    "review_date",
    "report",
)


@dataclass(frozen=True)
class MessageTemplate(JsonRecord):
    """A named template: subject and body in Jinja syntax, for an audience.

    ``builtin`` templates ship with Commander; a user template with the same ``key``
    replaces the shipped one in this workspace.
    """

    key: str
    name: str
    audience: Audience
    subject: str
    body: str
    builtin: bool = False


@dataclass(frozen=True)
class Rendered(JsonRecord):
    """A filled template: what every channel formats, and which fields were still empty."""

    subject: str
    body: str
    empty: tuple[str, ...] = field(default=())


def templates_of(procedure: Procedure) -> tuple[MessageTemplate, ...]:
    """A procedure file's message templates, as shipped (``builtin``) templates."""
    return tuple(
        MessageTemplate(t.key, t.name, Audience(t.audience), t.subject, t.body, builtin=True)
        for t in procedure.templates
    )


BUILTIN_TEMPLATES: tuple[MessageTemplate, ...] = templates_of(seed_procedure())
"""The procedure's templates, from the built-in procedure file (``core/procedures/seed.toml``)."""


def _capitalize(value: object) -> str:
    """Upper-case the first letter and leave the rest: "the customer API" must not become
    "The customer api", as Jinja's own ``capitalize`` would have it."""
    text = str(value)
    return text[:1].upper() + text[1:]


@cache
def _environment() -> SandboxedEnvironment:
    """Built on first use: importing jinja2 costs ~25 ms that start-up need not pay."""
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    # autoescape off: messages are plain text; each channel escapes for its own format.
    env = SandboxedEnvironment(
        undefined=StrictUndefined,
        autoescape=False,
        keep_trailing_newline=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["capitalize"] = _capitalize
    return env


# The loaded procedure's type and custom fields: {{ field_type }}, {{ field_customer_tier }}.
# Any name with this prefix is accepted (the templates outlive any one procedure); one the
# record does not fill shows as a named placeholder like any empty field.
PROCEDURE_PREFIX = "field_"


def is_procedure_field(name: str) -> bool:
    """Whether ``name`` is a placeholder for the procedure's type or one of its fields."""
    return name.startswith(PROCEDURE_PREFIX) and len(name) > len(PROCEDURE_PREFIX)


def field_label(name: str) -> str:
    """What the composer calls a field: its label, or the procedure field's key in words."""
    if name in FIELD_LABELS:
        return FIELD_LABELS[name]
    return name.removeprefix(PROCEDURE_PREFIX).replace("_", " ").capitalize()


def referenced_fields(source: str) -> set[str]:
    """Names a template text uses (raises ``ValidationError`` on a syntax error)."""
    from jinja2 import TemplateSyntaxError, meta

    try:
        return set(meta.find_undeclared_variables(_environment().parse(source)))
    except TemplateSyntaxError as exc:
        raise ValidationError(_syntax_message(exc)) from None


def check_template(subject: str, body: str) -> None:
    """Refuse a template that cannot render: bad syntax or an unknown field."""
    if not subject.strip():
        raise ValidationError("Subject: write a subject line.")
    if not body.strip():
        raise ValidationError("Body: write the message.")
    if len(subject) > SUBJECT_MAX or len(body) > BODY_MAX:
        raise ValidationError(
            f"A template is at most {SUBJECT_MAX} characters of subject and {BODY_MAX} of body."
        )
    for source, where in ((subject, "Subject"), (body, "Body")):
        used = referenced_fields(source)
        unknown = sorted(n for n in used - set(FIELD_HELP) if not is_procedure_field(n))
        if unknown:
            raise ValidationError(f"{where}: {_unknown_message(unknown[0])}")
    render(MessageTemplate("check", "check", Audience.INTERNAL, subject, body), sample_fields())


def used_fields(template: MessageTemplate) -> list[str]:
    """The fields ``template`` uses, in the order the message first names them (the composer
    shows only these, in the order a reader meets them), the procedure's among them."""
    used = referenced_fields(template.subject) | referenced_fields(template.body)
    text = f"{template.subject}\n{template.body}"

    def first(name: str) -> int:
        found = re.search(rf"\b{name}\b", text)
        return found.start() if found else len(text)

    known = [name for name in used if name in FIELD_HELP or is_procedure_field(name)]
    return sorted(known, key=first)


def render(template: MessageTemplate, fields: Mapping[str, str]) -> Rendered:
    """Fill ``template`` from ``fields``; an empty field shows as ``<what it is>`` and is
    named in ``Rendered.empty``, so no placeholder goes out unannounced. A ``NotApplicable``
    value is not empty: it renders as its phrase and is false in ``{% if %}``.

    Raises:
        ValidationError: the template has a syntax error, names a field that does not
            exist, or reaches for something a sandboxed template may not touch. The
            message says which, in words.
    """
    used = referenced_fields(template.subject) | referenced_fields(template.body)
    values: dict[str, str] = {}
    empty: list[str] = []
    procedure = sorted(n for n in used if is_procedure_field(n))
    for name in [*FIELD_HELP, *procedure]:
        value = fields.get(name, "")
        if isinstance(value, NotApplicable):
            values[name] = value
        elif str(value):
            values[name] = str(value)
        elif name in used:
            empty.append(name)
            values[name] = f"<{name.replace('_', ' ')}>"
        elif name in fields:
            values[name] = ""
    subject = " ".join(_render_text(template.subject, values, "subject").split())
    body = _render_text(template.body, values, "body").strip("\n")
    return Rendered(subject=subject, body=body, empty=tuple(empty))


def _render_text(source: str, values: Mapping[str, str], where: str) -> str:
    from jinja2 import TemplateSyntaxError, UndefinedError
    from jinja2.exceptions import SecurityError, TemplateError

    try:
        return _environment().from_string(source).render(values)
    except TemplateSyntaxError as exc:
        raise ValidationError(_syntax_message(exc)) from None
    except UndefinedError as exc:
        name = _undefined_name(str(exc))
        if name is not None:
            raise ValidationError(f"The {where} {_unknown_message(name)}") from None
        raise ValidationError(f"The {where} uses something that does not exist: {exc}.") from None
    except SecurityError:
        raise ValidationError(
            f"The {where} tries to reach inside Python, which templates may not do; "
            "use only the fields listed (for example {{ severity }})."
        ) from None
    except TemplateError as exc:
        raise ValidationError(f"The {where} cannot be filled: {exc}.") from None
    except (TypeError, ValueError, ArithmeticError) as exc:
        raise ValidationError(f"The {where} cannot be filled: {exc}.") from None


def _undefined_name(text: str) -> str | None:
    # Jinja says "'eta2' is undefined"; attribute misses read differently and keep their text.
    if text.endswith(" is undefined") and text.startswith("'"):
        return text[1 : text.index("'", 1)]
    return None


def _unknown_message(name: str) -> str:
    return (
        f"uses {{{{ {name} }}}}, which is not a field. Fields: {', '.join(sorted(FIELD_HELP))}, "
        f"and {PROCEDURE_PREFIX}<key> for the procedure's type and fields."
    )


def _syntax_message(exc: TemplateSyntaxError) -> str:
    return f"Template syntax error on line {exc.lineno}: {exc.message}."


def sample_fields() -> dict[str, str]:
    """Plausible values for every field: to check a template and show an example."""
    return {
        "ref": "INC-20261128-K3F7QA",
        "title": "Customer API down",
        "severity": "1",
        "severity_name": "High",
        "severity_key": "P1",
        "service": "api-gateway",
        "service_description": "the customer API",
        "started": "2026-11-28 10:00 UTC",
        "duration": "1 h 25 min",
        "impact": "Requests fail for about 20% of customers",
        "status": "Investigating",
        "next_update": "10:30 UTC",
        "incident_commander": "Alice",
        "resolved_at": "2026-11-28 11:25 UTC",
        "root_cause": "An expired TLS certificate on the gateway",
        "review_date": "2026-12-02",
        "report": "https://wiki.example.com/incidents/INC-20261128-K3F7QA",
        "eta": "11:30 UTC",
        "next_steps": "Roll out the renewed certificate",
        "progress": "Certificate renewed in staging",
        "timeline": "Fix expected within 1 hour",
        "technical_details": "TLS handshakes to api.example.com fail with certificate expired",
    }
