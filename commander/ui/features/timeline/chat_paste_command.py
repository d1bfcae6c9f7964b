"""*Edit → Paste chat…* and a multi-line chat pasted into the quick-entry line: both open the
preview (``dialogs.chat_paste_dialog``) for the selected incident."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QGuiApplication

from commander.services.chat_import import Logged
from commander.ui.features.timeline.chat_paste_dialog import ChatPasteDialog

if TYPE_CHECKING:
    from commander.ui.shell.feature_host import FeatureHost

PASTE_CHAT_SHORTCUT = "Ctrl+Alt+V"


def open_chat_paste(host: FeatureHost, text: str | None = None) -> ChatPasteDialog | None:
    """Open the preview over ``text`` (default: the clipboard); None without an incident."""
    incident = host.current_incident()
    if incident is None:
        return None
    if text is None:
        text = QGuiApplication.clipboard().text()
    dialog = ChatPasteDialog(host.workspace, incident, text, host.main_window())
    dialog.setObjectName("chat_paste_dialog")

    def logged(result: Logged) -> None:
        count = len(result.entries)
        host.local_write()
        host.show_message(
            f"Logged {count} chat message{'' if count == 1 else 's'} into {incident.ref}"
        )

    dialog.sig_logged.connect(logged)
    dialog.open()
    return dialog
