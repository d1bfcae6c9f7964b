"""Moving one incident between workspaces as a JSON file: its ops, and a readable record.

The file carries the incident's ops (every op with its incident id, plus the workspace ops it
depends on: the people on its roster, the custom roles it used, the templates of its drafts)
with their ids, stamps and hashes unchanged, so importing them is what sync does with a
foreign node's ops: store, apply, move the clock past them. The readable ``record`` beside
them is for people and tools; import trusts only the ops, whose hashes it checks.

An export holds only the incident's part of each writer's hash chain. Where the chain skips
ops of other incidents, the imported op is recorded as a *gap* (``meta`` key ``chain.gaps``):
``commander verify`` still checks its content against its hash, and every link between ops
that were contiguous, but does not ask for ops the file was never meant to carry.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from commander import __version__
from commander.core.clock import iso, to_ms
from commander.core.errors import ValidationError
from commander.core.hlc import HlcStamp, receive
from commander.core.limits import IMPORT_FILE_MAX, check_stored_value, load_json
from commander.core.ops import (
    GENESIS_HASH,
    OP_FIELDS,
    SCHEMA_VERSION,
    WORKSPACE_SCOPE,
    Entity,
    Op,
)
from commander.core.records_json import JsonRecord, json_field
from commander.core.signing import KeyLedger
from commander.services.files import read_bounded
from commander.services.workspace import Workspace
from commander.storage import apply_keys, oplog, queries, transfer_queries
from commander.storage.transfer_queries import incident_op_rows, node_head, present_ids

FORMAT = "commander.incident"
FORMAT_VERSION = 1
GAPS_KEY = "chain.gaps"
_HLC_KEY = "hlc"
_OP_FIELDS = OP_FIELDS


@dataclass(frozen=True)
class ImportSummary(JsonRecord):
    """What an import did."""

    incident_id: str
    ref: str
    title: str
    imported: int = field(metadata=json_field(name="ops_imported"))
    already_present: int = field(metadata=json_field(name="ops_already_present"))
    gaps: int = field(metadata=json_field(name="chain_gaps"))


# -- export ---------------------------------------------------------------------------------


def export_document(ws: Workspace, incident_id: str, *, record: dict[str, Any]) -> dict[str, Any]:
    """The whole incident as one JSON-ready document (``record``: the readable report)."""
    with ws.read() as conn:
        incident = queries.get_incident(conn, incident_id)
        if incident is None:
            raise ValidationError(f"No incident with id {incident_id}.")
        rows = incident_op_rows(conn, incident_id)
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "op_schema_version": SCHEMA_VERSION,
        "generator": f"Commander {__version__}",
        "exported_at": iso(ws.clock.now()),
        "exported_by": ws.author,
        "incident_id": incident.id,
        "ref": incident.ref,
        "record": record,
        "ops": [_op_json(row) for row in rows],
    }


def _op_json(row: tuple[Any, ...]) -> dict[str, Any]:
    body = dict(zip(_OP_FIELDS, row[: len(_OP_FIELDS)], strict=True))
    body["value"] = json.loads(body["value"])
    stamp = row[len(_OP_FIELDS)]
    if stamp is not None and stamp != body["hlc"]:
        body["stamp"] = stamp  # the order the shared server gave an op from a clock far ahead
    return body


def write_document(document: dict[str, Any], path: Path) -> Path:
    text = json.dumps(document, ensure_ascii=False, indent=1, sort_keys=False)
    path.write_text(text + "\n", encoding="utf-8")
    return path


# -- import ---------------------------------------------------------------------------------


def read_document(path: Path) -> dict[str, Any]:
    """Parse an export file; anything that is not one is a one-sentence ``ValidationError``."""
    data = read_bounded(path, limit=IMPORT_FILE_MAX)
    document = load_json(data, what=str(path))
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ValidationError(f"{path} is not a Commander incident export.")
    return document


def parse_ops(document: dict[str, Any]) -> tuple[list[Op], dict[str, str]]:
    """The document's ops, each checked against its hash; plus op id -> ordering stamp."""
    ops: list[Op] = []
    stamps: dict[str, str] = {}
    incident_id = document["incident_id"]
    for body in document["ops"]:
        op = Op(**{name: body[name] for name in _OP_FIELDS if name in body})
        if op.schema_version > SCHEMA_VERSION:
            raise ValidationError(
                "This export holds changes from a newer Commander (op schema "
                f"{op.schema_version}); upgrade Commander to import it."
            )
        check_stored_value(
            [op.op_id, op.node_id, op.hlc, op.entity, op.entity_id, op.field, op.author, op.value],
            what=f"Op {op.op_id} in this export",
        )
        if op.compute_hash() != op.hash:
            raise ValidationError(
                f"Op {op.op_id} in this export does not match its hash: the file was edited "
                "or damaged; nothing was imported."
            )
        if op.incident_id not in (incident_id, WORKSPACE_SCOPE):
            raise ValidationError(
                f"Op {op.op_id} belongs to another incident ({op.incident_id}); "
                "nothing was imported."
            )
        ops.append(op)
        if "stamp" in body:
            stamps[op.op_id] = body["stamp"]
    if not any(op.entity == Entity.INCIDENT and op.entity_id == incident_id for op in ops):
        raise ValidationError("This export has no op creating its incident; nothing was imported.")
    return ops, stamps


def import_document(ws: Workspace, document: dict[str, Any]) -> ImportSummary:
    """Append the document's ops to ``ws`` in one transaction (all or nothing).

    Raises:
        ValidationError: the document is not a valid export, is newer than this Commander, or
            its incident is already in the workspace.
    """
    from commander.reports.schema import validate_export  # jsonschema: only for imports

    version = document.get("format_version")
    if isinstance(version, int) and version > FORMAT_VERSION:
        raise ValidationError(
            f"This export is format version {version}, newer than this Commander reads "
            f"({FORMAT_VERSION}): upgrade Commander to import it."
        )
    validate_export(document)
    ops, stamps = parse_ops(document)
    incident_id = document["incident_id"]
    imported = present_count = 0
    gaps: list[str] = []
    with ws.write() as conn:
        if queries.incident_exists(conn, incident_id):
            ref = document.get("ref", incident_id)
            raise ValidationError(
                f"Incident {ref} is already in this workspace; nothing was imported."
            )
        create = next(op for op in ops if op.entity == Entity.INCIDENT and op.field == "create")
        if queries.ref_exists(conn, create.value["ref"]):
            raise ValidationError(
                f"Another incident already has the reference {create.value['ref']}; "
                "nothing was imported."
            )
        present = present_ids(conn, [op.op_id for op in ops])
        ledger = KeyLedger(apply_keys.pinned_keys(conn))
        for op in ops:
            _status, problem = (None, None) if op.op_id in present else ledger.check(op)
            if problem is not None:
                raise ValidationError(
                    f"Op {op.op_id} in this export fails its signature check: {problem}; "
                    "nothing was imported."
                )
        heads: dict[str, str] = {}
        newest: HlcStamp | None = None
        for op in ops:
            if op.op_id in present:
                present_count += 1
                continue
            if op.node_id == ws.node_id:
                raise ValidationError(
                    "This export holds changes written by this workspace that it no longer "
                    "has; nothing was imported."
                )
            head = heads.get(op.node_id) or node_head(conn, op.node_id)
            if op.prev_hash != (head or GENESIS_HASH):
                gaps.append(op.op_id)
            oplog.store(conn, op)
            oplog.apply(conn, op)
            heads[op.node_id] = op.hash
            imported += 1
            stamp = HlcStamp.decode(stamps.get(op.op_id, op.hlc))
            newest = stamp if newest is None or stamp > newest else newest
        record_arrival(conn, gaps, newest, to_ms(ws.clock.now()))
        incident = queries.get_incident(conn, incident_id)
    assert incident is not None
    return ImportSummary(
        incident.id, incident.ref, incident.title, imported, present_count, len(gaps)
    )


def record_arrival(
    conn: Connection, gaps: list[str], newest: HlcStamp | None, wall_ms: int
) -> None:
    """After ops arrive by file: remember their chain gaps, move this clock past them."""
    if gaps:
        known = json.loads(oplog.read_meta(conn, GAPS_KEY) or "[]")
        oplog.write_meta(conn, GAPS_KEY, json.dumps(sorted({*known, *gaps})))
    if newest is not None:
        last_text = oplog.read_meta(conn, _HLC_KEY)
        last = HlcStamp.decode(last_text) if last_text else HlcStamp(0, 0)
        oplog.write_meta(conn, _HLC_KEY, receive(last, newest, wall_ms).encode())


def chain_gaps(conn: Connection) -> set[str]:
    """Op ids whose link to the op before them crosses ops an export left out."""
    return set(json.loads(oplog.read_meta(conn, GAPS_KEY) or "[]"))


# -- the materialized record, for comparing workspaces ----------------------------------------


def materialized_rows(ws: Workspace, incident_id: str) -> dict[str, list[dict[str, Any]]]:
    """Every materialized row of the incident, table by table, in primary-key order.

    Includes the workspace rows it depends on (people on its roster, custom roles, templates of
    its drafts). Two workspaces hold the same incident exactly when these are equal.
    """
    with ws.read() as conn:
        return transfer_queries.materialized_rows(conn, incident_id)
