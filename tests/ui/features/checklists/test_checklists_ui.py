"""The Checklists and Runbook tabs, with pytest-qt: ticking (Space, button), editing, and the
copy → confirm → "I ran it" flow of runbook commands."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox

from commander.services.checklists import ChecklistService
from commander.ui.features.checklists.checklist_model import COL_STEP
from commander.ui.features.comms.placeholder_dialog import PlaceholderDialog


def _setup(window, services=("api-gateway",)):
    declared = window._service.declare(title="API down", severity="P1", services=list(services))
    window.refresh()
    window.select_incident(declared.incident.id)
    return declared.incident


def _last(window, incident):
    entry = window._service.timeline(incident.id)[-1]
    return entry.event, entry.action


def test_tabs_show_the_current_phase_expanded_with_progress(window) -> None:
    _setup(window)
    feature = window.checklists
    tabs = window.side_tabs
    assert tabs.tabText(tabs.indexOf(feature.checklists_panel)) == "Checklists"
    assert tabs.tabText(tabs.indexOf(feature.runbook_panel)) == "Runbook"
    panel = feature.checklists_panel
    assert panel.phase_label.text() == "Detection & initial response: 0 of 5 steps done"
    phase = panel.model.phase_index(window.current_incident().phase)
    assert panel.tree.isExpanded(phase)
    assert phase.data() == "Detection & initial response (current phase)"
    assert panel.current_step() == "initial.acknowledge"


def test_space_ticks_the_focused_step_and_logs_it(qtbot, window) -> None:
    incident = _setup(window)
    panel = window.checklists.checklists_panel
    window.side_tabs.setCurrentWidget(panel)
    panel.select_step("initial.severity")
    panel.tree.setFocus()
    qtbot.keyClick(panel.tree, Qt.Key.Key_Space)
    assert _last(window, incident) == ("Checklist: Assess Severity — done", "")
    index = panel.model.step_index("initial.severity")
    assert index.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert index.siblingAtColumn(1).data() == "10:00 alice"
    assert panel.phase_label.text().endswith("1 of 5 steps done")
    assert panel.current_step() == "initial.severity"  # focus stays on the step
    qtbot.keyClick(panel.tree, Qt.Key.Key_Space)
    assert _last(window, incident)[0] == "Checklist: Assess Severity — not done (unticked)"
    assert index.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    panel.tick_button.click()
    assert panel.progress.state("initial.severity").done


def test_ticks_made_elsewhere_show_after_refresh(window, workspace) -> None:
    incident = _setup(window)
    ChecklistService(workspace).tick(incident.id, "initial.record")
    window.refresh()
    index = window.checklists.checklists_panel.model.step_index("initial.record")
    assert index.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked


def test_editor_adds_renames_moves_removes_and_restores(qtbot, window) -> None:
    _setup(window)
    panel = window.checklists.checklists_panel
    dialog = panel.edit_checklists("initial-response")
    assert dialog.current_checklist().key == "initial-response"
    dialog.add_step()
    assert dialog.current_step().text == "New step"
    dialog.text_edit.setText("Open the bridge call")
    dialog.text_edit.editingFinished.emit()
    assert [s.text for s in dialog.current_checklist().steps][:2] == [
        "Acknowledge Alert",
        "Open the bridge call",
    ]
    dialog.up_button.click()
    assert dialog.current_checklist().steps[0].text == "Open the bridge call"
    index = panel.model.step_index(dialog.current_step().key)
    assert index.data() == "Open the bridge call"  # the tab follows at once
    dialog.command_edit.setText("kubectl delete ns <namespace>")
    assert "Destructive" in dialog.rule_label.text()
    dialog.text_edit.setText("")
    dialog.text_edit.editingFinished.emit()
    assert "must not be empty" in dialog.error_label.text()
    dialog.remove_button.click()
    assert len(dialog.current_checklist().steps) == 5
    dialog.add_step()
    assert dialog.restore_button.isEnabled()
    box = dialog.restore_defaults()
    assert isinstance(box, QMessageBox)
    box.button(QMessageBox.StandardButton.Yes).click()
    assert dialog.current_checklist().steps[0].key == "initial.acknowledge"
    assert len(dialog.current_checklist().steps) == 5
    assert not dialog.restore_button.isEnabled()


def test_editor_adds_a_checklist_of_ones_own(window) -> None:
    _setup(window)
    dialog = window.checklists.checklists_panel.edit_checklists()
    dialog.new_phase.setCurrentIndex(0)
    dialog.new_title.setText("Paging")
    dialog.new_button.click()
    assert dialog.current_checklist().title == "Paging"
    assert dialog.delete_button.isEnabled()
    phase = window.checklists.checklists_panel.model.phase_index(window.current_incident().phase)
    titles = [
        window.checklists.checklists_panel.model.index(r, COL_STEP, phase).data()
        for r in range(window.checklists.checklists_panel.model.rowCount(phase))
    ]
    assert titles == ["Initial Response Steps", "Paging"]


def test_copy_asks_for_missing_values_once_then_ran_logs_the_command(qtbot, window) -> None:
    incident = _setup(window)
    panel = window.checklists.runbook_panel
    window.side_tabs.setCurrentWidget(panel)
    QGuiApplication.clipboard().setText("before")
    panel.select_step("net.nslookup")
    assert not panel.ran_button.isEnabled()
    panel.copy_button.click()
    dialog = panel.dialog
    assert isinstance(dialog, PlaceholderDialog) and list(dialog.fields) == ["mongodb-cluster"]
    dialog.fields["mongodb-cluster"].setEditText("c0; rm -rf /")
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert "shell" in dialog.error_label.text() and dialog.isVisible()
    assert QGuiApplication.clipboard().text() == "before"
    dialog.fields["mongodb-cluster"].setEditText("c0.ab1.mongodb.net")
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert QGuiApplication.clipboard().text() == "nslookup c0.ab1.mongodb.net"
    assert panel.ran_button.isEnabled()
    assert "c0.ab1.mongodb.net" in panel.command_label.text()
    panel.ran_button.click()
    assert _last(window, incident) == (
        "Runbook — Network Diagnostics: Test external connectivity",
        "ran: nslookup c0.ab1.mongodb.net",
    )
    assert not panel.ran_button.isEnabled()
    assert panel.current().done
    # asked once: the next copy needs no dialog
    panel.dialog = None
    panel.copy_button.click()
    assert panel.dialog is None
    assert QGuiApplication.clipboard().text() == "nslookup c0.ab1.mongodb.net"


def test_destructive_commands_copy_only_after_confirmation(window, workspace) -> None:
    incident = _setup(window)
    panel = window.checklists.runbook_panel
    runbooks = window.checklists.runbooks
    runbooks.set_value(incident.id, "namespace", "payments")
    runbooks.set_value(incident.id, "pod-name", "api-7f")
    panel.reload()
    panel.select_step("recovery.pod-restart")
    assert panel.destructive_label.isVisibleTo(panel)
    assert "deletes a pod" in panel.destructive_label.text()
    QGuiApplication.clipboard().setText("before")
    panel.copy_button.click()
    box = panel.confirm_box
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert "kubectl delete pod api-7f -n payments" in box.text()
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert QGuiApplication.clipboard().text() == "before"
    assert not panel.ran_button.isEnabled()
    panel.copy_button.click()
    copy = next(b for b in panel.confirm_box.buttons() if b.text() == "Copy command")
    copy.click()
    assert QGuiApplication.clipboard().text() == "kubectl delete pod api-7f -n payments"
    panel.ran_button.click()
    assert _last(window, incident) == (
        "Runbook — Service Recovery Actions: Pod Restart",
        "ran: kubectl delete pod api-7f -n payments",
    )
    state = window.checklists.checklists_panel.progress.state("recovery.pod-restart")
    assert state.done


def test_ctrl_c_in_the_runbook_copies_the_selected_command(qtbot, window) -> None:
    _setup(window)
    panel = window.checklists.runbook_panel
    window.side_tabs.setCurrentWidget(panel)
    panel.select_step("health.top-nodes")
    panel.table.setFocus()
    QGuiApplication.clipboard().setText("before")
    qtbot.keyClick(panel.table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == "kubectl top nodes"


def test_ran_is_refused_when_values_changed_after_copying(window) -> None:
    incident = _setup(window)
    panel = window.checklists.runbook_panel
    runbooks = window.checklists.runbooks
    runbooks.set_value(incident.id, "pod", "gw-1")
    panel.reload()
    panel.select_step("net.proxy-config")
    assert "api-gateway" in panel.command_label.text()  # <service> from the incident
    panel.copy_button.click()
    assert (
        QGuiApplication.clipboard().text()
        == "istioctl proxy-config cluster gw-1 | grep api-gateway"
    )
    runbooks.set_value(incident.id, "pod", "gw-2")
    messages: list[str] = []
    panel.sig_message.connect(messages.append)
    panel.ran_button.click()
    assert "copy it again" in messages[-1]
    assert not _last(window, incident)[1].startswith("ran:")


def test_runbook_starts_at_the_current_phases_commands(window) -> None:
    declared = window._service.declare(title="DB slow", severity="P2")
    window._service.set_field(declared.incident.id, "phase", "containment")
    window.refresh()
    window.select_incident(declared.incident.id)
    panel = window.checklists.runbook_panel
    assert panel.current_key() == "recovery.pod-restart"
    assert panel.title_label.text() == "6.1  Service Recovery Actions: Pod Restart"


def test_view_menu_brings_the_tabs_forward_with_focus(qtbot, window) -> None:
    incident = _setup(window)
    window.action_runbook.trigger()
    assert window.side_tabs.currentWidget() is window.checklists.runbook_panel
    window.action_checklists.trigger()
    panel = window.checklists.checklists_panel
    assert window.side_tabs.currentWidget() is panel
    qtbot.waitUntil(panel.tree.hasFocus)
    qtbot.keyClick(panel.tree, Qt.Key.Key_Space)  # the current phase's first step
    assert _last(window, incident)[0] == "Checklist: Acknowledge Alert — done"


def test_a_phase_change_opens_the_new_phase(window) -> None:
    incident = _setup(window)
    panel = window.checklists.checklists_panel
    window._service.set_field(incident.id, "phase", "investigation")
    window.refresh()
    phase = panel.model.phase_index(window.current_incident().phase)
    assert panel.tree.isExpanded(phase)
    assert panel.phase_label.text() == "Investigation & diagnosis: 0 of 14 steps done"
    assert panel.current_step() == "health.pods"
    runbook = window.checklists.runbook_panel
    runbook.select_step("net.nslookup")
    window._service.set_field(incident.id, "phase", "containment")
    window.refresh()
    assert runbook.current_key() == "recovery.pod-restart"
