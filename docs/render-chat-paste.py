"""Render the user guide's *Paste chat* screenshots (offscreen) over the demo incident.

    PYTHONPATH=. .venv/bin/python docs/render-chat-paste.py

A throwaway workspace with the demo incident and a fixed clock, so the images are
reproducible; the chats are samples from tests/fixtures/chat: Slack desktop with one row
trimmed, and new Teams with the lines it left out listed.
"""

from __future__ import annotations

import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from commander.app import prepare_application
from commander.core.clock import FakeClock
from commander.services.demo.create import create_demo
from commander.services.workspace import Workspace
from commander.ui.features.timeline.chat_paste_dialog import ChatPasteDialog
from commander.ui.features.timeline.chat_paste_model import COL_KEEP

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
SAMPLES = ROOT / "tests" / "fixtures" / "chat"
SHOTS = (
    ("chat-paste-slack.png", "slack_desktop.txt", 3),
    ("chat-paste-teams.png", "teams_new_today.txt", None),
)


def main() -> None:
    app = QApplication.instance() or QApplication([])
    prepare_application(app)  # type: ignore[arg-type]
    clock = FakeClock(datetime(2026, 11, 28, 15, 0, tzinfo=UTC))
    with tempfile.TemporaryDirectory() as folder:
        ws = Workspace.open(Path(folder), author="demo", clock=clock, zone=UTC)
        incident = create_demo(ws).incident
        for name, sample, trim in SHOTS:
            text = (SAMPLES / sample).read_text(encoding="utf-8")
            dialog = ChatPasteDialog(ws, incident, text)
            if trim is not None:
                keep = dialog.model.index(trim, COL_KEEP)
                dialog.model.setData(keep, Qt.CheckState.Unchecked, Qt.ItemDataRole.CheckStateRole)
            dialog.resize(1280, 800)
            dialog.show()
            app.processEvents()
            dialog.grab().save(str(OUT / name))
            print(f"wrote docs/screenshots/{name}")
            dialog.close()
        ws.close()


if __name__ == "__main__":
    main()
