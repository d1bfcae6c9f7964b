"""The strip of thumbnails under the timeline: one per attached file, newest last.

Files are read and scaled on a worker (``TaskRunner``); only the finished thumbnails reach
the GUI thread. A double click (or Enter) opens the file full size.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import QListView, QStyle, QWidget

from commander.core.attachments import AttachmentRef, size_text_of
from commander.services.attachments import AttachmentService
from commander.storage.blobs import StoredAttachment
from commander.ui.common.tasks import TaskRunner
from commander.ui.features.attachments.viewer import AttachmentViewer

THUMB = 96
_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Thumb:
    entry_id: str
    ref: AttachmentRef
    image: QImage | None  # None: not a picture, or not here yet


def load_thumbs(service: AttachmentService, incident_id: str) -> list[Thumb]:
    """Worker side: read each file once and scale it (QImage works off the GUI thread)."""
    found: list[Thumb] = []
    for held in service.of_incident(incident_id):
        image: QImage | None = None
        if held.ref.is_image:
            try:
                _ref, data = service.content(held.ref.sha256)
            except Exception:  # not here yet, or damaged: verify names it; show a file icon
                data = b""
            loaded = QImage.fromData(data) if data else QImage()
            if not loaded.isNull():
                image = loaded.scaled(
                    THUMB,
                    THUMB,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
        found.append(Thumb(held.entry_id, held.ref, image))
    return found


class ThumbnailModel(QAbstractListModel):
    """Attached files of one incident, as icons with their names."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._thumbs: list[Thumb] = []
        self._icons: list[QIcon] = []
        self._file_icon = QIcon()

    def set_file_icon(self, icon: QIcon) -> None:
        self._file_icon = icon

    def set_thumbs(self, thumbs: list[Thumb]) -> None:
        self.beginResetModel()
        self._thumbs = thumbs
        self._icons = [
            QIcon(QPixmap.fromImage(t.image)) if t.image is not None else self._file_icon
            for t in thumbs
        ]
        self.endResetModel()

    def thumb_at(self, row: int) -> Thumb:
        return self._thumbs[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._thumbs)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        thumb = self._thumbs[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return thumb.ref.name
        if role == Qt.ItemDataRole.DecorationRole:
            return self._icons[index.row()]
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return f"{thumb.ref.name}, {thumb.ref.media_type}, {size_text_of(thumb.ref.size)}"
        return None


class ThumbnailStrip(QListView):
    """A one-row strip of thumbnails, hidden while the incident has no files."""

    def __init__(
        self, service: AttachmentService, tasks: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._tasks = tasks
        self._generation = 0
        self._incident_id: str | None = None
        self.setAccessibleName("Attached files")
        self.thumbs = ThumbnailModel(self)
        self.thumbs.set_file_icon(self.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon))
        self.setModel(self.thumbs)
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(False)
        self.setIconSize(QSize(THUMB, THUMB))
        self.setUniformItemSizes(True)
        self.setFixedHeight(THUMB + self.fontMetrics().height() + 24)
        self.activated.connect(self._open)
        self.doubleClicked.connect(self._open)
        self.viewer: AttachmentViewer | None = None
        self.hide()

    def set_incident(self, incident_id: str | None) -> None:
        self._incident_id = incident_id
        self.refresh()

    def refresh(self) -> None:
        """Reload the thumbnails on a worker; a result for another incident is dropped."""
        self._generation += 1
        generation, incident_id = self._generation, self._incident_id
        if incident_id is None:
            self.thumbs.set_thumbs([])
            self.hide()
            return
        service = self._service

        def done(thumbs: list[Thumb]) -> None:
            if generation == self._generation:
                self.thumbs.set_thumbs(thumbs)
                self.setVisible(bool(thumbs))
                if thumbs:
                    self.scrollToBottom()

        self._tasks.submit(lambda: load_thumbs(service, incident_id), done, lambda _exc: None)

    def _open(self, index: QModelIndex) -> None:
        thumb = self.thumbs.thumb_at(index.row())
        viewer = AttachmentViewer(
            self._service, StoredAttachment(thumb.entry_id, "", thumb.ref), self._tasks, self
        )
        viewer.open()
        self.viewer = viewer
