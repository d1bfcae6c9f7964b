"""Similar incidents in the window: under the header right after declaring, details a click
away, and a past incident opened from them."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from PySide6.QtWidgets import QApplication

from commander.ui.features.search.similar_model import COL_CAUSE, COL_RUNBOOK, COL_WHY
from tests.services.similar_fixture import build_past


def _wait(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: not window.search.similar.is_searching(), timeout=5000)


def test_the_header_names_similar_incidents_and_opens_them(
    qtbot, window, workspace, clock, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    ids = build_past(workspace, clock)
    window.refresh()
    window.select_incident(ids["probe"])
    _wait(qtbot, window)
    strip = window.search.similar
    assert strip.isVisible()
    text = strip.text()
    assert "Like this before:" in text and "same alert CertificateExpired" in text
    assert "1 more, details…" in text  # two inline, the third behind the link

    dialog = strip.open_details()
    model = dialog.table.model()
    assert model.rowCount() == 3
    assert model.index(0, COL_CAUSE).data() == "The renewal job had been failing for a month"
    assert model.index(0, COL_RUNBOOK).data().startswith("System Health Assessment")
    assert model.index(1, COL_WHY).data() == "service customer-api"
    window.resize(1280, 800)
    assert window.grab().save(str(tmp_path / "header.png"))  # looked at when changed
    dialog.table.selectRow(1)
    dialog.open_button.click()
    assert window.current_incident().id == ids["same_service"]
    _wait(qtbot, window)
    assert [s.incident.id for s in strip.items] == [ids["same_alert"]]  # the one before it
    strip.linkActivated.emit("0")  # an inline link
    assert window.current_incident().id == ids["same_alert"]
    _wait(qtbot, window)
    assert strip.isHidden()  # nothing was declared before it


def test_right_after_declaring_the_similar_ones_show(qtbot, window, workspace, clock) -> None:  # type: ignore[no-untyped-def]
    ids = build_past(workspace, clock)
    window.refresh()
    clock.advance(timedelta(days=1))
    dialog = window.incident_commands.declare()
    qtbot.keyClicks(dialog.title_edit, "Certificate expired again")
    qtbot.keyClicks(dialog.services_edit, "customer-api")
    dialog.buttons.accepted.emit()
    QApplication.processEvents()
    new = window.current_incident()
    assert new is not None and new.title == "Certificate expired again"
    _wait(qtbot, window)
    assert window.search.similar.isVisible()
    first = window.search.similar.items[0]
    assert first.incident.id in (ids["same_alert"], ids["probe"])
    assert "service customer-api" in first.explanation
    assert "similar words certificate, expired" in first.explanation


def test_the_declare_dialog_shows_similar_ones_as_they_are_typed(
    qtbot, window, workspace, clock
) -> None:  # type: ignore[no-untyped-def]
    build_past(workspace, clock)
    window.refresh()
    dialog = window.incident_commands.declare()
    assert dialog.similar_label.isHidden()
    qtbot.keyClicks(dialog.title_edit, "Orders database failover")
    qtbot.waitUntil(dialog.similar_label.isVisible, timeout=5000)
    text = dialog.similar_label.text()
    assert text.startswith("Like this before: <b>INC-")
    assert "Orders database failover (similar words database, failover, orders)" in text
    qtbot.keyClicks(dialog.services_edit, "orders-db")
    qtbot.waitUntil(lambda: "service orders-db" in dialog.similar_label.text(), timeout=5000)
    dialog.reject()
