"""Guard against a Qt binding that leaks references to ``None``.

PySide6-Essentials 6.12.0 on CPython 3.11 drops one reference to ``None`` on every call of a
method that returns nothing (``setText``, ``setFocus``, ``processEvents``...). Before 3.12
``None`` is not immortal, so after a few thousand such calls the interpreter aborts with
"Fatal Python error: none_dealloc" — in a running app, within an hour of the header's
one-second timer. 6.11.3 does not have the bug. This test fails on a binding that leaks.
"""

from __future__ import annotations

import sys

import pytest
from PySide6.QtWidgets import QLineEdit


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12")
def test_void_qt_calls_do_not_leak_none(qtbot) -> None:  # type: ignore[no-untyped-def]
    edit = QLineEdit()
    qtbot.addWidget(edit)
    before = sys.getrefcount(None)
    for _ in range(200):
        edit.setText("x")
    lost = before - sys.getrefcount(None)
    assert lost < 50, (
        f"the Qt binding dropped {lost} references to None in 200 calls; the app would abort "
        "with none_dealloc. Pin PySide6-Essentials<6.12 (6.11.3 is fine)."
    )
