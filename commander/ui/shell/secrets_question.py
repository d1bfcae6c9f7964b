"""The question asked before a secret goes to a keyring backend that is a plain file.

Only the question runs on the GUI thread: finding out which backend keyring uses, and storing,
happen in workers. The box is opened (not ``exec``'d) so the window keeps painting; the answer
arrives through ``on_answer``.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QWidget

from commander.integrations.secrets import Keeper


def ask_insecure(
    parent: QWidget | None, keeper: Keeper, on_answer: Callable[[bool], None]
) -> QMessageBox:
    """Ask whether to store secrets in ``keeper``'s plain-file backend; Yes means accepted.

    Returns:
        The open box (tests click its buttons).
    """
    where = f" ({keeper.path})" if keeper.path else ""
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        "Insecure keyring",
        f"The keyring backend {keeper.short_backend} keeps secrets in a plain file{where} "
        "that anyone who can read your files can read.\n\n"
        "Store secrets there anyway? (No keeps them for this session only; an owner-only "
        "file in the data directory is the other choice, in Channels.)",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        parent,
    )
    box.setDefaultButton(QMessageBox.StandardButton.No)
    box.setAccessibleName("Insecure keyring")
    yes = box.button(QMessageBox.StandardButton.Yes)
    box.finished.connect(lambda _result: on_answer(box.clickedButton() is yes))
    box.open()
    return box
