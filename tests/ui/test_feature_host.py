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


# Features that live beside the shell and reach the window through ``FeatureHost`` only.
HOST_FEATURES = ("search_feature", "incident_commands", "exercise_ui", "preferences_ui")


def test_no_feature_panel_or_sync_module_imports_the_concrete_window() -> None:
    features = [UI / f"{name}.py" for name in HOST_FEATURES]
    assert all(path.is_file() for path in features)  # a rename must not pass silently
    importers = []
    for path in [*UI.glob("panels/*.py"), *UI.glob("sync/*.py"), *features]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "commander.ui.main_window":
                importers.append(path.relative_to(UI).as_posix())
    assert importers == []
