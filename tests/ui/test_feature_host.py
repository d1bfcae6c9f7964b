"""Every feature writes through the window's feature interface, so every local write wakes
sync (the roster and the checklists too, not only the timeline) and no feature needs the
concrete window."""

from __future__ import annotations

import ast
from pathlib import Path

from commander.services.roster import RosterService

UI = Path(__file__).resolve().parents[2] / "commander" / "ui"


def _declare(window):  # type: ignore[no-untyped-def]
    declared = window.incidents.declare(title="API down", severity="P1")
    window.refresh()
    window.select_incident(declared.incident.id)
    return declared.incident


def test_a_roster_write_wakes_sync(qtbot, window) -> None:
    incident = _declare(window)
    RosterService(window.workspace).assign(incident.id, "technical_lead", "alice", "")
    window.roster_panel.reload()
    window.roster_panel.table.selectRow(1)
    assert window.roster_panel.current_role() == "technical_lead"
    with qtbot.waitSignal(window.sync_ui.controller.sig_woken, timeout=1000):
        window.action_release.trigger()  # Team → Release role: a roster write
    assert window.roster_panel.holder_text("technical_lead") != "alice"


def test_a_checklist_write_wakes_sync(qtbot, window) -> None:
    _declare(window)
    panel = window.checklists.checklists_panel
    with qtbot.waitSignal(window.sync_ui.controller.sig_woken, timeout=1000):
        panel.tick("initial.severity", True)
    assert panel.progress.state("initial.severity").done


def test_no_feature_or_common_module_imports_the_concrete_window() -> None:
    """Features (``ui/features/<feature>``) and the shared widgets (``ui/common``) reach the
    window through ``FeatureHost``; only the shell knows ``MainWindow``."""
    modules = [*UI.glob("features/**/*.py"), *UI.glob("common/*.py")]
    assert len(modules) > 100  # a move must not make this pass silently
    importers = []
    for path in modules:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "commander.ui.shell.main_window":
                importers.append(path.relative_to(UI).as_posix())
    assert importers == []
