"""Chat pulled in with its own times: an incident connected to a Slack channel logs the
channel's messages (those carrying a chosen reaction, 📌 ``pushpin`` by default, or every
one) as *communication* entries at the time they were posted, from their sender, with the
permalink as the entry's action text (``Slack: <permalink>``).

Each message is logged once however many laptops read the channel: the entry id derives
from the incident, the channel and the message ``ts``, so two laptops that log it before
they sync write the same entry, and the newest create wins on every replica (the rule
``INSERT_ENTRY`` applies to alerts' entries too). On this laptop a message whose entry
exists is never logged again.

What changes after logging:
  * an edit (Slack marks the message ``edited``) is recorded as an amendment, so the entry
    shows the latest text and the original stays visible; an edit before the first logging
    is simply logged with its latest text;
  * a deleted message Slack still reports (a thread parent left as a ``tombstone``, a
    ``message_deleted`` record) strikes its entry through with the reason "Deleted in
    Slack": the record keeps what was said, marked as withdrawn. A deleted message that was
    never logged is not logged; one that vanished without a trace stays as logged;
  * a reaction removed later does not unlog the message (the record is append-only).

The connection and its cursor are local state of this workspace (``meta`` rows, not ops):
each laptop that wants to read connects, and a restart continues from the cursor. Every
pass re-reads the last ``REREAD`` of the channel, so a reaction or an edit made a while
after the message is still seen; older edits are not looked for.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from commander.core.clock import iso
from commander.core.entry_kinds import Kind
from commander.core.errors import CommanderError, NotFoundError, ValidationError
from commander.core.limits import BACKFILL_MAX
from commander.core.ops import Entity, Field
from commander.core.records import ChangeSet, Incident
from commander.core.text import EVENT_MAX, SHORT_MAX
from commander.integrations.slack_reader import (
    API_URL,
    MAX_WAIT,
    ReadResult,
    SlackMessage,
    SlackReader,
    parse_channel,
    ts_of,
    ts_time,
)
from commander.services.incidents import IncidentService
from commander.services.slack_link import ALL, PullReport, SlackLink
from commander.services.workspace import Workspace
from commander.storage import meta_queries, queries
from commander.storage.oplog import OpDraft, read_meta, write_meta

DEFAULT_REACTION = "pushpin"  # 📌
REREAD = timedelta(hours=24)  # each pass re-reads this much before the newest message seen
BEFORE_DECLARATION = timedelta(hours=24)  # the first pass starts this long before it
DELETED_REASON = "Deleted in Slack"
_META_PREFIX = "slack:"
_META_USERS = "slack-users"
_REACTION = re.compile(r"^[a-z0-9_+\-']{1,100}$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_ENTRY_NAMESPACE = uuid.UUID("5b3c2a71-8f0e-4c36-9a55-3d7e1f0c9b42")


def entry_id(incident_id: str, channel: str, ts: str) -> str:
    """The same id on every laptop for the same message: duplicates collapse on apply."""
    return str(uuid.uuid5(_ENTRY_NAMESPACE, f"{incident_id}:{channel}:{ts}"))


def check_reaction(name: str) -> str:
    """A reaction name as Slack spells it (``pushpin``, not 📌 or ``:pushpin:``), or ALL."""
    name = name.strip().strip(":").lower()
    if name == ALL or _REACTION.match(name):
        return name
    raise ValidationError(
        f"{name!r} is not a Slack reaction name; give it as Slack spells it, e.g. pushpin "
        "or white_check_mark."
    )


class SlackImportService:
    """Connect incidents to channels and run import passes.

    Args:
        token: reads the bot token (a keyring call: workers only in the window).
        sleep, max_wait: how and how long a ``Retry-After`` is waited out (see SlackReader).
    """

    def __init__(
        self,
        workspace: Workspace,
        *,
        token: Callable[[], str | None],
        sleep: Callable[[float], None],
        max_wait: float = MAX_WAIT,
        incidents: IncidentService | None = None,
    ) -> None:
        self._ws = workspace
        self._token = token
        self._sleep = sleep
        self._max_wait = max_wait
        self.incidents = incidents or IncidentService(workspace)

    # -- connecting ------------------------------------------------------------------------

    def connect(
        self,
        incident_key: str,
        channel: str,
        *,
        reaction: str = DEFAULT_REACTION,
        api_url: str = API_URL,
    ) -> SlackLink:
        """Connect (or reconnect with new settings, keeping the cursor) an incident."""
        incident = self.incidents.resolve(incident_key)
        channel = parse_channel(channel)
        reaction = check_reaction(reaction)
        if not re.match(r"^https?://[^\s/]+(/\S*)?$", api_url.strip()):
            raise ValidationError(f"{api_url!r} is not an http(s) address of a Slack Web API.")
        old = self.link(incident.id)
        link = SlackLink(incident.id, channel, reaction, api_url.strip())
        if old is not None and old.channel == channel:
            link = replace(old, reaction=reaction, api_url=api_url.strip(), last_error="")
        with self._ws.write() as conn:
            write_meta(conn, _META_PREFIX + incident.id, json.dumps(link.to_json()))
        return link

    def disconnect(self, incident_key: str) -> SlackLink:
        incident = self.incidents.resolve(incident_key)
        link = self.link(incident.id)
        if link is None:
            raise NotFoundError(f"{incident.ref} is not connected to a Slack channel.")
        with self._ws.write() as conn:
            meta_queries.delete_meta(conn, _META_PREFIX + incident.id)
        return link

    def link(self, incident_id: str) -> SlackLink | None:
        with self._ws.read() as conn:
            raw = read_meta(conn, _META_PREFIX + incident_id)
        return SlackLink.from_json(json.loads(raw)) if raw else None

    def links(self) -> list[SlackLink]:
        """Every connected incident of this workspace."""
        with self._ws.read() as conn:
            values = meta_queries.meta_values_with_prefix(conn, _META_PREFIX)
        return [SlackLink.from_json(json.loads(value)) for value in values]

    # -- importing -------------------------------------------------------------------------

    def pull_all(self) -> list[PullReport]:
        """One pass on every connected incident (the window's periodic import)."""
        reports = []
        for link in self.links():
            try:
                reports.append(self.pull(link.incident_id))
            except CommanderError as exc:  # one incident's trouble does not stop the others
                reports.append(PullReport(link.incident_id, error=str(exc)))
        return reports

    def pull(self, incident_key: str) -> PullReport:
        """One pass: read what is new in the channel and log it. Never raises for Slack or
        the network: the report's ``error`` says what went wrong, and the next pass
        continues from the same cursor."""
        incident = self.incidents.resolve(incident_key)
        link = self.link(incident.id)
        if link is None:
            raise NotFoundError(
                f"{incident.ref} is not connected to a Slack channel; "
                f"run 'commander slack connect {incident.ref} CHANNEL' first."
            )
        now = self._ws.clock.now()
        report = PullReport(incident.id)
        if link.retry_at is not None and now < link.retry_at:
            report.error = (
                f"Slack asked to wait until {link.retry_at.astimezone(self._ws.zone):%H:%M:%S}."
            )
            return report
        token = self._token()
        if not token:
            report.error = "No Slack bot token here; store one with 'commander slack token'."
            self._save(replace(link, last_pass_at=now, last_error=report.error))
            return report
        with SlackReader(
            token,
            api_url=link.api_url,
            sleep=self._sleep,
            max_wait=self._max_wait,
            now=self._ws.clock.now,
            users=self._users(),
        ) as reader:
            result = reader.read(
                link.channel, oldest=ts_of(self._oldest(link, incident)), threads=link.threads
            )
            users = reader.users
        return self._apply(incident, link, result, users, report)

    def _oldest(self, link: SlackLink, incident: Incident) -> datetime:
        start = incident.declared_at - BEFORE_DECLARATION
        if not link.newest_ts:
            return start
        return max(start, ts_time(link.newest_ts) - REREAD)

    def _apply(
        self,
        incident: Incident,
        link: SlackLink,
        result: ReadResult,
        users: dict[str, str],
        report: PullReport,
    ) -> PullReport:
        now = self._ws.clock.now()
        unique: dict[str, SlackMessage] = {}
        for message in result.messages:
            if message.ts not in unique or message.deleted or message.edited:
                unique[message.ts] = message  # a broadcast reply is in history and its thread
        report.read = len(unique)
        error = result.error
        drafts: list[OpDraft] = []
        with self._ws.write() as conn:
            raw = read_meta(conn, _META_PREFIX + incident.id)
            current = SlackLink.from_json(json.loads(raw)) if raw else None
            if current is None or current.channel != link.channel:
                return report  # disconnected (or moved) while Slack was read: log nothing
            link = current  # a reaction changed meanwhile applies now
            ids = {ts: entry_id(incident.id, link.channel, ts) for ts in unique}
            existing = {e.id: e for e in queries.entries(conn, list(ids.values()))}
            for ts, message in sorted(unique.items(), key=lambda item: float(item[0])):
                draft = self._draft(incident, link, message, existing.get(ids[ts]), ids[ts], now)
                if draft is None:
                    continue
                drafts.append(draft)
                if draft.field == Field.CREATE:
                    report.logged += 1
                elif draft.field == Field.AMEND:
                    report.amended += 1
                else:
                    report.struck += 1
            if drafts:
                report.changes = ChangeSet.of(self._ws.append(conn, drafts))
            newest = link.newest_ts
            if result.complete and result.newest_ts:
                newest = max(newest, result.newest_ts, key=lambda ts: float(ts or 0))
            report.error = str(error) if error else ""
            saved = replace(
                link,
                newest_ts=newest,
                threads=result.threads,
                last_pass_at=now,
                last_error=report.error,
                retry_at=error.retry_at if error else None,
                logged=link.logged + report.logged,
            )
            write_meta(conn, _META_PREFIX + incident.id, json.dumps(saved.to_json()))
            write_meta(conn, _META_USERS, json.dumps(users))
        return report

    def _draft(
        self,
        incident: Incident,
        link: SlackLink,
        message: SlackMessage,
        entry: Any,
        the_id: str,
        now: datetime,
    ) -> OpDraft | None:
        if message.deleted:
            if entry is None or entry.struck:
                return None
            return OpDraft(
                incident.id, Entity.ENTRY, the_id, Field.STRIKE, {"reason": DELETED_REASON}
            )
        text = _entry_text(message.text)
        if entry is not None:
            current = entry.amended_event if entry.amended_event is not None else entry.event
            if not message.edited or not text or text == current or entry.struck:
                return None
            action = entry.amended_action if entry.amended_action is not None else entry.action
            return OpDraft(
                incident.id, Entity.ENTRY, the_id, Field.AMEND, {"event": text, "action": action}
            )
        if not text or (link.reaction != ALL and link.reaction not in message.reactions):
            return None
        when = min(message.at, now)
        if incident.declared_at - when > BACKFILL_MAX:
            return None  # older than any back-filled entry may be
        value = {
            "occurred_at": iso(when),
            "event": text,
            "action": f"Slack: {message.permalink}"[:EVENT_MAX],
            "owner": "",
            "kind": Kind.COMMUNICATION,
            "attributed_to": _CONTROL.sub(" ", message.author).strip()[:SHORT_MAX].lstrip("@"),
        }
        return OpDraft(incident.id, Entity.ENTRY, the_id, Field.CREATE, value)

    def _users(self) -> dict[str, str]:
        with self._ws.read() as conn:
            raw = read_meta(conn, _META_USERS)
        return dict(json.loads(raw)) if raw else {}

    def _save(self, link: SlackLink) -> None:
        with self._ws.write() as conn:
            write_meta(conn, _META_PREFIX + link.incident_id, json.dumps(link.to_json()))


def _entry_text(text: str) -> str:
    """A message's text as an entry's event: control characters out, cut to the limit."""
    text = _CONTROL.sub(" ", text).strip()
    if len(text) > EVENT_MAX:
        text = text[: EVENT_MAX - 1].rstrip() + "…"
    return text
