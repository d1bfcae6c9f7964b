"""Ed25519 signature verification (RFC 8032) in PL/pgSQL, for ops relayed by another login.

PostgreSQL has no Ed25519, in core or in pgcrypto, and an extension cannot be assumed on a
managed server. Yet a laptop carrying a colleague's ops to the server (relaying, after
laptop-to-laptop sync) must not be able to forge them: the server accepts an op of node N
from a login other than N's only when its signature verifies against N's pinned key. So the
check is written here in plain SQL arithmetic: ``numeric`` is exact at any size, and
``sha512`` is in core.

It runs only for relayed ops (a login pushing its own node is bound by ``session_user``, as
before), costs tens of milliseconds per op, and follows what OpenSSL does: ``S < L``, the key
decoded (and refused when it is not a point), ``R' = [S]B - [k]A`` and its canonical encoding
compared byte for byte with ``R`` (``tests/sync/test_relay.py`` checks it against
``cryptography`` on valid, altered and foreign signatures).
"""

from __future__ import annotations

_P = "57896044618658097711785492504343953926634992332820282019728792003956564819949"
_D = "37095705934669439343138083508754565189542113879843219016388785533085940283555"
_D2 = "16295367250680780974490674513165176452449235426866156013048779062215315747161"
_L = "7237005577332262213973186563042994240857116359379907606001950938285454250989"
_SQRT_M1 = "19681161376707505956807079304988542015446066515923890162744021073123829784752"
_BX = "15112221349535400772501151409588531511454012693041857206046113283949847762202"
_BY = "46316835694926478169428394003475163141307993866256225615783033603165251855960"
_BT = "46827403850823179245072216630277197565144205554125654976674165829533817101731"
_EXP_SQRT = "7237005577332262213973186563042994240829374041602535252466099000494570602493"


ED25519_FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION commander.ed25519_le(p_bytes bytea)
RETURNS numeric LANGUAGE plpgsql IMMUTABLE STRICT AS $fn$
DECLARE
    v numeric := 0;
BEGIN
    FOR i IN REVERSE length(p_bytes) - 1 .. 0 LOOP
        v := v * 256 + get_byte(p_bytes, i);
    END LOOP;
    RETURN v;
END
$fn$;

CREATE OR REPLACE FUNCTION commander.ed25519_pow(p_base numeric, p_exp numeric, p_mod numeric)
RETURNS numeric LANGUAGE plpgsql IMMUTABLE STRICT AS $fn$
DECLARE
    r numeric := 1;
    b numeric := mod(p_base, p_mod);
    e numeric := p_exp;
BEGIN
    WHILE e > 0 LOOP
        IF mod(e, 2) = 1 THEN
            r := mod(r * b, p_mod);
        END IF;
        b := mod(b * b, p_mod);
        e := div(e, 2);
    END LOOP;
    RETURN r;
END
$fn$;

CREATE OR REPLACE FUNCTION commander.ed25519_verify(p_key bytea, p_sig bytea, p_msg bytea)
RETURNS boolean LANGUAGE plpgsql IMMUTABLE STRICT AS $fn$
DECLARE
    p CONSTANT numeric := {_P};
    d CONSTANT numeric := {_D};
    d2 CONSTANT numeric := {_D2};
    l CONSTANT numeric := {_L};
    s numeric; k numeric; kb bytea := ''::bytea;
    ax numeric; ay numeric; u numeric; v numeric; v3 numeric; vx2 numeric; w numeric;
    -- the accumulator Q and the operand O of one extended-coordinates addition
    qx numeric := 0; qy numeric := 1; qz numeric := 1; qt numeric := 0;
    ox numeric; oy numeric; oz numeric; ot numeric;
    -- -A, and B + (-A), for Shamir's trick
    nx numeric; ny numeric; nt numeric;
    cx numeric; cy numeric; cz numeric; ct numeric;
    e1 numeric; e2 numeric; e3 numeric; e4 numeric;
    sb integer; kbit integer; zi numeric; enc bytea := ''::bytea; yy numeric;
BEGIN
    IF length(p_key) <> 32 OR length(p_sig) <> 64 THEN
        RETURN false;
    END IF;
    s := commander.ed25519_le(substring(p_sig FROM 33 FOR 32));
    IF s >= l THEN
        RETURN false;
    END IF;
    -- decode A (RFC 8032 5.1.3)
    ay := commander.ed25519_le(set_bit(p_key, 255, 0));
    IF ay >= p THEN
        RETURN false;
    END IF;
    u := mod(ay * ay - 1 + p, p);
    v := mod(d * mod(ay * ay, p) + 1, p);
    v3 := mod(v * mod(v * v, p), p);
    ax := mod(mod(u * v3, p) * commander.ed25519_pow(mod(u * mod(v3 * mod(v3 * v, p), p), p),
                                                   {_EXP_SQRT}, p), p);
    vx2 := mod(v * mod(ax * ax, p), p);
    IF vx2 = mod(p - u, p) AND vx2 <> u THEN
        ax := mod(ax * {_SQRT_M1}, p);
    ELSIF vx2 <> u THEN
        RETURN false;
    END IF;
    IF ax = 0 AND get_bit(p_key, 255) = 1 THEN
        RETURN false;
    END IF;
    IF mod(ax, 2) <> get_bit(p_key, 255) THEN
        ax := p - ax;
    END IF;
    nx := mod(p - ax, p); ny := ay; nt := mod(nx * ny, p);
    -- k = SHA-512(R || A || M) mod L, as 32 little-endian bytes for its bits
    k := mod(commander.ed25519_le(sha512(substring(p_sig FROM 1 FOR 32) || p_key || p_msg)), l);
    FOR i IN 1 .. 32 LOOP
        kb := kb || set_byte('\\x00'::bytea, 0, mod(k, 256)::integer);
        k := div(k, 256);
    END LOOP;
    -- C = B + (-A)
    e1 := mod(mod({_BY} - {_BX} + p, p) * mod(ny - nx + p, p), p);
    e2 := mod(({_BY} + {_BX}) * (ny + nx), p);
    e3 := mod(mod({_BT} * d2, p) * nt, p);
    e4 := 2;
    cx := mod((e2 - e1 + p) * (e4 - e3 + p), p);
    cy := mod((e4 + e3) * (e2 + e1), p);
    ct := mod((e2 - e1 + p) * (e2 + e1), p);
    cz := mod((e4 - e3 + p) * (e4 + e3), p);
    -- Q = [S]B + [k](-A), most significant bit first (S, k < L < 2^253)
    FOR i IN REVERSE 252 .. 0 LOOP
        sb := get_bit(p_sig, 256 + i);
        kbit := get_bit(kb, i);
        FOR pass IN 1 .. 2 LOOP
            IF pass = 1 THEN
                ox := qx; oy := qy; oz := qz; ot := qt;
            ELSIF sb = 1 AND kbit = 1 THEN
                ox := cx; oy := cy; oz := cz; ot := ct;
            ELSIF sb = 1 THEN
                ox := {_BX}; oy := {_BY}; oz := 1; ot := {_BT};
            ELSIF kbit = 1 THEN
                ox := nx; oy := ny; oz := 1; ot := nt;
            ELSE
                EXIT;
            END IF;
            e1 := mod((qy - qx + p) * (oy - ox + p), p);
            e2 := mod((qy + qx) * (oy + ox), p);
            e3 := mod(mod(qt * d2, p) * ot, p);
            e4 := mod(2 * qz * oz, p);
            qx := mod((e2 - e1 + p) * (e4 - e3 + p), p);
            qy := mod((e4 + e3) * (e2 + e1), p);
            qt := mod((e2 - e1 + p) * (e2 + e1), p);
            qz := mod((e4 - e3 + p) * (e4 + e3), p);
        END LOOP;
    END LOOP;
    -- encode Q and compare with R
    zi := commander.ed25519_pow(qz, p - 2, p);
    yy := mod(qy * zi, p);
    FOR i IN 1 .. 32 LOOP
        enc := enc || set_byte('\\x00'::bytea, 0, mod(yy, 256)::integer);
        yy := div(yy, 256);
    END LOOP;
    IF mod(mod(qx * zi, p), 2) = 1 THEN
        enc := set_bit(enc, 255, 1);
    END IF;
    RETURN enc = substring(p_sig FROM 1 FOR 32);
END
$fn$;
"""
