"""The SQL of ``commander.push``: every check the server makes before it stores an op.

The whole batch is one statement: parsed once, checked row by row, and inserted only when no
row fails, so a refused batch stores nothing. A row fails, with a one-sentence reason, when

* its node belongs to another PostgreSQL login (``session_user`` of the node's first push)
  and its signature does not verify against the node's pinned key (a relayed op must), or
  its author name belongs to a login other than its node's (the login that first pushed
  under that name), or the node was revoked by an admin;
* its value is not JSON, or not a JSON object (every op value of schema 1 is one);
* its stamp is not an HLC, lies before 2020 or more than a year ahead of the server's clock,
  or is not after its node's previous stamp (a node's clock only moves forward);
* its chain does not continue the node's head, or its content does not match its hash;
* its signature is malformed, missing although its node introduced a key, present although
  the node never did, or it is a second key op for a node (a key is pinned once).

Relaying: a login may push another node's ops (a laptop carrying what it received from a
peer) only when the node is already on the server with its key, and then each op's Ed25519
signature is verified here against that key (``ed25519_sql``). The node stays bound to its
own login, and a new author name in those ops is bound to that login too. A login pushing
its own node is bound by ``session_user``, and its signatures are verified by every client on
pull, which quarantines what fails (see ``sync.checks``).
"""

from __future__ import annotations

CHANNEL = "commander_ops"
PUSH_LOCK_KEY = 0x636F6D6D  # "comm": one advisory lock for all pushes
DEFAULT_MAX_SKEW_MS = 5_000
MIN_WALL_MS = 1_577_836_800_000  # 2020-01-01: no Commander op is older
MAX_AHEAD_MS = 366 * 24 * 3600 * 1000
REFUSED_SQLSTATES = ("CM001", "CM002", "CM003", "CM006")  # CM006: a file (blob_sync)

# The canonical form of core.ops.Op.canonical(), rebuilt in SQL: keys sorted, no spaces;
# PostgreSQL's to_json escapes strings exactly as Python's json.dumps(ensure_ascii=False).
_STRINGS = ("author", "entity", "entity_id", "field", "hlc", "incident_id", "node_id", "op_id")


def _canonical(quote: str) -> str:
    keys = "\n    || ',".join(f'"{key}":\' || {quote.format(key)}' for key in _STRINGS)
    return f"""'{{{keys}\n    || ',"schema_version":' || u.schema_version::text
    || ',"value":' || u.value || '}}'"""


_CANONICAL_ESCAPED = _canonical("to_json(u.{})::text")
# A string with no quote, backslash or control character is its own JSON text between quotes
# (what to_json returns for it, in a seventh of the time); any other row takes to_json.
_CANONICAL_PLAIN = _canonical("'\"' || u.{} || '\"'")
_NEEDS_ESCAPE = "(" + " || ".join(f"u.{key}" for key in _STRINGS) + r""") ~ '["\\[:cntrl:]]'"""
_CANONICAL = f"""
    CASE WHEN {_NEEDS_ESCAPE} THEN {_CANONICAL_ESCAPED}
    ELSE {_CANONICAL_PLAIN} END
"""

# The batch arrives as one JSON array of objects: parsed in C on the server, it costs a tenth
# of thirteen array parameters (psycopg adapts arrays element by element).
_UNNEST = """
    json_to_recordset(p_rows)
        AS u(op_id text, node_id text, hlc text, incident_id text, entity text, entity_id text,
             field text, value text, author text, schema_version integer, prev_hash text,
             hash text, signature text, ord integer)
"""

# Each check: (SQL condition on a row of ``checked``, the reason as a format() expression).
_CHECKS = (
    (
        # Relaying: another login may carry the node's ops only when each is signed by the
        # node's pinned key (verified here, ``ed25519_sql``); it can carry, never forge.
        "CASE WHEN c.bound_login IS NULL OR c.bound_login = session_user THEN false "
        "WHEN c.public_key IS NULL OR length(c.signature) <> 128 "
        "OR c.signature ~ '[^0-9a-f]' THEN true "
        "ELSE NOT commander.ed25519_verify(decode(c.public_key, 'hex'), "
        "decode(c.signature, 'hex'), convert_to(c.prev_hash || c.canonical, 'UTF8')) END",
        "format('node %s belongs to the login %s; the login %s may carry its ops only "
        "when they are signed by its key, and this one is not', "
        "c.node_id, c.bound_login, session_user)",
    ),
    (
        "c.revoked_at IS NOT NULL",
        "format('node %s was revoked by an admin at %s; its ops are refused', "
        "c.node_id, to_char(c.revoked_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI \"UTC\"'))",
    ),
    (
        "c.author_login IS NOT NULL AND c.author_login <> coalesce(c.bound_login, session_user)",
        "format('the author name %s belongs to the login %s; the login %s may not write "
        "under it', to_json(c.author)::text, c.author_login, "
        "coalesce(c.bound_login, session_user))",
    ),
    (
        "NOT pg_input_is_valid(c.value, 'json')",
        "'its value is not valid JSON'",
    ),
    (
        "json_typeof(c.value::json) <> 'object'",
        "'its value is not a JSON object'",
    ),
    (
        "c.schema_version NOT BETWEEN 1 AND 1000",
        "format('its schema version %s is out of bounds', c.schema_version)",
    ),
    (
        # bounded repetitions ({15}) make PostgreSQL's regex engine slow: length + class
        "length(c.hlc) <> 22 OR position('.' IN c.hlc) <> 16 OR c.hlc ~ '[^0-9.]' "
        "OR c.hlc ~ '[.].*[.]'",
        "format('its stamp %s is not a clock stamp', to_json(c.hlc)::text)",
    ),
    (
        "c.prev_hash <> c.expected_prev",
        "format('it does not continue the chain the server has (its prev_hash is %s…, the "
        "server''s head for that node is %s…)', left(c.prev_hash, 12), left(c.expected_prev, 12))",
    ),
    (
        "c.hash <> encode(sha256(convert_to(c.prev_hash || c.canonical, 'UTF8')), 'hex')",
        "'it does not match its hash (changed after it was chained)'",
    ),
    (
        f"split_part(c.hlc, '.', 1)::bigint < {MIN_WALL_MS}",
        "'its stamp lies before 2020'",
    ),
    (
        f"split_part(c.hlc, '.', 1)::bigint > v_now_ms + {MAX_AHEAD_MS}",
        "'its stamp lies more than a year ahead of the server''s clock'",
    ),
    (
        "c.hlc <= c.expected_after",
        "'its stamp is not after its node''s previous op (a node''s clock only moves forward)'",
    ),
    (
        "length(c.signature) NOT IN (0, 128) OR c.signature ~ '[^0-9a-f]'",
        "'its signature is malformed (not 64 bytes of hex)'",
    ),
    (
        "c.is_key AND (c.entity_id <> c.node_id OR c.incident_id <> '' OR "
        "coalesce(c.value::json->>'algorithm', '') <> 'ed25519' OR "
        "length(coalesce(c.value::json->>'public_key', '')) <> 64 OR "
        "(c.value::json->>'public_key') ~ '[^0-9a-f]')",
        "'it is not a well-formed Ed25519 key op for its own node'",
    ),
    (
        "c.is_key AND c.keyed",
        "'its node already introduced a signing key; a key is pinned once and never replaced'",
    ),
    (
        "c.is_key AND c.signature = ''",
        "'it introduces a signing key but is not signed by it'",
    ),
    (
        "NOT c.is_key AND c.keyed AND c.signature = ''",
        "'it is unsigned, but its node signs every op since it introduced its key'",
    ),
    (
        "NOT c.is_key AND NOT c.keyed AND c.signature <> ''",
        "'it is signed, but its node never introduced a signing key'",
    ),
)


def _reason_case() -> str:
    whens = "\n".join(f"            WHEN {cond} THEN {reason}" for cond, reason in _CHECKS)
    return f"CASE\n{whens}\n        END"


PUSH_FUNCTION = f"""
CREATE OR REPLACE FUNCTION commander.push(p_rows json, p_client_ms bigint)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = commander, pg_temp
SET work_mem = '32MB'  -- a page of ops stays in memory (at 4MB it spilled to disk)
AS $fn$
DECLARE
    v_now_ms bigint;
    v_skew bigint;
    v_bad json;
    v_accepted integer := 0;
    v_max bigint;
    v_total integer := json_array_length(p_rows);
BEGIN
    PERFORM pg_advisory_xact_lock({PUSH_LOCK_KEY});
    v_now_ms := floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint;
    SELECT value::bigint INTO v_skew FROM commander.meta WHERE key = 'max_skew_ms';
    v_skew := coalesce(v_skew, {DEFAULT_MAX_SKEW_MS});

    -- One statement: the batch is parsed once; if any op fails a check, nothing is
    -- inserted and the RAISE below rolls the whole push back.
    WITH batch AS MATERIALIZED (
        SELECT * FROM {_UNNEST}
    ), tails AS MATERIALIZED (
        -- each node's newest stored stamp: its next op must be later
        SELECT n.node_id, (SELECT o.hlc FROM commander.op o WHERE o.node_id = n.node_id
                           ORDER BY o.seq DESC LIMIT 1) AS last_hlc
        FROM (SELECT DISTINCT node_id FROM batch) n
    ), fresh AS MATERIALIZED (
        SELECT u.*, coalesce(u.signature, '') AS sig,
               (u.entity = 'node' AND u.field = 'key') AS is_key,
               h.clamp_wall, h.login AS bound_login, h.revoked_at, h.public_key,
               a.login AS author_login,
               coalesce(lag(u.hash) OVER w, h.head_hash, repeat('0', 64)) AS expected_prev,
               coalesce(lag(u.hlc) OVER w, t.last_hlc, '') AS expected_after,
               row_number() OVER w AS n
        FROM batch u
        LEFT JOIN tails t ON t.node_id = u.node_id
        LEFT JOIN commander.node_head h ON h.node_id = u.node_id
        LEFT JOIN commander.author_login a ON a.author = u.author
        WHERE NOT EXISTS (SELECT 1 FROM commander.op o WHERE o.op_id = u.op_id)
        WINDOW w AS (PARTITION BY u.node_id ORDER BY u.ord)
    ), checked AS (
        SELECT f.op_id, f.node_id, f.hlc, f.incident_id, f.entity, f.entity_id, f.field,
               f.value, f.author, f.schema_version, f.prev_hash, f.hash, f.sig AS signature,
               f.ord, f.bound_login, f.revoked_at, f.author_login, f.expected_prev,
               f.expected_after, f.is_key, f.public_key,
               {_CANONICAL.replace("u.", "f.")} AS canonical,
               (f.public_key IS NOT NULL OR coalesce(bool_or(f.is_key) OVER (
                    PARTITION BY f.node_id ORDER BY f.ord
                    ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), false)) AS keyed
        FROM fresh f
    ), bad AS (
        SELECT c.ord, c.op_id, c.node_id, {_reason_case()} AS reason
        FROM checked c
    ), first_bad AS (
        SELECT b.op_id, b.node_id, b.reason,
               CASE WHEN b.reason LIKE 'it does not continue%' THEN 'CM001'
                    WHEN b.reason LIKE 'it does not match its hash%' THEN 'CM002'
                    ELSE 'CM003' END AS code
        FROM bad b WHERE b.reason IS NOT NULL ORDER BY b.ord LIMIT 1
    ), ins AS (
        INSERT INTO commander.op (op_id, node_id, hlc, effective_hlc, incident_id, entity,
                                  entity_id, field, value, author, schema_version,
                                  prev_hash, hash, signature)
        SELECT f.op_id, f.node_id, f.hlc,
               CASE WHEN split_part(f.hlc, '.', 1)::bigint > v_now_ms + v_skew
                    THEN lpad(greatest(v_now_ms, coalesce(f.clamp_wall, 0) + 1)::text, 15, '0')
                         || '.' || lpad(f.n::text, 6, '0')
                    ELSE f.hlc END,
               f.incident_id, f.entity, f.entity_id, f.field, f.value, f.author,
               f.schema_version, f.prev_hash, f.hash, f.sig
        FROM fresh f WHERE NOT EXISTS (SELECT 1 FROM first_bad) ORDER BY f.ord
        ON CONFLICT (op_id) DO NOTHING
        RETURNING seq, node_id, author, hash, effective_hlc <> hlc AS clamped,
                  CASE WHEN entity = 'node' AND field = 'key'
                       THEN value::json->>'public_key' END AS public_key
    ), heads AS (
        INSERT INTO commander.node_head AS nh (node_id, author, head_hash, count, last_push_at,
                                              clock_offset_ms, clamp_wall, login,
                                              public_key)
        -- each node's newest row by a join on its top seq (no sorted arrays of the batch);
        -- a batch holds at most one key op per node (the checks refuse a second)
        SELECT g.node_id, l.author, l.hash, g.n, now(), coalesce(p_client_ms - v_now_ms, 0),
               CASE WHEN g.clamped THEN v_now_ms ELSE 0 END, session_user, g.public_key
        FROM (SELECT node_id, max(seq) AS top, count(*) AS n, bool_or(clamped) AS clamped,
                     max(public_key) AS public_key
              FROM ins GROUP BY node_id) g
        JOIN ins l ON l.seq = g.top
        ON CONFLICT (node_id) DO UPDATE SET
            author = excluded.author,
            head_hash = excluded.head_hash,
            count = nh.count + excluded.count,
            last_push_at = excluded.last_push_at,
            clock_offset_ms = CASE WHEN nh.login IS NULL OR nh.login = session_user
                                   THEN excluded.clock_offset_ms
                                   ELSE nh.clock_offset_ms END,
            clamp_wall = CASE WHEN excluded.clamp_wall > 0
                              THEN greatest(excluded.clamp_wall, nh.clamp_wall + 1)
                              ELSE nh.clamp_wall END,
            login = coalesce(nh.login, excluded.login),
            public_key = coalesce(nh.public_key, excluded.public_key)
        RETURNING 1
    ), authors AS (
        INSERT INTO commander.author_login (author, login, node_id)
        -- a name first seen in relayed ops belongs to the node's login, not the relayer's
        SELECT DISTINCT ON (i.author) i.author, coalesce(h.login, session_user), i.node_id
        FROM ins i LEFT JOIN commander.node_head h ON h.node_id = i.node_id
        ORDER BY i.author, i.seq
        ON CONFLICT (author) DO NOTHING
        RETURNING 1
    )
    SELECT (SELECT row_to_json(first_bad) FROM first_bad), count(*), max(seq)
    INTO v_bad, v_accepted, v_max FROM ins;

    IF v_bad IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = v_bad->>'code', MESSAGE = format(
            'push refused: op %s of node %s: %s',
            v_bad->>'op_id', v_bad->>'node_id', v_bad->>'reason');
    END IF;
    IF v_accepted > 0 THEN
        PERFORM pg_notify('{CHANNEL}', v_max::text);
    END IF;
    RETURN jsonb_build_object(
        'accepted', v_accepted, 'skipped', v_total - v_accepted, 'max_seq', v_max,
        'offset_ms', p_client_ms - v_now_ms, 'max_skew_ms', v_skew);
END
$fn$;
"""
