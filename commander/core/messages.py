"""A rendered message as each channel will carry it, with that channel's documented limits.

The preview and the sender use the same payload, so what the composer shows is what goes out.
Limits (``commander.core.channels``) are checked here, before sending: a ``Problem`` that
``blocks`` stops the send; any other is a warning about truncation the user sees in the preview.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from commander.core.channels import (
    EMAIL_SUBJECT_MAX,
    PAGERDUTY_SUMMARY_MAX,
    SLACK_HEADER_MAX,
    SLACK_MAX_BLOCKS,
    SLACK_SECTION_MAX,
    STATUSPAGE_NAME_MAX,
    STATUSPAGE_STATUS,
    TEAMS_MAX_BYTES,
    Channel,
)
from commander.core.policy import Status
from commander.core.templates import Audience, Rendered


@dataclass(frozen=True)
class Problem:
    text: str
    blocks: bool = False


@dataclass(frozen=True)
class MessageContext:
    """What a payload needs besides the text: the incident and the channel's public settings."""

    incident_id: str
    ref: str
    severity: str  # "P1", the stored level (paging rules read it)
    status: Status
    audience: Audience
    statuspage_impact: str = "major"
    component_status: str = "major_outage"
    component_ids: tuple[str, ...] = ()
    severity_key: str = ""  # "SEV2": what the loaded procedure calls it, for people to read

    @property
    def shown_severity(self) -> str:
        return self.severity_key or self.severity


@dataclass(frozen=True)
class Preview:
    """One message formatted for one channel.

    Attributes:
        payload: the exact JSON the channel receives (email: subject/body; phone: the script).
        counters: "what / used / limit" lines for the preview.
        problems: truncations (warnings) and refusals (``blocks``).
    """

    channel: Channel
    payload: dict[str, Any]
    counters: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = field(default=())

    @property
    def blocked(self) -> bool:
        return any(p.blocks for p in self.problems)

    def payload_json(self) -> str:
        return json.dumps(self.payload, ensure_ascii=False, indent=2)


def format_for(channel: Channel, message: Rendered, context: MessageContext) -> Preview:
    """``message`` as ``channel`` will carry it, with counters and problems."""
    builder = _BUILDERS[channel]
    return builder(message, context)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _counter(what: str, used: int, limit: int) -> str:
    return f"{what}: {used:,} / {limit:,}"


def _paragraphs(body: str) -> list[str]:
    """Body paragraphs (blank-line separated), each kept whole if it can be."""
    parts: list[str] = []
    for block in body.split("\n\n"):
        text = block.strip("\n")
        if text.strip():
            parts.append(text)
    return parts


# Slack's control characters in mrkdwn text: &, < and > (mentions, links); nothing else.
_SLACK_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def _slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack_chunks(text: str, limit: int) -> list[str]:
    """``text`` escaped for Slack, in pieces of at most ``limit`` escaped characters.

    The raw text is split, each character measured as it will be escaped, so a cut never
    falls inside an entity (``&amp;`` → ``&`` + ``amp;`` shows a stray "amp;" in Slack). A
    piece ends after its last line break or space when that is in its second half.
    """
    chunks: list[str] = []
    start = 0
    while start < len(text):
        size, end, gap = 0, start, -1
        while end < len(text):
            width = len(_SLACK_ENTITIES.get(text[end], text[end]))
            if size + width > limit:
                break
            size += width
            if text[end] in " \n":
                gap = end
            end += 1
        if end < len(text) and gap >= start + (end - start) // 2:
            end = gap + 1
        chunks.append(_slack_escape(text[start:end]))
        start = end
    return chunks


def _slack_cut(text: str, limit: int) -> str:
    """Escaped and, when too long, cut with "…" on an entity boundary."""
    pieces = slack_chunks(text, limit)
    if len(pieces) <= 1:
        return pieces[0] if pieces else ""
    return slack_chunks(text, limit - 1)[0] + "…"


def _slack(message: Rendered, context: MessageContext) -> Preview:
    problems: list[Problem] = []
    header_text = message.subject
    if len(header_text) > SLACK_HEADER_MAX:
        problems.append(
            Problem(
                f"Slack header is {len(header_text):,} characters; Slack shows at most "
                f"{SLACK_HEADER_MAX} — it will be cut."
            )
        )
    blocks: list[dict[str, Any]] = [
        {
            "type": "header",
            "text": {"type": "plain_text", "text": _cut(header_text, SLACK_HEADER_MAX)},
        }
    ]
    longest = 0
    for paragraph in _paragraphs(message.body):
        longest = max(longest, len(_slack_escape(paragraph)))
        # A paragraph over the section limit is split into several sections, not cut.
        for chunk in slack_chunks(paragraph, SLACK_SECTION_MAX):
            blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": chunk}})
    blocks.append(
        {
            "type": "context",
            "elements": [
                {
                    "type": "mrkdwn",
                    "text": f"{context.ref} · {context.shown_severity} · "
                    f"{context.audience.label} update · sent from Commander",
                }
            ],
        }
    )
    if longest > SLACK_SECTION_MAX:
        problems.append(
            Problem(
                f"A paragraph is {longest:,} characters; Slack sections hold "
                f"{SLACK_SECTION_MAX:,}, so it is split across sections."
            )
        )
    if len(blocks) > SLACK_MAX_BLOCKS:
        problems.append(
            Problem(
                f"The message needs {len(blocks)} blocks; Slack accepts at most "
                f"{SLACK_MAX_BLOCKS}. Shorten it or join paragraphs.",
                blocks=True,
            )
        )
    # The notification text is mrkdwn too: escaped, or "<!channel>" in a subject pings everyone.
    payload = {
        "text": _slack_cut(f"{message.subject}\n\n{message.body}", 3000),
        "blocks": blocks,
    }
    counters = (
        _counter("Blocks", len(blocks), SLACK_MAX_BLOCKS),
        _counter("Header characters", len(header_text), SLACK_HEADER_MAX),
        _counter("Longest section", longest, SLACK_SECTION_MAX),
    )
    return Preview(Channel.SLACK, payload, counters, tuple(problems))


def teams_card(message: Rendered, context: MessageContext) -> dict[str, Any]:
    """An Adaptive Card in the ``message`` wrapper a Teams Workflows webhook expects."""
    body: list[dict[str, Any]] = [
        {
            "type": "TextBlock",
            "text": message.subject,
            "size": "Large",
            "weight": "Bolder",
            "wrap": True,
        }
    ]
    for paragraph in _paragraphs(message.body):
        body.append({"type": "TextBlock", "text": paragraph, "wrap": True, "spacing": "Medium"})
    body.append(
        {
            "type": "TextBlock",
            "text": f"{context.ref} · {context.shown_severity} · {context.audience.label} update",
            "isSubtle": True,
            "size": "Small",
            "wrap": True,
        }
    )
    return {
        "type": "message",
        "attachments": [
            {
                "contentType": "application/vnd.microsoft.card.adaptive",
                "contentUrl": None,
                "content": {
                    "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                    "type": "AdaptiveCard",
                    "version": "1.4",
                    "body": body,
                },
            }
        ],
    }


def _teams(message: Rendered, context: MessageContext) -> Preview:
    payload = teams_card(message, context)
    size = len(json.dumps(payload, ensure_ascii=False).encode("utf-8"))
    problems: list[Problem] = []
    if size > TEAMS_MAX_BYTES:
        problems.append(
            Problem(
                f"The card is {size / 1024:.1f} KB; Teams accepts at most 28 KB. "
                "Shorten the message.",
                blocks=True,
            )
        )
    counters = (_counter("Card bytes", size, TEAMS_MAX_BYTES),)
    return Preview(Channel.TEAMS, payload, counters, tuple(problems))


def _email(message: Rendered, context: MessageContext) -> Preview:
    del context
    problems: list[Problem] = []
    if len(message.subject) > EMAIL_SUBJECT_MAX:
        problems.append(
            Problem(f"The subject is over {EMAIL_SUBJECT_MAX} characters; it will be cut.")
        )
    payload = {"subject": _cut(message.subject, EMAIL_SUBJECT_MAX), "body": message.body}
    counters = (
        _counter("Subject characters", len(message.subject), EMAIL_SUBJECT_MAX),
        f"Body characters: {len(message.body):,}",
    )
    return Preview(Channel.EMAIL, payload, counters, tuple(problems))


def statuspage_incident(message: Rendered, context: MessageContext) -> dict[str, Any]:
    """The body of ``POST /v1/pages/{page_id}/incidents`` (and of the later PATCHes)."""
    status = STATUSPAGE_STATUS[context.status]
    component_status = "operational" if status == "resolved" else context.component_status
    incident: dict[str, Any] = {
        "name": _cut(message.subject, STATUSPAGE_NAME_MAX),
        "status": status,
        "body": message.body,
        "impact_override": context.statuspage_impact,
        "deliver_notifications": True,
    }
    if context.component_ids:
        incident["component_ids"] = list(context.component_ids)
        incident["components"] = {cid: component_status for cid in context.component_ids}
    return {"incident": incident}


def _statuspage(message: Rendered, context: MessageContext) -> Preview:
    problems: list[Problem] = []
    if len(message.subject) > STATUSPAGE_NAME_MAX:
        problems.append(Problem(f"The title is over {STATUSPAGE_NAME_MAX} characters; cut."))
    if context.audience is not Audience.CUSTOMER:
        problems.append(
            Problem(
                f"The status page is public: this is a {context.audience.value} message. "
                "Use a customer template for it."
            )
        )
    payload = statuspage_incident(message, context)
    counters = (
        f"Status: {payload['incident']['status']}",
        f"Impact: {context.statuspage_impact}",
        f"Components: {len(context.component_ids)}",
    )
    return Preview(Channel.STATUSPAGE, payload, counters, tuple(problems))


def _webhook(message: Rendered, context: MessageContext) -> Preview:
    payload = {
        "type": "incident.message",
        "data": {
            "incident_id": context.incident_id,
            "ref": context.ref,
            "severity": context.severity,
            "status": context.status.value,
            "audience": context.audience.value,
            "subject": message.subject,
            "body": message.body,
        },
    }
    size = len(json.dumps(payload, ensure_ascii=False).encode("utf-8"))
    return Preview(Channel.WEBHOOK, payload, (f"Payload bytes: {size:,}",), ())


def _pagerduty(message: Rendered, context: MessageContext) -> Preview:
    problems: list[Problem] = []
    summary = " ".join(f"{message.subject} — {message.body}".split())
    if len(summary) > PAGERDUTY_SUMMARY_MAX:
        problems.append(
            Problem(
                f"The summary is {len(summary):,} characters; PagerDuty keeps "
                f"{PAGERDUTY_SUMMARY_MAX:,} — it will be cut."
            )
        )
    resolve = context.status in (Status.RESOLVED, Status.CLOSED)
    if not resolve and context.severity != "P0":
        why = f"Paging is for the most severe incidents, not {context.shown_severity}."
        problems.append(Problem(why, blocks=True))
    payload: dict[str, Any] = {
        "event_action": "resolve" if resolve else "trigger",
        "dedup_key": context.incident_id,
    }
    if not resolve:
        payload["payload"] = {
            "summary": _cut(summary, PAGERDUTY_SUMMARY_MAX),
            "source": "commander",
            "severity": "critical",
            "custom_details": {"ref": context.ref, "body": message.body},
        }
    counters = (_counter("Summary characters", len(summary), PAGERDUTY_SUMMARY_MAX),)
    return Preview(Channel.PAGERDUTY, payload, counters, tuple(problems))


def _phone(message: Rendered, context: MessageContext) -> Preview:
    script = (
        f"This is a {context.shown_severity} incident call about {context.ref}.\n\n"
        f"{message.subject}\n\n{message.body}\n\n"
        "Please confirm you have understood, and say who will join the incident channel."
    )
    words = len(script.split())
    problems = (Problem("A phone script is read aloud: copy it; it is not sent.", blocks=True),)
    return Preview(
        Channel.PHONE,
        {"script": script},
        (f"Words: {words:,} (about {max(1, round(words / 150))} min to read)",),
        problems,
    )


_BUILDERS = {
    Channel.SLACK: _slack,
    Channel.TEAMS: _teams,
    Channel.EMAIL: _email,
    Channel.STATUSPAGE: _statuspage,
    Channel.WEBHOOK: _webhook,
    Channel.PAGERDUTY: _pagerduty,
    Channel.PHONE: _phone,
}


def as_plain_text(message: Rendered) -> str:
    return f"{message.subject}\n\n{message.body}\n"


def as_markdown(message: Rendered) -> str:
    """Subject as a heading; ``Label: value`` lines get a bold label; line breaks kept."""
    lines = [f"**{message.subject}**", ""]
    for line in message.body.splitlines():
        label, sep, rest = line.partition(": ")
        if sep and label and len(label) <= 30 and not label.startswith(" "):
            lines.append(f"**{label}:** {rest}  ")
        else:
            lines.append(f"{line}  " if line else "")
    return "\n".join(lines).rstrip() + "\n"
