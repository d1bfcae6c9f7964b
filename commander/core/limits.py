"""Every limit on what Commander accepts, in one place, so the window, the command line and
imports refuse the same input with the same sentence (docs/limits.md lists them for users).

Text limits are in characters, file limits in bytes. The services enforce them (through
``core.text.clean_text`` and the checks below), never the UI alone. Pure: no I/O.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

from commander.core.errors import ValidationError

MIB = 1024 * 1024

# -- free text (characters) -----------------------------------------------------------------
TITLE_MAX = 200  # incident, action item and checklist titles
SHORT_MAX = 200  # names, owners, teams, reasons, "how it was met", one service name
EVENT_MAX = 4000  # a timeline entry's event or action, a handoff note, a role description
IMPACT_MAX = 4000  # the incident's customer impact
REVIEW_TEXT_MAX = 20_000  # one section of the post-incident review
FIELD_VALUE_MAX = 4000  # a value typed into a template field (compose --set)
URL_MAX = 2000  # an action item's tracker link
HANDLE_MAX = 40  # a person's handle
ROLE_NAME_MAX = 60
TEMPLATE_NAME_MAX = 80
TEMPLATE_SUBJECT_MAX = 500
TEMPLATE_BODY_MAX = 20_000
STEP_TEXT_MAX = 200  # a checklist step (and a checklist's title)
STEP_DETAIL_MAX = 500
STEP_COMMAND_MAX = 2000
STEPS_MAX = 100  # steps in one checklist
RUNBOOK_VALUE_MAX = 253  # a runbook placeholder's value (a DNS name's limit)
SERVICES_MAX = 100  # services one incident names

# -- alerts (from a webhook body, a file or a poll) -----------------------------------------
ALERT_PAYLOAD_MAX = 20 * MIB
ALERTS_PER_PAYLOAD_MAX = 10_000
ALERT_LABELS_MAX = 100  # labels (and, separately, annotations) on one alert
ALERT_LABEL_MAX = 1024  # a label's name or value, the fingerprint, silence ids
ALERT_ANNOTATION_MAX = 16_384  # an annotation's value (summary, description, runbook_url...)

# -- files and streams (bytes) --------------------------------------------------------------
IMPORT_FILE_MAX = 64 * MIB  # 'commander import': a JSON incident export
BUNDLE_FILE_MAX = 512 * MIB  # 'commander bundle import': the compressed file
BUNDLE_DATA_MAX = 2048 * MIB  # ... and what it unpacks to (about 4M ops)
CSV_FILE_MAX = 16 * MIB  # 'people import'
PASTE_FILE_MAX = 16 * MIB  # 'impact paste' (time,value rows)
PASTE_ROWS_MAX = 20_000
STDIN_TEXT_MAX = 1 * MIB  # one text read from stdin ('review set ... -')
CHAT_PASTE_MAX = 1 * MIB  # chat text pasted from Slack or Teams (the window or 'paste')
CHAT_MESSAGES_MAX = 1000  # messages logged from one paste
JSON_DEPTH_MAX = 64  # nesting of any JSON Commander reads

# -- attachments (screenshots and files on the timeline; docs/limits.md) --------------------
ATTACHMENT_FILE_MAX = 20 * MIB  # one pasted image or dropped file (the server refuses more)
ATTACHMENTS_INCIDENT_MAX = 200 * MIB  # all distinct files of one incident together
ATTACHMENT_NAME_MAX = 200  # a file's name as shown and exported

STORED_TEXT_MAX = 100_000  # any one string inside an op from an import (no field is longer)

# -- time -----------------------------------------------------------------------------------
# (The future tolerance, 5 minutes, lives with the quick-entry rules in core/quick_entry.py.)
BACKFILL_MAX = timedelta(days=7)  # how long before its declaration an event may be logged
PLAN_WINDOW = timedelta(days=366)  # a review meeting: at most a year before or after now
DUE_WINDOW = timedelta(days=3653)  # an action item's due date: at most ten years back or ahead


def check_backfill(when: datetime, declared_at: datetime, *, what: str) -> None:
    """Refuse a time further before the incident's declaration than back-fill reaches."""
    if declared_at - when > BACKFILL_MAX:
        raise ValidationError(
            f"{what} at {when.astimezone(UTC):%Y-%m-%d %H:%M} UTC is more than "
            f"{BACKFILL_MAX.days} days before the incident was declared "
            f"({declared_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC); back-fill may go back at "
            f"most {BACKFILL_MAX.days} days."
        )


def check_window(
    when: datetime | date, *, now: datetime | date, before: timedelta, after: timedelta, what: str
) -> None:
    """Refuse a planned time (a due date, a meeting) outside ``now - before .. now + after``."""
    if when < now - before or when > now + after:
        raise ValidationError(
            f"{what} {when.isoformat()} is too far from today; it may be at most "
            f"{before.days:,} days back and {after.days:,} days ahead."
        )


def size_text(limit: int) -> str:
    """``64 MiB`` for a byte limit, the way the errors and the docs say it."""
    return f"{limit // MIB} MiB" if limit >= MIB and limit % MIB == 0 else f"{limit:,} bytes"


def check_size(data: bytes, *, limit: int, what: str) -> bytes:
    """Raises ``ValidationError`` when ``data`` (read as ``limit + 1`` bytes) is over the limit."""
    if len(data) > limit:
        raise ValidationError(f"{what} is larger than {size_text(limit)}, the limit.")
    return data


def decode_utf8(data: bytes, *, what: str) -> str:
    """UTF-8 text (a BOM is dropped); anything else is one sentence, never mojibake."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(
            f"{what} is not UTF-8 text (byte {exc.start + 1:,} is not valid UTF-8)."
        ) from None


def load_json(data: bytes | str, *, what: str) -> Any:
    """Parse JSON no deeper than ``JSON_DEPTH_MAX``; every failure is a ``ValidationError``."""
    text = decode_utf8(data, what=what) if isinstance(data, bytes) else data
    try:
        value = json.loads(text)
    except RecursionError:
        raise _too_deep(what) from None
    except ValueError as exc:
        raise ValidationError(f"{what} is not valid JSON ({exc}).") from None
    if json_depth(value) > JSON_DEPTH_MAX:
        raise _too_deep(what)
    return value


def json_depth(value: Any) -> int:
    """How deep lists and objects nest (a scalar is 0), without recursion."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        depth += 1
        deepest = max(deepest, depth)
        if depth > JSON_DEPTH_MAX:
            return depth
        stack.extend((child, depth) for child in children)
    return deepest


def _too_deep(what: str) -> ValidationError:
    return ValidationError(f"{what} nests deeper than {JSON_DEPTH_MAX} levels, the limit.")


_NOT_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def check_stored_value(value: Any, *, what: str) -> None:
    """An op value from outside (an import) holds only text a field could hold: no string
    over ``STORED_TEXT_MAX``, no control character but newline, tab and CR, no lone surrogate.

    The per-field limits are checked where text is typed; an export is written by another
    program, so its hash proves nothing about its content.
    """
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str):
            if len(item) > STORED_TEXT_MAX:
                raise ValidationError(
                    f"{what} holds a text of {len(item):,} characters; no field takes more "
                    f"than {STORED_TEXT_MAX:,}."
                )
            bad = _NOT_TEXT.search(item)
            if bad is not None:
                raise ValidationError(
                    f"{what} holds a character no field takes (U+{ord(bad.group()):04X})."
                )
