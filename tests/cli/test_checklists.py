"""The checklist and runbook commands: show, tick/untick, edit, and filled commands."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.cli.conftest import Run


def test_tick_untick_and_show(run: Run, declare: Callable[..., dict[str, Any]]) -> None:
    ref = declare("API down", "P1")["ref"]
    result = run("checklist", "tick", ref, "Acknowledge Alert")
    assert result.code == 0, result.err
    assert "1.1 Acknowledge Alert — done" in result.out
    assert "(already)" in run("checklist", "tick", ref, "1.1").out
    data = run("checklist", "show", ref, "--phase", "detection", "--json").json()
    assert data["phases"] == [
        {"phase": "detection", "label": "Detection & initial response", "done": 1, "total": 5}
    ]
    steps = data["checklists"][0]["steps"]
    assert steps[0]["done"] and steps[0]["by"] == "tester"
    assert "[x]   1.1  Acknowledge Alert" in run("checklist", "show", ref).out
    untick = run("checklist", "untick", ref, "1.1", "--json").json()
    assert untick == {
        "step": "initial.acknowledge",
        "number": "1.1",
        "done": False,
        "changed": True,
    }
    timeline = run("show", ref, "--json").json()["timeline"]
    assert [e["event"] for e in timeline][-2:] == [
        "Checklist: Acknowledge Alert — done",
        "Checklist: Acknowledge Alert — not done (unticked)",
    ]


def test_editing_checklists(run: Run, declare: Callable[..., dict[str, Any]]) -> None:
    declare()
    added = run(
        "checklist", "add-step", "Initial Response Steps", "Open the bridge", "--after", "1.1"
    )
    assert added.code == 0, added.err
    assert "Added 1.2 Open the bridge" in added.out
    assert run("checklist", "edit", "Open the bridge", "--text", "Open the bridge call").code == 0
    assert run("checklist", "move-step", "bridge call", "1").code == 0
    listed = run("checklist", "list", "--json").json()
    assert listed[0]["edited"] and listed[0]["steps"][0]["text"] == "Open the bridge call"
    assert run("checklist", "remove-step", "bridge call").code == 0
    assert run("checklist", "restore", "initial-response").code == 0
    assert not run("checklist", "list", "--json").json()[0]["edited"]
    assert run("checklist", "new", "Paging", "--phase", "containment").code == 0
    assert "Paging" in run("checklist", "list").out
    assert run("checklist", "delete", "Paging").code == 0


def test_runbook_show_fills_and_never_runs(
    run: Run, declare: Callable[..., dict[str, Any]]
) -> None:
    ref = declare("API down", "P1", "--service", "api-gateway")["ref"]
    shown = run("runbook", "show", ref, "--phase", "investigation", "--json").json()
    config = next(s for s in shown["steps"] if s["key"] == "net.proxy-config")
    assert config["command"] is None
    assert config["preview"] == "istioctl proxy-config cluster <pod> | grep api-gateway"
    assert config["missing"] == ["pod"]
    assert run("runbook", "set", ref, "<pod>", "gw-1").code == 0
    text = run("runbook", "show", ref, "--phase", "investigation").out
    assert "$ istioctl proxy-config cluster gw-1 | grep api-gateway" in text
    recovery = run("runbook", "show", ref, "--phase", "containment").out
    assert "DESTRUCTIVE: deletes a pod" in recovery
    assert "needs <pod-name>, <namespace>" in recovery


def test_runbook_ran_logs_the_command(run: Run, declare: Callable[..., dict[str, Any]]) -> None:
    ref = declare()["ref"]
    run("runbook", "set", ref, "namespace", "payments")
    run("runbook", "set", ref, "pod-name", "api-7f")
    ran = run("runbook", "ran", ref, "Pod Restart", "--json").json()
    assert ran["command"] == "kubectl delete pod api-7f -n payments"
    assert ran["done"] and ran["destructive"]
    timeline = run("show", ref, "--json").json()["timeline"]
    assert timeline[-1]["action"] == "ran: kubectl delete pod api-7f -n payments"


def test_errors_are_one_line(
    run: Run, declare: Callable[..., dict[str, Any]], one_line_error: Callable[..., None]
) -> None:
    ref = declare()["ref"]
    one_line_error(run("runbook", "set", ref, "namespace", "prod; rm -rf /"), contains="shell")
    one_line_error(run("runbook", "ran", ref, "Pod Restart"), contains="<pod-name>")
    one_line_error(run("checklist", "tick", ref, "make coffee"), contains="No step")
    one_line_error(run("checklist", "tick", ref, "kubectl"), contains="matches")
    one_line_error(run("checklist", "edit", "1.1"), contains="what to change")
    one_line_error(run("checklist"), contains="name an action")
