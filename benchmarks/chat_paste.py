"""Chat pasted from Slack or Teams: reading it, and logging it in one transaction, each
figure beside a like-for-like baseline measured in the same run.

Run: ``.venv/bin/python benchmarks/chat_paste.py [--messages N]``. It prints

- read: ``parse_chat`` over a Slack desktop paste of N messages (in the layout of the sourced
  sample ``tests/fixtures/chat/slack_desktop.txt``, one a minute);
  baseline: splitting the same text into lines and matching one time pattern against each
  line, the least any reader of it must do;
- log: ``log_chat`` of the N messages (one transaction, one signed op each); baseline: the
  same N messages through ``IncidentService.log``, one transaction per entry, as logging them
  one by one from the quick-entry line would.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from commander.core.chat_paste import parse_chat
from commander.core.clock import FakeClock
from commander.core.entry_kinds import Kind
from commander.services.chat_import import log_chat
from commander.services.incidents import IncidentService
from commander.services.workspace import Workspace

NOW = datetime(2026, 11, 28, 23, 0, tzinfo=UTC)
_TIME = re.compile(r"\d{1,2}:\d{2}")


def _row(label: str, value: float, baseline: float) -> None:
    print(
        f"{label:<40} {value * 1000:>9.1f} ms   baseline {baseline * 1000:>9.1f} ms   "
        f"ratio {value / baseline:>6.2f}x"
    )


def _paste(messages: int) -> str:
    """N messages in the sample's layout, a minute apart from 08:00: a sender's name and the
    indented time every fifth message, bare times for the four that follow it."""
    lines: list[str] = []
    for k in range(messages):
        at = datetime(2026, 11, 28, 8, 0) + timedelta(minutes=k)
        clock = f"{(at.hour - 1) % 12 + 1}:{at.minute:02d}"
        if k % 5 == 0:
            lines += [f"{('Priya Raman', 'Tom Okafor')[k // 5 % 2]}  ", f"  {clock} {at:%p}  "]
        else:
            lines.append(f"{clock}  ")
        lines.append(f"message {k}: api-gw p99 at {k % 9 + 1} s, rolling back  ")
    return "\n".join(lines) + "\n"


def _best(work, repeat: int = 5) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def bench_read(text: str) -> None:
    def baseline() -> None:
        for line in text.splitlines():
            _TIME.search(line)

    read = _best(lambda: parse_chat(text, now=NOW, zone=UTC))
    _row(f"read {len(text) / 1024:.0f} KiB of Slack chat", read, _best(baseline))


def bench_log(text: str, folder: Path) -> None:
    paste = parse_chat(text, now=NOW, zone=UTC)
    clock = FakeClock(NOW)
    ws = Workspace.open(folder / "ws", author="bench", clock=clock, zone=UTC)
    try:
        service = IncidentService(ws)
        one = service.declare(title="One transaction", severity="P1").incident.id
        each = service.declare(title="One by one", severity="P1").incident.id
        clock.advance(timedelta(seconds=1))
        started = time.perf_counter()
        for message in paste.messages:
            service.log(
                each,
                message.text,
                occurred_at=message.occurred_at,
                kind=Kind.COMMUNICATION,
                attributed_to=message.author,
            )
        baseline = time.perf_counter() - started
        started = time.perf_counter()
        log_chat(ws, one, paste.messages)
        logged = time.perf_counter() - started
        _row(f"log {len(paste.messages)} messages", logged, baseline)
    finally:
        ws.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=500)
    args = parser.parse_args()
    text = _paste(args.messages)
    bench_read(text)
    with tempfile.TemporaryDirectory() as folder:
        bench_log(text, Path(folder))


if __name__ == "__main__":
    main()
