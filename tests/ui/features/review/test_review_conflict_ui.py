"""A review section edited on two laptops at the same time: the warning, the comparison, the
choice, with pytest-qt."""

from __future__ import annotations

import os
from datetime import UTC, timedelta
from pathlib import Path

from PySide6.QtCore import Qt

from commander.services.review import ReviewService
from commander.services.workspace import Workspace
from tests.services.ops_exchange import copy_ops

SHOTS = Path(os.environ.get("COMMANDER_SHOTS", "/tmp/commander-shots"))


def test_competing_version_is_warned_compared_and_chosen(
    qtbot, window, workspace, clock, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    declared = window._service.declare(title="API down", severity="P1", services="api")
    window.refresh()
    window.select_incident(declared.incident.id)
    incident_id = declared.incident.id
    window.resize(1200, 800)
    window.show()
    window.review.show_review()
    panel = window.review.panel
    bob = Workspace.open(tmp_path / "bob", author="bob", clock=clock, zone=UTC)
    try:
        copy_ops(workspace, bob)
        ReviewService(bob).set_field(incident_id, "primary_cause", "A DNS change at 10:30")
        clock.advance(timedelta(minutes=2))
        editor = panel.editors["primary_cause"]
        editor.setFocus()
        qtbot.keyClicks(editor, "Expired certificate")
        assert panel.save_pending()
        note = panel.notes["primary_cause"]
        assert note.isHidden()
        copy_ops(bob, workspace)  # sync brings bob's edit; the tab polls for changes
        qtbot.waitUntil(lambda: not note.isHidden(), timeout=5000)
        assert editor.toPlainText() == "Expired certificate"  # newer: LWW keeps it shown
        assert note.label.text().startswith("⚠ Also edited at the same time by bob (")
        assert note.label.text().endswith(") — not shown")
        assert note.compare_button.accessibleName() == "Compare versions of Primary cause"
        assert all(other.isHidden() for key, other in panel.notes.items() if key != "primary_cause")
        SHOTS.mkdir(parents=True, exist_ok=True)
        panel.scroll_area.ensureWidgetVisible(note, 0, 200)
        assert panel.grab().save(str(SHOTS / "review-conflict-warning.png"))

        qtbot.mouseClick(note.compare_button, Qt.MouseButton.LeftButton)
        dialog = panel.versions_dialog
        assert dialog is not None and dialog.isVisible()
        assert [view.toPlainText() for view in dialog.texts] == [
            "Expired certificate",
            "A DNS change at 10:30",
        ]
        assert all(view.isReadOnly() for view in dialog.texts)
        assert dialog.keep_button.text() == "Keep shown text"
        [use] = dialog.use_buttons
        assert use.text() == "Use bob's version" and use.accessibleName() == use.text()
        dialog.resize(900, 420)
        assert dialog.grab().save(str(SHOTS / "review-conflict-dialog.png"))
        qtbot.mouseClick(use, Qt.MouseButton.LeftButton)
        assert not dialog.isVisible()
        assert editor.toPlainText() == "A DNS change at 10:30"
        assert note.isHidden()
        review = ReviewService(workspace)
        assert review.competing_versions(incident_id) == {}
        assert review.review_fields(incident_id)["primary_cause"] == "A DNS change at 10:30"
        copy_ops(workspace, bob)
        assert ReviewService(bob).competing_versions(incident_id) == {}
        assert ReviewService(bob).review_fields(incident_id)["primary_cause"] == (
            "A DNS change at 10:30"
        )
    finally:
        bob.close()


def test_keep_shown_text_settles_too_and_decide_later_changes_nothing(
    qtbot, window, workspace, clock, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    declared = window._service.declare(title="API down", severity="P1", services="api")
    window.refresh()
    window.select_incident(declared.incident.id)
    incident_id = declared.incident.id
    window.review.show_review()
    panel = window.review.panel
    bob = Workspace.open(tmp_path / "bob", author="bob", clock=clock, zone=UTC)
    try:
        copy_ops(workspace, bob)
        ReviewService(workspace).set_field(incident_id, "detection", "Pager at 10:01")
        clock.advance(timedelta(minutes=1))
        ReviewService(bob).set_field(incident_id, "detection", "Customer ticket at 10:05")
        copy_ops(bob, workspace)
        panel.reload()
        note = panel.notes["detection"]
        assert not note.isHidden()
        assert "by alice (10:00)" in note.label.text()  # bob's newer text is the one shown
        dialog = panel.compare("detection")
        assert dialog is not None
        dialog.reject()
        assert not note.isHidden()
        dialog = panel.compare("detection")
        assert dialog is not None
        qtbot.mouseClick(dialog.keep_button, Qt.MouseButton.LeftButton)
        assert note.isHidden()
        assert panel.editors["detection"].toPlainText() == "Customer ticket at 10:05"
        assert ReviewService(workspace).competing_versions(incident_id) == {}
    finally:
        bob.close()
