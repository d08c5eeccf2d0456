"""One QUndoCommand per user action: add, edit, delete an annotation, set a document's status.

Each action is committed by the service *before* its command is pushed (the `perform` constructors), so a
refused action never reaches the undo stack and the screen only ever shows what storage returned. Undo and
redo call the services again; if storage refuses then, the command makes itself obsolete (QUndoStack drops
it), the screen is told, and the stack keeps matching the database.
"""
from __future__ import annotations

from typing import Any, Callable, Protocol

from PySide6.QtGui import QUndoCommand

from storage import AnnotationDraft, AnnotationRecord, Database, StancemarkError, StatusRecord

class Screen(Protocol):
    """What the commands need from the window: show committed results and report refusals."""

    def show_annotation(self, record: AnnotationRecord) -> None: ...

    def forget_annotation(self, record: AnnotationRecord) -> None: ...

    def select_annotation(self, annotation_id: str) -> None: ...

    def show_status(self, record: StatusRecord) -> None: ...

    def report_failure(self, action: str, message: str, *, during_redo: bool) -> None: ...


class StorageCommand(QUndoCommand):
    """Skips the first redo (the action is already committed) and turns refusals into messages."""

    def __init__(self, text: str, db: Database, annotator: str, screen: Screen) -> None:
        super().__init__(text)
        self._db, self._annotator, self._screen = db, annotator, screen
        self._committed_already = True

    def redo(self) -> None:
        if self._committed_already:
            self._committed_already = False
            return
        self._attempt(self.apply, during_redo=True)

    def undo(self) -> None:
        self._attempt(self.revert, during_redo=False)

    def _attempt(self, step: Callable[[], None], *, during_redo: bool) -> None:
        try:
            step()
        except Exception as exc:  # noqa: BLE001 - every refusal must reach the analyst, none may crash Qt
            self.setObsolete(True)
            verb = "Redo" if during_redo else "Undo"
            self._screen.report_failure(f"{verb} {self.text().lower()}", describe_failure(exc),
                                        during_redo=during_redo)

    def apply(self) -> None:
        raise NotImplementedError

    def revert(self) -> None:
        raise NotImplementedError


class AnnotationPresence(StorageCommand):
    """Add and delete are each other's undo: one makes the annotation present, the other absent.

    Delete is a soft delete and re-adding one's own deleted id restores that row, so the id never changes."""

    VERB = ""

    def __init__(self, db: Database, annotator: str, screen: Screen, record: AnnotationRecord) -> None:
        super().__init__(f"{self.VERB} annotation “{_short(record.quote)}”", db, annotator, screen)
        self.record = record

    def _make_present(self) -> None:
        self.record = self._db.annotations.add(self.record.as_draft(), by=self._annotator)
        self._screen.show_annotation(self.record)

    def _make_absent(self) -> None:
        self._screen.forget_annotation(self._db.annotations.delete(self.record.id, by=self._annotator))


class AddAnnotation(AnnotationPresence):
    VERB = "Add"

    @classmethod
    def perform(cls, db: Database, annotator: str, screen: Screen, draft: AnnotationDraft) -> "AddAnnotation":
        record = db.annotations.add(draft, by=annotator)
        screen.show_annotation(record)
        return cls(db, annotator, screen, record)

    def apply(self) -> None:
        self._make_present()

    def revert(self) -> None:
        self._make_absent()


class DeleteAnnotation(AnnotationPresence):
    VERB = "Delete"

    @classmethod
    def perform(cls, db: Database, annotator: str, screen: Screen, record: AnnotationRecord) -> "DeleteAnnotation":
        command = cls(db, annotator, screen, record)
        command._make_absent()
        return command

    def apply(self) -> None:
        self._make_absent()

    def revert(self) -> None:
        self._make_present()
        self._screen.select_annotation(self.record.id)  # the restored passage is where the analyst looks


def _changes_of(record: AnnotationRecord, keys: tuple[str, ...]) -> dict[str, Any]:
    return {key: getattr(record, key) for key in keys}


class EditAnnotation(StorageCommand):
    """Changes attributes or boundaries; undo writes back the values from before.

    The first change is guarded by the revision the panel showed, so a change made elsewhere is not overwritten."""

    def __init__(self, db: Database, annotator: str, screen: Screen, before: AnnotationRecord,
                 after: AnnotationRecord, keys: tuple[str, ...], text: str, merge_id: int = -1) -> None:
        super().__init__(text, db, annotator, screen)
        self.before, self.after, self._keys, self._merge_id = before, after, keys, merge_id

    @classmethod
    def perform(cls, db: Database, annotator: str, screen: Screen, before: AnnotationRecord,
                text: str = "", merge_id: int = -1, **changes: Any) -> "EditAnnotation":
        after = db.annotations.edit(before.id, annotator, expected_revision=before.revision, **changes)
        screen.show_annotation(after)
        keys = tuple(sorted(changes))
        return cls(db, annotator, screen, before, after, keys, text or _edit_text(keys), merge_id)

    def id(self) -> int:
        return self._merge_id

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, EditAnnotation) or other.before.id != self.before.id \
                or other.id() != self.id() or self.id() == -1:
            return False
        self.after = other.after
        self._keys = tuple(sorted(set(self._keys) | set(other._keys)))
        return True

    def apply(self) -> None:
        self.after = self._db.annotations.edit(self.before.id, self._annotator, **_changes_of(self.after, self._keys))
        self._screen.show_annotation(self.after)

    def revert(self) -> None:
        # No revision guard here: our own add/delete/edit steps move the revision on; undo means "put back".
        restored = self._db.annotations.edit(self.before.id, self._annotator, **_changes_of(self.before, self._keys))
        self._screen.show_annotation(restored)


class SetStatus(StorageCommand):
    def __init__(self, db: Database, annotator: str, screen: Screen, document_id: str, before: str,
                 after: str, title: str) -> None:
        super().__init__(f"Mark “{_short(title)}” {after.replace('_', ' ')}", db, annotator, screen)
        self._document_id, self._before, self._after = document_id, before, after

    @classmethod
    def perform(cls, db: Database, annotator: str, screen: Screen, document_id: str, status: str,
                title: str) -> "SetStatus":
        before = db.documents.status(document_id, annotator)
        screen.show_status(db.documents.set_status(document_id, status, by=annotator))
        return cls(db, annotator, screen, document_id, before, status, title)

    def apply(self) -> None:
        self._screen.show_status(self._db.documents.set_status(self._document_id, self._after, by=self._annotator))

    def revert(self) -> None:
        self._screen.show_status(self._db.documents.set_status(self._document_id, self._before, by=self._annotator))


def describe_failure(exc: BaseException) -> str:
    """Storage errors are written for the analyst; anything else is a bug, still shown rather than lost."""
    if isinstance(exc, StancemarkError):
        return str(exc)
    return f"Unexpected error ({type(exc).__name__}): {exc}. Nothing was changed."


_FIELD_NAMES = {"stance": "stance", "claim_type": "claim type", "actor": "actor", "target": "target",
                "note": "note", "start": "start", "end": "end"}


def _edit_text(keys: tuple[str, ...]) -> str:
    if set(keys) <= {"start", "end"}:
        return "Adjust annotation boundaries"
    return "Change " + ", ".join(_FIELD_NAMES.get(k, k) for k in keys if k not in ("start", "end"))


def _short(text: str, limit: int = 28) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
