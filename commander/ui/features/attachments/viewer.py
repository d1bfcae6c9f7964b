"""An attached file at full size: a picture in a scroll area, any file savable to disk."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from commander.core.attachments import size_text_of
from commander.core.errors import CommanderError
from commander.services.attachments import AttachmentService
from commander.storage.blobs import StoredAttachment
from commander.ui.common.tasks import TaskRunner


class AttachmentViewer(QDialog):
    """Loads the file on a worker, then shows it; Save writes the stored bytes unchanged."""

    def __init__(
        self,
        service: AttachmentService,
        held: StoredAttachment,
        tasks: TaskRunner,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._held = held
        self._data: bytes | None = None
        ref = held.ref
        self.setWindowTitle(ref.name)
        self.setAccessibleName(f"Attachment {ref.name}")
        layout = QVBoxLayout(self)
        self.info = QLabel(
            f"{ref.name} · {ref.media_type} · {size_text_of(ref.size)} · SHA-256 {ref.sha256}",
            self,
        )
        self.info.setWordWrap(True)
        layout.addWidget(self.info)
        self.picture = QLabel("Loading…", self)
        self.picture.setAccessibleName("Attachment content")
        scroll = QScrollArea(self)
        scroll.setWidget(self.picture)
        scroll.setWidgetResizable(True)
        layout.addWidget(scroll, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.save_button = buttons.addButton("Save as…", QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(self._save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(900, 650)
        tasks.submit(lambda: service.content(ref.sha256)[1], self._loaded, self._failed)

    def _loaded(self, data: bytes) -> None:
        self._data = data
        self.save_button.setEnabled(True)
        image = QImage.fromData(data) if self._held.ref.is_image else QImage()
        if image.isNull():
            self.picture.setText("This file is not a picture Commander can show; save it to open.")
            return
        self.picture.setPixmap(QPixmap.fromImage(image))
        self.picture.resize(image.size())

    def _failed(self, exc: Exception) -> None:
        text = str(exc) if isinstance(exc, CommanderError) else f"Cannot read the file: {exc}"
        self.picture.setText(text)

    def _save(self) -> None:
        if self._data is None:
            return
        name, _ = QFileDialog.getSaveFileName(self, "Save attachment", self._held.ref.name)
        if not name:
            return
        try:
            Path(name).write_bytes(self._data)
        except OSError as exc:
            self.info.setText(f"Cannot write {name}: {exc.strerror or exc}.")
