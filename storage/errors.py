"""Errors the services raise; each carries a message fit to show an analyst as it is."""
from __future__ import annotations


class StancemarkError(Exception):
    """Base of every error the storage layer means a person to read."""


class NotFound(StancemarkError):
    pass


class PermissionDenied(StancemarkError):
    """An annotator tried to change what is not theirs, or a non-reviewer tried to adjudicate."""


class InvalidSpan(StancemarkError):
    pass


class ConflictError(StancemarkError):
    """Someone else changed the row since it was read; nothing was overwritten."""


class InputError(StancemarkError):
    """Bad input file: the message names the file, the line and the reason."""

    def __init__(self, path: str, line: int | None, reason: str) -> None:
        self.path, self.line, self.reason = path, line, reason
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {reason}")


class DatabaseUnavailable(StancemarkError):
    """The database cannot be opened or written: locked, read-only, full, not a database, too new."""
