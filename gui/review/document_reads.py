"""What the review window reads in the background (gui.workers.LatestRead): opening a document (its text, units,
figures) and re-reading its units after a decision, an undo or a change to its annotations. Matching the spans
into units, the unit list's facts and the text's span index are all worked out in the pool thread, so the UI
thread only shows what arrives."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from gui.review.item_models import UnitFacts, unit_facts
from gui.review.review_view import review_index
from gui.span_index import SpanIndex
from storage import AgreementReport, Database, DocumentRecord, ReviewUnit


@dataclass(frozen=True)
class UnitsRead:
    """One document's units with their gold, as stored when the read ran."""

    document_id: str
    participants: tuple[str, ...]
    units: list[ReviewUnit]
    facts: list[UnitFacts]
    index: SpanIndex  # the text view's spans
    status: str  # the document's review status


@dataclass(frozen=True)
class DocumentRead:
    """Opening a document: its text and figures beside its units."""

    document: DocumentRecord
    units: UnitsRead
    report: AgreementReport


def _units_of(db: Database, document_id: str, text: str) -> UnitsRead:
    units = db.review.units(document_id)
    facts = unit_facts(units)
    return UnitsRead(document_id, db.review.participants(document_id), units, facts,
                     review_index(text, units, [f.status for f in facts]), db.review.status(document_id).status)


def read_document(document_id: str) -> Callable[[Database], DocumentRead]:
    def read(db: Database) -> DocumentRead:
        document = db.documents.get(document_id)
        return DocumentRead(document, _units_of(db, document_id, document.text), db.review.agreement(document_id))

    return read


def read_units(document_id: str, text: str) -> Callable[[Database], UnitsRead]:
    """`text`: the document's text as on screen (the span index is built against it)."""
    return lambda db: _units_of(db, document_id, text)
