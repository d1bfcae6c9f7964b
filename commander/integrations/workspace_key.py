"""A stable id per data directory, so each workspace has its own channel secrets.

``channels.json`` belongs to one data directory, but keyring is per user: before this id,
every workspace of a user read the same ``commander-channels`` entries, so two workspaces
silently shared one Slack URL. Now the service name carries the id
(``commander-channels/<id>``). The id lives in ``workspace-id.json`` beside the workspace (it
moves with the folder; a copied folder is the same workspace).

A data directory that was set up before (it has ``channels.json`` but no id yet) adopts the
shared entries on first use: they are copied to its own service, and the old entries stay for
the other workspaces that used them, so nobody loses a secret.
"""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import dataclass, replace
from pathlib import Path

from commander.storage.private_files import FILE_MODE, private_dir, write_private

ID_FILENAME = "workspace-id.json"
LEGACY_MARKER = "channels.json"  # a folder with channel settings but no id predates the id


@dataclass(frozen=True)
class WorkspaceKey:
    """Attributes:
    id: a UUID, stable for the life of the folder.
    adopt_shared: the shared (pre-id) channel secrets are still to be copied in.
    """

    id: str
    adopt_shared: bool = False


def workspace_key(data_dir: Path) -> WorkspaceKey:
    """The folder's key, created on first use (with ``adopt_shared`` if the folder predates it).

    A damaged id file is replaced by a new id: its secrets are then not found and the user is
    asked for them again, which beats refusing to send anything.
    """
    path = Path(data_dir) / ID_FILENAME
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        key = WorkspaceKey(str(uuid.UUID(str(raw["id"]))), bool(raw.get("adopt_shared", False)))
    except FileNotFoundError:
        key = WorkspaceKey(str(uuid.uuid4()), (Path(data_dir) / LEGACY_MARKER).exists())
        if not _create(path, key):  # another process made it first: take theirs
            return workspace_key(data_dir)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        key = WorkspaceKey(str(uuid.uuid4()), False)
        _write(path, key)
    return key


def mark_adopted(data_dir: Path, key: WorkspaceKey) -> WorkspaceKey:
    done = replace(key, adopt_shared=False)
    _write(Path(data_dir) / ID_FILENAME, done)
    return done


def _create(path: Path, key: WorkspaceKey) -> bool:
    """Write the id only if there is none yet (two processes starting at once agree).

    The file appears whole or not at all (written aside, then hard-linked into place): a
    process that found it half written took it for damaged and replaced the id, and the
    other process then looked for its secrets under an id that was gone.
    """
    private_dir(path.parent)
    body = json.dumps({"id": key.id, "adopt_shared": key.adopt_shared}, indent=2)
    aside = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
    fd = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(body)
        os.link(aside, path)
    except FileExistsError:
        return False
    finally:
        aside.unlink(missing_ok=True)
    return True


def _write(path: Path, key: WorkspaceKey) -> None:
    private_dir(path.parent)
    body = json.dumps({"id": key.id, "adopt_shared": key.adopt_shared}, indent=2)
    write_private(path, body.encode("utf-8"))
