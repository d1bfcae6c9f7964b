"""*Settings → Procedure*: see what runs, load a file (problems listed by line), export it."""

from __future__ import annotations

from pathlib import Path

from commander.services.procedures import ProcedureService
from commander.services.workspace import Workspace
from commander.ui.shell.main_window import MainWindow
from commander.ui.shell.procedure_page import ProcedurePage

EXAMPLE = Path(__file__).parents[2] / "docs" / "examples" / "sev-security.toml"


def _page(window: MainWindow) -> ProcedurePage:
    dialog = window.prefs_ui.open_settings("Procedure")
    page = dict(dialog.pages)["Procedure"]
    assert isinstance(page, ProcedurePage) and dialog.stack.currentWidget() is page
    return page


def test_the_page_loads_a_file_on_a_worker_and_says_what_runs(
    qtbot, window: MainWindow, workspace: Workspace
) -> None:  # type: ignore[no-untyped-def]
    page = _page(window)
    assert "Built in: the procedure Commander ships" in page.state_label.text()
    assert "P0 Critical" in page.state_label.text()
    with qtbot.waitSignal(window.sig_local_write, timeout=5000):  # the load wakes sync
        page.load_file(EXAMPLE)
    assert page.status_label.text().startswith("Loaded Example Co. incident procedure 2026.2")
    state = page.state_label.text()
    assert "Example Co. incident procedure 2026.2" in state and "sev-security.toml" in state
    assert "SEV1 Critical" in state and "3 roles" in state
    assert not ProcedureService(workspace).current().builtin


def test_a_broken_file_is_refused_with_its_problems_by_line_and_nothing_changes(
    qtbot, window: MainWindow, workspace: Workspace, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.toml"
    bad.write_text(EXAMPLE.read_text("utf-8").replace('offset = "1h"', 'offset = "an hour"'))
    page = _page(window)
    page.load_file(bad)
    qtbot.waitUntil(lambda: "was not loaded" in page.status_label.text(), timeout=5000)
    assert page.status_label.text() == (
        "bad.toml was not loaded: 1 problem, listed below. Nothing changed."
    )
    assert page.problems.isVisible() and page.problems.toPlainText().startswith("line ")
    assert "'an hour' is not a duration" in page.problems.toPlainText()
    assert ProcedureService(workspace).current().builtin
    assert page.load_button.isEnabled()


def test_export_writes_the_file_that_runs(
    qtbot, window: MainWindow, workspace: Workspace, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    ProcedureService(workspace).load(EXAMPLE.read_text("utf-8"), EXAMPLE.name)
    page = _page(window)
    out = tmp_path / "current.toml"
    page.export_to(out)
    qtbot.waitUntil(lambda: page.status_label.text().startswith("Exported"), timeout=5000)
    assert out.read_text("utf-8") == EXAMPLE.read_text("utf-8")
