"""Paste a screenshot and drop files onto the timeline (pytest-qt, offscreen)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage

from commander.core.limits import ATTACHMENT_FILE_MAX
from commander.services.attachments import AttachmentService
from commander.services.incidents import IncidentService
from commander.services.workspace import Workspace
from commander.ui.features.attachments.viewer import AttachmentViewer
from commander.ui.shell.main_window import MainWindow
from tests.ui.drops import drop_files

PNG = Path(__file__).parents[3] / "fixtures" / "attachments" / "red-2x2.png"


def _open_incident(window: MainWindow, workspace: Workspace) -> str:
    incident_id = IncidentService(workspace).declare(title="API down", severity="P1").incident.id
    window.refresh()
    window.select_incident(incident_id)
    return incident_id


def _drop(window: MainWindow, paths: list[Path]) -> None:
    drop_files(window.timeline_panel.table.viewport(), paths)


def test_pasting_a_picture_logs_it_with_a_thumbnail_that_opens_full_size(
    qtbot, window: MainWindow, workspace: Workspace
) -> None:
    incident_id = _open_incident(window, workspace)
    image = QImage(64, 32, QImage.Format.Format_RGB32)
    image.fill(QColor("#3366cc"))
    QGuiApplication.clipboard().setImage(image)
    panel = window.timeline_panel
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: panel.thumbnails.thumbs.rowCount() == 1, timeout=5000)
    assert panel.thumbnails.isVisible()
    [held] = AttachmentService(workspace).of_incident(incident_id)
    assert held.ref.media_type == "image/png" and held.ref.name == "screenshot.png"
    _ref, data = AttachmentService(workspace).content(held.ref.sha256)
    assert QImage.fromData(data).size() == image.size()  # lossless, full size
    events = [panel.model.entry_at(r).event for r in range(panel.model.rowCount())]
    assert events[-1].startswith("Screenshot attached: screenshot.png")
    index = panel.thumbnails.thumbs.index(0, 0)
    assert not panel.thumbnails.thumbs.data(index, Qt.ItemDataRole.DecorationRole).isNull()
    panel.thumbnails.doubleClicked.emit(index)
    viewer = panel.thumbnails.viewer
    assert isinstance(viewer, AttachmentViewer)
    qtbot.waitUntil(
        lambda: viewer.picture.pixmap() is not None and not viewer.picture.pixmap().isNull()
    )
    assert viewer.picture.pixmap().size() == image.size()
    viewer.close()


def test_dropping_files_attaches_them_and_a_too_large_one_is_refused(
    qtbot, window: MainWindow, workspace: Workspace, tmp_path: Path
) -> None:
    incident_id = _open_incident(window, workspace)
    log = tmp_path / "app.log"
    log.write_text("ERROR upstream timeout\n")
    _drop(window, [PNG, log])
    panel = window.timeline_panel
    qtbot.waitUntil(lambda: panel.thumbnails.thumbs.rowCount() == 2, timeout=5000)
    names = [h.ref.name for h in AttachmentService(workspace).of_incident(incident_id)]
    assert sorted(names) == ["app.log", "red-2x2.png"]
    big = tmp_path / "heap.dump"
    with open(big, "wb") as handle:
        handle.truncate(ATTACHMENT_FILE_MAX + 1)
    with qtbot.waitSignal(panel.sig_message) as said:
        _drop(window, [big])
    assert said.args == ["heap.dump is 20.0 MiB; a file on the timeline may be at most 20 MiB."]
    assert len(AttachmentService(workspace).of_incident(incident_id)) == 2
