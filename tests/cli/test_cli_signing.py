"""``node show``/``node list`` and ``verify --file``: signatures from the command line."""

from __future__ import annotations

import json
import stat

from commander.core.ops import Op
from commander.core.signing import Ed25519Signer


def test_node_show_prints_id_fingerprint_and_where_the_key_is(run, declare, cli_dir) -> None:
    declare()
    shown = run("node", "show", "--json").json()
    key_file = cli_dir / f"node-key-{shown['node_id']}"
    assert shown["key_store"] == "file" and str(key_file) in shown["key_kept_in"]
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600  # no keyring here: owner-only file
    assert len(shown["fingerprint"].split()) == 8
    text = run("node", "show").out
    assert f"Fingerprint: {shown['fingerprint']}" in text and "readable only by its owner" in text
    (listed,) = run("node", "list", "--json").json()
    assert listed["fingerprint"] == shown["fingerprint"] and listed["author"] == "tester"


def test_verify_file_checks_every_signature_and_names_the_first_forged_op(
    run, declare, tmp_path
) -> None:
    incident = declare()
    run("log", incident["ref"], "Paged on-call")
    path = tmp_path / "export.json"
    assert run("export", incident["ref"], "-o", str(path)).code == 0
    ok = run("verify", "--file", str(path))
    assert ok.code == 0 and "every signature holds" in ok.out and "signed" in ok.out
    document = json.loads(path.read_text("utf-8"))
    victim = document["ops"][-1]
    # a forger rewrites the op, fixes its hash, and signs it with a key of her own
    fields = {k: v for k, v in victim.items() if k not in ("signature", "stamp")}
    fields["value"] = {**victim["value"], "event": "Did nothing"}
    forged = Op(**fields).sealed(victim["prev_hash"])
    victim.update(value=forged.value, hash=forged.hash)
    victim["signature"] = Ed25519Signer.generate().sign(forged.signed_bytes())
    path.write_text(json.dumps(document), "utf-8")
    bad = run("verify", "--file", str(path))
    assert bad.code == 1
    assert f"BAD SIGNATURE: op {victim['op_id']}" in bad.out and "does not verify" in bad.out
    refused = run("import", str(path), data_dir=tmp_path / "elsewhere")
    assert refused.code == 1 and "fails its signature check" in refused.err
