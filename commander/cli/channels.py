"""``commander channel list|set|test|remove``: the Channels dialog, for scripts and SSH.

Public settings go to ``channels.json`` as the dialog writes them; secrets (webhook URLs, API
keys, the SMTP password) are read from stdin, one line each, or a no-echo prompt, never from
argv, and go where this workspace keeps secrets (keyring or the owner-only file). ``list``
says which secrets are present, never what they are.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit

from commander.cli.common import EXIT_ERROR, CommandFactory, add_json, open_workspace
from commander.cli.output import print_json, print_text, render_table, safe
from commander.cli.secrets_cli import read_secret, ready_to_store
from commander.config import resolve_data_dir
from commander.core.channels import COMPONENT_STATUSES, STATUSPAGE_IMPACTS, Channel
from commander.core.errors import ValidationError
from commander.integrations import channel_settings as cs
from commander.storage.database import DB_FILENAME


@dataclass(frozen=True)
class SecretSpec:
    name: str  # the name in keyring
    label: str  # what the prompt and errors call it
    url: bool = False  # must be an http(s) URL
    required: bool = True


SECRETS: dict[Channel, tuple[SecretSpec, ...]] = {
    Channel.SLACK: (SecretSpec(cs.SLACK_URL, "Slack incoming webhook URL", url=True),),
    Channel.TEAMS: (SecretSpec(cs.TEAMS_URL, "Teams Workflows webhook URL", url=True),),
    Channel.WEBHOOK: (
        SecretSpec(cs.WEBHOOK_URL, "Webhook URL", url=True),
        SecretSpec(cs.WEBHOOK_SECRET, "Webhook signing secret (whsec_…)"),
    ),
    Channel.STATUSPAGE: (SecretSpec(cs.STATUSPAGE_KEY, "Status page API key"),),
    Channel.PAGERDUTY: (SecretSpec(cs.PAGERDUTY_KEY, "PagerDuty Events v2 routing key"),),
    Channel.EMAIL: (SecretSpec(cs.SMTP_PASSWORD, "SMTP password", required=False),),
}
CHANNELS = tuple(SECRETS)


def register(command: CommandFactory) -> None:
    channel = command("channel", _help, "configure and test delivery channels")
    actions = channel.add_subparsers(title="channel actions", metavar="ACTION")
    listing = command("list", _list, "what is configured (secrets: present or not)", actions)
    add_json(listing)
    setting = command(
        "set",
        _set,
        "set a channel; its secrets are read from stdin (one line each) or a prompt",
        actions,
    )
    setting.add_argument("channel", metavar="CHANNEL", help=", ".join(c.value for c in CHANNELS))
    setting.add_argument(
        "--keep-secrets",
        action="store_true",
        help="change only the options given; read no secret",
    )
    email = setting.add_argument_group("email")
    email.add_argument("--host", help="SMTP host")
    email.add_argument("--port", type=int, help="SMTP port (587)")
    email.add_argument("--user", help="SMTP user (empty: no login)")
    email.add_argument(
        "--starttls", action=argparse.BooleanOptionalAction, default=None, help="require STARTTLS"
    )
    email.add_argument("--from", dest="email_from", metavar="ADDRESS", help="sender")
    email.add_argument("--to", dest="email_to", metavar="ADDRESSES", help="recipients, a,b")
    page = setting.add_argument_group("status page")
    page.add_argument("--page-id")
    page.add_argument("--components", metavar="IDS", help="component ids, a,b")
    page.add_argument("--impact", choices=STATUSPAGE_IMPACTS)
    page.add_argument("--component-status", choices=COMPONENT_STATUSES)
    page.add_argument("--api-base", metavar="URL", help="the Statuspage API (self-hosted)")
    pager = setting.add_argument_group("PagerDuty")
    pager.add_argument("--events-url", metavar="URL", help="the Events API v2 endpoint")
    add_json(setting)
    test = command("test", _test, "send a test message through a channel now", actions)
    test.add_argument("channel", metavar="CHANNEL")
    add_json(test)
    remove = command("remove", _remove, "forget a channel's secrets and settings", actions)
    remove.add_argument("channel", metavar="CHANNEL")


def _help(args: argparse.Namespace) -> int:
    raise ValidationError("name an action: 'channel list', 'set', 'test' or 'remove'.")


def _channel(text: str) -> Channel:
    from commander.core.channels import parse_channel

    channel = parse_channel(text)
    if channel not in SECRETS:
        raise ValidationError(f"{channel.label} is not sent anywhere, so it has no settings.")
    return channel


def _secrets(args: argparse.Namespace) -> cs.ChannelSecrets:
    return cs.ChannelSecrets(resolve_data_dir(args.data_dir))


def _problems(settings: cs.ChannelSettings, secrets: cs.ChannelSecrets) -> dict[Channel, str]:
    """Why each channel cannot send yet ("" when it can), as the composer and senders say it."""
    from commander.integrations.channel_ready import setup_problem

    return {c: setup_problem(c, settings=settings, secrets=secrets) or "" for c in CHANNELS}


def _public(channel: Channel, settings: cs.ChannelSettings) -> dict[str, Any]:
    if channel is Channel.EMAIL:
        return {
            "host": settings.smtp_host,
            "port": settings.smtp_port,
            "user": settings.smtp_user,
            "starttls": settings.smtp_starttls,
            "from": settings.email_from,
            "to": list(settings.email_to),
        }
    if channel is Channel.STATUSPAGE:
        return {
            "page_id": settings.statuspage_page_id,
            "components": list(settings.statuspage_component_ids),
            "impact": settings.statuspage_impact,
            "component_status": settings.statuspage_component_status,
            "api_base": settings.statuspage_api_base,
        }
    if channel is Channel.PAGERDUTY:
        return {"events_url": settings.pagerduty_events_url}
    return {}


def _list(args: argparse.Namespace) -> int:
    data_dir = resolve_data_dir(args.data_dir)
    settings = cs.load_channel_settings(data_dir)
    secrets = _secrets(args)
    present = secrets.present()
    problems = _problems(settings, secrets)
    keeper = secrets.keeper()
    if args.json:
        print_json(
            {
                "secrets_kept_in": keeper.to_json(),
                "channels": [
                    {
                        "channel": channel.value,
                        "configured": not problems[channel],
                        "problem": problems[channel] or None,
                        "settings": _public(channel, settings),
                        "secrets": {s.name: present[s.name] for s in SECRETS[channel]},
                    }
                    for channel in CHANNELS
                ],
            }
        )
        return 0
    rows = []
    for channel in CHANNELS:
        have = ", ".join(
            f"{s.name.split('.', 1)[1]} {'set' if present[s.name] else 'missing'}"
            for s in SECRETS[channel]
        )
        public = _public(channel, settings)
        shown = ", ".join(f"{k}={_shown(v)}" for k, v in public.items() if v not in ("", []))
        rows.append([channel.value, "no" if problems[channel] else "yes", have, safe(shown)])
    print_text(render_table(["CHANNEL", "READY", "SECRETS", "SETTINGS"], rows))
    print_text(f"Secrets are kept in {keeper.describe()}.")
    return 0


def _shown(value: Any) -> str:
    return ",".join(value) if isinstance(value, list) else str(value)


def _updated(channel: Channel, settings: cs.ChannelSettings, args: argparse.Namespace) -> Any:
    """``settings`` with the options given; options of another channel are refused."""
    options = {
        Channel.EMAIL: {
            "host": "smtp_host",
            "port": "smtp_port",
            "user": "smtp_user",
            "starttls": "smtp_starttls",
            "email_from": "email_from",
            "email_to": "email_to",
        },
        Channel.STATUSPAGE: {
            "page_id": "statuspage_page_id",
            "components": "statuspage_component_ids",
            "impact": "statuspage_impact",
            "component_status": "statuspage_component_status",
            "api_base": "statuspage_api_base",
        },
        Channel.PAGERDUTY: {"events_url": "pagerduty_events_url"},
    }
    changes: dict[str, Any] = {}
    for owner, fields in options.items():
        for option, field in fields.items():
            value = getattr(args, option)
            if value is None:
                continue
            if owner is not channel:
                flag = "--" + option.replace("_", "-").replace("email-", "")
                raise ValidationError(f"{flag} is an option of {owner.label}, not {channel.label}.")
            if field in ("statuspage_component_ids", "email_to"):
                value = cs.split_list(value)
            elif field in ("statuspage_api_base", "pagerduty_events_url"):
                value = _check_url(value, option.replace("_", "-"))
            elif isinstance(value, str):
                value = value.strip()
            changes[field] = value
    return replace(settings, **changes).validated()


def _check_url(value: str, label: str) -> str:
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError(f"{label}: not an http(s) URL; nothing was stored.")
    return value.strip()


def _set(args: argparse.Namespace) -> int:
    channel = _channel(args.channel)
    data_dir = resolve_data_dir(args.data_dir)
    settings = _updated(channel, cs.load_channel_settings(data_dir), args)  # refused: no prompt
    secrets = _secrets(args)
    typed: dict[str, str] = {}
    if not args.keep_secrets:
        keeper = ready_to_store(secrets.store)  # before a secret is typed, not after
        for spec in SECRETS[channel]:
            value = read_secret(spec.label)
            if spec.url and value:
                _check_url(value, spec.label)
            if value:
                typed[spec.name] = value
            elif spec.required and not secrets.has(spec.name):
                raise ValidationError(f"{spec.label}: empty; nothing was stored.")
    else:
        keeper = secrets.keeper()
    for name, value in typed.items():
        secrets.set(name, value)
    cs.save_channel_settings(data_dir, settings)
    problem = _problems(settings, secrets)[channel]
    if args.json:
        print_json(
            {
                "channel": channel.value,
                "configured": not problem,
                "problem": problem or None,
                "secrets_stored": sorted(typed),
                "secrets_kept_in": keeper.to_json(),
            }
        )
        return 0
    stored = f"{len(typed)} secret(s) stored in {keeper.describe()}" if typed else "no secret read"
    print_text(f"{channel.label} saved ({stored}).")
    if problem:
        print_text(f"note: {problem.replace('in Comms → Channels…', 'with commander channel set')}")
    return 0


def _test(args: argparse.Namespace) -> int:
    from commander.core.clock import SystemClock
    from commander.integrations.senders import DeliveryFailed
    from commander.services.delivery import send_test_message

    channel = _channel(args.channel)
    data_dir = resolve_data_dir(args.data_dir)
    settings = cs.load_channel_settings(data_dir)
    exercise = False
    if (data_dir / DB_FILENAME).exists():  # an exercise workspace sends no test either
        with open_workspace(args) as ws:
            exercise = ws.exercise is not None
    try:
        answer = send_test_message(
            channel,
            settings=settings,
            secrets=_secrets(args),
            now=SystemClock().now(),
            exercise=exercise,
        )
    except DeliveryFailed as exc:
        if args.json:
            print_json({"channel": channel.value, "ok": False, "error": exc.reason})
            return EXIT_ERROR
        raise ValidationError(f"{channel.label} test failed: {exc.reason}") from None
    if args.json:
        print_json({"channel": channel.value, "ok": True, "answer": answer})
    else:
        print_text(safe(f"{channel.label} test OK: {answer.rstrip('.')}."))
    return 0


def _remove(args: argparse.Namespace) -> int:
    channel = _channel(args.channel)
    data_dir = resolve_data_dir(args.data_dir)
    settings = cs.load_channel_settings(data_dir)
    defaults = cs.ChannelSettings()
    fields = {
        Channel.EMAIL: ("smtp_host", "smtp_port", "smtp_user", "smtp_starttls", "email_from"),
        Channel.STATUSPAGE: (
            "statuspage_page_id",
            "statuspage_component_ids",
            "statuspage_impact",
            "statuspage_component_status",
            "statuspage_api_base",
        ),
        Channel.PAGERDUTY: ("pagerduty_events_url",),
    }.get(channel, ())
    if channel is Channel.EMAIL:
        fields = (*fields, "email_to")
    reset = replace(settings, **{f: getattr(defaults, f) for f in fields})
    secrets = _secrets(args)
    for spec in SECRETS[channel]:
        secrets.delete(spec.name)
    cs.save_channel_settings(data_dir, reset)
    print_text(f"{channel.label} removed (its secrets and settings are forgotten).")
    return 0
