"""One QUndoCommand per user action: add, edit, delete an annotation, set a document's status.

Each action is committed by the service *before* its command is pushed (gui.operations), so a refused action
never reaches the undo stack and the screen only ever shows what storage returned. Undo and redo call the
services again and return what they changed, which the base publishes on the change bus (gui.change_bus); if
storage refuses, the command makes itself obsolete (QUndoStack drops it), the refusal is reported, and the stack
keeps matching the database. Every command family (annotations, attribution, suggestions, gold, actors)
derives from `StorageCommand`.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Protocol

from PySide6.QtGui import QUndoCommand

from storage import AnnotationChange, AnnotationDraft, AnnotationRecord, StatusRecord

from gui.change_bus import ChangeBus, OpChanges, describe_failure

if TYPE_CHECKING:
    from storage import Database

__all__ = ["AddAnnotation", "DeleteAnnotation", "EditAnnotation", "FailureReporter", "SetStatus",
           "StorageCommand", "describe_failure"]


class FailureReporter(Protocol):
    """Where a refused undo or redo is reported (the change bus, or a panel of its own)."""

    def report_failure(self, action: str, message: str, *, during_redo: bool) -> None: ...


class StorageCommand(QUndoCommand):
    """Skips the first redo (the action is already committed), publishes what undo and redo change on the bus,
    and turns refusals into reports."""

    def __init__(self, text: str, db: Database, annotator: str, screen: FailureReporter,
                 bus: ChangeBus | None = None) -> None:
        super().__init__(text)
        self._db, self._annotator, self._screen, self._bus = db, annotator, screen, bus
        self._committed_already = True

    def redo(self) -> None:
        if self._committed_already:
            self._committed_already = False
            return
        self._attempt(self.apply, during_redo=True)

    def undo(self) -> None:
        self._attempt(self.revert, during_redo=False)

    def _attempt(self, step: Callable[[], OpChanges | None], *, during_redo: bool) -> None:
        try:
            changes = step()
        except Exception as exc:  # noqa: BLE001 - every refusal must reach the analyst, none may crash Qt
            self.setObsolete(True)
            verb = "Redo" if during_redo else "Undo"
            self._screen.report_failure(f"{verb} {self.text().lower()}", describe_failure(exc),
                                        during_redo=during_redo)
            return
        if changes is not None and self._bus is not None:
            self._bus.publish(changes)

    def apply(self) -> OpChanges | None:
        """Redo: the action again; returns what it changed (None if it showed it itself)."""
        raise NotImplementedError

    def revert(self) -> OpChanges | None:
        """Undo: the reverse action; returns what it changed (None if it showed it itself)."""
        raise NotImplementedError


def present(*records: AnnotationRecord, focus: str | None = None) -> OpChanges:
    """Records as storage returned them, live now."""
    return OpChanges(annotations=AnnotationChange(present=records), focus=focus)


def removed(*records: AnnotationRecord) -> OpChanges:
    """Records storage just deleted."""
    return OpChanges(annotations=AnnotationChange(removed=records))


class AnnotationPresence(StorageCommand):
    """Add and delete are each other's undo: one makes the annotation present, the other absent.

    Delete is a soft delete and re-adding one's own deleted id restores that row, so the id never changes."""

    VERB = ""

    def __init__(self, db: Database, annotator: str, bus: ChangeBus, record: AnnotationRecord) -> None:
        super().__init__(f"{self.VERB} annotation “{_short(record.quote)}”", db, annotator, bus, bus)
        self.record = record

    def _make_present(self, focus: bool = False) -> OpChanges:
        self.record = self._db.annotations.add(self.record.as_draft(), by=self._annotator)
        return present(self.record, focus=self.record.id if focus else None)

    def _make_absent(self) -> OpChanges:
        return removed(self._db.annotations.delete(self.record.id, by=self._annotator))


class AddAnnotation(AnnotationPresence):
    VERB = "Add"

    @classmethod
    def perform(cls, db: Database, annotator: str, bus: ChangeBus,
                draft: AnnotationDraft) -> tuple["AddAnnotation", OpChanges]:
        record = db.annotations.add(draft, by=annotator)
        return cls(db, annotator, bus, record), present(record, focus=record.id)

    def apply(self) -> OpChanges:
        return self._make_present()

    def revert(self) -> OpChanges:
        return self._make_absent()


class DeleteAnnotation(AnnotationPresence):
    VERB = "Delete"

    @classmethod
    def perform(cls, db: Database, annotator: str, bus: ChangeBus,
                record: AnnotationRecord) -> tuple["DeleteAnnotation", OpChanges]:
        command = cls(db, annotator, bus, record)
        return command, command._make_absent()

    def apply(self) -> OpChanges:
        return self._make_absent()

    def revert(self) -> OpChanges:
        return self._make_present(focus=True)  # the restored passage is where the analyst looks


def _changes_of(record: AnnotationRecord, keys: tuple[str, ...]) -> dict[str, Any]:
    return {key: getattr(record, key) for key in keys}


class EditAnnotation(StorageCommand):
    """Changes attributes or boundaries; undo writes back the values from before.

    The first change is guarded by the revision the panel showed, so a change made elsewhere is not overwritten."""

    def __init__(self, db: Database, annotator: str, bus: ChangeBus, before: AnnotationRecord,
                 after: AnnotationRecord, keys: tuple[str, ...], text: str, merge_id: int = -1) -> None:
        super().__init__(text, db, annotator, bus, bus)
        self.before, self.after, self._keys, self._merge_id = before, after, keys, merge_id

    @classmethod
    def perform(cls, db: Database, annotator: str, bus: ChangeBus, before: AnnotationRecord,
                text: str = "", merge_id: int = -1, **changes: Any) -> tuple["EditAnnotation", OpChanges]:
        after = db.annotations.edit(before.id, annotator, expected_revision=before.revision, **changes)
        keys = tuple(sorted(changes))
        return cls(db, annotator, bus, before, after, keys, text or _edit_text(keys), merge_id), present(after)

    def id(self) -> int:
        return self._merge_id

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, EditAnnotation) or other.before.id != self.before.id \
                or other.id() != self.id() or self.id() == -1:
            return False
        self.after = other.after
        self._keys = tuple(sorted(set(self._keys) | set(other._keys)))
        return True

    def apply(self) -> OpChanges | None:
        self.after = self._db.annotations.edit(self.before.id, self._annotator, **_changes_of(self.after, self._keys))
        return present(self.after)

    def revert(self) -> OpChanges | None:
        # No revision guard here: our own add/delete/edit steps move the revision on; undo means "put back".
        return present(self._db.annotations.edit(self.before.id, self._annotator,
                                                 **_changes_of(self.before, self._keys)))


class SetStatus(StorageCommand):
    def __init__(self, db: Database, annotator: str, bus: ChangeBus, document_id: str, before: str,
                 after: str, title: str) -> None:
        super().__init__(f"Mark “{_short(title)}” {after.replace('_', ' ')}", db, annotator, bus, bus)
        self._document_id, self._before, self._after = document_id, before, after

    @classmethod
    def perform(cls, db: Database, annotator: str, bus: ChangeBus, document_id: str, status: str,
                title: str) -> tuple["SetStatus", OpChanges]:
        before = db.documents.status(document_id, annotator)
        record = db.documents.set_status(document_id, status, by=annotator)
        return cls(db, annotator, bus, document_id, before, status, title), _status(record)

    def apply(self) -> OpChanges:
        return _status(self._db.documents.set_status(self._document_id, self._after, by=self._annotator))

    def revert(self) -> OpChanges:
        return _status(self._db.documents.set_status(self._document_id, self._before, by=self._annotator))


def _status(record: StatusRecord) -> OpChanges:
    return OpChanges(status=record)


_FIELD_NAMES = {"stance": "stance", "claim_type": "claim type", "actor": "actor", "target": "target",
                "note": "note", "start": "start", "end": "end"}


def _edit_text(keys: tuple[str, ...]) -> str:
    if set(keys) <= {"start", "end"}:
        return "Adjust annotation boundaries"
    return "Change " + ", ".join(_FIELD_NAMES.get(k, k) for k in keys if k not in ("start", "end"))


def _short(text: str, limit: int = 28) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
