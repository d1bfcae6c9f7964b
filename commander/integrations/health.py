"""Health endpoints over httpx and certificate expiry over ``ssl``: the checks themselves.

A certificate is read with an unverified TLS context on purpose: the point is its expiry,
and a self-signed or private-CA certificate expires too. Whether the system trusts it is a
second handshake, reported beside the expiry (``trusted``) rather than instead of it.
"""

from __future__ import annotations

import socket
import ssl
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from commander.core.health import CheckResult, CheckState, classify_certificate
from commander.integrations.alertmanager import host_of
from commander.integrations.monitoring_settings import HealthTarget, split_host_port

if TYPE_CHECKING:
    import httpx

SLOW_MS = 2000


def check_http(
    target: HealthTarget, *, client: httpx.Client, now: Callable[[], datetime], timeout: float
) -> CheckResult:
    """2xx (and 3xx followed to a 2xx) is OK; anything else, or no answer, is failing."""
    import httpx

    started = time.monotonic()
    host = host_of(target.target)
    try:
        response = client.get(target.target, timeout=timeout)
    except httpx.TimeoutException:
        return _result(target, now(), CheckState.FAILING, f"no answer within {timeout:g} s")
    except httpx.HTTPError as exc:
        text = (str(exc) or type(exc).__name__).split("\n")[0][:120]
        return _result(target, now(), CheckState.FAILING, f"{host} unreachable ({text})")
    elapsed = int((time.monotonic() - started) * 1000)
    detail = f"HTTP {response.status_code} in {elapsed} ms"
    if not response.is_success:
        return _result(target, now(), CheckState.FAILING, detail, latency_ms=elapsed)
    state = CheckState.WARNING if elapsed > SLOW_MS else CheckState.OK
    if state == CheckState.WARNING:
        detail += " (slow)"
    return _result(target, now(), state, detail, latency_ms=elapsed)


def read_certificate(host: str, port: int, *, timeout: float) -> tuple[datetime, bytes]:
    """The peer certificate's notAfter and DER bytes, whoever signed it."""
    from cryptography import x509

    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with (
        socket.create_connection((host, port), timeout=timeout) as sock,
        context.wrap_socket(sock, server_hostname=host) as tls,
    ):
        der = tls.getpeercert(binary_form=True)
    if not der:
        raise ssl.SSLError("the server sent no certificate")
    cert = x509.load_der_x509_certificate(der)
    return cert.not_valid_after_utc, der


def verify_trust(
    host: str, port: int, *, timeout: float, cafile: str | None = None
) -> tuple[bool, str]:
    """Whether a verifying handshake (system CAs, host name) succeeds, and why not."""
    context = ssl.create_default_context(cafile=cafile)
    try:
        with (
            socket.create_connection((host, port), timeout=timeout) as sock,
            context.wrap_socket(sock, server_hostname=host),
        ):
            return True, ""
    except ssl.SSLCertVerificationError as exc:
        return False, str(exc.verify_message or exc.reason or exc)
    except (OSError, ssl.SSLError) as exc:
        return False, str(exc)[:120]


def check_tls(
    target: HealthTarget,
    *,
    now: Callable[[], datetime],
    timeout: float,
    warning_days: int,
    cafile: str | None = None,
) -> CheckResult:
    host, port = split_host_port(target.target)
    try:
        not_after, _der = read_certificate(host, port, timeout=timeout)
    except TimeoutError:
        return _result(target, now(), CheckState.FAILING, f"no TLS answer within {timeout:g} s")
    except (OSError, ssl.SSLError, ValueError) as exc:
        text = (str(exc) or type(exc).__name__)[:120]
        return _result(target, now(), CheckState.FAILING, f"TLS handshake failed ({text})")
    trusted, note = verify_trust(host, port, timeout=timeout, cafile=cafile)
    when = now()
    verdict = classify_certificate(not_after, when, warning_days=warning_days)
    detail = verdict.text if trusted else f"{verdict.text}; not trusted ({note})"
    return CheckResult(
        kind="tls",
        name=target.label,
        target=target.target,
        state=verdict.state,
        detail=detail,
        checked_at=when,
        severity=verdict.severity,
        not_after=not_after.astimezone(UTC),
        trusted=trusted,
        trust_note=note,
    )


def run_checks(
    targets: Sequence[HealthTarget],
    *,
    now: Callable[[], datetime],
    timeout: float = 10.0,
    warning_days: int = 30,
    client: httpx.Client | None = None,
    cafile: str | None = None,
) -> list[CheckResult]:
    """Every target at once (a slow one does not delay the rest), results in target order."""
    import httpx

    if not targets:
        return []
    own = client is None
    http = client or httpx.Client(follow_redirects=True)

    def one(target: HealthTarget) -> CheckResult:
        if target.kind == "tls":
            return check_tls(
                target, now=now, timeout=timeout, warning_days=warning_days, cafile=cafile
            )
        return check_http(target, client=http, now=now, timeout=timeout)

    try:
        with ThreadPoolExecutor(max_workers=min(8, len(targets))) as pool:
            return list(pool.map(one, targets))
    finally:
        if own:
            http.close()


def _result(
    target: HealthTarget,
    when: datetime,
    state: CheckState,
    detail: str,
    *,
    latency_ms: int | None = None,
) -> CheckResult:
    return CheckResult(
        kind=target.kind,
        name=target.label,
        target=target.target,
        state=state,
        detail=detail,
        checked_at=when,
        latency_ms=latency_ms,
    )
