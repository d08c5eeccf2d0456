"""Edit > Undo after a restart: the analyst's own latest changes on this database, rebuilt from the event log.

At window open a background read (gui.workers.LatestRead) fetches them (storage.undoable_changes); they become
the very commands a live change pushed (gui.undo_commands), with the same names, so undo and redo do what they
do live. Each checks once, before its first undo, that the annotation is still as its logged change left it;
if anything changed it since, the undo is refused through the commands' own failure path, and nothing is written.
History is read only while the stack is empty: an action taken before it arrives keeps its place on top."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject

import storage
from storage import ConflictError, NotFound

from gui.undo_commands import AddAnnotation, DeleteAnnotation, EditAnnotation, StorageCommand, _edit_text
from gui.workers import LatestRead

if TYPE_CHECKING:
    from storage import Database, LoggedChange

    from gui.change_bus import ChangeBus, OpChanges

KEPT = 100  # the undo history offered after a restart, in changes


class LoggedGuard:
    """The first undo goes ahead only if the annotation is as expected: as its logged change left it, or as the
    undo of a later restored step on the same annotation (`later`) left it."""

    def __init__(self, logged: LoggedChange, earlier: LoggedGuard | None) -> None:
        self.checked = False
        self.revision, self.present = logged.after.revision, logged.after.deleted_at is None
        self.id, self.earlier = logged.after.id, earlier

    def check(self, db: Database) -> None:
        if self.checked:
            return
        try:
            now = db.annotations.get(self.id)
        except NotFound:
            now = None
        if now is None or now.revision != self.revision or (now.deleted_at is None) != self.present:
            raise ConflictError("this annotation was changed after that session's change "
                                "(elsewhere, or later in another way); nothing was undone")
        self.checked = True

    def undone(self, changes: OpChanges | None) -> OpChanges | None:
        """The earlier step on this annotation now expects it as this undo left it."""
        if self.earlier is not None and changes is not None and changes.annotations is not None:
            for record in (*changes.annotations.present, *changes.annotations.removed):
                if record.id == self.id:
                    self.earlier.revision, self.earlier.present = record.revision, record.deleted_at is None
        return changes


class Restored:
    """Mixed into a live command: its undo checks the guard first and hands the result on."""

    guard: LoggedGuard
    _db: Database

    def revert(self) -> Any:  # what the live command's undo returns
        self.guard.check(self._db)
        return self.guard.undone(super().revert())  # type: ignore[misc]


class RestoredAdd(Restored, AddAnnotation):
    def __init__(self, db: Database, annotator: str, bus: ChangeBus, logged: LoggedChange) -> None:
        AddAnnotation.__init__(self, db, annotator, bus, logged.after)


class RestoredDelete(Restored, DeleteAnnotation):
    def __init__(self, db: Database, annotator: str, bus: ChangeBus, logged: LoggedChange) -> None:
        assert logged.before is not None
        DeleteAnnotation.__init__(self, db, annotator, bus, logged.before)


class RestoredEdit(Restored, EditAnnotation):
    def __init__(self, db: Database, annotator: str, bus: ChangeBus, logged: LoggedChange) -> None:
        assert logged.before is not None
        EditAnnotation.__init__(self, db, annotator, bus, logged.before, logged.after, logged.keys,
                                _edit_text(logged.keys))


def commands_for(db: Database, annotator: str, bus: ChangeBus, changes: list[LoggedChange]) -> list[StorageCommand]:
    """Oldest first; each guard knows the guard of the step before it on the same annotation."""
    kinds: dict[str, type[RestoredAdd | RestoredDelete | RestoredEdit]] = {
        "add": RestoredAdd, "delete": RestoredDelete, "edit": RestoredEdit}
    latest: dict[str, LoggedGuard] = {}
    commands: list[StorageCommand] = []
    for logged in changes:
        command = kinds[logged.action](db, annotator, bus, logged)
        command.guard = latest[logged.after.id] = LoggedGuard(logged, latest.get(logged.after.id))
        commands.append(command)
    return commands


class RestoredHistory(QObject):
    """Reads the history in the background and pushes it, oldest first, if the stack is still empty."""

    def __init__(self, db: Database, location: str, annotator: str, bus: ChangeBus, parent: QObject) -> None:
        super().__init__(parent)
        self._db, self._annotator, self._bus = db, annotator, bus
        self.read = LatestRead(location, "Undo history", parent=self)
        self.read.sig_ready.connect(self._arrived)

    def start(self) -> None:
        if self._bus.stack.count() == 0 and self.read.location not in ("", ":memory:"):
            annotator = self._annotator
            # storage.undo_history loads SQLAlchemy: only once the window is up (its start-up imports stay light)
            self.read.start(lambda db: storage.undoable_changes(db, annotator, KEPT))

    def _arrived(self, changes: list[LoggedChange]) -> None:
        if self._bus.stack.count():
            return  # the analyst acted first; older steps cannot go under theirs
        for command in commands_for(self._db, self._annotator, self._bus, changes):
            self._bus.push(command)
