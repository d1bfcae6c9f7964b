"""Sync failures, each a sentence a responder can act on."""

from __future__ import annotations

from commander.core.errors import CommanderError


class SyncError(CommanderError):
    """The shared database could not be used; ``str(err)`` says why in one line."""


class ServerUnreachable(SyncError):
    """The server did not answer (down, network gone, timed out): an offline state."""


class PushRefused(SyncError):
    """The server refused a push (its hash chain does not continue the server's)."""


class SchemaMissing(SyncError):
    """The database has no Commander schema yet, or one newer than this version knows."""


class ExerciseRefused(SyncError):
    """The workspace is an exercise: nothing of it may reach a shared database."""


EXERCISE_REFUSAL = (
    "This workspace is an exercise: it never syncs with a shared database, so practice "
    "incidents cannot reach the real ones."
)
