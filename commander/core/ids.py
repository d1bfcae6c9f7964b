"""Identifiers that can be made offline, on any laptop, without asking anyone.

Ids are UUIDv7 (time-ordered, so indexes stay append-friendly). The human reference joins the
declaration date with characters from the incident's own random bits, so two laptops that
declare offline on the same day will practically never pick the same reference; the store
still enforces uniqueness and draws again locally if they ever do.
"""

from __future__ import annotations

import uuid
from datetime import datetime

import uuid6

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
REF_CODE_LENGTH = 6


def new_id() -> str:
    return str(uuid6.uuid7())


def incident_ref(incident_id: str, declared_at: datetime, salt: int = 0) -> str:
    """``INC-20261128-K3F7QA``: date plus 30 bits of the id's random tail (salted on retry)."""
    bits = (uuid.UUID(incident_id).int + salt * 0x9E3779B97F4A7C15) & ((1 << 62) - 1)
    code = "".join(_CROCKFORD[(bits >> (5 * i)) & 31] for i in range(REF_CODE_LENGTH))
    return f"INC-{declared_at:%Y%m%d}-{code}"
