"""A deliverer process for tests: the real ``commander`` CLI with an in-memory keyring.

Run as ``python deliverer.py --data-dir D outbox --deliver``; the channel secrets arrive as JSON
on stdin (never argv) and are put in a ``MemoryKeyring`` before the CLI runs, because a test
box has no system keyring and the test must not touch the user's.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import keyring

from commander.cli import main
from commander.integrations.channel_settings import ChannelSecrets
from commander.integrations.memory_keyring import MemoryKeyring


def run() -> int:
    keyring.set_keyring(MemoryKeyring())
    data_dir = Path(sys.argv[sys.argv.index("--data-dir") + 1])
    secrets = ChannelSecrets(data_dir)  # this workspace's secrets (keyed by its id)
    for name, value in json.loads(sys.stdin.read()).items():
        secrets.set(name, value)
    return main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(run())
