"""The analyst's actions, each a few lines: commit through storage, get the command and what changed.

In the spirit of Anki's aqt/operations: an operation calls the service (inside the command's `perform`), and
`run` pushes the committed command on the app's one undo stack and publishes its changes on the bus, where every
window applies what concerns it. A refusal is reported once on the bus and nothing is pushed.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, TypeVar

from PySide6.QtGui import QUndoCommand

from storage import AnnotationDraft, AnnotationRecord

from gui.attribution_commands import DeleteWithClaims, LinkAnnotation
from gui.change_bus import ChangeBus, OpChanges, describe_failure
from gui.suggestions_commands import AcceptSuggestions, RejectSuggestion
from gui.undo_commands import AddAnnotation, DeleteAnnotation, EditAnnotation, SetStatus

if TYPE_CHECKING:
    from storage import Database

C = TypeVar("C", bound=QUndoCommand)
Step = Callable[[], tuple[C, OpChanges]]


@dataclass(frozen=True)
class Session:
    """Who acts, on which database, announcing on which bus."""

    db: Database
    annotator: str
    bus: ChangeBus


def run(session: Session, action: str, step: Step[C]) -> C | None:
    """Commits `step`; only a committed action is pushed and published. None if storage refused it."""
    try:
        command, changes = step()
    except Exception as exc:  # noqa: BLE001 - every refusal reaches the analyst
        session.bus.report_failure(action, describe_failure(exc), during_redo=False)
        return None
    session.bus.publish(changes)
    session.bus.push(command)
    return command


def add_annotation(s: Session, draft: AnnotationDraft) -> AddAnnotation | None:
    return run(s, "Add annotation", lambda: AddAnnotation.perform(s.db, s.annotator, s.bus, draft))


def edit_annotation(s: Session, before: AnnotationRecord, changes: dict[str, Any],
                    merge_id: int = -1) -> EditAnnotation | None:
    return run(s, "Edit annotation", lambda: EditAnnotation.perform(
        s.db, s.annotator, s.bus, before, merge_id=merge_id, **changes))


def delete_annotation(s: Session, record: AnnotationRecord) -> DeleteAnnotation | None:
    return run(s, "Delete annotation", lambda: DeleteAnnotation.perform(s.db, s.annotator, s.bus, record))


def set_status(s: Session, document_id: str, status: str, title: str) -> SetStatus | None:
    return run(s, "Mark document", lambda: SetStatus.perform(s.db, s.annotator, s.bus, document_id, status, title))


def link(s: Session, claim: AnnotationRecord, role: str, linked_id: str | None,
         new_span: AnnotationDraft | None) -> LinkAnnotation | None:
    return run(s, f"Link {role}", lambda: LinkAnnotation.perform(
        s.db, s.annotator, s.bus, claim, role, linked_id=linked_id, new_span=new_span))


def delete_with_claims(s: Session, record: AnnotationRecord,
                       claims: list[AnnotationRecord]) -> DeleteWithClaims | None:
    return run(s, "Delete annotation", lambda: DeleteWithClaims.perform(s.db, s.annotator, s.bus, record, claims))


def accept_suggestion(s: Session, suggestion_id: str, quote: str, document_id: str,
                      changes: dict[str, Any] | None = None) -> AcceptSuggestions | None:
    return run(s, "Accept suggestion", lambda: AcceptSuggestions.one(
        s.db, s.annotator, s.bus, suggestion_id, quote, document_id, changes))


def accept_all_suggestions(s: Session, document_id: str) -> AcceptSuggestions | None:
    return run(s, "Accept all suggestions", lambda: AcceptSuggestions.all(s.db, s.annotator, s.bus, document_id))


def reject_suggestion(s: Session, suggestion_id: str, quote: str, document_id: str) -> RejectSuggestion | None:
    return run(s, "Reject suggestion", lambda: RejectSuggestion.perform(
        s.db, s.annotator, s.bus, suggestion_id, quote, document_id))


def moved_boundary(record: AnnotationRecord, offset: int) -> tuple[int, int] | None:
    """Shift+click: the boundary nearer to `offset` moves there; None when nothing would change."""
    if offset <= record.start or (offset < record.end and offset - record.start < record.end - offset):
        start, end = offset, record.end
    else:
        start, end = record.start, offset
    return (start, end) if start < end and (start, end) != (record.start, record.end) else None
