"""The ORM tables of stored suggestions (revision 0007). Only storage/ sees these; nothing that exports,
measures agreement or builds gold reads them: a suggestion enters a dataset only as the annotation a person
made by accepting it."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.tables import Base, utcnow


class SuggestionRun(Base):
    """What the stored proposals of one suggester for one document (and scope) were computed from."""

    __tablename__ = "suggestion_run"
    __table_args__ = (UniqueConstraint("document_id", "suggester", "scope", name="uq_suggestion_run"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("document.id"))
    suggester: Mapped[str] = mapped_column(String(100))
    version: Mapped[str] = mapped_column(String(50))
    # '' when the suggester reads only text and registry; else the analyst whose annotations it read.
    scope: Mapped[str] = mapped_column(String(200), default="", server_default="")
    fingerprint: Mapped[str] = mapped_column(String(64))
    text_sha256: Mapped[str] = mapped_column(String(64))
    ran_by: Mapped[int | None] = mapped_column(ForeignKey("annotator.id"), default=None)
    ran_at: Mapped[datetime] = mapped_column(default=utcnow)


class Suggestion(Base):
    __tablename__ = "suggestion"
    __table_args__ = (
        CheckConstraint('start >= 0 AND start < "end"', name="ck_suggestion_span"),
        CheckConstraint("kind IN ('claim', 'mention')", name="ck_suggestion_kind"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("suggestion_run.id"), index=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("document.id"), index=True)
    suggester: Mapped[str] = mapped_column(String(100))
    version: Mapped[str] = mapped_column(String(50))
    text_sha256: Mapped[str] = mapped_column(String(64))
    fingerprint: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(20))
    start: Mapped[int]
    end: Mapped[int]
    claim_type: Mapped[str | None] = mapped_column(String(100))
    actor: Mapped[str | None] = mapped_column(Text)
    stance: Mapped[str | None] = mapped_column(String(100))
    source_start: Mapped[int | None] = mapped_column(default=None)
    source_end: Mapped[int | None] = mapped_column(default=None)
    cue_start: Mapped[int | None] = mapped_column(default=None)
    cue_end: Mapped[int | None] = mapped_column(default=None)
    rule: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set when a re-run no longer proposes it; kept while a decision refers to it.
    retired_at: Mapped[datetime | None] = mapped_column(default=None)


class SuggestionDecision(Base):
    __tablename__ = "suggestion_decision"
    __table_args__ = (CheckConstraint("decision IN ('accepted', 'rejected')", name="ck_suggestion_decision"),)

    suggestion_id: Mapped[str] = mapped_column(ForeignKey("suggestion.id"), primary_key=True)
    annotator_id: Mapped[int] = mapped_column(ForeignKey("annotator.id"), primary_key=True)
    decision: Mapped[str] = mapped_column(String(20))
    annotation_ids: Mapped[list[Any]] = mapped_column(default=list)
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)


class SuggestionOrigin(Base):
    """Provenance: the suggestion an annotation was created from, and in which role (claim, source, cue)."""

    __tablename__ = "suggestion_origin"

    annotation_id: Mapped[str] = mapped_column(ForeignKey("annotation.id"), primary_key=True)
    suggestion_id: Mapped[str] = mapped_column(ForeignKey("suggestion.id"), index=True)
    annotator_id: Mapped[int] = mapped_column(ForeignKey("annotator.id"))
    role: Mapped[str] = mapped_column(String(20))
