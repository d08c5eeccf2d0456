"""Undo steps for suggestions: accept one (with changed labels), accept all in a document (one step), reject.

Each is committed by storage before it is pushed and returns what it changed, like every other command
(gui/undo_commands.py): the annotations an accept made (or an undo deleted) and the document whose pending
suggestions changed, published on the change bus, where the open document and the Suggestions dock each apply
their part. Undo reverts the decision and deletes the annotations an accept made; redo accepts again (new
annotation ids)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from storage import AnnotationChange, AnnotationRecord

from gui.change_bus import ChangeBus, OpChanges
from gui.undo_commands import StorageCommand, _short

if TYPE_CHECKING:
    from storage import Database


def accepted(document_id: str, records: list[AnnotationRecord]) -> OpChanges:
    """An accept's annotations, the last of them selected, and the document's suggestions to read again."""
    return OpChanges(annotations=AnnotationChange(present=tuple(records)) if records else None,
                     focus=records[-1].id if records else None, suggestions=document_id)


class AcceptSuggestions(StorageCommand):
    """Accepting one suggestion, or every pending one of a document: its annotations appear together."""

    def __init__(self, db: Database, annotator: str, bus: ChangeBus, text: str, document_id: str,
                 ids: list[str], changes: dict[str, Any] | None, records: list[AnnotationRecord]) -> None:
        super().__init__(text, db, annotator, bus, bus)
        self.document_id, self.ids, self.changes, self.records = document_id, ids, changes, records

    @classmethod
    def one(cls, db: Database, annotator: str, bus: ChangeBus, suggestion_id: str, quote: str, document_id: str,
            changes: dict[str, Any] | None = None) -> tuple[AcceptSuggestions, OpChanges]:
        records = list(db.suggestions.accept(suggestion_id, annotator, changes).records)
        command = cls(db, annotator, bus, f"Accept suggestion “{_short(quote)}”", document_id, [suggestion_id],
                      changes, records)
        return command, accepted(document_id, records)

    @classmethod
    def all(cls, db: Database, annotator: str, bus: ChangeBus,
            document_id: str) -> tuple[AcceptSuggestions, OpChanges]:
        decisions = db.suggestions.accept_all(document_id, annotator)
        records = [r for a in decisions for r in a.records]
        command = cls(db, annotator, bus, f"Accept {len(decisions)} suggestions", document_id,
                      [a.suggestion_id for a in decisions], None, records)
        return command, accepted(document_id, records)

    def apply(self) -> OpChanges:
        if len(self.ids) == 1 and self.changes is not None:
            self.records = list(self._db.suggestions.accept(self.ids[0], self._annotator, self.changes).records)
        else:
            decisions = self._db.suggestions.accept_all(self.document_id, self._annotator, ids=self.ids)
            self.records = [r for a in decisions for r in a.records]
        return accepted(self.document_id, self.records)

    def revert(self) -> OpChanges:
        gone = tuple(self._db.suggestions.revert(self.ids, self._annotator))
        return OpChanges(annotations=AnnotationChange(removed=gone) if gone else None, suggestions=self.document_id)


class RejectSuggestion(StorageCommand):
    def __init__(self, db: Database, annotator: str, bus: ChangeBus, suggestion_id: str, quote: str,
                 document_id: str) -> None:
        super().__init__(f"Reject suggestion “{_short(quote)}”", db, annotator, bus, bus)
        self.suggestion_id, self.document_id = suggestion_id, document_id

    @classmethod
    def perform(cls, db: Database, annotator: str, bus: ChangeBus, suggestion_id: str, quote: str,
                document_id: str) -> tuple[RejectSuggestion, OpChanges]:
        command = cls(db, annotator, bus, suggestion_id, quote, document_id)
        return command, command.apply()

    def apply(self) -> OpChanges:
        self._db.suggestions.reject(self.suggestion_id, self._annotator)
        return OpChanges(suggestions=self.document_id)

    def revert(self) -> OpChanges:
        self._db.suggestions.revert([self.suggestion_id], self._annotator)
        return OpChanges(suggestions=self.document_id)
