"""Undo steps for suggestions: accept one (with changed labels), accept all in a document (one step), reject.

Each is committed by storage before it is pushed, like every other command (gui/undo_commands.py); these show
their records through their screen (gui.suggestions_controller) rather than returning them for the bus. Undo reverts
the decision and deletes the annotations an accept made; redo accepts again (new annotation ids)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from storage import AnnotationRecord

from gui.undo_commands import Screen, StorageCommand, _short

if TYPE_CHECKING:
    from storage import Database


class SuggestionScreen(Screen, Protocol):
    def suggestions_changed(self) -> None: ...


class AcceptSuggestions(StorageCommand):
    """Accepting one suggestion, or every pending one of a document: its annotations appear together."""

    def __init__(self, db: Database, annotator: str, screen: SuggestionScreen, text: str, document_id: str,
                 ids: list[str], changes: dict[str, Any] | None, records: list[AnnotationRecord]) -> None:
        super().__init__(text, db, annotator, screen)
        self._suggestion_screen = screen
        self.document_id, self.ids, self.changes, self.records = document_id, ids, changes, records

    @classmethod
    def one(cls, db: Database, annotator: str, screen: SuggestionScreen, suggestion_id: str, quote: str,
            document_id: str, changes: dict[str, Any] | None = None) -> "AcceptSuggestions":
        accepted = db.suggestions.accept(suggestion_id, annotator, changes)
        command = cls(db, annotator, screen, f"Accept suggestion “{_short(quote)}”", document_id, [suggestion_id],
                      changes, list(accepted.records))
        command._show()
        return command

    @classmethod
    def all(cls, db: Database, annotator: str, screen: SuggestionScreen, document_id: str) -> "AcceptSuggestions":
        accepted = db.suggestions.accept_all(document_id, annotator)
        records = [r for a in accepted for r in a.records]
        command = cls(db, annotator, screen, f"Accept {len(accepted)} suggestions", document_id,
                      [a.suggestion_id for a in accepted], None, records)
        command._show()
        return command

    def _show(self) -> None:
        for record in self.records:
            self._suggestion_screen.show_annotation(record)
        if self.records:
            self._suggestion_screen.select_annotation(self.records[-1].id)
        self._suggestion_screen.suggestions_changed()

    def apply(self) -> None:
        if len(self.ids) == 1 and self.changes is not None:
            self.records = list(self._db.suggestions.accept(self.ids[0], self._annotator, self.changes).records)
        else:
            accepted = self._db.suggestions.accept_all(self.document_id, self._annotator, ids=self.ids)
            self.records = [r for a in accepted for r in a.records]
        self._show()

    def revert(self) -> None:
        for record in self._db.suggestions.revert(self.ids, self._annotator):
            self._suggestion_screen.forget_annotation(record)
        self._suggestion_screen.suggestions_changed()


class RejectSuggestion(StorageCommand):
    def __init__(self, db: Database, annotator: str, screen: SuggestionScreen, suggestion_id: str, quote: str) -> None:
        super().__init__(f"Reject suggestion “{_short(quote)}”", db, annotator, screen)
        self._suggestion_screen, self.suggestion_id = screen, suggestion_id

    @classmethod
    def perform(cls, db: Database, annotator: str, screen: SuggestionScreen, suggestion_id: str,
                quote: str) -> "RejectSuggestion":
        db.suggestions.reject(suggestion_id, annotator)
        screen.suggestions_changed()
        return cls(db, annotator, screen, suggestion_id, quote)

    def apply(self) -> None:
        self._db.suggestions.reject(self.suggestion_id, self._annotator)
        self._suggestion_screen.suggestions_changed()

    def revert(self) -> None:
        self._db.suggestions.revert([self.suggestion_id], self._annotator)
        self._suggestion_screen.suggestions_changed()
