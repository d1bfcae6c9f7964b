"""App shortcuts that win over line-edit bindings: Ctrl+U opens the composer, everywhere.

A focused QLineEdit claims Ctrl+U (on Linux: delete the line) before the window's shortcut is
looked at, so in the quick-entry line or any dialog field Ctrl+U wiped what was typed instead of
opening the composer the README promises. A filter on whichever widget has the focus gives the
promised shortcuts back to their actions: in the main window the shortcut fires as usual, in a
window of its own (non-modal) the action is triggered, and in a modal dialog, where the main
window cannot take input, the field keeps its text and a tip says what Ctrl+U does.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QToolTip, QWidget


class PromisedShortcuts(QObject):
    """Installed on the application for ``window``; ``actions`` carry the promised keys.

    Args:
        exempt: kinds of window where fields keep their bindings (the composer itself: its
            Ctrl+U would only open another composer over the one being written); or a function
            that returns them, so the window's module need not be imported before it is used.
    """

    def __init__(
        self,
        window: QWidget,
        actions: Sequence[QAction],
        exempt: tuple[type, ...] | Callable[[], tuple[type, ...]] = (),
    ) -> None:
        super().__init__(window)
        self._window = window
        self._actions = list(actions)
        self._exempt = exempt
        self.last_tip = ""
        app = QApplication.instance()
        if isinstance(app, QApplication):
            # On the focused widget only (it gets the keys first): a filter on the whole
            # application would run Python for every event of every widget.
            app.focusChanged.connect(self._on_focus_changed)

    def _exempt_types(self) -> tuple[type, ...]:
        return self._exempt if isinstance(self._exempt, tuple) else self._exempt()

    def _on_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is not None and self._owns(new.window()):
            new.installEventFilter(self)  # once: Qt does not add the same filter twice

    def _action_for(self, event: QKeyEvent) -> QAction | None:
        pressed = QKeySequence(event.keyCombination())
        for action in self._actions:
            if not action.shortcut().isEmpty() and action.shortcut().matches(pressed) == (
                QKeySequence.SequenceMatch.ExactMatch
            ):
                return action
        return None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            return False
        if not isinstance(event, QKeyEvent) or not isinstance(watched, QWidget):
            return False
        action = self._action_for(event)
        top = watched.window()
        if action is None or not action.isEnabled() or isinstance(top, self._exempt_types()):
            return False
        if not self._owns(top):
            return False
        if top is self._window:
            if kind == QEvent.Type.ShortcutOverride:
                event.ignore()  # nobody claims it: the window's shortcut map fires the action
                return True
            return False
        if kind == QEvent.Type.ShortcutOverride:
            event.accept()  # deliver it as a key press, which is handled below
            return True
        if top.isModal() or QApplication.activeModalWidget() is not None:
            what = action.text().replace("&", "").rstrip("…")
            self.last_tip = f"{action.shortcut().toString()} ({what}): close this dialog first"
            QToolTip.showText(watched.mapToGlobal(watched.rect().center()), self.last_tip, watched)
        else:
            action.trigger()
        return True

    def _owns(self, top: QWidget) -> bool:
        """The main window, or a window opened from it."""
        widget: QWidget | None = top
        while widget is not None:
            if widget is self._window:
                return True
            parent = widget.parentWidget()
            widget = parent.window() if parent is not None else None
        return False
