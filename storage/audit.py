"""The event log: every change writes who, when, what before and after, in its own transaction."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Annotation, Annotator, Event
from storage.records import EventRecord


def annotation_snapshot(row: Annotation, actor_name: str | None) -> dict[str, Any]:
    """Everything needed to rebuild the row from the log alone."""
    return {
        "id": row.id, "document_id": row.document_id, "annotator_id": row.annotator_id,
        "start": row.start, "end": row.end, "quote": row.quote, "stance": row.stance,
        "actor": actor_name, "claim_type": row.claim_type, "target": row.target, "note": row.note,
        "scheme_version": row.scheme_version, "revision": row.revision,
        "created_at": row.created_at.isoformat() if row.created_at else None,
        "updated_at": row.updated_at.isoformat() if row.updated_at else None,
        "deleted_at": row.deleted_at.isoformat() if row.deleted_at else None,
        "kind": row.kind or "claim", "source_id": row.source_id, "cue_id": row.cue_id, "relay_id": row.relay_id,
        "target_id": row.target_id,
    }


def record_event(
    session: Session, *, by: int | None, action: str, entity: str, entity_id: str,
    before: dict[str, Any] | None = None, after: dict[str, Any] | None = None,
) -> None:
    session.add(Event(annotator_id=by, action=action, entity=entity, entity_id=str(entity_id),
                      before=before, after=after))


def history(session: Session, entity: str, entity_id: str) -> list[EventRecord]:
    rows = session.execute(
        select(Event, Annotator.name)
        .outerjoin(Annotator, Annotator.id == Event.annotator_id)
        .where(Event.entity == entity, Event.entity_id == entity_id)
        .order_by(Event.id)
    ).all()
    return [
        EventRecord(id=e.id, at=e.at, annotator=name, action=e.action, entity=e.entity,
                    entity_id=e.entity_id, before=e.before, after=e.after)
        for e, name in rows
    ]
