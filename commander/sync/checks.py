"""Verify before apply: every pulled op's hash, chain and signature, and quarantine failures.

The client trusts nothing the server sends. An op whose value is not JSON (or not in the
canonical form its hash covers), whose content does not match its hash, whose link does not
continue its node's chain here, whose signature does not hold under its node's pinned key,
or whose node an admin revoked, is *quarantined*: kept in ``sync_problem`` with its reason,
never applied, and the pull goes on past it. An op that fails while being applied (a value
the apply code cannot use) is quarantined the same way. So no op on the server can stop a
client from pulling, and everything else still syncs.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from commander.core.ops import GENESIS_HASH, OP_FIELDS, Op, canonical_json, chain_hash
from commander.core.records_json import JsonRecord
from commander.core.signing import KeyLedger, is_key_op
from commander.storage import apply_keys, quarantine

log = logging.getLogger(__name__)

_STAMP = re.compile(r"[0-9]{15}\.[0-9]{6}")
QUARANTINED = "quarantined"
UNTRUSTED = "untrusted"
_COLUMNS = OP_FIELDS


@dataclass(frozen=True)
class Quarantined(JsonRecord):
    """One op kept aside, and why: what ``commander sync`` and the window list."""

    op_id: str
    node_id: str
    author: str
    server_seq: int
    reason: str

    def sentence(self) -> str:
        return (
            f"op {self.op_id} from node {self.node_id} ({self.author}) quarantined: {self.reason}"
        )


@dataclass(frozen=True)
class Revocation:
    node_id: str
    after_seq: int
    revoked_at: str


def screen(
    conn: Connection,
    rows: Sequence[Sequence[Any]],
    *,
    revoked: dict[str, Revocation],
    wall_ms: int,
    verified: dict[str, Op] | None = None,
) -> tuple[list[Sequence[Any]], list[Quarantined]]:
    """Split server rows ``(seq, effective_hlc, *columns)`` into those to apply and the rest.

    ``verified`` (op id -> op) receives the op each new accepted row was checked as, so the
    apply does not parse its value again (and stores exactly the text that was checked).

    Ops already here pass through untouched (sync's duplicate handling decides about them);
    each new op must pass every check, in its node's chain order. Every op's hash and link
    are checked; of each node's signed ops in the batch, the newest one's signature is
    verified, which commits to every op before it through the chain (a signature over
    ``prev_hash`` signs the whole history). Only when it fails is each op's own signature
    checked, to name the first one that does not hold.
    """
    op_ids = [str(row[2]) for row in rows]
    present = quarantine.known_ids(conn, "op", op_ids)
    held = quarantine.known_ids(conn, "sync_problem", op_ids)
    ledger = KeyLedger(apply_keys.pinned_keys(conn))
    heads: dict[str, str] = {}  # node -> hash of its last op accepted in this batch
    kept: set[str] = set()  # hashes of ops quarantined in this batch
    candidates: list[tuple[Sequence[Any], Op | None]] = []
    signed: dict[str, list[Op]] = {}  # node -> its signed ops here, to verify at the end
    problems: list[Quarantined] = []

    def refuse(row: Sequence[Any], reason: str) -> None:
        kept.add(str(row[13]))
        problem = Quarantined(str(row[2]), str(row[3]), str(row[10]), int(row[0]), reason)
        note(conn, problem, QUARANTINED, row, wall_ms)
        problems.append(problem)

    for row in rows:
        op_id = str(row[2])
        if op_id in present:
            if _is_stamp(row[1]):
                candidates.append((row, None))
            else:  # an ordering stamp no server writes: keep the one this replica has
                log.warning("sync: op %s came back with a broken ordering stamp", op_id)
            continue
        if op_id in held:
            continue  # quarantined by an earlier pull: stays aside
        reason, op = _check(conn, row, ledger, heads, kept, revoked)
        if reason is not None or op is None:
            refuse(row, reason or "")
            continue
        heads[op.node_id] = op.hash
        candidates.append((row, op))
        if op.signature and not is_key_op(op):
            signed.setdefault(op.node_id, []).append(op)
    forged = _forged(ledger, signed)
    accepted: list[Sequence[Any]] = []
    for row, op in candidates:
        if op is None or op.node_id not in forged:
            accepted.append(row)
            if op is not None and verified is not None:
                verified[op.op_id] = op
            continue
        first, after = forged[op.node_id]
        if op.op_id == first:
            refuse(row, ledger.bad_signature(op.node_id))
        elif op.op_id in after:
            refuse(row, "it continues an op that was quarantined")
        else:
            accepted.append(row)
            if verified is not None:
                verified[op.op_id] = op
    return accepted, problems


def _forged(ledger: KeyLedger, signed: dict[str, list[Op]]) -> dict[str, tuple[str, set[str]]]:
    """node -> (its first op whose signature fails, the op ids after it), for failing nodes."""
    found: dict[str, tuple[str, set[str]]] = {}
    for node, ops in signed.items():
        if ledger.signature_holds(ops[-1]):
            continue  # the newest signature vouches for the whole chain before it
        for n, op in enumerate(ops):
            if not ledger.signature_holds(op):
                found[node] = (op.op_id, {later.op_id for later in ops[n + 1 :]})
                break
    return found


def _check(
    conn: Connection,
    row: Sequence[Any],
    ledger: KeyLedger,
    heads: dict[str, str],
    kept: set[str],
    revoked: dict[str, Revocation],
) -> tuple[str | None, Op | None]:
    # row: seq, effective_hlc, then the op's columns in OP_FIELDS order (value at 9).
    revocation = revoked.get(str(row[3])) if revoked else None
    if revocation is not None and int(row[0]) > revocation.after_seq:
        return (
            f"its node was revoked by an admin ({revocation.revoked_at}); its ops after "
            "that are untrusted",
            None,
        )
    if not _is_stamp(row[4]) or not _is_stamp(row[1]):
        return "its stamp is not a clock stamp", None
    text, version = row[9], row[11]
    if not isinstance(version, int) or not isinstance(text, str):
        return "it is not an op of any schema (wrong field types)", None
    try:
        value = json.loads(text)
    except (TypeError, ValueError):
        return "its value is not valid JSON", None
    try:
        if canonical_json(value) != text:
            return "its value is not in the canonical form its hash covers", None
        signature = (row[14] if len(row) > 14 else "") or ""
        op_id, node_id, hlc, incident_id, entity, entity_id, field = row[2:9]
        op = Op(
            op_id,
            node_id,
            hlc,
            incident_id,
            entity,
            entity_id,
            field,
            value,
            row[10],
            version,
            row[12],
            row[13],
            signature,
        )
        if chain_hash(op.prev_hash, op.canonical_with(text)) != op.hash:
            return "its content does not match its hash (changed after it was written)", None
    except (TypeError, ValueError, UnicodeError) as exc:
        return f"it cannot be checked ({type(exc).__name__})", None
    if op.prev_hash in kept:
        return "it continues an op that was quarantined", None
    if not _continues(conn, op, heads):
        if quarantine.set_aside_hash(conn, op.node_id, op.prev_hash):
            return "it continues an op that was quarantined", None
        return "it does not continue its node's chain (no op of that node has its prev_hash)", None
    _status, problem = ledger.check(op, verify=False)
    if problem is not None:
        return problem, None
    return None, op


def _is_stamp(text: Any) -> bool:
    return isinstance(text, str) and _STAMP.fullmatch(text) is not None


def _continues(conn: Connection, op: Op, heads: dict[str, str]) -> bool:
    if op.prev_hash == GENESIS_HASH or heads.get(op.node_id) == op.prev_hash:
        return True
    return quarantine.has_hash(conn, op.node_id, op.prev_hash)


def note(
    conn: Connection, problem: Quarantined, kind: str, row: Sequence[Any], wall_ms: int
) -> None:
    """Record an op kept aside (or marked untrusted) with its reason; once per op."""
    body = json.dumps(dict(zip(_COLUMNS, row[2:], strict=False)), ensure_ascii=False)
    quarantine.keep_aside(
        conn,
        op_id=problem.op_id,
        node_id=problem.node_id,
        author=problem.author,
        server_seq=problem.server_seq,
        kind=kind,
        reason=problem.reason,
        body=body,
        noted_at_ms=wall_ms,
    )
    log.warning("sync: %s", problem.sentence())


def apply_guarded(conn: Connection, op: Op, *, guarded: bool = True) -> str | None:
    """Store and apply one verified op; why it failed when only it was rolled back (see
    ``storage.quarantine.apply_alone``: a busy or full workspace propagates)."""
    failed = quarantine.apply_alone(conn, op, guarded=guarded)
    if failed is None:
        return None
    return f"its value does not fit its kind of change ({type(failed).__name__}: {failed})"


# -- revocations ----------------------------------------------------------------------------


def learn_revocations(
    conn: Connection, found: list[Revocation], wall_ms: int, untrusted_rows: Any
) -> dict[str, Revocation]:
    """Remember revocations the server reports; mark ops already applied after them.

    ``untrusted_rows(revocation)`` fetches the server rows of that node after the point.
    """
    known = quarantine.revocations(conn)
    for revocation in found:
        if known.get(revocation.node_id) == (revocation.after_seq, revocation.revoked_at):
            continue
        quarantine.remember_revocation(
            conn, revocation.node_id, revocation.after_seq, revocation.revoked_at
        )
        rows = list(untrusted_rows(revocation))
        present = quarantine.known_ids(conn, "op", [str(row[2]) for row in rows])
        for row in rows:
            if row[2] not in present:
                continue  # not applied here: the pull quarantines it when it comes
            problem = Quarantined(
                str(row[2]),
                str(row[3]),
                str(row[10]),
                int(row[0]),
                f"applied before its node was revoked by an admin ({revocation.revoked_at}); "
                "untrusted",
            )
            note(conn, problem, UNTRUSTED, row, wall_ms)
    return {r.node_id: r for r in found}
