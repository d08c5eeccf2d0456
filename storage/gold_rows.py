"""Gold-layer rows: queries, records and audit snapshots (the review service builds on these)."""
from __future__ import annotations

from typing import Any, Unpack

from sqlalchemy import Select, select, union
from sqlalchemy.orm import Session

from storage.tables import Actor, Annotation, Annotator, DocumentStatus, GoldAnnotation, ReviewStatus
from storage.records import GoldRecord, ReviewStatusRecord


def gold_query() -> Select[Unpack[tuple[Any, ...]]]:
    return (select(GoldAnnotation, Annotator.name, Actor.name)
            .join(Annotator, Annotator.id == GoldAnnotation.reviewer_id)
            .outerjoin(Actor, Actor.id == GoldAnnotation.actor_id))


def gold_record(row: GoldAnnotation, reviewer: str, actor: str | None) -> GoldRecord:
    return GoldRecord(
        id=row.id, document_id=row.document_id, start=row.start, end=row.end, quote=row.quote,
        stance=row.stance, actor=actor, claim_type=row.claim_type, target=row.target, note=row.note,
        decision=row.decision, source_annotation_ids=tuple(row.source_annotation_ids or ()), reviewer=reviewer,
        rationale=row.rationale, scheme_version=row.scheme_version, created_at=row.created_at,
        updated_at=row.updated_at, deleted_at=row.deleted_at, kind=row.kind or "claim", source_id=row.source_id,
        cue_id=row.cue_id, relay_id=row.relay_id, target_id=row.target_id,
    )


def load_gold(session: Session, gold_id: str) -> GoldRecord:
    # populate_existing: the record must show what the database stores, not the object still in the session.
    query = gold_query().where(GoldAnnotation.id == gold_id).execution_options(populate_existing=True)
    row, reviewer, actor = session.execute(query).one()
    return gold_record(row, reviewer, actor)


def gold_snapshot(row: GoldAnnotation, actor: str | None) -> dict[str, Any]:
    """Everything needed to rebuild the gold row from the event log alone."""
    return {
        "id": row.id, "document_id": row.document_id, "start": row.start, "end": row.end, "quote": row.quote,
        "stance": row.stance, "actor": actor, "claim_type": row.claim_type, "target": row.target,
        "note": row.note, "decision": row.decision, "source_annotation_ids": list(row.source_annotation_ids),
        "reviewer_id": row.reviewer_id, "rationale": row.rationale, "scheme_version": row.scheme_version,
        "deleted_at": row.deleted_at.isoformat() if row.deleted_at else None,
        "kind": row.kind or "claim", "source_id": row.source_id, "cue_id": row.cue_id, "relay_id": row.relay_id,
        "target_id": row.target_id,
    }


def participants(session: Session, document_id: str | None = None) -> dict[str, set[str]]:
    """Who took part in each document: a live claim there, or (annotators, not reviewers) a status past todo.

    A reviewer who only reviews is no participant, or every unit would look incomplete; nor is one who marked
    only mentions or cues (those are parts of claims, not units)."""
    spans = (select(Annotation.document_id, Annotator.name)
             .join(Annotator, Annotator.id == Annotation.annotator_id)
             .where(Annotation.deleted_at.is_(None), Annotation.kind == "claim"))
    statuses = (select(DocumentStatus.document_id, Annotator.name)
                .join(Annotator, Annotator.id == DocumentStatus.annotator_id)
                .where(DocumentStatus.status != "todo", Annotator.role == "annotator"))
    if document_id is not None:
        spans = spans.where(Annotation.document_id == document_id)
        statuses = statuses.where(DocumentStatus.document_id == document_id)
    found: dict[str, set[str]] = {}
    for doc_id, name in session.execute(union(spans, statuses)):
        found.setdefault(doc_id, set()).add(name)
    return found


def review_status_record(session: Session, document_id: str) -> ReviewStatusRecord:
    row = session.get(ReviewStatus, document_id)
    if row is None:
        return ReviewStatusRecord(document_id, "not_reviewed", None, None)
    reviewer = session.get(Annotator, row.reviewer_id) if row.reviewer_id is not None else None
    return ReviewStatusRecord(document_id, row.status, reviewer.name if reviewer else None, row.updated_at)
