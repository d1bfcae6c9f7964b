"""Bundles: round trip, idempotence, incremental bundles, and every kind of damage refused."""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from commander.core.bundle_format import MAGIC, decode, encode
from commander.core.clock import FakeClock
from commander.core.errors import ValidationError
from commander.core.signing import Ed25519Signer
from commander.services.bundles import export_bundle, import_bundle
from commander.services.incidents import IncidentService
from commander.services.transfer import materialized_rows
from commander.services.verify import verify_workspace
from commander.services.workspace import Workspace
from commander.storage import queries

T0 = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


def _open(root: Path, name: str, clock: FakeClock) -> Workspace:
    return Workspace.open(root / name, author=name, clock=clock, zone=UTC)


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[tuple[Workspace, Workspace, FakeClock]]:
    clock = FakeClock(T0)
    alice, bob = _open(tmp_path, "alice", clock), _open(tmp_path, "bob", clock)
    yield alice, bob, clock
    alice.close()
    bob.close()


def _story(ws: Workspace, clock: FakeClock, title: str = "Checkout errors") -> str:
    incidents = IncidentService(ws)
    incident_id = incidents.declare(title=title, severity="P1", services=["checkout"]).incident.id
    for minute in range(1, 4):
        clock.set(clock.now() + timedelta(minutes=1))
        incidents.log(incident_id, f"step {minute} on {title}")
    return incident_id


def _op_count(ws: Workspace) -> int:
    with ws.read() as conn:
        return queries.count_ops(conn)


def test_round_trip_carries_everything_and_both_verify(pair, tmp_path):
    alice, bob, clock = pair
    incident_id = _story(alice, clock)
    path = tmp_path / "alice.bundle"
    written = export_bundle(alice, path)
    assert written.ops == _op_count(alice) and path.stat().st_mode & 0o077 == 0

    result = import_bundle(bob, path)

    assert result.imported == written.ops and result.already_present == 0
    assert materialized_rows(bob, incident_id) == materialized_rows(alice, incident_id)
    assert verify_workspace(bob).ok
    # Bob works on, and his answer travels back the same way.
    IncidentService(bob).log(incident_id, "bob: rolled back")
    import_bundle(alice, export_bundle(bob, tmp_path / "bob.bundle").path)
    assert materialized_rows(alice, incident_id) == materialized_rows(bob, incident_id)
    assert verify_workspace(alice).ok


def test_importing_a_bundle_twice_changes_nothing(pair, tmp_path):
    alice, bob, clock = pair
    incident_id = _story(alice, clock)
    path = export_bundle(alice, tmp_path / "a.bundle").path
    import_bundle(bob, path)
    before = (_op_count(bob), materialized_rows(bob, incident_id))

    again = import_bundle(bob, path)

    assert again.imported == 0 and again.already_present > 0
    assert (_op_count(bob), materialized_rows(bob, incident_id)) == before


def test_a_bundle_since_an_earlier_one_holds_only_what_is_new(pair, tmp_path):
    alice, bob, clock = pair
    incident_id = _story(alice, clock)
    first = export_bundle(alice, tmp_path / "1.bundle").path
    import_bundle(bob, first)
    IncidentService(alice).log(incident_id, "later news")

    second = export_bundle(alice, tmp_path / "2.bundle", since=first)

    assert second.ops == 1
    assert import_bundle(bob, second.path).imported == 1
    assert materialized_rows(bob, incident_id) == materialized_rows(alice, incident_id)
    with pytest.raises(ValidationError, match="already has every change"):
        export_bundle(alice, tmp_path / "3.bundle", since=second.path)


def test_an_incremental_bundle_before_its_predecessor_is_refused_whole(pair, tmp_path):
    alice, bob, clock = pair
    incident_id = _story(alice, clock)
    first = export_bundle(alice, tmp_path / "1.bundle").path
    IncidentService(alice).log(incident_id, "later news")
    second = export_bundle(alice, tmp_path / "2.bundle", since=first).path
    IncidentService(bob).declare(title="Bob's own", severity="P3", services=["x"])
    before = _op_count(bob)

    with pytest.raises(ValidationError, match="signed by a node this workspace does not know"):
        import_bundle(bob, second)
    assert _op_count(bob) == before
    import_bundle(bob, first)
    assert import_bundle(bob, second).imported == 1


def test_an_incident_bundle_carries_that_incident_alone(pair, tmp_path):
    alice, bob, clock = pair
    _story(alice, clock, "Unrelated disk alert")
    incident_id = _story(alice, clock)
    written = export_bundle(alice, tmp_path / "inc.bundle", incident=incident_id)

    result = import_bundle(bob, written.path)

    assert written.incident_ref is not None and result.gaps > 0
    assert [i.id for i in IncidentService(bob).list()] == [incident_id]
    assert materialized_rows(bob, incident_id) == materialized_rows(alice, incident_id)
    assert verify_workspace(bob).ok


# -- damage -----------------------------------------------------------------------------------


@pytest.fixture
def exported(pair, tmp_path) -> tuple[Workspace, bytes]:
    alice, bob, clock = pair
    _story(alice, clock)
    return bob, export_bundle(alice, tmp_path / "good.bundle").path.read_bytes()


def _sections(data: bytes) -> tuple[int, int, int]:
    """Where the manifest, the signature line and the compressed body start."""
    first = data.index(b"\n") + 1
    second = data.index(b"\n", first) + 1
    third = data.index(b"\n", second) + 1
    return first, second, third


def _refused(bob: Workspace, data: bytes, tmp_path: Path, match: str) -> None:
    path = tmp_path / "bad.bundle"
    path.write_bytes(data)
    before = _op_count(bob)
    with pytest.raises(ValidationError, match=match):
        import_bundle(bob, path)
    assert _op_count(bob) == before


def _flip(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]


def test_every_bit_flip_in_header_manifest_or_signature_is_refused(exported, tmp_path):
    bob, data = exported
    _, _, body = _sections(data)
    for at in range(body - 1):  # every byte before the body but the last newline
        if data[at] == ord("\n"):
            continue
        _refused(  # the version digit flipped upwards reads as a newer format: refused too
            bob, _flip(data, at), tmp_path, r"nothing was imported|not a Commander bundle|newer"
        )


def test_bit_flips_in_the_compressed_ops_are_refused(exported, tmp_path):
    bob, data = exported
    _, _, body = _sections(data)
    for at in range(body, len(data), max(1, (len(data) - body) // 97)):
        flipped = _flip(data, at)
        if _inflated(flipped[body:]) == _inflated(data[body:]):
            continue  # a bit deflate never reads (a spare code length): nothing changed
        _refused(bob, flipped, tmp_path, "nothing was imported|truncated")


def _inflated(body: bytes) -> bytes | None:
    try:
        return zlib.decompressobj().decompress(body)
    except zlib.error:
        return None


def test_a_truncated_bundle_is_refused_at_every_length(exported, tmp_path):
    bob, data = exported
    for length in range(0, len(data), max(1, len(data) // 89)):
        _refused(bob, data[:length], tmp_path, "truncated|not a Commander bundle|damaged")


def test_an_altered_op_is_named_even_when_recompressed(exported, tmp_path):
    bob, data = exported
    _, _, body = _sections(data)
    lines = zlib.decompress(data[body:]).split(b"\n")
    altered_lines = [line.replace(b"step 1", b"step X") for line in lines]
    altered = data[:body] + zlib.compress(b"\n".join(altered_lines))
    tampered = next(line for line in altered_lines if b"step X" in line)
    op_id = tampered.split(b'"op_id":"')[1].split(b'"')[0].decode()
    _refused(bob, altered, tmp_path, f"Op {op_id} .* does not match its hash")


def test_ops_swapped_for_other_valid_ones_break_the_digest(pair, exported, tmp_path):
    bob, data = exported
    _, _, body = _sections(data)
    lines = zlib.decompress(data[body:]).split(b"\n")
    shortened = data[:body] + zlib.compress(b"\n".join(lines[:2] + lines[3:]))
    _refused(bob, shortened, tmp_path, "its manifest lists")


def test_a_manifest_re_signed_by_another_key_is_refused(pair, exported, tmp_path):
    bob, data = exported
    alice = pair[0]
    bundle = decode(data, what="good")
    thief = Ed25519Signer.generate()
    forged_manifest = {
        **bundle.manifest,
        "exporter": {**bundle.manifest["exporter"], "public_key": thief.public_key},
    }
    import_bundle(bob, _write(tmp_path / "ok.bundle", data))  # bob pins alice's key
    forged = encode(forged_manifest, bundle.ops, thief)
    assert forged.startswith(MAGIC)
    _refused(bob, forged, tmp_path, "whose key here is")
    assert alice.node_id == bundle.exporter_node


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_not_a_bundle_is_one_sentence(workspace, tmp_path):
    path = _write(tmp_path / "x.bundle", b"hello\n")
    with pytest.raises(ValidationError, match="not a Commander bundle"):
        import_bundle(workspace, path)
    newer = _write(tmp_path / "n.bundle", MAGIC + b" 9\n{}\nxx\n")
    with pytest.raises(ValidationError, match="newer than this Commander reads"):
        import_bundle(workspace, newer)


def test_ops_of_a_revoked_node_are_left_out(pair, tmp_path):
    alice, bob, clock = pair
    _story(alice, clock)
    with bob.write() as conn:
        conn.exec_driver_sql(
            "INSERT INTO node_revocation(node_id, after_seq, revoked_at) VALUES (?, 0, ?)",
            (alice.node_id, "2026-11-28T09:00:00Z"),
        )
    result = import_bundle(bob, export_bundle(alice, tmp_path / "a.bundle").path)
    assert result.imported == 0 and result.revoked_left_out == _op_count(alice)
    assert IncidentService(bob).list() == []
