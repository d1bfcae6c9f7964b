"""HTML that shows a payload the way its channel will (approximately): a Slack message, a
Teams card, an email, a status page update, a page, a phone script."""

from __future__ import annotations

from html import escape
from typing import Any

from commander.core.channels import Channel
from commander.core.messages import Preview

_BOX = "border:1px solid #c8d0d0; padding:8px; margin:4px 0;"


def _para(text: str, style: str = "") -> str:
    return f'<p style="white-space:pre-wrap; {style}">{escape(text)}</p>'


def preview_html(preview: Preview) -> str:
    payload = preview.payload
    channel = preview.channel
    if channel is Channel.SLACK:
        parts = [f"<p><b>Slack</b> · {len(payload['blocks'])} blocks</p>"]
        for block in payload["blocks"]:
            kind = block["type"]
            if kind == "header":
                parts.append(f'<h3 style="margin:2px 0">{escape(block["text"]["text"])}</h3>')
            elif kind == "section":
                text = block["text"]["text"].replace("&lt;", "<").replace("&gt;", ">")
                parts.append(_para(text.replace("&amp;", "&")))
            elif kind == "context":
                parts.append(_para(block["elements"][0]["text"], "color:#555; font-size:small"))
        return f'<div style="{_BOX} border-left:4px solid #3a5b5b">{"".join(parts)}</div>'
    if channel is Channel.TEAMS:
        card = payload["attachments"][0]["content"]
        parts = ["<p><b>Microsoft Teams</b> · Adaptive Card</p>"]
        for block in card["body"]:
            if block.get("weight") == "Bolder":
                parts.append(f'<h3 style="margin:2px 0">{escape(block["text"])}</h3>')
            elif block.get("isSubtle"):
                parts.append(_para(block["text"], "color:#555; font-size:small"))
            else:
                parts.append(_para(block["text"]))
        return f'<div style="{_BOX}">{"".join(parts)}</div>'
    if channel is Channel.EMAIL:
        return (
            f'<div style="{_BOX}"><p><b>Subject:</b> {escape(payload["subject"])}</p><hr/>'
            f'<pre style="white-space:pre-wrap">{escape(payload["body"])}</pre></div>'
        )
    if channel is Channel.STATUSPAGE:
        incident: dict[str, Any] = payload["incident"]
        components = ", ".join(
            f"{cid}: {status.replace('_', ' ')}"
            for cid, status in incident.get("components", {}).items()
        )
        return (
            f'<div style="{_BOX}"><p><b>Status page</b> · status '
            f"<b>{escape(incident['status'].capitalize())}</b> · impact "
            f"{escape(incident['impact_override'])}</p>"
            f'<h3 style="margin:2px 0">{escape(incident["name"])}</h3>'
            f"{_para(incident['body'])}"
            + (f"<p style='color:#555'>Components: {escape(components)}</p>" if components else "")
            + "</div>"
        )
    if channel is Channel.PHONE:
        return (
            f'<div style="{_BOX}"><p><b>Phone script</b> (read aloud)</p>'
            f"{_para(payload['script'], 'font-size:large')}</div>"
        )
    if channel is Channel.PAGERDUTY:
        action = payload["event_action"]
        summary = payload.get("payload", {}).get("summary", "")
        return (
            f'<div style="{_BOX}"><p><b>PagerDuty</b> · event <b>{escape(action)}</b> · '
            f"dedup key {escape(payload['dedup_key'])}</p>{_para(summary)}</div>"
        )
    data = payload["data"]
    return (
        f'<div style="{_BOX}"><p><b>Webhook</b> · {escape(payload["type"])} · signed '
        "(Standard Webhooks)</p>"
        f"<h3 style='margin:2px 0'>{escape(data['subject'])}</h3>{_para(data['body'])}</div>"
    )
