"""Documents, annotators and per-annotator document status."""
from __future__ import annotations

import builtins
from collections.abc import Collection

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from storage.audit import record_event
from storage.engine import Sessions
from storage.errors import NotFound, StancemarkError
from storage.tables import Annotation, Annotator, Document, DocumentStatus, Event, utcnow
from storage.records import ROLES, DOCUMENT_STATUSES, AnnotatorRecord, DocumentRecord, DocumentSummary, StatusRecord


def document_record(row: Document) -> DocumentRecord:
    return DocumentRecord(id=row.id, title=row.title, source=row.source, text=row.text, sha256=row.sha256,
                          meta=dict(row.meta or {}), created_at=row.created_at)


def annotator_row(session: Session, name: str, *, create: bool = True, role: str = "annotator") -> Annotator:
    name = name.strip()
    if not name:
        raise StancemarkError("an annotator needs a name")
    row = session.scalar(select(Annotator).where(Annotator.name == name))
    if row is None:
        if not create:
            raise NotFound(f"no annotator named {name!r}")
        row = Annotator(name=name, role=role)
        session.add(row)
        session.flush()
        record_event(session, by=row.id, action="create", entity="annotator", entity_id=str(row.id),
                     after={"name": name, "role": role})
    return row


class AnnotatorService:
    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    def ensure(self, name: str, role: str = "annotator") -> AnnotatorRecord:
        with self._sessions.write.begin() as s:
            row = annotator_row(s, name, role=role)
            return AnnotatorRecord(row.id, row.name, row.role)

    def get(self, name: str) -> AnnotatorRecord:
        with self._sessions.read() as s:
            row = annotator_row(s, name, create=False)
            return AnnotatorRecord(row.id, row.name, row.role)

    def list(self) -> list[AnnotatorRecord]:
        with self._sessions.read() as s:
            return [AnnotatorRecord(r.id, r.name, r.role)
                    for r in s.scalars(select(Annotator).order_by(Annotator.name))]

    def set_role(self, name: str, role: str) -> AnnotatorRecord:
        if role not in ROLES:
            raise StancemarkError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
        with self._sessions.write.begin() as s:
            row = annotator_row(s, name)
            before = row.role
            row.role = role
            record_event(s, by=row.id, action="edit", entity="annotator", entity_id=str(row.id),
                         before={"role": before}, after={"role": role})
            return AnnotatorRecord(row.id, row.name, row.role)


_IDS_PER_QUERY = 500
# coalesce() keeps SQLite on the event table's primary key (the few newest ids) rather than the entity index.
_document_events = func.coalesce(Event.entity, "") == "document"


class DocumentService:
    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    def list(self, annotator: str | None = None, search: str | None = None,
             ids: Collection[str] | None = None) -> list[DocumentSummary]:
        """Every document (or those of `ids`) with its length, annotation count and status for one annotator (or
        all). A window refreshing the few rows a colleague touched passes their ids rather than reading all."""
        if ids is not None and len(ids) > _IDS_PER_QUERY:  # past a few hundred, one full read is the short way
            wanted = set(ids)
            return [d for d in self.list(annotator, search) if d.id in wanted]
        with self._sessions.read() as s:
            # Three plain reads, each from an index alone, joined here: the rows from ix_document_list (in the
            # list's order), the claim counts from ix_annotation_claim_counts, the statuses. Core rows, not ORM
            # results: at 10,000 documents the ORM's row handling cost more than the reads.
            conn = s.connection()
            annotator_id = None
            if annotator:
                found = conn.execute(select(Annotator.id).where(Annotator.name == annotator)).scalar()
                annotator_id = found if found is not None else -1
            query = (select(Document.id, Document.title, Document.source, Document.text_length)
                     .order_by(Document.created_at, Document.title, Document.id))
            # Claims only: a mention or cue is part of a claim's attribution, not a passage of its own. Counted
            # per annotator and document (the index's order), summed per document below.
            count_query = select(Annotation.document_id, func.count()).where(
                Annotation.deleted_at.is_(None), Annotation.kind == "claim").group_by(
                Annotation.annotator_id, Annotation.document_id)
            status_query = select(DocumentStatus.document_id, DocumentStatus.status).where(
                DocumentStatus.annotator_id == annotator_id)
            if ids is not None:
                chosen = list(ids)
                query = query.where(Document.id.in_(chosen))
                count_query = count_query.where(Annotation.document_id.in_(chosen))
                status_query = status_query.where(DocumentStatus.document_id.in_(chosen))
            if annotator_id is not None:
                count_query = count_query.where(Annotation.annotator_id == annotator_id)
            if search:
                needle = f"%{search.lower()}%"
                query = query.where(or_(func.lower(Document.title).like(needle),
                                        func.lower(Document.text).like(needle)))
            counted = conn.execute(count_query).all()
            counts: dict[str, int] = dict(counted)  # one annotator's: one row per document
            if annotator_id is None:
                counts = {}
                for document_id, n in counted:
                    counts[document_id] = counts.get(document_id, 0) + n
            statuses: dict[str, str] = dict(conn.execute(status_query).all()) if annotator_id is not None else {}
            return [DocumentSummary(id=i, title=t, source=src, length=n_chars, annotation_count=counts.get(i, 0),
                                    status=statuses.get(i, "todo"))
                    for i, t, src, n_chars in conn.execute(query).all()]

    def touched_since(self, event_id: int, up_to_event: int | None = None) -> dict[str, frozenset[str]]:
        """Documents whose own events in (`event_id`, `up_to_event`] (an import, which adds a document or spans
        to it; a status; a review status) name them, each with those events' actions: how an open window learns
        of documents a colleague or another program added, and of counts an import changed."""
        query = select(Event.entity_id, Event.action).where(Event.id > event_id, _document_events)
        if up_to_event is not None:
            query = query.where(Event.id <= up_to_event)
        touched: dict[str, set[str]] = {}
        with self._sessions.read() as s:
            for document_id, action in s.execute(query):
                touched.setdefault(document_id, set()).add(action)
        return {document_id: frozenset(actions) for document_id, actions in touched.items()}

    def search(self, text: str) -> builtins.list[DocumentSummary]:  # in the class, `list` names the method
        return self.list(search=text)

    def get(self, document_id: str) -> DocumentRecord:
        with self._sessions.read() as s:
            row = s.get(Document, document_id)
            if row is None:
                raise NotFound(f"no document with id {document_id!r}")
            return document_record(row)

    def count(self) -> int:
        with self._sessions.read() as s:
            return s.scalar(select(func.count()).select_from(Document)) or 0

    def set_status(self, document_id: str, status: str, by: str) -> StatusRecord:
        if status not in DOCUMENT_STATUSES:
            raise StancemarkError(f"status must be one of {', '.join(DOCUMENT_STATUSES)}, not {status!r}")
        with self._sessions.write.begin() as s:
            if s.get(Document, document_id) is None:
                raise NotFound(f"no document with id {document_id!r}")
            who = annotator_row(s, by)
            row = s.get(DocumentStatus, (document_id, who.id))
            before = row.status if row else "todo"
            if row is None:
                row = DocumentStatus(document_id=document_id, annotator_id=who.id)
                s.add(row)
            row.status, row.updated_at = status, utcnow()
            record_event(s, by=who.id, action="status", entity="document", entity_id=document_id,
                         before={"status": before}, after={"status": status})
            s.flush()
            return StatusRecord(document_id, who.name, status, row.updated_at)

    def status(self, document_id: str, annotator: str) -> str:
        with self._sessions.read() as s:
            found = s.scalar(select(DocumentStatus.status).join(Annotator)
                             .where(DocumentStatus.document_id == document_id, Annotator.name == annotator))
            return found or "todo"

    def progress(self, annotator: str) -> tuple[int, int]:
        """(documents this annotator marked done, all documents)."""
        with self._sessions.read() as s:
            total = s.scalar(select(func.count()).select_from(Document)) or 0
            done = s.scalar(select(func.count()).select_from(DocumentStatus).join(Annotator)
                            .where(Annotator.name == annotator, DocumentStatus.status == "done")) or 0
            return done, total
