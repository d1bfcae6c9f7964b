"""The op: the one unit of change, and the hash chain that makes the log evidence.

Every user action becomes one or more ops. Ops are immutable; the materialized tables are a
function of the op log. Each node chains its own ops: ``hash = sha256(prev_hash || canonical)``,
so an op edited after the fact breaks the chain at that op and every later one.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Container, Iterable, Iterator
from dataclasses import dataclass, fields
from dataclasses import field as dataclass_field
from json.encoder import encode_basestring
from typing import Any

SCHEMA_VERSION = 1
GENESIS_HASH = "0" * 64


class Entity:
    """Names of the things ops act on."""

    INCIDENT = "incident"
    ENTRY = "entry"
    DEADLINE = "deadline"  # entity_id is the deadline key; each op is one event
    ROLE = "role"  # entity_id is f"{incident_id}:{role_key}"; field HOLDER, a register
    PERSON = "person"  # entity_id is the handle; one register per field; workspace-wide
    ROLE_DEF = "role_def"  # a custom role; entity_id is its key; workspace-wide
    TEMPLATE = "template"  # entity_id is the template key; incident_id is "" (workspace-wide)
    DRAFT = "draft"  # a message draft of an incident
    IMPACT = "impact"  # entity_id is the sample id
    REVIEW = "review"  # entity_id is the incident id; one register per review section key
    ACTION_ITEM = "action_item"  # entity_id is the item id; one register per field
    CHECKLIST = "checklist"  # entity_id is the checklist key; workspace-wide; CONTENT (LWW)
    CHECK = "check"  # entity_id is f"{incident_id}:{step_key}"; DONE, a register
    RUNBOOK_VALUE = "runbook_value"  # entity_id is f"{incident_id}:{name}"; VALUE, a register
    ALERT_LINK = "alert_link"  # entity_id is f"{incident_id}:{fingerprint}"
    NODE = "node"  # entity_id is the node id; field KEY introduces its signing key, once
    STAMP = "stamp"  # entity_id is the node's own id; ADOPT: ordering stamps for its own ops
    PROCEDURE = "procedure"  # entity_id "workspace": the loaded procedure file; CONTENT (LWW)
    INCIDENT_FIELD = "incident_field"  # entity_id f"{incident_id}:{key}": type, custom field


# Ops on the workspace itself (people, custom roles, templates) belong to no incident.
WORKSPACE_SCOPE = ""


class Field:
    """Names of the fields ops set. ``CREATE`` carries the initial record."""

    CREATE = "create"
    TITLE = "title"
    SEVERITY = "severity"
    STATUS = "status"
    PHASE = "phase"
    IMPACT = "impact"
    SERVICES = "services"
    STRIKE = "strike"
    AMEND = "amend"
    PARTNERS_AFFECTED = "partners_affected"
    SECURITY_RELATED = "security_related"
    # Roles (entity ROLE): who holds it, a register whose every op stays in the history.
    HOLDER = "holder"
    # People (entity PERSON) and custom roles (entity ROLE_DEF): registers per field.
    NAME = "name"
    TEAM = "team"
    EMAIL = "email"
    PHONE = "phone"
    ROLES = "roles"
    REMOVED = "removed"
    DESCRIPTION = "description"
    # Deadline events (entity DEADLINE): append-only, never registers.
    MET = "met"
    UPDATE_SENT = "update_sent"
    SNOOZE = "snooze"
    OVERDUE = "overdue"
    SEND_FAILED = "send_failed"
    # Templates and drafts (entities TEMPLATE, DRAFT): the whole record, last writer wins.
    CONTENT = "content"
    SAMPLE = "sample"  # an impact sample (entity IMPACT); struck with STRIKE
    DONE = "done"  # a checklist step ticked (True) or unticked (entity CHECK)
    VALUE = "value"  # a runbook placeholder's value for an incident (entity RUNBOOK_VALUE)
    RESOLVED = "resolved"  # an alert linked to an incident resolved (entity ALERT_LINK)
    FIRED = "fired"  # ... and fired again after it resolved (entity ALERT_LINK)
    KEY = "key"  # a node's public signing key (entity NODE), pinned from then on
    ADOPT = "adopt"  # {"stamps": {op_id: stamp}}: a node orders its own far-ahead ops later
    KEY_EVENT = "key_event"  # an entry marked (True) or unmarked as a key event, a register


INCIDENT_REGISTERS = (
    Field.TITLE,
    Field.SEVERITY,
    Field.STATUS,
    Field.PHASE,
    Field.IMPACT,
    Field.SERVICES,
    Field.PARTNERS_AFFECTED,
    Field.SECURITY_RELATED,
)
PERSON_REGISTERS = (Field.NAME, Field.TEAM, Field.EMAIL, Field.PHONE, Field.ROLES, Field.REMOVED)
ROLE_DEF_REGISTERS = (Field.NAME, Field.DESCRIPTION, Field.REMOVED)


def role_entity_id(incident_id: str, role: str) -> str:
    return f"{incident_id}:{role}"


def register_value(op_field: str, value: Any, register: str) -> Any:
    """The value an op gives a register.

    A create op carries the whole initial record; a change op carries ``{"value": v,
    "base": op_id}``, where ``base`` is the op that held the register when the change was
    made. Two changes with the same base were made without seeing each other: concurrent.
    """
    if op_field == Field.CREATE:
        return value[register]
    return value["value"]


def register_change(value: Any, base: str | None) -> dict[str, Any]:
    return {"value": value, "base": base}


@dataclass(frozen=True)
class Op:
    """One change, as stored in the op log and exchanged by sync."""

    op_id: str
    node_id: str
    hlc: str
    incident_id: str
    entity: str
    entity_id: str
    field: str
    value: Any
    author: str
    schema_version: int = SCHEMA_VERSION
    prev_hash: str = GENESIS_HASH
    hash: str = dataclass_field(default="", compare=False)
    # Ed25519 over ``signed_bytes()``, hex; "" for ops written before signing (or unsigned).
    signature: str = dataclass_field(default="", compare=False)

    def signed_bytes(self) -> bytes:
        """What the signature covers: exactly what the hash covers (``prev_hash || canonical``)."""
        return self.prev_hash.encode("ascii") + self.canonical()

    def canonical(self) -> bytes:
        """The bytes the chain hashes: every field but the two hashes, in a fixed form."""
        return self.canonical_with(canonical_json(self.value))

    def compute_hash(self) -> str:
        return chain_hash(self.prev_hash, self.canonical())

    def canonical_with(self, value_text: str) -> bytes:
        """``canonical()`` with the value given as its canonical JSON text (sync has it as
        text already): "value" sorts last, so it is spliced in instead of encoded again.

        The other fields are strings and an int: formatted with the encoder's own string
        quoting (the same bytes ``canonical_json`` of the whole body gives, at a third of the
        cost); any other type takes the general path.
        """
        texts = (
            self.author,
            self.entity,
            self.entity_id,
            self.field,
            self.hlc,
            self.incident_id,
            self.node_id,
            self.op_id,
        )
        if type(self.schema_version) is int:
            try:  # the quoting refuses anything but a string: then the general path decides
                head = _HEAD % (*map(_quote, texts), self.schema_version)
            except TypeError:
                pass
            else:
                return (head + value_text + "}").encode("utf-8")
        body = {
            "op_id": self.op_id,
            "node_id": self.node_id,
            "hlc": self.hlc,
            "incident_id": self.incident_id,
            "entity": self.entity,
            "entity_id": self.entity_id,
            "field": self.field,
            "author": self.author,
            "schema_version": self.schema_version,
        }
        head = canonical_json(body)
        return (head[:-1] + ',"value":' + value_text + "}").encode("utf-8")

    def sealed(self, prev_hash: str) -> Op:
        """This op linked after ``prev_hash``, with its own hash filled in."""
        linked = Op(**{**self.__dict__, "prev_hash": prev_hash, "hash": "", "signature": ""})
        return Op(**{**linked.__dict__, "hash": linked.compute_hash()})

    def value_json(self) -> str:
        return canonical_json(self.value)


# An op's fields in their stored order: the op table's columns, an export's keys, a pulled row.
OP_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Op))


# One encoder for every call: ``json.dumps`` with options builds a new one each time (a third
# of its cost on an op's value).
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical_json(value: Any) -> str:
    return _CANONICAL.encode(value)


# ``canonical_json`` of an op's body up to its value, keys sorted (see ``Op.canonical_with``).
_HEAD = (
    '{"author":%s,"entity":%s,"entity_id":%s,"field":%s,"hlc":%s,"incident_id":%s,'
    '"node_id":%s,"op_id":%s,"schema_version":%d,"value":'
)
_quote = encode_basestring  # what the encoder quotes strings with (ensure_ascii=False)


def chain_hash(prev_hash: str, canonical: bytes) -> str:
    return hashlib.sha256(prev_hash.encode("ascii") + canonical).hexdigest()


@dataclass(frozen=True)
class ChainBreak:
    """The first op whose link or content does not match its chain."""

    node_id: str
    op_id: str
    position: int
    reason: str


def verify_chains(ops: Iterable[Op], gaps: Container[str] = frozenset()) -> Iterator[ChainBreak]:
    """Yield the first break of each node's chain; ops must come in each node's chain order.

    ``gaps``: ops imported from an incident export whose link crosses ops the file left out;
    their content is still checked against their hash.
    """
    heads: dict[str, str] = {}
    counts: dict[str, int] = {}
    broken: set[str] = set()
    for op in ops:
        if op.node_id in broken:
            continue
        position = counts.get(op.node_id, 0)
        counts[op.node_id] = position + 1
        expected_prev = heads.get(op.node_id, GENESIS_HASH)
        if op.prev_hash != expected_prev and op.op_id not in gaps:
            broken.add(op.node_id)
            yield ChainBreak(
                op.node_id,
                op.op_id,
                position,
                "its prev_hash does not match the hash of the op before it",
            )
            continue
        if op.compute_hash() != op.hash:
            broken.add(op.node_id)
            yield ChainBreak(
                op.node_id,
                op.op_id,
                position,
                "its content does not match its hash (edited after it was written)",
            )
            continue
        heads[op.node_id] = op.hash
