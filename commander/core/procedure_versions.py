"""Which procedure versions an incident ran under, from the procedure register's history.

The procedure is one synced register; the op log keeps each value it held with its time. An
incident runs under the value held when it was declared, then each later value from the moment
it was loaded until the incident stopped being active (resolved or closed): a change applies
from then on and never rewrites what was recorded. Pure, so the report and the command line
say the same thing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from commander.core.records_json import JsonRecord

SEED_VERSION_NAME = "built-in procedure"


@dataclass(frozen=True)
class ProcedureVersion(JsonRecord):
    """One procedure version in effect; ``since`` is None for the one the incident started under."""

    name: str
    version: str
    builtin: bool
    since: datetime | None = None

    @property
    def label(self) -> str:
        if self.builtin:
            return f"{SEED_VERSION_NAME} {self.version}"
        return f"{self.name} {self.version}"


def _version_of(content: Any, seed: ProcedureVersion) -> ProcedureVersion:
    """The version a stored register value names (the seed's when it names none)."""
    if not isinstance(content, dict):
        return seed
    name, version = content.get("name"), content.get("version")
    if not isinstance(name, str) or not isinstance(version, str):
        return seed
    return ProcedureVersion(name, version, builtin=False)


def versions_in_effect(
    history: Sequence[tuple[datetime, Any]],
    declared_at: datetime,
    seed: ProcedureVersion,
    until: datetime | None = None,
) -> list[ProcedureVersion]:
    """The version at declaration, then each change (with its time) before ``until``.

    ``history`` is every value of the register in order, with the time it was written; before
    the first one the workspace ran ``seed``. A value equal to the one already in effect (the
    same file loaded again elsewhere) is not a change.
    """
    current = seed
    out: list[ProcedureVersion] = []
    for at, content in history:
        version = _version_of(content, seed)
        if at <= declared_at:
            current = version
            continue
        if until is not None and at > until:
            break
        if not out:
            out.append(current)
        previous = out[-1]
        if (version.name, version.version, version.builtin) == (
            previous.name,
            previous.version,
            previous.builtin,
        ):
            continue
        out.append(ProcedureVersion(version.name, version.version, version.builtin, since=at))
    return out or [current]


def versions_text(versions: Sequence[ProcedureVersion], zone: tzinfo) -> str:
    """One line: the version at declaration, then each change mid-incident with its time."""
    parts = [versions[0].label] if versions else []
    parts += [
        f"then {v.label} from {v.since.astimezone(zone):%Y-%m-%d %H:%M %Z}"
        for v in versions[1:]
        if v.since is not None
    ]
    return "; ".join(parts)
