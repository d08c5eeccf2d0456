"""Counts for `stancemark stats`: documents, and live annotations per annotator and per label."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from storage.tables import Actor, Annotation, Annotator, Document

if TYPE_CHECKING:
    from storage.database import Database


@dataclass(frozen=True)
class CollectionStats:
    documents: int
    annotations: int
    per_annotator: tuple[tuple[str, int], ...]
    per_label: dict[str, tuple[tuple[str, int], ...]]  # attribute -> ((value, count), ...), most used first


def collection_stats(db: "Database") -> CollectionStats:
    live = Annotation.deleted_at.is_(None)
    with db.sessions.read() as s:
        documents = s.scalar(select(func.count()).select_from(Document)) or 0
        annotations = s.scalar(select(func.count()).select_from(Annotation).where(live)) or 0
        per_annotator = tuple(s.execute(
            select(Annotator.name, func.count(Annotation.id)).join(Annotation, Annotation.annotator_id == Annotator.id)
            .where(live).group_by(Annotator.name).order_by(func.count(Annotation.id).desc(), Annotator.name)))
        per_label: dict[str, tuple[tuple[str, int], ...]] = {}
        for attribute, column in (("stance", Annotation.stance), ("claim_type", Annotation.claim_type),
                                  ("actor", Actor.name)):
            query = select(column, func.count()).select_from(Annotation)
            if attribute == "actor":
                query = query.join(Actor, Actor.id == Annotation.actor_id)
            query = query.where(live, column.is_not(None)).group_by(column).order_by(func.count().desc(), column)
            per_label[attribute] = tuple((value, n) for value, n in s.execute(query) if value is not None)
    return CollectionStats(documents, annotations, per_annotator, per_label)
