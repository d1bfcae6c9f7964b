"""The mark that makes a workspace an exercise, kept in the workspace file itself.

Written once when the practice workspace is made and never removed, so every later open
(the window, the CLI, the sync engine, the delivery engine) knows, whichever folder the file
was copied to. It lives in ``meta``, which never syncs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection

from commander.core.clock import iso, parse_iso
from commander.storage import oplog

META_EXERCISE = "exercise"
META_APPLIED = "exercise_applied"
PRACTICE_ANSWER = "Exercise: recorded in the practice outbox, not sent"


@dataclass(frozen=True)
class ExerciseMark:
    """What the exercise is: its scenario (the file's text), when it started on the base
    clock, and how much faster than that clock it runs."""

    scenario_title: str
    scenario_text: str
    started_at: datetime
    speed: float
    ended_at: datetime | None = None  # on the base clock; the exercise clock stops there

    def to_json(self) -> str:
        return json.dumps(
            {
                "scenario_title": self.scenario_title,
                "scenario_text": self.scenario_text,
                "started_at": iso(self.started_at),
                "speed": self.speed,
                "ended_at": iso(self.ended_at) if self.ended_at else None,
            }
        )


def read_mark(conn: Connection) -> ExerciseMark | None:
    text = oplog.read_meta(conn, META_EXERCISE)
    if not text:
        return None
    data = json.loads(text)
    return ExerciseMark(
        data["scenario_title"],
        data["scenario_text"],
        parse_iso(data["started_at"]),
        float(data["speed"]),
        parse_iso(data["ended_at"]) if data.get("ended_at") else None,
    )


def write_mark(conn: Connection, mark: ExerciseMark) -> None:
    oplog.write_meta(conn, META_EXERCISE, mark.to_json())


def applied_count(conn: Connection) -> int:
    return int(oplog.read_meta(conn, META_APPLIED) or "0")


def set_applied_count(conn: Connection, count: int) -> None:
    oplog.write_meta(conn, META_APPLIED, str(count))
