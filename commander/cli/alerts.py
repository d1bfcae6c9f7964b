"""Commands on alerts and health checks: ``alerts`` (ingest, list, poll, declare, link,
source, map) and ``health`` (check, add, remove, list).

``alerts ingest FILE|-`` takes an Alertmanager (v4) or Grafana webhook body, or an API v2
alert list, from a file or stdin: a way to feed the console from an existing pipeline
without opening a port.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from commander.cli.common import (
    EXIT_ERROR,
    CommandFactory,
    add_json,
    checked_first,
    input_name,
    read_input,
    with_workspace,
)
from commander.cli.output import print_json, print_text, render_table, safe
from commander.config import resolve_data_dir
from commander.core import limits
from commander.core.errors import CommanderError, ValidationError
from commander.core.limits import load_json

PAYLOAD_LIMIT = limits.ALERT_PAYLOAD_MAX

if TYPE_CHECKING:
    from commander.services.workspace import Workspace


def register(command: CommandFactory) -> None:
    alerts = command("alerts", _alerts_help, "alerts from Alertmanager and Grafana")
    actions = alerts.add_subparsers(title="alerts actions", metavar="ACTION")
    ingest = command("ingest", _ingest, "read a webhook payload from FILE or - (stdin)", actions)
    ingest.add_argument("file", metavar="FILE|-")
    add_json(ingest)
    listing = command("list", _list, "the alerts known here, firing first", actions)
    listing.add_argument("--firing", action="store_true", help="leave out resolved alerts")
    add_json(listing)
    poll = command("poll", _poll, "poll every Alertmanager source now", actions)
    add_json(poll)
    declare = command("declare", _declare, "declare an incident from an alert", actions)
    declare.add_argument("fingerprint", metavar="FINGERPRINT", help="or a unique prefix")
    declare.add_argument("--severity", help="override the suggested severity (P0-P3)")
    add_json(declare)
    link = command("link", _link, "attach an alert to an existing incident", actions)
    link.add_argument("fingerprint", metavar="FINGERPRINT")
    link.add_argument("incident", metavar="INCIDENT")
    source = command("source", _source_help, "Alertmanager sources to poll", actions)
    s_actions = source.add_subparsers(title="source actions", metavar="ACTION")
    s_add = command("add", _source_add, "add an Alertmanager URL", s_actions)
    s_add.add_argument("url", metavar="URL", help="e.g. http://alertmanager.example:9093")
    s_add.add_argument(
        "--token-stdin", action="store_true", help="read a bearer token from stdin (keyring)"
    )
    s_remove = command("remove", _source_remove, "stop polling a source", s_actions)
    s_remove.add_argument("url", metavar="URL")
    s_list = command("list", _source_list, "the sources and the poll interval", s_actions)
    add_json(s_list)
    mapping = command("map", _map, "show or set the label value → severity mapping", actions)
    mapping.add_argument("value", metavar="VALUE", nargs="?", help="e.g. critical")
    mapping.add_argument("severity", metavar="SEVERITY", nargs="?", help="e.g. P1")
    add_json(mapping)

    health = command("health", _health_help, "health endpoints and certificate expiry")
    h_actions = health.add_subparsers(title="health actions", metavar="ACTION")
    check = command(
        "check",
        _check,
        "check every endpoint and certificate now (exit 1 if one is failing or critical)",
        h_actions,
    )
    add_json(check)
    h_add = command("add", _health_add, "add a health URL or a TLS endpoint", h_actions)
    h_add.add_argument("target", metavar="URL|HOST[:PORT]")
    h_add.add_argument("--tls", action="store_true", help="check the certificate of this URL")
    h_add.add_argument("--name", default="")
    h_remove = command("remove", _health_remove, "remove a check by name or target", h_actions)
    h_remove.add_argument("key", metavar="NAME|TARGET")
    h_list = command("list", _health_list, "the configured checks", h_actions)
    add_json(h_list)


def _alerts_help(args: argparse.Namespace) -> int:
    raise ValidationError(
        "name an action: 'alerts ingest', 'list', 'poll', 'declare', 'link', 'source' or 'map'."
    )


def _source_help(args: argparse.Namespace) -> int:
    raise ValidationError("name an action: 'alerts source add', 'remove' or 'list'.")


def _health_help(args: argparse.Namespace) -> int:
    raise ValidationError("name an action: 'health check', 'add', 'remove' or 'list'.")


def _settings(args: argparse.Namespace) -> Any:
    from commander.integrations.monitoring_settings import load_monitoring_settings

    return load_monitoring_settings(resolve_data_dir(args.data_dir))


def _save(args: argparse.Namespace, settings: Any) -> None:
    from commander.integrations.monitoring_settings import save_monitoring_settings

    save_monitoring_settings(resolve_data_dir(args.data_dir), settings)


def _service(ws: Any, settings: Any) -> Any:
    from commander.services.alerts import AlertService

    return AlertService(ws, settings.mapping)


# -- alerts ---------------------------------------------------------------------------------


@with_workspace
def _ingest(args: argparse.Namespace, ws: Workspace) -> int:
    name = input_name(args.file)
    data = load_json(read_input(args.file, limit=PAYLOAD_LIMIT), what=name)
    settings = _settings(args)
    try:
        report = _service(ws, settings).ingest_payload(data)
    except CommanderError as exc:
        raise ValidationError(f"{name}: {exc}") from None
    if args.json:
        print_json(report.to_json())
    else:
        print_text(_report_text(report))
    return 0


def _report_text(report: Any) -> str:
    parts = [f"{report.received} alert(s) received", f"{len(report.new)} new firing"]
    parts.append(f"{len(report.resolved)} resolved")
    if report.logged:
        parts.append(f"{report.logged} logged on incidents")
    return ", ".join(parts)


@with_workspace
def _list(args: argparse.Namespace, ws: Workspace) -> int:
    settings = _settings(args)
    views = _service(ws, settings).views(include_resolved=not args.firing)
    if args.json:
        print_json([v.to_json() for v in views])
        return 0
    if not views:
        print_text("No alerts. Add a source with 'commander alerts source add URL' or ingest one.")
        return 0
    rows = [
        [
            v.alert.fingerprint,
            v.alert.state_text,
            v.severity.value,
            v.alert.name,
            v.alert.summary,
            v.alert.starts_at.astimezone(ws.zone).strftime("%Y-%m-%d %H:%M"),
            ", ".join(i.ref for i in v.incidents),
        ]
        for v in views
    ]
    headers = ["Fingerprint", "State", "Sev", "Alert", "Summary", "Since", "Incident"]
    print_text(safe(render_table(headers, rows)))
    return 0


def _check_poll(args: argparse.Namespace) -> None:
    if not _settings(args).sources:
        raise ValidationError(
            "No Alertmanager sources; add one with 'commander alerts source add URL'."
        )


@checked_first(_check_poll)
@with_workspace
def _poll(args: argparse.Namespace, ws: Workspace) -> int:
    from commander.integrations.monitoring_settings import SourceTokens

    settings = _settings(args)
    tokens = SourceTokens(data_dir=resolve_data_dir(args.data_dir))
    report = _service(ws, settings).poll(
        settings.sources, token_for=tokens.get, timeout=settings.timeout_seconds
    )
    for error in report.errors:
        print(f"commander: warning: {safe(error)}", file=sys.stderr)
    if args.json:
        print_json(report.to_json())
    else:
        print_text(_report_text(report))
    if len(report.errors) == len(settings.sources):
        raise CommanderError("no Alertmanager source answered.")
    return 0


@with_workspace
def _declare(args: argparse.Namespace, ws: Workspace) -> int:
    settings = _settings(args)
    result = _service(ws, settings).declare_from_alert(args.fingerprint, severity=args.severity)
    if args.json:
        print_json({**result.incident.to_json(), "alert": result.alert.fingerprint})
    else:
        print_text(
            safe(f"{result.incident.ref}  {result.severity}  {result.incident.title}  ")
            + f"(declared from alert {result.alert.fingerprint}; {result.reason})"
        )
    return 0


@with_workspace
def _link(args: argparse.Namespace, ws: Workspace) -> int:
    from commander.services.incidents import IncidentService

    settings = _settings(args)
    incident = IncidentService(ws).resolve(args.incident)
    service = _service(ws, settings)
    alert = service.find(args.fingerprint)
    service.link(alert.fingerprint, incident.id)
    print_text(safe(f"{incident.ref}: alert {alert.name} ({alert.fingerprint}) linked"))
    return 0


def _source_add(args: argparse.Namespace) -> int:
    from commander.cli.secrets_cli import read_secret, ready_to_store
    from commander.integrations.monitoring_settings import SourceTokens, normalize_source

    settings = _settings(args)
    url = normalize_source(args.url)
    note = ""
    if args.token_stdin:
        tokens = SourceTokens(data_dir=resolve_data_dir(args.data_dir))
        ready_to_store(tokens.store)  # refused (nothing stored, no source added) if it cannot
        kept = tokens.set(url, read_secret("Bearer token"))
        note = f" (token kept in {kept.describe()})"
    _save(args, settings.with_source(url))
    print_text(f"Alertmanager source {url} added{note}")
    return 0


def _source_remove(args: argparse.Namespace) -> int:
    from commander.integrations.monitoring_settings import SourceTokens, normalize_source

    settings = _settings(args)
    _save(args, settings.without_source(args.url))
    SourceTokens(data_dir=resolve_data_dir(args.data_dir)).delete(normalize_source(args.url))
    print_text(f"Alertmanager source {normalize_source(args.url)} removed")
    return 0


def _source_list(args: argparse.Namespace) -> int:
    settings = _settings(args)
    if args.json:
        print_json({"sources": list(settings.sources), "poll_seconds": settings.poll_seconds})
    elif settings.sources:
        print_text("\n".join(settings.sources) + f"\n(polled every {settings.poll_seconds} s)")
    else:
        print_text("No Alertmanager sources.")
    return 0


def _map(args: argparse.Namespace) -> int:
    from commander.core.policy import parse_severity

    settings = _settings(args)
    mapping = settings.mapping
    if args.value is not None:
        if args.severity is None:
            raise ValidationError("give a severity too, e.g. 'commander alerts map critical P1'.")
        table = {**mapping.table, args.value.strip().lower(): parse_severity(args.severity)}
        mapping = replace(mapping, table=table)
        _save(args, replace(settings, mapping=mapping))
    if args.json:
        print_json(mapping.to_json())
    else:
        lines = [f"{mapping.label}={k} → {v}" for k, v in sorted(mapping.table.items())]
        lines.append(f"anything else → {mapping.default}")
        print_text("\n".join(lines))
    return 0


# -- health ---------------------------------------------------------------------------------


def _check(args: argparse.Namespace) -> int:
    from commander.core.clock import SystemClock
    from commander.core.health import CheckState
    from commander.services.health import HealthService, summary

    settings = _settings(args)
    if not settings.targets:
        raise ValidationError("No health checks; add one with 'commander health add URL'.")
    results = HealthService(settings, SystemClock()).check_all()
    # a script or cron job acts on the status: failing or critical is 1, warnings are 0
    unhealthy = any(r.state in (CheckState.CRITICAL, CheckState.FAILING) for r in results)
    status = EXIT_ERROR if unhealthy else 0
    if args.json:
        print_json([r.to_json() for r in results])
        return status
    rows = [[r.name, r.state.label.upper(), r.detail] for r in results]
    print_text(safe(render_table(["Check", "State", "Detail"], rows)))
    print_text(summary(results))
    return status


def _health_add(args: argparse.Namespace) -> int:
    target = args.target.strip()
    is_url = target.startswith(("http://", "https://"))
    kind = "tls" if args.tls or not is_url else "http"
    settings = _settings(args).with_target(kind, target, args.name)
    _save(args, settings)
    added = settings.targets[-1]
    what = "certificate of" if kind == "tls" else "health URL"
    print_text(f"Checking {what} {added.target}")
    return 0


def _health_remove(args: argparse.Namespace) -> int:
    _save(args, _settings(args).without_target(args.key))
    print_text(f"Removed {args.key}")
    return 0


def _health_list(args: argparse.Namespace) -> int:
    settings = _settings(args)
    if args.json:
        print_json([t.to_json() for t in settings.targets])
    elif settings.targets:
        rows = [[t.kind, t.name, t.target] for t in settings.targets]
        print_text(render_table(["Kind", "Name", "Target"], rows))
    else:
        print_text("No health checks.")
    return 0
