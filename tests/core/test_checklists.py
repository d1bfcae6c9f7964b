"""Checklists as data: defaults, overrides, edits and finding steps."""

from __future__ import annotations

import pytest

from commander.core.checklists import (
    Checklist,
    Step,
    add_step,
    check_checklist,
    edit_step,
    effective,
    find_checklist,
    find_step,
    move_step,
    numbered,
    remove_step,
)
from commander.core.errors import NotFoundError, ValidationError
from commander.core.policy import Phase
from commander.core.procedure_checklists import BUILTIN_BY_KEY, BUILTIN_CHECKLISTS

INITIAL = BUILTIN_BY_KEY["initial-response"]


def test_defaults_come_in_phase_order_marked_builtin() -> None:
    lists = effective(BUILTIN_CHECKLISTS, {})
    assert [c.key for c in lists] == [c.key for c in BUILTIN_CHECKLISTS]
    assert all(c.builtin and not c.edited for c in lists)
    phases = [c.phase for c in lists]
    assert phases == sorted(phases, key=list(Phase).index)


def test_a_stored_version_overrides_a_default_and_deleted_restores_it() -> None:
    edited = add_step(INITIAL, Step("mine", "Page the DBA"))
    lists = effective(BUILTIN_CHECKLISTS, {INITIAL.key: edited.content()})
    assert lists[0].steps[-1].text == "Page the DBA"
    assert lists[0].edited and lists[0].builtin
    restored = effective(BUILTIN_CHECKLISTS, {INITIAL.key: {**edited.content(), "deleted": True}})
    assert restored[0].steps == INITIAL.steps
    assert not restored[0].edited


def test_user_checklists_sit_with_their_phase() -> None:
    own = Checklist("user-1", Phase.DETECTION, "Paging", (Step("p1", "Page on-call"),))
    lists = effective(BUILTIN_CHECKLISTS, {"user-1": own.content()})
    assert [c.key for c in lists][:2] == ["initial-response", "user-1"]
    assert not lists[1].builtin
    gone = effective(BUILTIN_CHECKLISTS, {"user-1": {**own.content(), "deleted": True}})
    assert "user-1" not in [c.key for c in gone]


def test_edits_keep_keys_and_order() -> None:
    renamed = edit_step(INITIAL, "initial.acknowledge", text="Acknowledge the page")
    assert renamed.steps[0].key == "initial.acknowledge"
    assert renamed.steps[0].text == "Acknowledge the page"
    moved = move_step(INITIAL, "initial.investigate", 0)
    assert moved.steps[0].key == "initial.investigate"
    assert len(moved.steps) == 5
    inserted = add_step(INITIAL, Step("x", "Open the bridge"), after="initial.acknowledge")
    assert [s.key for s in inserted.steps][:2] == ["initial.acknowledge", "x"]
    assert [s.key for s in remove_step(INITIAL, "initial.team").steps] == [
        "initial.acknowledge",
        "initial.severity",
        "initial.record",
        "initial.investigate",
    ]
    with pytest.raises(NotFoundError):
        remove_step(INITIAL, "nope")
    with pytest.raises(ValidationError):
        edit_step(INITIAL, "initial.team", key="other")


def test_check_refuses_empty_text_and_duplicate_keys() -> None:
    with pytest.raises(ValidationError, match="Step text"):
        check_checklist(add_step(INITIAL, Step("y", "  ")))
    with pytest.raises(ValidationError, match="twice"):
        check_checklist(add_step(INITIAL, Step("initial.team", "Again")))
    with pytest.raises(ValidationError, match="title"):
        check_checklist(Checklist("k", Phase.DETECTION, "", ()))


def test_steps_are_found_by_key_number_text_or_unique_fragment() -> None:
    lists = effective(BUILTIN_CHECKLISTS, {})
    assert find_step(lists, "1.1").step.text == "Acknowledge Alert"
    assert find_step(lists, "initial.team").number == "1.3"
    assert find_step(lists, "assess severity").step.key == "initial.severity"
    assert find_step(lists, "failover").step.key == "recovery.db-failover"
    with pytest.raises(ValidationError, match="matches"):
        find_step(lists, "kubectl")
    with pytest.raises(NotFoundError):
        find_step(lists, "make coffee")
    assert numbered(lists)[-1].number == f"{len(lists)}.4"
    assert find_checklist(lists, "network diagnostics").key == "network-diagnostics"
    assert find_checklist(lists, "2").key == "system-health"


def test_an_unreadable_stored_checklist_falls_back_instead_of_breaking() -> None:
    broken = {
        INITIAL.key: {"phase": "no-such-phase", "title": "x", "steps": []},
        "user-1": {"title": "no phase"},
        "user-2": {"phase": "detection", "title": "ok", "steps": [{"text": "no key"}]},
    }
    lists = effective(BUILTIN_CHECKLISTS, broken)
    assert lists[0].steps == INITIAL.steps
    assert [c.key for c in lists] == [c.key for c in BUILTIN_CHECKLISTS]
