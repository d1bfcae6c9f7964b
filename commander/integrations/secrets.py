"""Where secrets live: the system keyring, or an owner-only file the user opted into.

The rule: a secret (a webhook URL, an API key, a token, a password) is kept in the system
keyring, or in ``secrets.json`` (mode 0600) in the data directory when the user chose that
(``commander secrets use-file``); never in the workspace, settings files, logs or argv.

Storing is refused, with one sentence on how to fix it, when nothing can keep the secret:
keyring has only its ``fail`` backend (a headless box) and no file was chosen. A keyring
backend that is itself a plain file (``keyrings.alt``'s ``PlaintextKeyring``, or any backend
keyring ranks below 1) is detected and used only once the user accepted it
(``secrets use-keyring --allow-insecure``, the ``COMMANDER_ALLOW_INSECURE_KEYRING``
environment variable, or "yes" to the question the CLI and the window ask).

Resolving the backend and every keyring call may block (D-Bus, an unlock prompt): the GUI
calls ``SecretStore`` from workers only. Tests install ``MemoryKeyring`` as the backend.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from commander.core.errors import CommanderError
from commander.core.records_json import JsonRecord, json_computed, json_field
from commander.integrations.secret_file import SECRETS_FILENAME, SecretFile

# keyring is imported when a secret is first needed: it costs ~30 ms of start-up otherwise.

SERVICE = "commander-sync"
ENV_ALLOW_INSECURE = "COMMANDER_ALLOW_INSECURE_KEYRING"
SETTING = "secrets"  # in settings.json: {"store": "keyring"|"file", "accepted_insecure": NAME}
USE_FILE_HINT = "run 'commander secrets use-file' to keep secrets in an owner-only file"
ALLOW_INSECURE_HINT = "run 'commander secrets use-keyring --allow-insecure' to accept it"
# Backends that write secrets as plain text whatever their priority says.
INSECURE_BACKENDS = frozenset(
    {
        "keyrings.alt.file.PlaintextKeyring",
        "keyrings.alt.pyfs.PlaintextKeyring",
        "keyrings.alt.Windows.RegistryKeyring",
    }
)


def __getattr__(name: str) -> Any:
    """``MemoryKeyring`` stays importable from here without loading keyring at start-up."""
    if name == "MemoryKeyring":
        from commander.integrations.memory_keyring import MemoryKeyring

        return MemoryKeyring
    raise AttributeError(name)


def _keyring() -> Any:
    import keyring
    import keyring.errors

    return keyring


class SecretsUnavailable(CommanderError):
    """Nothing here can keep a secret past this process; nothing was stored."""


class InsecureKeyring(CommanderError):
    """The keyring backend keeps secrets in a plain file and the user has not accepted it."""

    def __init__(self, message: str, keeper: Keeper) -> None:
        super().__init__(message)
        self.keeper = keeper


class Kind(StrEnum):
    KEYRING = "keyring"  # a system keyring: Secret Service, KWallet, macOS, Windows
    INSECURE = "insecure-keyring"  # a keyring backend that is a plain or weak file
    FILE = "file"  # Commander's owner-only file in the data directory (opted in)
    NONE = "none"  # nothing outlives this process


@dataclass(frozen=True)
class Keeper(JsonRecord):
    """Where a secret stored now would go.

    Attributes:
        backend: the keyring backend's dotted class name ("" for the file).
        path: the file holding the secrets (the owner-only file, or a plaintext keyring's).
        accepted: for ``INSECURE``, the user accepted this backend.
    """

    kind: Kind = field(metadata=json_field(name="store"))
    backend: str = ""
    path: Path | None = None
    accepted: bool = False

    JSON_COMPUTED = (json_computed("can_store"),)

    @property
    def can_store(self) -> bool:
        return self.kind in (Kind.KEYRING, Kind.FILE) or (
            self.kind is Kind.INSECURE and self.accepted
        )

    @property
    def short_backend(self) -> str:
        return self.backend.rsplit(".", 1)[-1] if self.backend else ""

    def describe(self) -> str:
        """Where secrets are kept, for a message: "the system keyring (SecretService)"."""
        if self.kind is Kind.KEYRING:
            return f"the system keyring ({self.short_backend})"
        if self.kind is Kind.FILE:
            return f"the owner-only file {self.path} (mode 0600)"
        if self.kind is Kind.INSECURE:
            where = f" ({self.path})" if self.path else ""
            return f"the keyring backend {self.short_backend}, a plain file{where}"
        return "nowhere: no keyring backend is available"


def no_keeper_message(data_dir: Path | None) -> str:
    where = f" in {data_dir}" if data_dir else ""
    return (
        "No keyring can keep secrets here (keyring found only its 'fail' backend), so nothing "
        "was stored: install and unlock a system keyring (GNOME Keyring or KWallet through "
        f"Secret Service), or {USE_FILE_HINT}{where}."
    )


def insecure_message(keeper: Keeper) -> str:
    return (
        f"The keyring backend {keeper.short_backend} keeps secrets in a plain file"
        + (f" ({keeper.path})" if keeper.path else "")
        + f", so nothing was stored: {ALLOW_INSECURE_HINT} (or set {ENV_ALLOW_INSECURE}=1), "
        f"or {USE_FILE_HINT}."
    )


# -- the user's choice, per data directory ----------------------------------------------------


@dataclass(frozen=True)
class StoreChoice:
    store: str = "keyring"  # or "file"
    accepted_insecure: str = ""  # the dotted name of an insecure backend the user accepted


def load_choice(data_dir: Path | None) -> StoreChoice:
    """The choice saved in ``settings.json``; the default when there is none (or it is
    damaged: the settings dialog reports that, and the keyring is the safe default)."""
    if data_dir is None:
        return StoreChoice()
    from commander.config import SETTINGS_FILENAME

    try:
        raw = json.loads((Path(data_dir) / SETTINGS_FILENAME).read_text(encoding="utf-8"))
        value = raw.get(SETTING) or {}
        return StoreChoice(
            store="file" if value.get("store") == "file" else "keyring",
            accepted_insecure=str(value.get("accepted_insecure") or ""),
        )
    except (OSError, ValueError, AttributeError):
        return StoreChoice()


def save_choice(data_dir: Path, choice: StoreChoice) -> None:
    from commander.config import update_settings_file

    update_settings_file(
        data_dir, {SETTING: {"store": choice.store, "accepted_insecure": choice.accepted_insecure}}
    )


def use_file(data_dir: Path) -> Keeper:
    """Keep this data directory's secrets in its owner-only file from now on."""
    save_choice(data_dir, StoreChoice("file", load_choice(data_dir).accepted_insecure))
    return Keeper(Kind.FILE, path=Path(data_dir) / SECRETS_FILENAME)


def use_keyring(data_dir: Path, *, allow_insecure: bool = False) -> Keeper:
    """Keep secrets in the keyring; ``allow_insecure`` accepts the current plain-file backend.

    The choice is saved only when the keyring can store (check ``can_store`` on the result).
    """
    current = load_choice(data_dir)
    keeper = resolve_keyring(current)
    accepted = current.accepted_insecure
    if allow_insecure and keeper.kind is Kind.INSECURE:
        accepted = keeper.backend
    chosen = resolve_keyring(StoreChoice("keyring", accepted))
    if chosen.can_store:
        save_choice(data_dir, StoreChoice("keyring", accepted))
    return chosen


def resolve_keyring(choice: StoreChoice) -> Keeper:
    """Classify the keyring backend keyring resolves to (may block: call off the GUI thread)."""
    from commander.integrations.memory_keyring import MemoryKeyring

    try:
        backend = _keyring().get_keyring()
    except Exception:
        return Keeper(Kind.NONE)
    backend = _writer(backend)
    name = f"{type(backend).__module__}.{type(backend).__qualname__}"
    if isinstance(backend, MemoryKeyring):
        return Keeper(Kind.KEYRING, backend=name)
    try:
        priority = float(backend.priority)
    except Exception:
        priority = 0.0
    if "keyring.backends.fail" in name or "keyring.backends.null" in name or priority <= 0:
        return Keeper(Kind.NONE, backend=name)
    if name in INSECURE_BACKENDS or priority < 1:
        path = getattr(backend, "file_path", None)
        accepted = choice.accepted_insecure == name or bool(os.environ.get(ENV_ALLOW_INSECURE))
        return Keeper(Kind.INSECURE, name, Path(path) if path else None, accepted)
    return Keeper(Kind.KEYRING, backend=name)


def _writer(backend: Any) -> Any:
    """keyring's chainer writes to its first backend: that one decides where a secret goes."""
    from keyring.backends.chainer import ChainerBackend

    if isinstance(backend, ChainerBackend):
        chained = list(backend.backends)
        if chained:
            return chained[0]
    return backend


# -- the store ----------------------------------------------------------------------------------


class SecretStore:
    """Secrets of one service (e.g. ``commander-sync``), keyed by a name.

    Args:
        service: the keyring service name.
        data_dir: the workspace folder: its ``settings.json`` says whether secrets go to the
            owner-only file there. None: the keyring only.
    """

    def __init__(self, service: str = SERVICE, *, data_dir: Path | None = None) -> None:
        self.service = service
        self.data_dir = Path(data_dir) if data_dir is not None else None
        self._session: dict[str, str] = {}

    @property
    def file(self) -> SecretFile | None:
        return SecretFile(self.data_dir / SECRETS_FILENAME) if self.data_dir else None

    def keeper(self) -> Keeper:
        """Where a secret stored now would go (resolves the keyring backend)."""
        choice = load_choice(self.data_dir)
        if choice.store == "file" and self.data_dir is not None:
            return Keeper(Kind.FILE, path=self.data_dir / SECRETS_FILENAME)
        return resolve_keyring(choice)

    @property
    def persistent(self) -> bool:
        """True when a secret stored now would outlive this process without asking."""
        return self.keeper().can_store

    def refusal(self, keeper: Keeper | None = None) -> CommanderError | None:
        """Why storing would be refused now, or None when it would not."""
        keeper = keeper or self.keeper()
        if keeper.kind is Kind.NONE:
            return SecretsUnavailable(no_keeper_message(self.data_dir))
        if keeper.kind is Kind.INSECURE and not keeper.accepted:
            return InsecureKeyring(insecure_message(keeper), keeper)
        return None

    def accept_insecure(self, keeper: Keeper) -> None:
        """The user said yes to ``keeper``'s plain-file backend: remember it for this folder."""
        if self.data_dir is None:
            os.environ[ENV_ALLOW_INSECURE] = "1"  # no folder to remember it in: this process
            return
        choice = load_choice(self.data_dir)
        save_choice(self.data_dir, StoreChoice(choice.store, keeper.backend))

    def get(self, key: str) -> str | None:
        if key in self._session:
            return self._session[key]
        file = self.file
        if file is not None:
            value = file.get(self.service, key)
            if value is not None:
                return value
        keyring = _keyring()
        try:
            return keyring.get_password(self.service, key)  # type: ignore[no-any-return]
        except keyring.errors.KeyringError:
            return None

    def set(self, key: str, secret: str, *, session_only: bool = False) -> Keeper | None:
        """Store ``secret`` where ``keeper()`` says; returns that keeper (None: session only).

        Raises:
            SecretsUnavailable: nothing can keep it (nothing was stored).
            InsecureKeyring: the backend is a plain file the user has not accepted.
        """
        if session_only:
            self._session[key] = secret
            return None
        keeper = self.keeper()
        refusal = self.refusal(keeper)
        if refusal is not None:
            raise refusal
        if keeper.kind is Kind.FILE:
            assert self.file is not None
            self.file.set(self.service, key, secret)
        else:
            keyring = _keyring()
            try:
                keyring.set_password(self.service, key, secret)
            except keyring.errors.KeyringError as exc:
                raise SecretsUnavailable(
                    f"The keyring refused the secret ({exc}); nothing was stored. Unlock the "
                    f"keyring and try again, or {USE_FILE_HINT}."
                ) from exc
        self._session.pop(key, None)
        return keeper

    def delete(self, key: str) -> None:
        """Forget ``key`` everywhere it may be: this session, the file, the keyring."""
        self._session.pop(key, None)
        file = self.file
        if file is not None and file.path.exists():
            file.delete(self.service, key)
        keyring = _keyring()
        with contextlib.suppress(keyring.errors.KeyringError):
            keyring.delete_password(self.service, key)
