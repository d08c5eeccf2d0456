"""Reading what an export needs with column selects, a batch of documents at a time (never ORM entities)."""
from __future__ import annotations

from collections.abc import Iterator
from itertools import chain
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, null, select
from sqlalchemy.orm import Session

from storage.annotations import record_query
from storage.errors import StancemarkError
from storage.tables import Actor, ActorAlias, Annotation, Annotator, Document, DocumentStatus

STREAM_BATCH = 2_000

# Positions in an annotation row as record_query() selects it.
ID, DOC, ANNOTATOR, START, END, QUOTE, STANCE, ACTOR, CLAIM, TARGET, NOTE, VERSION, REVISION, CREATED, \
    UPDATED, DELETED, KIND, SOURCE_ID, CUE_ID, RELAY_ID, TARGET_ID = range(21)
LINK_COLUMNS = {"source": SOURCE_ID, "cue": CUE_ID, "relay": RELAY_ID, "target": TARGET_ID}


@dataclass(frozen=True)
class ExportFilter:
    """Which annotations go out: by annotator, by document, and only where the annotator set this status."""

    annotators: tuple[str, ...] = ()
    document_ids: tuple[str, ...] = ()
    status: str | None = None
    include_deleted: bool = False
    with_times: bool = True


def _document_query(f: ExportFilter) -> Select[Any]:
    query = select(Document.id, Document.title, Document.source, Document.text, Document.sha256, Document.meta,
                   Document.created_at).order_by(Document.id)
    if f.document_ids:
        query = query.where(Document.id.in_(f.document_ids))
    if f.status is not None:
        marked = select(DocumentStatus.document_id).join(Annotator, Annotator.id == DocumentStatus.annotator_id) \
            .where(DocumentStatus.status == f.status)
        if f.annotators:
            marked = marked.where(Annotator.name.in_(f.annotators))
        query = query.where(Document.id.in_(marked))
    return query


def _annotation_query(f: ExportFilter) -> Select[Any]:
    query = record_query()
    if not f.with_times:  # doccano and spans carry no times: do not read and convert 300,000 of them
        columns = list(query.selected_columns)
        query = query.with_only_columns(*columns[:CREATED], null(), null(), null(), *columns[KIND:],
                                        maintain_column_froms=True)
    if f.document_ids:
        query = query.where(Annotation.document_id.in_(f.document_ids))
    if not f.include_deleted:
        query = query.where(Annotation.deleted_at.is_(None))
    if f.annotators:
        query = query.where(Annotator.name.in_(f.annotators))
    if f.status is not None:
        query = query.join(DocumentStatus, and_(DocumentStatus.document_id == Annotation.document_id,
                                                DocumentStatus.annotator_id == Annotation.annotator_id)) \
            .where(DocumentStatus.status == f.status)
    return query.order_by(Annotation.document_id, Annotation.start, Annotation.end, Annotation.id)


def documents_with_annotations(s: Session, f: ExportFilter) -> Iterator[tuple[Any, list[Any]]]:
    """(document row, its annotation rows in text order), document after document, in id order.

    Two streamed Core queries merged side by side: memory stays at one batch whatever the collection's
    size, and no per-row ORM work is done."""
    connection = s.connection()
    streamed = {"yield_per": STREAM_BATCH}
    docs = connection.execute(_document_query(f), execution_options=streamed)
    # Whole batches flattened by chain(): a Python-level next() per row through Result costs a third more.
    annotations = chain.from_iterable(connection.execute(_annotation_query(f), execution_options=streamed)
                                      .partitions())
    # Both queries apply the same document filters and sort by document id in the database's own
    # collation, so the merge needs only equality (Python's string order may differ from PostgreSQL's).
    pending = next(annotations, None)
    for doc in docs:
        rows = []
        while pending is not None and pending[DOC] == doc[0]:
            rows.append(pending)
            pending = next(annotations, None)
        yield doc, rows
    if pending is not None:
        raise StancemarkError(f"export stopped: annotation {pending[ID]} was read out of document order; "
                              "nothing was written")


def document_count(s: Session, f: ExportFilter) -> int:
    return len(s.execute(_document_query(f).with_only_columns(Document.id)).all())


def annotator_roles(s: Session) -> dict[str, str]:
    return dict(s.execute(select(Annotator.name, Annotator.role)).all())


def actor_entries(s: Session) -> dict[str, dict[str, Any]]:
    """Canonical actors with kind and aliases, for native exports to carry the registry along."""
    entries: dict[str, dict[str, Any]] = {name: {"kind": kind, "aliases": []} for name, kind in
               s.execute(select(Actor.name, Actor.kind).where(Actor.merged_into_id.is_(None)))}
    for name, alias in s.execute(select(Actor.name, ActorAlias.alias).join(ActorAlias, ActorAlias.actor_id == Actor.id)
                                 .order_by(ActorAlias.alias)):
        if name in entries:
            entries[name]["aliases"].append(alias)
    return entries


def all_statuses(s: Session) -> dict[str, dict[str, tuple[str, Any]]]:
    """document id -> annotator -> (status, when); one row per pair, small next to the annotations."""
    found: dict[str, dict[str, tuple[str, Any]]] = {}
    query = select(DocumentStatus.document_id, Annotator.name, DocumentStatus.status, DocumentStatus.updated_at) \
        .join(Annotator, Annotator.id == DocumentStatus.annotator_id)
    for doc_id, name, status, at in s.execute(query):
        found.setdefault(doc_id, {})[name] = (status, at)
    return found
