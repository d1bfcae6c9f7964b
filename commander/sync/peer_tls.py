"""TLS 1.3 between two laptops, authenticated by the nodes' own Ed25519 signing keys.

Each node presents a self-signed X.509 certificate made from its node key. The certificate
is *deterministic* (its fields follow from the public key alone and Ed25519 signatures are
deterministic), so a node always presents the same bytes, and a peer can pin it: the
certificates of the admitted peers are the only trust anchors of a connection, so a peer that
cannot prove it holds an admitted key fails the handshake. After the handshake the peer's
public key is read back from its certificate and checked once more against the admitted keys.

Python's ``ssl`` loads keys only from files: the private key is written, encrypted under a
random one-time password, to an owner-only temporary folder and removed as soon as it is
loaded.
"""

from __future__ import annotations

import hashlib
import os
import ssl
import tempfile
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.x509.oid import NameOID

from commander.core.errors import ValidationError
from commander.core.signing import Ed25519Signer, public_hex

_NOT_BEFORE = datetime(2000, 1, 1, tzinfo=UTC)
_NOT_AFTER = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)  # no expiry: the pin is the key


def node_certificate(signer: Ed25519Signer) -> bytes:
    """This node's certificate (DER): the same bytes every time for the same key."""
    private = signer.private_key()
    public = private.public_key()
    raw = bytes.fromhex(signer.public_key)
    digest = hashlib.sha256(raw).digest()
    name = x509.Name(
        [x509.NameAttribute(NameOID.COMMON_NAME, f"commander-node {digest[:16].hex()}")]
    )
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public)
        .serial_number(int.from_bytes(digest[16:32], "big") >> 1 or 1)
        .not_valid_before(_NOT_BEFORE)
        .not_valid_after(_NOT_AFTER)
        .sign(private, None)
    )
    return certificate.public_bytes(serialization.Encoding.DER)


def certificate_key(der: bytes) -> str:
    """The Ed25519 public key (hex) a certificate carries; ``ValidationError`` otherwise."""
    try:
        certificate = x509.load_der_x509_certificate(der)
        public = certificate.public_key()
    except ValueError:
        raise ValidationError("The peer's certificate is not readable.") from None
    if not isinstance(public, Ed25519PublicKey):
        raise ValidationError("The peer's certificate does not carry an Ed25519 node key.")
    return public_hex(public)


def is_self_signed_by_its_key(der: bytes) -> bool:
    """Whether a certificate is signed by the key it carries (a peer's own certificate)."""
    try:
        certificate = x509.load_der_x509_certificate(der)
        public = certificate.public_key()
        if not isinstance(public, Ed25519PublicKey):
            return False
        public.verify(certificate.signature, certificate.tbs_certificate_bytes)
    except Exception:  # any unreadable or wrongly signed certificate is simply not one
        return False
    return True


def server_context(signer: Ed25519Signer, trusted: Iterable[bytes]) -> ssl.SSLContext:
    """For ``peer serve``: TLS 1.3, client certificate required, the admitted ones only."""
    return _context(signer, list(trusted), server=True, require=True)


def client_context(signer: Ed25519Signer, trusted: Iterable[bytes]) -> ssl.SSLContext:
    """For ``peer sync``: TLS 1.3, the server's certificate must be an admitted one."""
    return _context(signer, list(trusted), server=False, require=True)


def introduction_context(signer: Ed25519Signer, *, server: bool) -> ssl.SSLContext:
    """First contact: encrypted, the server still proves its key, but nobody is trusted yet.

    What is said on such a connection is only recorded as *pending*; nothing is exchanged.
    """
    return _context(signer, [], server=server, require=False)


def _context(
    signer: Ed25519Signer, trusted: list[bytes], *, server: bool, require: bool
) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER if server else ssl.PROTOCOL_TLS_CLIENT)
    context.minimum_version = ssl.TLSVersion.TLSv1_3
    context.check_hostname = False  # peers are named by their key, not by a host name
    context.verify_mode = ssl.CERT_REQUIRED if require else ssl.CERT_NONE
    _load_own(context, signer)
    if require and trusted:
        pem = "".join(ssl.DER_cert_to_PEM_cert(der) for der in trusted)
        context.load_verify_locations(cadata=pem)
    return context


def _load_own(context: ssl.SSLContext, signer: Ed25519Signer) -> None:
    password = os.urandom(24).hex().encode("ascii")
    key = signer.private_key().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(password),
    )
    certificate = ssl.DER_cert_to_PEM_cert(node_certificate(signer)).encode("ascii")
    with tempfile.TemporaryDirectory(prefix="commander-peer-") as folder:  # mode 0700
        cert_path, key_path = Path(folder) / "cert.pem", Path(folder) / "key.pem"
        for path, data in ((cert_path, certificate), (key_path, key)):
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
        context.load_cert_chain(cert_path, key_path, password=password)


def peer_key(sock: ssl.SSLSocket) -> tuple[str, bytes]:
    """The public key (hex) and certificate (DER) the other side presented."""
    der = sock.getpeercert(binary_form=True)
    if not der:
        raise ValidationError("The peer presented no certificate, so it cannot prove its key.")
    return certificate_key(der), der
