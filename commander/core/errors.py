"""Typed domain errors: the UI and CLI turn these into one clear sentence, never a traceback."""


class CommanderError(Exception):
    """Base of every error a user may be shown; ``str(err)`` is the message."""


class ValidationError(CommanderError):
    """Input that the procedure or the record cannot accept (empty title, unknown severity...)."""


class NotFoundError(CommanderError):
    """An incident or entry named by the user does not exist."""


class AmbiguousError(CommanderError):
    """A prefix that matches more than one incident."""


class WorkspaceError(CommanderError):
    """The workspace cannot be opened or written: read-only, corrupt or from a newer version."""


class FutureTimeError(ValidationError):
    """A clock time typed without a day that has not come yet today.

    Attributes:
        yesterday_line: the same line, read as yesterday (``"yesterday 23:59 …"``), for a
            user interface to offer as the other reading.
    """

    def __init__(self, message: str, *, yesterday_line: str) -> None:
        super().__init__(message)
        self.yesterday_line = yesterday_line


class DamagedWorkspaceError(WorkspaceError):
    """The workspace file opens but pages of it are damaged; ``problems`` says where."""

    def __init__(self, message: str, problems: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.problems = problems
