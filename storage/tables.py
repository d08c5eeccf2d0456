"""The ORM tables. Only storage/ sees these; callers get records (storage/records.py)."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def _length_of_text(context: Any) -> int:
    """The inserted row's text length: the column default of `Document.text_length`."""
    return len(context.get_current_parameters()["text"])


class Base(DeclarativeBase):
    type_annotation_map = {
        dict[str, Any]: JSON,
        list[Any]: JSON,
        datetime: DateTime(timezone=True),
    }


class Document(Base):
    __tablename__ = "document"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    meta: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # len(text) in code points, written with the text (migration 0009): the document list shows every
    # document's length, and length(text) read the whole corpus's text (67 MB at 10,000 documents) to say it.
    # An insert through this table fills it from the text; the importer's bulk path sets it itself.
    text_length: Mapped[int] = mapped_column(Integer, default=_length_of_text)


class Annotator(Base):
    __tablename__ = "annotator"
    __table_args__ = (CheckConstraint("role IN ('annotator', 'reviewer')", name="ck_annotator_role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    role: Mapped[str] = mapped_column(String(20), default="annotator")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Actor(Base):
    __tablename__ = "actor"
    __table_args__ = (
        CheckConstraint("kind IN ('person', 'organisation', 'state', 'other')", name="ck_actor_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    kind: Mapped[str] = mapped_column(String(20), default="other")
    # Set when this actor was merged into another; the row stays so history still resolves.
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("actor.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ActorAlias(Base):
    __tablename__ = "actor_alias"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actor.id", ondelete="CASCADE"), index=True)
    alias: Mapped[str] = mapped_column(String(300), unique=True)


class LabelScheme(Base):
    __tablename__ = "label_scheme"

    version: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    body: Mapped[dict[str, Any]]
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Annotation(Base):
    __tablename__ = "annotation"
    __table_args__ = (
        CheckConstraint('start >= 0 AND start < "end"', name="ck_annotation_span"),
        CheckConstraint("kind IN ('claim', 'mention', 'cue')", name="ck_annotation_kind"),
        Index("ix_annotation_document_annotator", "document_id", "annotator_id"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("document.id"), index=True)
    annotator_id: Mapped[int] = mapped_column(ForeignKey("annotator.id"))
    start: Mapped[int]
    end: Mapped[int]
    quote: Mapped[str] = mapped_column(Text)
    stance: Mapped[str | None] = mapped_column(String(100))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("actor.id"), index=True)
    claim_type: Mapped[str | None] = mapped_column(String(100))
    target: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str] = mapped_column(Text, default="")
    scheme_version: Mapped[int] = mapped_column(ForeignKey("label_scheme.version"))
    # Bumped on every change: an edit names the revision it started from, so nobody overwrites unseen work.
    revision: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(default=None)
    # Attribution (PARC 3.0): a claim is the content; a mention names an actor (who speaks, who passes it on,
    # whom it is about); a cue is the words that signal the attribution. Links go from a claim to annotations
    # of the same annotator in the same document; a link to a deleted row counts as no link.
    kind: Mapped[str] = mapped_column(String(20), default="claim", server_default="claim")
    source_id: Mapped[str | None] = mapped_column(ForeignKey("annotation.id"), default=None)
    cue_id: Mapped[str | None] = mapped_column(ForeignKey("annotation.id"), default=None)
    relay_id: Mapped[str | None] = mapped_column(ForeignKey("annotation.id"), default=None)
    target_id: Mapped[str | None] = mapped_column(ForeignKey("annotation.id"), default=None)


class DocumentStatus(Base):
    __tablename__ = "document_status"
    __table_args__ = (
        CheckConstraint("status IN ('todo', 'in_progress', 'done')", name="ck_document_status"),
    )

    document_id: Mapped[str] = mapped_column(ForeignKey("document.id"), primary_key=True)
    annotator_id: Mapped[int] = mapped_column(ForeignKey("annotator.id"), primary_key=True)
    status: Mapped[str] = mapped_column(String(20), default="todo")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Event(Base):
    """The audit log: one row per change, written in the transaction that makes the change."""

    __tablename__ = "event"
    __table_args__ = (Index("ix_event_entity", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    annotator_id: Mapped[int | None] = mapped_column(ForeignKey("annotator.id"))
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(64))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)


class Setting(Base):
    """Small facts about this database (for example when the seeds were loaded)."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class GoldAnnotation(Base):
    """The adjudicated layer: one row per reviewer decision; originals in `annotation` are never touched."""

    __tablename__ = "gold_annotation"
    __table_args__ = (
        CheckConstraint('start >= 0 AND start <= "end"', name="ck_gold_span"),
        CheckConstraint("decision IN ('accepted', 'edited', 'rejected', 'merged')", name="ck_gold_decision"),
        CheckConstraint("kind IN ('claim', 'mention', 'cue')", name="ck_gold_kind"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("document.id"), index=True)
    start: Mapped[int]
    end: Mapped[int]
    quote: Mapped[str] = mapped_column(Text)
    stance: Mapped[str | None] = mapped_column(String(100))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("actor.id"))
    claim_type: Mapped[str | None] = mapped_column(String(100))
    target: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str] = mapped_column(Text, default="")
    decision: Mapped[str] = mapped_column(String(20))
    # Provenance: the annotation ids this gold row was decided from (a JSON list of strings).
    source_annotation_ids: Mapped[list[Any]] = mapped_column(default=list)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("annotator.id"))
    rationale: Mapped[str] = mapped_column(Text, default="")
    scheme_version: Mapped[int] = mapped_column(ForeignKey("label_scheme.version"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(default=None)
    # Attribution in gold, as in `annotation`: links point at gold rows of the same document.
    kind: Mapped[str] = mapped_column(String(20), default="claim", server_default="claim")
    source_id: Mapped[str | None] = mapped_column(ForeignKey("gold_annotation.id"), default=None)
    cue_id: Mapped[str | None] = mapped_column(ForeignKey("gold_annotation.id"), default=None)
    relay_id: Mapped[str | None] = mapped_column(ForeignKey("gold_annotation.id"), default=None)
    target_id: Mapped[str | None] = mapped_column(ForeignKey("gold_annotation.id"), default=None)


class ReviewStatus(Base):
    """Where adjudication of a document stands (one row per document, absent means not reviewed)."""

    __tablename__ = "review_status"
    __table_args__ = (
        CheckConstraint("status IN ('not_reviewed', 'in_review', 'adjudicated')", name="ck_review_status"),
    )

    document_id: Mapped[str] = mapped_column(ForeignKey("document.id"), primary_key=True)
    status: Mapped[str] = mapped_column(String(20), default="not_reviewed")
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("annotator.id"), default=None)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


# The Actors view counts each actor's live annotations and documents in one grouped query: this index covers it
# (migration 0006), so 200,000 annotations are counted without reading the table.
Index("ix_annotation_actor_use", Annotation.actor_id, Annotation.deleted_at, Annotation.document_id)
# The document list's count of live claims per document, for one annotator or all, read from the index alone
# (migration 0009, which put the annotator before the document: one annotator's count reads only their entries).
Index("ix_annotation_claim_counts", Annotation.kind, Annotation.deleted_at, Annotation.annotator_id,
      Annotation.document_id)
# The document list's rows, in its order, read from the index alone (migration 0009): the table's rows hold
# the texts, and reaching their last columns walks each text's overflow pages.
Index("ix_document_list", Document.created_at, Document.title, Document.id, Document.source, Document.text_length)


__all__ = [
    "Base", "Document", "Annotator", "Actor", "ActorAlias", "LabelScheme", "Annotation",
    "DocumentStatus", "Event", "Setting", "GoldAnnotation", "ReviewStatus", "utcnow",
]
