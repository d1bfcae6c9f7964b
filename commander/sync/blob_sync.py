"""Attached files through the shared database: pushed with the ops that name them, pulled
and checked against the SHA-256 in those ops before the ops are applied.

The server keeps files in ``commander.blob``, written only through ``commander.put_blob``,
which refuses bytes that do not hash to the digest they are stored under or are over the
per-file limit. A push uploads the files of its batch in the same server transaction as the
ops, so an op on the server always has its file there. A pulled op whose file is missing or
does not match its digest is quarantined like any op that fails a check (and so are its
node's later ops in the batch, which continue its chain); files that pass are stored in
the same local transaction as the ops.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from typing import Any

import psycopg
from sqlalchemy import Connection

from commander.core.attachments import VALUE_KEY, AttachmentRef, problem_with, ref_of
from commander.core.limits import ATTACHMENT_FILE_MAX
from commander.core.ops import Entity, Field
from commander.storage import blobs, sync_queries
from commander.sync import checks

log = logging.getLogger(__name__)

BLOB_SQLSTATE = "CM006"
PUT_BLOB_SIGNATURE = "commander.put_blob(text, bytea)"

# The table is created by server revision 0003_files; the function is installed from here
# after every upgrade, so it always matches this code.
PUT_BLOB_FUNCTION = f"""
CREATE OR REPLACE FUNCTION commander.put_blob(p_sha text, p_data bytea)
RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = commander, pg_temp
AS $fn$
BEGIN
    IF length(p_data) > {ATTACHMENT_FILE_MAX} THEN
        RAISE EXCEPTION USING ERRCODE = '{BLOB_SQLSTATE}', MESSAGE = format(
            'push refused: the file %s is larger than {ATTACHMENT_FILE_MAX // (1024 * 1024)} MiB',
            left(p_sha, 12));
    END IF;
    IF encode(sha256(p_data), 'hex') IS DISTINCT FROM p_sha THEN
        RAISE EXCEPTION USING ERRCODE = '{BLOB_SQLSTATE}', MESSAGE = format(
            'push refused: a file''s bytes do not match the SHA-256 %s it was sent under',
            left(coalesce(p_sha, ''), 12));
    END IF;
    INSERT INTO commander.blob (sha256, size, data) VALUES (p_sha, length(p_data), p_data)
        ON CONFLICT (sha256) DO NOTHING;
    RETURN FOUND;
END
$fn$;
"""


def role_statements(responder: str, display: str) -> list[str]:
    return [
        f"GRANT SELECT ON commander.blob TO {responder}, {display}",
        f"REVOKE ALL ON FUNCTION {PUT_BLOB_SIGNATURE} FROM PUBLIC",
        f"GRANT EXECUTE ON FUNCTION {PUT_BLOB_SIGNATURE} TO {responder}",
    ]


# -- push ------------------------------------------------------------------------------------


def pending_digests(conn: Connection, node_id: str, after_seq: int, upto_seq: int) -> list[str]:
    """The files named by this node's ops in ``(after_seq, upto_seq]``: what the push sends.

    A value is canonical JSON, which never escapes a letter, so one that names a file holds
    the quoted key: the substring test spares parsing every other entry's value (a push
    page parsed 5,000 values for none).
    """
    return sync_queries.attachment_digests(
        conn, node_id, after_seq, upto_seq, Entity.ENTRY, Field.CREATE, VALUE_KEY
    )


def upload(
    pg: psycopg.Connection[Any], digests: Sequence[str], read: Callable[[str], bytes | None]
) -> int:
    """Send the files the server lacks (inside the caller's push transaction); returns how
    many were sent. A file this workspace lacks is not sent: pulling replicas quarantine
    its op, and ``verify`` here names it."""
    if not digests:
        return 0
    have = {row[0] for row in pg.execute(_HAVE_SQL, (list(digests),)).fetchall()}
    sent = 0
    for sha in digests:
        if sha in have:
            continue
        data = read(sha)
        if data is None:
            log.error("sync: the file %s is not in this workspace; its op goes without it", sha)
            continue
        pg.execute("SELECT commander.put_blob(%s, %s)", (sha, data))
        sent += 1
    return sent


# -- pull ------------------------------------------------------------------------------------

_HAVE_SQL = "SELECT sha256 FROM commander.blob WHERE sha256 = ANY(%s)"
_FETCH_SQL = "SELECT sha256, data FROM commander.blob WHERE sha256 = ANY(%s)"


def row_ref(row: Sequence[Any]) -> AttachmentRef | None:
    """The file a server row ``(seq, effective_hlc, *OP_COLUMNS)`` names, if any."""
    if row[6] != Entity.ENTRY or row[8] != Field.CREATE or not isinstance(row[9], str):
        return None
    if f'"{VALUE_KEY}":' not in row[9]:
        return None
    try:
        return ref_of(json.loads(row[9]))
    except (ValueError, RecursionError):
        return None  # the op's own checks name a value that is not JSON


def fetch(
    pg: psycopg.Connection[Any], rows: Sequence[Sequence[Any]], local: set[str]
) -> dict[str, bytes]:
    """The files of ``rows`` this workspace lacks, from the server: ``{sha256: bytes}``."""
    wanted = sorted({ref.sha256 for ref in map(row_ref, rows) if ref is not None} - local)
    if not wanted:
        return {}
    found = {str(sha): bytes(data) for sha, data in pg.execute(_FETCH_SQL, (wanted,)).fetchall()}
    pg.rollback()  # end the read transaction
    return found


def digests_of(rows: Sequence[Sequence[Any]]) -> set[str]:
    return {ref.sha256 for ref in map(row_ref, rows) if ref is not None}


def screen(
    conn: Connection,
    rows: Sequence[Sequence[Any]],
    fetched: dict[str, bytes],
    *,
    wall_ms: int,
) -> tuple[list[Sequence[Any]], list[checks.Quarantined]]:
    """Keep the rows whose files are here or arrived intact (and store those files)."""
    accepted: list[Sequence[Any]] = []
    problems: list[checks.Quarantined] = []
    tainted: set[str] = set()

    def refuse(row: Sequence[Any], reason: str) -> None:
        problem = checks.Quarantined(str(row[2]), str(row[3]), str(row[10]), int(row[0]), reason)
        checks.note(conn, problem, checks.QUARANTINED, row, wall_ms)
        problems.append(problem)
        tainted.add(str(row[3]))

    for row in rows:
        if str(row[3]) in tainted and not sync_queries.has_op(conn, str(row[2])):
            refuse(row, "it continues an op that was quarantined")
            continue
        ref = row_ref(row)
        if ref is not None and ref.sha256 not in blobs.present(conn, [ref.sha256]):
            data = fetched.get(ref.sha256)
            reason = problem_with(ref, data)
            if reason is not None:
                refuse(row, reason)
                continue
            assert data is not None
            blobs.put(conn, ref.sha256, data)
        accepted.append(row)
    return accepted, problems
