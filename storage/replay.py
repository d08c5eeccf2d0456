"""Rebuilds the annotation table from the event log alone: the proof that the log records everything.

The reference data an annotation points at (label schemes, documents, annotators, the actor registry with
its aliases and merges) is copied as it stands; then every annotation event is applied in log order.
Actor names in the snapshots are resolved through the registry, so an annotation whose actor was merged
later lands on the surviving actor, as it does in the live table.

An import logs one event per document (the bulk path, storage/importers/writer.py) carrying a snapshot of
each span as imported; every later change to them is logged in full and replayed over it."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Table, func, insert, select, text, update
from sqlalchemy.orm import Session

from storage import actors as actor_registry
from storage.audit import imported_spans, logged_annotation, logged_deletion
from storage.errors import StancemarkError
from storage.tables import Actor, ActorAlias, Annotation, Annotator, Base, Document, Event, LabelScheme

if TYPE_CHECKING:
    from storage.database import Database

# Parents before children; actors go in without their merge pointer, which is set once all exist.
REFERENCE_TABLES: tuple[type[Base], ...] = (LabelScheme, Document, Annotator, Actor, ActorAlias)


@dataclass(frozen=True)
class ReplaySummary:
    events: int
    annotations: int
    deleted: int


def _copy_reference_data(source: Session, target: Session) -> None:
    for model in REFERENCE_TABLES:
        table = cast(Table, model.__table__)
        key = list(table.primary_key.columns)[0]
        present = set(target.scalars(select(key)).all())
        rows = [dict(r._mapping) for r in source.execute(select(table).order_by(key))]
        missing = [r for r in rows if r[key.name] not in present]
        if model is Actor:
            merges = {r["id"]: r["merged_into_id"] for r in missing if r["merged_into_id"] is not None}
            missing = [{**r, "merged_into_id": None} for r in missing]
        if missing:
            target.execute(insert(table), missing)
        if model is Actor:
            for actor_id, into in merges.items():
                target.execute(update(Actor).where(Actor.id == actor_id).values(merged_into_id=into))
    target.flush()
    if target.get_bind().dialect.name == "postgresql":
        # Rows went in with their ids; the id sequences must move past them before anything new is added.
        for model in (Annotator, Actor, ActorAlias):
            name = model.__tablename__
            target.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                                f"coalesce((SELECT max(id) FROM {name}), 0) + 1, false)"))


def _apply(target: Session, event: Event) -> None:
    after: dict[str, Any] = event.after or {}
    row = target.get(Annotation, event.entity_id)
    if event.action not in ("create", "edit", "restore", "delete"):
        raise StancemarkError(f"event {event.id}: unknown annotation action {event.action!r}")
    # A delete logs the whole row after it (annotation_snapshot), and is applied whole: a change to any other
    # field made in the same transaction is then in the log too. Only a snapshot without the row's fields
    # (none the app writes) falls back to the deletion alone.
    deletion = logged_deletion(after) if event.action == "delete" else None
    if deletion is not None:
        if row is None:
            raise StancemarkError(f"event {event.id}: deletes annotation {event.entity_id}, which was never created")
        row.deleted_at, row.revision = deletion
        return
    values = logged_annotation(after)
    actor = actor_registry.resolve(target, values.pop("actor"))
    values["actor_id"] = actor.id if actor else None
    if row is None:
        target.add(Annotation(id=event.entity_id, **values))
    else:
        for name, value in values.items():
            setattr(row, name, value)
    target.flush()


def _apply_import(target: Session, event: Event) -> None:
    after: dict[str, Any] = event.after or {}
    if after.get("annotations") and "spans" not in after:
        raise StancemarkError(f"event {event.id}: an import logged before span snapshots were kept; "
                              "its spans cannot be rebuilt from the log")
    text = target.scalar(select(Document.text).where(Document.id == event.entity_id)) or ""
    for snapshot in imported_spans(after, event.entity_id, text):
        if target.get(Annotation, snapshot["id"]) is None:
            _apply(target, Event(id=event.id, action="create", entity="annotation", entity_id=snapshot["id"],
                                 after=snapshot))


def rebuild_annotations(source: "Database", target: "Database",
                        progress: Callable[[int, int], None] | None = None) -> ReplaySummary:
    """Replays `source`'s event log into `target`, whose annotation table must be empty; `progress(events
    replayed, events)` as it goes."""
    with target.sessions.write.begin() as t, source.sessions.read() as s:
        if t.scalar(select(func.count()).select_from(Annotation)):
            raise StancemarkError(f"{target.display_name}: already has annotations; replay needs an empty table")
        _copy_reference_data(s, t)
        events = s.scalars(select(Event).where(
            (Event.entity == "annotation") | ((Event.entity == "document") & (Event.action == "import")))
            .order_by(Event.id)).all()
        for n, event in enumerate(events, start=1):
            if event.entity == "document":
                _apply_import(t, event)
            else:
                _apply(t, event)
            if progress and (n % 200 == 0 or n == len(events)):
                progress(n, len(events))
        total = t.scalar(select(func.count()).select_from(Annotation)) or 0
        deleted = t.scalar(select(func.count()).select_from(Annotation).where(Annotation.deleted_at.is_not(None)))
    return ReplaySummary(events=len(events), annotations=total, deleted=deleted or 0)


def _as_utc(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)


def annotation_table(db: "Database") -> dict[str, tuple[Any, ...]]:
    """Every annotation, deleted ones too, as comparable values (instants in UTC)."""
    rows = {}
    for doc in db.documents.list():
        for a in db.annotations.for_document(doc.id, include_deleted=True):
            rows[a.id] = (a.document_id, a.annotator, a.start, a.end, a.quote, a.stance, a.actor, a.claim_type,
                          a.target, a.note, a.scheme_version, a.revision, _as_utc(a.created_at),
                          _as_utc(a.updated_at), _as_utc(a.deleted_at), a.kind, a.source_id, a.cue_id, a.relay_id,
                          a.target_id)
    return rows


COMPARED = ("document", "annotator", "start", "end", "quote", "stance", "actor", "claim_type", "target", "note",
            "scheme version", "revision", "created", "updated", "deleted", "kind", "source", "cue", "relay",
            "target link")


def differences_from_log(db: "Database", limit: int = 20,
                         progress: Callable[[int, int], None] | None = None) -> tuple[int, list[str]]:
    """Rebuilds the annotation table from the log in a scratch database and compares it with the live one:
    (annotations compared, up to `limit` differences). A change made behind the services' back shows here.
    `progress(events replayed, events)` during the rebuild."""
    from storage.database import open_database

    scratch = open_database(":memory:")
    try:
        rebuild_annotations(db, scratch, progress)
        rebuilt = annotation_table(scratch)
    finally:
        scratch.close()
    live = annotation_table(db)
    found = []
    for ann_id in sorted(set(live) | set(rebuilt)):
        if ann_id not in rebuilt:
            found.append(f"{ann_id}: in the table but not in the log")
        elif ann_id not in live:
            found.append(f"{ann_id}: in the log but not in the table")
        else:
            found += [f"{ann_id}: {name} is {mine!r} in the table, {logged!r} by the log"
                      for name, mine, logged in zip(COMPARED, live[ann_id], rebuilt[ann_id]) if mine != logged]
    return len(live), found[:limit]
