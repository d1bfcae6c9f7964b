"""Kinds, key events and open questions from the command line: ``log --kind/--answers/--by``,
``key [--off]``, ``questions [--json]`` and the KIND and ID columns of ``show``."""

from __future__ import annotations


def _incident(run) -> str:  # type: ignore[no-untyped-def]
    result = run("incident", "new", "--title", "API down", "--severity", "P1")
    assert result.code == 0, result.err
    return result.out.strip()


def test_log_with_a_kind_and_a_decider(run) -> None:  # type: ignore[no-untyped-def]
    incident = _incident(run)
    decided = run("log", incident, "roll", "back", "--kind", "decision", "--by", "@bob", "--json")
    assert decided.code == 0, decided.err
    assert decided.json()["kind"] == "decision" and decided.json()["attributed_to"] == "bob"
    mine = run("log", incident, "freeze deploys", "--kind", "Decision", "--json").json()
    assert mine["attributed_to"] == "tester"  # a decision without --by: the author decided
    plain = run("log", incident, "d: not a prefix here", "--json").json()
    assert (plain["kind"], plain["event"]) == ("observation", "d: not a prefix here")
    refused = run("log", incident, "x", "--kind", "system")
    assert refused.code != 0 and "is not an entry kind" in refused.err
    assert "Traceback" not in refused.err
    shown = run("show", incident).out
    assert "KIND" in shown and "ID" in shown
    assert "decision (bob)" in shown and decided.json()["id"][-8:] in shown


def test_a_question_is_listed_until_answered_by_its_short_id(run) -> None:  # type: ignore[no-untyped-def]
    incident = _incident(run)
    asked = run("log", incident, "is the replica lagging", "--kind", "question", "--json").json()
    listed = run("questions", incident)
    assert listed.code == 0, listed.err
    assert "is the replica lagging" in listed.out and asked["id"][-8:] in listed.out
    assert " min " in listed.out  # how long it has waited
    [entry] = run("questions", incident, "--json").json()
    assert entry["id"] == asked["id"] and entry["age_seconds"] >= 0
    answer = run("log", incident, "yes, 40 s", "--answers", asked["id"][-8:], "--json").json()
    assert (answer["kind"], answer["answers"]) == ("answer", asked["id"])
    assert run("questions", incident, "--json").json() == []
    assert run("questions", incident).out.strip().endswith("no open questions.")
    again = run("log", incident, "x", "--answers", answer["id"])
    assert again.code != 0 and "not a question" in again.err


def test_key_marks_and_unmarks_and_show_stars_it(run) -> None:  # type: ignore[no-untyped-def]
    incident = _incident(run)
    entry = run("log", incident, "rolled back", "--kind", "action", "--json").json()
    marked = run("key", entry["id"][-8:])
    assert marked.code == 0, marked.err
    assert marked.out.strip() == f"{entry['id'][-8:]}  a key event: rolled back"
    assert "already a key event" in run("key", entry["id"]).out
    assert "★ action" in run("show", incident).out
    assert run("show", incident, "--json").json()["timeline"][-1]["key_event"] is True
    off = run("key", entry["id"], "--off", "--json").json()
    assert off["key_event"] is False and off["changed"] is True
    assert "★" not in run("show", incident).out


def test_bad_entry_ids_say_so_in_one_line(run) -> None:  # type: ignore[no-untyped-def]
    incident = _incident(run)
    for bad, says in (("zz", "is not an entry id"), ("abcd1234", "No timeline entry")):
        result = run("key", bad)
        assert result.code != 0 and says in result.err and len(result.err.splitlines()) == 1
    missing = run("log", incident, "x", "--answers", "abc%")
    assert missing.code != 0 and "is not an entry id" in missing.err
    unlinked = run("log", incident, "x", "--kind", "answer")
    assert unlinked.code != 0 and "must name the question" in unlinked.err
