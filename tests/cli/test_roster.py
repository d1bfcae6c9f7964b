"""``role``, ``people`` and ``briefing`` from the command line."""

from __future__ import annotations

from pathlib import Path

PEOPLE = (
    "name,handle,team,email,phone,roles\n"
    "Alice Smith,alice,SRE,alice@example.com,+1 555 0100,IC\n"
    "Bob Jones,bob,SRE,,,Technical Lead;Comms\n"
)


def _import(run, tmp_path: Path, text: bytes) -> object:
    path = tmp_path / "people.csv"
    path.write_bytes(text)
    return run("people", "import", str(path), "--json")


def test_assign_handoff_list_and_briefing(run, declare, tmp_path) -> None:
    incident = declare("DB down", "P1")
    assert _import(run, tmp_path, PEOPLE.encode()).code == 0
    assert run("role", "assign", incident["ref"], "IC", "alice").code == 0
    handed = run("role", "assign", incident["ref"], "IC", "@bob", "--note", "shift", "--json")
    assert handed.code == 0, handed.err
    assert handed.json()["kind"] == "handoff" and handed.json()["previous"] == "alice"
    listing = run("role", "list", incident["ref"], "--json").json()
    ic = next(r for r in listing["roles"] if r["role"] == "incident_commander")
    assert ic["holder"] == "bob" and ic["since"]
    assert listing["missing"] == ["technical_lead", "communications_lead"]
    assert [h["person"] for h in listing["history"]] == ["alice", "bob"]
    assert all(h["at"] for h in listing["history"])
    at = run("role", "at", incident["ref"], "IC", listing["history"][0]["at"], "--json")
    assert at.json()["holder"]["person"] == "alice"
    text = run("role", "list", incident["ref"])
    assert "UNASSIGNED (required)" in text.out and "alice → " not in text.out
    briefing = run("briefing", incident["ref"])
    assert briefing.code == 0
    assert briefing.out.startswith("# Handoff briefing")
    assert "**Incoming IC:** Bob Jones (@bob)" in briefing.out
    events = [e["event"] for e in run("show", incident["ref"], "--json").json()["timeline"]]
    assert "Incident Commander: Alice Smith → Bob Jones" in events
    assert any(e.startswith("Handoff briefing generated") for e in events)


def test_people_import_export_and_encodings(run, tmp_path) -> None:
    bom = b"\xef\xbb\xbf" + PEOPLE.encode()
    result = _import(run, tmp_path, bom)
    assert result.code == 0 and result.json()["created"] == ["alice", "bob"]
    latin = "name;handle;team\nJosé Müller;jose;Réseau\n".encode("latin-1")
    assert _import(run, tmp_path, latin).json()["encoding"] == "latin-1"
    out = tmp_path / "out.csv"
    assert run("people", "export", str(out)).code == 0
    text = out.read_text(encoding="utf-8")
    assert "José Müller,jose,Réseau" in text
    assert "Alice Smith,alice,SRE,alice@example.com,'+1 555 0100,Incident Commander" in text
    assert run("people", "export").out == text


def test_bad_roster_input(run, declare, tmp_path, one_line_error) -> None:
    incident = declare()
    _import(run, tmp_path, PEOPLE.encode())
    one_line_error(run("role", "assign", incident["ref"], "chef", "alice"), contains="Unknown role")
    one_line_error(
        run("role", "assign", incident["ref"], "IC", "@bad handle"), contains="may use only"
    )
    added = run("role", "assign", incident["ref"], "Technical Lead", "Zed Okafor", "--json")
    assert added.code == 0 and added.json()["added"]["handle"] == "zed.okafor"
    me = run("role", "assign", incident["ref"], "Communications Lead", "me")
    assert me.code == 0 and "is now Communications Lead" in me.out
    one_line_error(_import(run, tmp_path, b"name,mail\nA,a@x\n"), contains="lacks the column")
    partial = _import(run, tmp_path, b"name,handle\nCarol,carol\nCarla,CAROL\n")
    assert partial.code == 0
    assert partial.json()["skipped"] == [
        {"line": 3, "reason": "duplicate handle @carol (first on line 2)"}
    ]
    assert "line 3 skipped" in partial.err
    other = declare("Other", "P2")
    run("role", "assign", incident["ref"], "IC", "alice")
    warned = run("role", "assign", other["ref"], "IC", "alice")
    assert warned.code == 0 and "also Incident Commander" in warned.err


def test_custom_roles_and_team(run, declare, tmp_path) -> None:
    incident = declare("Breach?", "P2")
    _import(run, tmp_path, PEOPLE.encode())
    assert run("role", "add", "Scribe").code == 0
    assert run("role", "assign", incident["ref"], "scribe", "bob").code == 0
    run("incident", "set", incident["ref"], "security_related", "yes")
    team = run("role", "team", incident["ref"], "--json").json()
    assert team["missing"] == ["incident_commander", "security_lead"]
    assert any(
        r["role"] == "scribe"
        for r in run("role", "list", incident["ref"], "--json").json()["roles"]
    )
