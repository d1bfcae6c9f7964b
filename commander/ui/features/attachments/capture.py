"""Paste (Ctrl+V) a screenshot or drop files onto the timeline: each becomes an entry.

Encoding the pasted picture, reading dropped files and writing them run on a worker; the
result (or the one-sentence refusal, e.g. a file over the limit) comes back as a message.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QEvent, QIODevice, QObject, Qt, Signal
from PySide6.QtGui import (
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QGuiApplication,
    QImage,
    QKeySequence,
    QShortcut,
)
from PySide6.QtWidgets import QAbstractItemView

from commander.core.attachments import size_text_of
from commander.core.errors import CommanderError
from commander.services.attachments import Attached, AttachmentService
from commander.ui.common.tasks import TaskRunner


def png_bytes(image: QImage) -> bytes:
    """A picture as PNG (lossless: a screenshot of a graph keeps every pixel)."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]  # the stub wants bytes; Qt takes the name
    buffer.close()
    return bytes(data.data())


class TimelineCapture(QObject):
    """Makes a timeline view accept pasted pictures and dropped files for one incident.

    Signals:
        sig_attached: a file was attached (the window refreshes as after any local change).
        sig_message(str): what happened, or why a file was refused, in one sentence.
        sig_bundles(list[Path]): bundle files (``*.bundle``) dropped here, to import.
    """

    sig_attached = Signal()
    sig_message = Signal(str)
    sig_bundles = Signal(list)  # dropped bundle files: merged, not attached
    sig_text_pasted = Signal(str)  # several lines of text (chat, most likely): the preview

    def __init__(
        self, view: QAbstractItemView, service: AttachmentService, tasks: TaskRunner
    ) -> None:
        super().__init__(view)
        self._service = service
        self._tasks = tasks
        self.incident_id: str | None = None
        self._view = view
        view.setAcceptDrops(True)
        view.viewport().setAcceptDrops(True)
        view.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        view.viewport().installEventFilter(self)
        paste = QShortcut(QKeySequence(QKeySequence.StandardKey.Paste), view)
        paste.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        paste.activated.connect(self.paste)

    # -- paste -----------------------------------------------------------------------------

    def paste(self) -> bool:
        """Attach the clipboard's picture (or the files copied in a file manager)."""
        mime = QGuiApplication.clipboard().mimeData()
        if mime is not None and mime.hasUrls():
            return self.attach_paths(
                [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()]
            )
        image = QGuiApplication.clipboard().image()
        if image.isNull():
            text = QGuiApplication.clipboard().text()
            if "\n" in text.strip():  # a run of chat messages, copied from Slack or Teams
                self.sig_text_pasted.emit(text)
                return True
            self.sig_message.emit("The clipboard holds no picture or file to attach.")
            return False
        if self.incident_id is None:
            return False
        incident_id, service = self.incident_id, self._service
        frozen = image.copy()
        self._run(lambda: service.attach(incident_id, png_bytes(frozen), "screenshot.png"))
        return True

    # -- drop ------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(event, QDragEnterEvent | QDragMoveEvent):
            if event.mimeData().hasUrls() and (
                self.incident_id is not None or _bundles(_paths(event))
            ):
                event.acceptProposedAction()
                return True
        elif event.type() == QEvent.Type.Drop and isinstance(event, QDropEvent):
            paths = _paths(event)
            if paths:
                event.acceptProposedAction()
                bundles = _bundles(paths)
                if bundles:
                    self.sig_bundles.emit(bundles)
                self.attach_paths([path for path in paths if path not in bundles])
                return True
        return super().eventFilter(watched, event)

    def attach_paths(self, paths: list[Path]) -> bool:
        if self.incident_id is None or not paths:
            return False
        incident_id, service = self.incident_id, self._service

        def work() -> list[Attached]:
            return [service.attach_file(incident_id, path) for path in paths if path.is_file()]

        self._run(work)
        return True

    def _run(self, work: object) -> None:
        def done(result: Attached | list[Attached]) -> None:
            attached = result if isinstance(result, list) else [result]
            if attached:
                names = ", ".join(f"{a.ref.name} ({size_text_of(a.ref.size)})" for a in attached)
                self.sig_message.emit(f"Attached {names}")
                self.sig_attached.emit()

        def failed(exc: Exception) -> None:
            text = str(exc) if isinstance(exc, CommanderError) else f"Could not attach: {exc}"
            self.sig_message.emit(text)
            self.sig_attached.emit()  # files attached before the refused one are in

        self._tasks.submit(work, done, failed)  # type: ignore[arg-type]


def _paths(event: QDropEvent | QDragEnterEvent | QDragMoveEvent) -> list[Path]:
    return [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]


def _bundles(paths: list[Path]) -> list[Path]:
    """Bundle files go to the bundle import (the same rule as a drop on the window)."""
    return [path for path in paths if path.suffix.lower() == ".bundle"]
