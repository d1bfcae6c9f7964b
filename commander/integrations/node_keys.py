"""Where a node's private signing key lives: the system keyring, or an owner-only file.

The key is made once per node, the first time the node writes. It goes to the system keyring
when there is a real one; a headless box often has only keyring's ``fail`` backend, and then
the key goes to a file in the data directory that only its owner may read (0600). Either way
``NodeKeys.where`` says which, in a sentence, for ``commander node show``.

Loading may block (a keyring can ask to be unlocked), so callers reach it from a worker: the
workspace loads the key lazily, on the first write, which runs off the GUI thread.
"""

from __future__ import annotations

import contextlib
import logging
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from commander.core.errors import WorkspaceError
from commander.core.signing import Ed25519Signer, fingerprint

log = logging.getLogger(__name__)

SERVICE = "commander-node-key"
KEYRING = "keyring"
FILE = "file"


@dataclass(frozen=True)
class NodeKeyInfo:
    """What ``commander node show`` prints about this node's key."""

    node_id: str
    public_key: str
    store: str  # KEYRING or FILE
    where: str  # a sentence: which keyring backend, or which file

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_key)


def _keyring() -> Any:
    import keyring
    import keyring.errors

    return keyring


def keyring_usable() -> bool:
    """True when a real keyring backend (or the tests' in-memory one) is installed."""
    from commander.integrations.memory_keyring import MemoryKeyring

    try:
        backend = _keyring().get_keyring()
    except Exception:  # a broken keyring configuration is no keyring
        return False
    if isinstance(backend, MemoryKeyring):
        return True
    return getattr(backend, "priority", 0) > 0 and "fail" not in type(backend).__module__


def keyring_safe_for_new_keys(data_dir: Path) -> bool:
    """Whether a new key may go to the keyring: a system keyring, or a plain-file backend the
    user accepted, and not a data directory set to the owner-only file. A plain-file backend
    nobody accepted gets no new key: the owner-only file is the safer place (keys already in
    any keyring are still read from there, so no node changes its key)."""
    from commander.integrations.secrets import Kind, load_choice, resolve_keyring

    choice = load_choice(data_dir)
    if choice.store == "file":
        return False
    keeper = resolve_keyring(choice)
    return keeper.can_store and keeper.kind is not Kind.FILE


class NodeKeys:
    """The signing keys of the nodes of one data directory.

    Args:
        data_dir: the workspace's folder, where the key file goes when there is no keyring.
    """

    def __init__(self, data_dir: Path) -> None:
        self._data_dir = Path(data_dir)

    def key_file(self, node_id: str) -> Path:
        return self._data_dir / f"node-key-{node_id}"

    def load(self, node_id: str) -> tuple[Ed25519Signer, NodeKeyInfo] | None:
        """The node's key and where it is kept, or None when it has none yet."""
        if keyring_usable():
            keyring = _keyring()
            try:
                text = keyring.get_password(SERVICE, node_id)
            except keyring.errors.KeyringError:
                text = None
            if text:
                signer = self._parse(text, "the system keyring")
                return signer, self._info(node_id, signer, KEYRING)
        path = self.key_file(node_id)
        if path.exists():
            self._owner_only(path)
            try:
                text = path.read_text(encoding="ascii")
            except (OSError, UnicodeDecodeError) as exc:
                raise WorkspaceError(f"Cannot read this node's signing key {path}: {exc}.") from exc
            signer = self._parse(text, str(path))
            return signer, self._info(node_id, signer, FILE)
        return None

    def load_or_create(self, node_id: str) -> tuple[Ed25519Signer, NodeKeyInfo]:
        found = self.load(node_id)
        if found is not None:
            return found
        signer = Ed25519Signer.generate()
        if keyring_safe_for_new_keys(self._data_dir):
            keyring = _keyring()
            try:
                keyring.set_password(SERVICE, node_id, signer.private_hex())
            except keyring.errors.KeyringError as exc:
                log.warning("node key: the keyring refused the key (%s); using a file", exc)
            else:
                info = self._info(node_id, signer, KEYRING)
                log.info("node key: made a signing key for %s in %s", node_id, info.where)
                return signer, info
        if not self._write_file(node_id, signer):
            again = self.load(node_id)  # another process made one a moment ago: use theirs
            if again is not None:
                return again
        info = self._info(node_id, signer, FILE)
        log.info("node key: made a signing key for %s in %s", node_id, info.where)
        return signer, info

    def _info(self, node_id: str, signer: Ed25519Signer, store: str) -> NodeKeyInfo:
        if store == KEYRING:
            backend = type(_keyring().get_keyring()).__name__
            where = f"the system keyring ({backend}, service {SERVICE!r})"
        else:
            where = f"the file {self.key_file(node_id)} (readable only by its owner; no keyring)"
        return NodeKeyInfo(node_id, signer.public_key, store, where)

    def _write_file(self, node_id: str, signer: Ed25519Signer) -> bool:
        path = self.key_file(node_id)
        self._data_dir.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return False
        except OSError as exc:
            raise WorkspaceError(f"Cannot write this node's signing key {path}: {exc}.") from exc
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(signer.private_hex() + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        return True

    @staticmethod
    def _owner_only(path: Path) -> None:
        """A key file others can read is tightened back to 0600 (and said so)."""
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            log.warning("node key: %s was readable by others (%o); now 0600", path, mode)
            with contextlib.suppress(OSError):
                os.chmod(path, 0o600)

    @staticmethod
    def _parse(text: str, where: str) -> Ed25519Signer:
        try:
            return Ed25519Signer.from_hex(text)
        except ValueError as exc:
            raise WorkspaceError(f"This node's signing key in {where} is damaged.") from exc
