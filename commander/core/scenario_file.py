"""Reading and writing scenario files (TOML): all or nothing, every problem with its line.

A scenario with any problem is refused with one sentence per problem naming its line
(``ScenarioError``), so a practice run never starts half-described. The shipped scenarios
(``core/scenarios/*.toml``) are read through the same path; ``scenario.schema.json`` beside
them describes the same shape for editors. ``dump_scenario`` writes a file ``load_scenario``
reads back to an equal scenario (``commander exercise from INC``).
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Mapping, Sequence
from importlib import resources
from typing import Any

from commander.core.errors import ValidationError
from commander.core.impact import Metric
from commander.core.policy import parse_severity
from commander.core.procedure_lines import Path, key_lines, line_of
from commander.core.roles import PROCEDURE_ROLES, find_role
from commander.core.scenario_model import (
    Inject,
    InjectKind,
    Scenario,
    ScenarioIncident,
    format_offset,
    parse_offset,
)

MAX_BYTES = 1_000_000
INJECTS_MAX = 500
TEXT_MAX = 2000
_TOP_KEYS = {"title", "description", "incident", "inject"}
_INCIDENT_KEYS = {
    "title",
    "severity",
    "services",
    "impact",
    "partners_affected",
    "security_related",
}
_FLAGS = ("partners_affected", "security_related")
_KEYS: dict[InjectKind, set[str]] = {
    InjectKind.ALERT_FIRING: {"alert", "labels", "summary"},
    InjectKind.ALERT_RESOLVED: {"alert"},
    InjectKind.IMPACT: {"metric", "value"},
    InjectKind.MESSAGE: {"from", "text"},
    InjectKind.UNREACHABLE: {"role", "note"},
}
_REQUIRED: dict[InjectKind, tuple[str, ...]] = {
    InjectKind.ALERT_FIRING: ("alert",),
    InjectKind.ALERT_RESOLVED: ("alert",),
    InjectKind.IMPACT: ("metric", "value"),
    InjectKind.MESSAGE: ("from", "text"),
    InjectKind.UNREACHABLE: ("role",),
}


class ScenarioError(ValidationError):
    """A scenario refused: ``problems`` are sentences, each naming its line."""

    def __init__(self, source: str, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        count = len(self.problems)
        head = f"{source} is not a valid scenario ({count} problem{'s' if count > 1 else ''}):"
        super().__init__("\n".join([head, *(f"  {p}" for p in self.problems)]))


def builtin_names() -> list[str]:
    """The shipped scenarios, by file name without ``.toml``."""
    folder = resources.files("commander.core.scenarios")
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))


def builtin_text(name: str) -> str:
    if name not in builtin_names():
        raise ValidationError(
            f"No shipped scenario {name!r}: use one of {', '.join(builtin_names())} or a file."
        )
    return resources.files("commander.core.scenarios").joinpath(f"{name}.toml").read_text("utf-8")


def scenario_schema() -> dict[str, Any]:
    text = resources.files("commander.core.scenarios").joinpath("scenario.schema.json")
    schema: dict[str, Any] = json.loads(text.read_text("utf-8"))
    return schema


def load_scenario(text: str, source: str) -> Scenario:
    """The scenario ``text`` describes, or ``ScenarioError`` listing every problem."""
    if len(text.encode("utf-8", "replace")) > MAX_BYTES:
        raise ScenarioError(source, [f"The file is larger than {MAX_BYTES // 1000} kB."])
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(source, [f"It is not valid TOML: {exc}."]) from exc
    reader = _Reader(key_lines(text))
    scenario = reader.scenario(data)
    if reader.problems or scenario is None:
        raise ScenarioError(source, reader.problems)
    return scenario


class _Reader:
    def __init__(self, lines: dict[Path, int]) -> None:
        self.lines = lines
        self.problems: list[str] = []

    def problem(self, path: Path, text: str) -> None:
        line = line_of(self.lines, path)
        self.problems.append(f"line {line}: {text}" if line else text)

    def text(self, data: Mapping[str, Any], path: Path, key: str, *, required: bool) -> str:
        value = data.get(key)
        if value is None:
            if required:
                self.problem(path, f'{_where(path)} needs {key} = "…".')
            return ""
        if not isinstance(value, str) or (required and not value.strip()):
            self.problem((*path, key), f"{key} must be a non-empty text.")
            return ""
        if len(value) > TEXT_MAX:
            self.problem((*path, key), f"{key} is longer than {TEXT_MAX} characters.")
        return value.strip()

    def unknown(self, data: Mapping[str, Any], path: Path, known: set[str]) -> None:
        for key in sorted(set(data) - known):
            self.problem(
                (*path, key),
                f"{_where(path)} has an unknown key {key!r} (known: {', '.join(sorted(known))}).",
            )

    def scenario(self, data: Mapping[str, Any]) -> Scenario | None:
        self.unknown(data, (), _TOP_KEYS)
        title = self.text(data, (), "title", required=True)
        description = self.text(data, (), "description", required=False)
        incident = self.incident(data.get("incident"))
        raw = data.get("inject", [])
        if not isinstance(raw, list) or not all(isinstance(i, dict) for i in raw):
            self.problem(("inject",), "Injects are written as [[inject]] tables.")
            raw = []
        if len(raw) > INJECTS_MAX:
            self.problem(("inject",), f"A scenario holds at most {INJECTS_MAX} injects.")
        read = [(n, i) for n, item in enumerate(raw) if (i := self.inject(item, n)) is not None]
        read.sort(key=lambda pair: pair[1].at)
        self.check_alerts(read)
        ordered = [inject for _n, inject in read]
        if incident is None or self.problems:
            return None
        return Scenario(title, incident, tuple(ordered), description)

    def incident(self, data: object) -> ScenarioIncident | None:
        path: Path = ("incident",)
        if not isinstance(data, dict):
            self.problem((), "The scenario needs an [incident] table (title, severity, services).")
            return None
        self.unknown(data, path, _INCIDENT_KEYS)
        title = self.text(data, path, "title", required=True)
        severity = self.text(data, path, "severity", required=True)
        if severity:
            try:
                severity = parse_severity(severity).value
            except ValidationError as exc:
                self.problem((*path, "severity"), str(exc))
        services = data.get("services", [])
        if not isinstance(services, list) or not all(isinstance(s, str) for s in services):
            self.problem((*path, "services"), 'services must be a list of names: ["api"].')
            services = []
        impact = self.text(data, path, "impact", required=False)
        flags = {}
        for flag in _FLAGS:
            value = data.get(flag, False)
            if not isinstance(value, bool):
                self.problem((*path, flag), f"{flag} must be true or false.")
                value = False
            flags[flag] = value
        return ScenarioIncident(
            title, severity, tuple(s.strip() for s in services), impact, **flags
        )

    def inject(self, data: Mapping[str, Any], index: int) -> Inject | None:
        path: Path = ("inject", index)
        kinds = ", ".join(k.value for k in InjectKind)
        try:
            kind = InjectKind(str(data.get("kind")))
        except ValueError:
            self.problem(path, f"Inject {index + 1} needs kind = one of {kinds}.")
            return None
        self.unknown(data, path, {"at", "kind", *_KEYS[kind]})
        missing = [key for key in _REQUIRED[kind] if key not in data]
        for key in missing:
            self.problem(path, f"Inject {index + 1} ({kind}) needs {key}.")
        try:
            at = parse_offset(data.get("at"))
        except ValidationError as exc:
            self.problem((*path, "at"), f"Inject {index + 1}: {exc}")
            return None
        if missing:
            return None
        fields: dict[str, Any] = {}
        if kind in (InjectKind.ALERT_FIRING, InjectKind.ALERT_RESOLVED):
            fields["alert"] = self.text(data, path, "alert", required=True)
            fields["summary"] = self.text(data, path, "summary", required=False)
            labels = data.get("labels", {})
            if not isinstance(labels, dict) or not all(isinstance(v, str) for v in labels.values()):
                self.problem((*path, "labels"), 'labels must be a table of texts: { a = "b" }.')
                labels = {}
            fields["labels"] = tuple(sorted(labels.items()))
        elif kind is InjectKind.IMPACT:
            fields["metric"] = self.metric(data.get("metric"), (*path, "metric"))
            value = data.get("value")
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                self.problem((*path, "value"), "value must be a number of 0 or more.")
                value = 0
            fields["value"] = float(value)
        elif kind is InjectKind.MESSAGE:
            fields["sender"] = self.text(data, path, "from", required=True)
            fields["text"] = self.text(data, path, "text", required=True)
        else:
            fields["role"] = self.role(data.get("role"), (*path, "role"))
            fields["text"] = self.text(data, path, "note", required=False)
        return Inject(at, kind, **fields)

    def metric(self, value: object, path: Path) -> str:
        known = ", ".join(m.value for m in Metric)
        if isinstance(value, str) and value in {m.value for m in Metric}:
            return value
        self.problem(path, f"metric {value!r} is not an impact metric: use one of {known}.")
        return ""

    def role(self, value: object, path: Path) -> str:
        if not isinstance(value, str):
            self.problem(path, "role must name a role of the procedure.")
            return ""
        try:
            return find_role(value, PROCEDURE_ROLES).key
        except ValidationError as exc:
            self.problem(path, str(exc))
            return ""

    def check_alerts(self, injects: Sequence[tuple[int, Inject]]) -> None:
        firing: set[str] = set()
        for index, inject in injects:
            if inject.kind is InjectKind.ALERT_FIRING:
                firing.add(inject.alert)
            elif inject.kind is InjectKind.ALERT_RESOLVED:
                if inject.alert not in firing:
                    self.problem(
                        ("inject", index, "alert"),
                        f"Alert {inject.alert} resolves at {format_offset(inject.at)} "
                        "but no inject fires it before.",
                    )
                firing.discard(inject.alert)


def _where(path: Path) -> str:
    if not path:
        return "The scenario"
    if path[0] == "inject" and len(path) > 1 and isinstance(path[1], int):
        return f"Inject {path[1] + 1}"
    return f"[{path[0]}]"


def dump_scenario(scenario: Scenario) -> str:
    """TOML for ``scenario`` that ``load_scenario`` reads back to an equal one."""
    out = [f"title = {_q(scenario.title)}"]
    if scenario.description:
        out.append(f"description = {_q(scenario.description)}")
    inc = scenario.incident
    out += ["", "[incident]", f"title = {_q(inc.title)}", f"severity = {_q(inc.severity)}"]
    out.append("services = [" + ", ".join(_q(s) for s in inc.services) + "]")
    if inc.impact:
        out.append(f"impact = {_q(inc.impact)}")
    for flag in _FLAGS:
        if getattr(inc, flag):
            out.append(f"{flag} = true")
    for inject in scenario.injects:
        out += ["", "[[inject]]", f"at = {_q(format_offset(inject.at))}"]
        out.append(f"kind = {_q(inject.kind.value)}")
        if inject.kind in (InjectKind.ALERT_FIRING, InjectKind.ALERT_RESOLVED):
            out.append(f"alert = {_q(inject.alert)}")
            if inject.summary:
                out.append(f"summary = {_q(inject.summary)}")
            if inject.labels:
                pairs = ", ".join(f"{_q(k)} = {_q(v)}" for k, v in inject.labels)
                out.append(f"labels = {{ {pairs} }}")
        elif inject.kind is InjectKind.IMPACT:
            out += [f"metric = {_q(inject.metric)}", f"value = {inject.value:g}"]
        elif inject.kind is InjectKind.MESSAGE:
            out += [f"from = {_q(inject.sender)}", f"text = {_q(inject.text)}"]
        else:
            out.append(f"role = {_q(inject.role)}")
            if inject.text:
                out.append(f"note = {_q(inject.text)}")
    return "\n".join(out) + "\n"


def _q(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(text, ensure_ascii=False)
