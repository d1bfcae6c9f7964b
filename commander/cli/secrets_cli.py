"""``commander secrets``: where this workspace keeps secrets, and the helpers every command
that stores one uses (read it from stdin or a no-echo prompt, never argv; refuse when nothing
can keep it; ask before a plain-file keyring backend).
"""

from __future__ import annotations

import argparse
import getpass
import sys

from commander.cli.common import CommandFactory, add_json
from commander.cli.output import print_json, print_text
from commander.config import resolve_data_dir
from commander.core.errors import ValidationError
from commander.integrations.secrets import (
    InsecureKeyring,
    Keeper,
    Kind,
    SecretStore,
    SecretsUnavailable,
    insecure_message,
    no_keeper_message,
    use_file,
    use_keyring,
)

SECRET_MAX = 64 * 1024


def register(command: CommandFactory) -> None:
    secrets = command("secrets", _status, "where this workspace keeps secrets")
    add_json(secrets)
    actions = secrets.add_subparsers(title="secrets actions", metavar="ACTION")
    status = command("status", _status, "say where secrets are kept (the default)", actions)
    add_json(status)
    command(
        "use-file",
        _use_file,
        "keep secrets in an owner-only file (0600) in the data directory",
        actions,
    )
    keyring = command("use-keyring", _use_keyring, "keep secrets in the keyring", actions)
    keyring.add_argument(
        "--allow-insecure",
        action="store_true",
        help="accept a keyring backend that keeps secrets in a plain file",
    )


def interactive() -> bool:
    return sys.stdin.isatty() and sys.stderr.isatty()


def ready_to_store(store: SecretStore) -> Keeper:
    """Where a secret will go, asked about before anything is read or stored.

    Raises:
        SecretsUnavailable: nothing can keep a secret here.
        InsecureKeyring: a plain-file backend, and no terminal to ask (or the answer was no).
    """
    keeper = store.keeper()
    refusal = store.refusal(keeper)
    if isinstance(refusal, InsecureKeyring) and interactive():
        sys.stderr.write(
            f"warning: the keyring backend {keeper.short_backend} keeps secrets in a plain file"
            + (f" ({keeper.path})" if keeper.path else "")
            + ". Store secrets there anyway? [y/N] "
        )
        sys.stderr.flush()
        if sys.stdin.readline().strip().lower() in ("y", "yes"):
            store.accept_insecure(keeper)
            return store.keeper()
        raise InsecureKeyring(insecure_message(keeper), keeper)
    if refusal is not None:
        raise refusal
    return keeper


def read_secret(label: str) -> str:
    """One secret: a no-echo prompt on a terminal, else one line of stdin (never argv)."""
    if sys.stdin.isatty():
        try:
            text = getpass.getpass(f"{label}: ")
        except EOFError:
            text = ""
    else:
        raw = sys.stdin.buffer.readline(SECRET_MAX + 2)
        if len(raw) > SECRET_MAX + 1:
            raise ValidationError(f"{label}: longer than {SECRET_MAX} bytes; nothing was stored.")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise ValidationError(f"{label}: not UTF-8 text; nothing was stored.") from None
    text = text.strip()
    if any(ch < " " or ch == "\x7f" for ch in text):
        raise ValidationError(f"{label}: control characters are not allowed; nothing was stored.")
    return text


def _status(args: argparse.Namespace) -> int:
    data_dir = resolve_data_dir(args.data_dir)
    keeper = SecretStore(data_dir=data_dir).keeper()
    if getattr(args, "json", False):
        print_json({"data_dir": str(data_dir), **keeper.to_json()})
        return 0
    if keeper.kind is Kind.NONE:
        print_text(no_keeper_message(data_dir).replace(", so nothing was stored", ""))
    elif keeper.kind is Kind.INSECURE and not keeper.accepted:
        print_text(
            f"warning: the keyring backend {keeper.short_backend} keeps secrets in a plain "
            f"file{f' ({keeper.path})' if keeper.path else ''}; storing is refused until you "
            "accept it with 'commander secrets use-keyring --allow-insecure' or choose "
            "'commander secrets use-file'."
        )
    else:
        print_text(f"Secrets are kept in {keeper.describe()}.")
    return 0


def _use_file(args: argparse.Namespace) -> int:
    keeper = use_file(resolve_data_dir(args.data_dir))
    print_text(
        f"Secrets of this workspace are now kept in {keeper.describe()}; any already in the "
        "keyring are still read from there."
    )
    return 0


def _use_keyring(args: argparse.Namespace) -> int:
    keeper = use_keyring(resolve_data_dir(args.data_dir), allow_insecure=args.allow_insecure)
    if keeper.kind is Kind.NONE:
        raise SecretsUnavailable(no_keeper_message(resolve_data_dir(args.data_dir)))
    if not keeper.can_store:
        raise InsecureKeyring(insecure_message(keeper), keeper)
    print_text(f"Secrets of this workspace are now kept in {keeper.describe()}.")
    return 0
