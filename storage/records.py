"""Plain frozen records handed to callers: the window and the command line never see ORM rows."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

ATTRIBUTES = ("stance", "actor", "claim_type")
# An annotator's progress on one document (REVIEW_STATUSES below are a reviewer's, UNIT_STATUSES in
# storage.agreement a unit's agreement).
DOCUMENT_STATUSES = ("todo", "in_progress", "done")
ROLES = ("annotator", "reviewer")
# Attribution (PARC 3.0): a claim is the content; a mention names an actor; a cue signals the attribution.
KINDS = ("claim", "mention", "cue")
# A claim's links, each to another annotation of the same annotator and document, kept in `{role}_id`:
# source (a mention of who holds it), cue, relay (a mention of who passes it on), target (whom it is about).
LINK_ROLES = ("source", "cue", "relay", "target")
LINK_FIELDS = tuple(f"{role}_id" for role in LINK_ROLES)
LINK_KINDS = {"source": "mention", "cue": "cue", "relay": "mention", "target": "mention"}
# What an edit may change, of an annotation (which may also change its LINK_FIELDS) and of a gold decision.
EDITABLE = ("start", "end", "stance", "actor", "claim_type", "target", "note")


@dataclass(frozen=True)
class DocumentSummary:
    id: str
    title: str
    source: str
    length: int
    annotation_count: int
    status: str = "todo"


@dataclass(frozen=True)
class DocumentRecord:
    id: str
    title: str
    source: str
    text: str
    sha256: str
    meta: dict[str, Any]
    created_at: datetime


@dataclass(frozen=True)
class AnnotatorRecord:
    id: int
    name: str
    role: str


@dataclass(frozen=True)
class ActorRecord:
    id: int
    name: str
    kind: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class AnnotationDraft:
    """What a person asks for: a span and its attributes. The id lets undo/redo re-create the same row."""

    document_id: str
    start: int
    end: int
    stance: str | None = None
    actor: str | None = None
    claim_type: str | None = None
    target: str | None = None
    note: str = ""
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    kind: str = "claim"
    source_id: str | None = None
    cue_id: str | None = None
    relay_id: str | None = None
    target_id: str | None = None


@dataclass(frozen=True)
class AnnotationRecord:
    id: str
    document_id: str
    annotator: str
    start: int
    end: int
    quote: str
    stance: str | None
    actor: str | None
    claim_type: str | None
    target: str | None
    note: str
    scheme_version: int
    revision: int
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None = None
    kind: str = "claim"
    source_id: str | None = None
    cue_id: str | None = None
    relay_id: str | None = None
    target_id: str | None = None

    def attribute(self, name: str) -> str | None:
        return getattr(self, name)

    def links(self) -> dict[str, str]:
        """{role: linked annotation id} as stored (see `storage.live_links` for the ones still live)."""
        return {role: value for role, value in zip(LINK_ROLES, (self.source_id, self.cue_id, self.relay_id,
                                                                self.target_id)) if value is not None}

    def as_draft(self) -> AnnotationDraft:
        return AnnotationDraft(
            document_id=self.document_id, start=self.start, end=self.end, stance=self.stance,
            actor=self.actor, claim_type=self.claim_type, target=self.target, note=self.note, id=self.id,
            kind=self.kind, source_id=self.source_id, cue_id=self.cue_id, relay_id=self.relay_id,
            target_id=self.target_id,
        )


@dataclass(frozen=True)
class StatusRecord:
    document_id: str
    annotator: str
    status: str
    updated_at: datetime


@dataclass(frozen=True)
class EventRecord:
    id: int
    at: datetime
    annotator: str | None
    action: str
    entity: str
    entity_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


@dataclass(frozen=True)
class LabelUse:
    """How much one scheme value is used: a value nothing uses may be removed from the scheme."""

    attribute: str
    value: str
    label: str
    annotations: int  # deleted ones too: undo could bring them back
    gold: int

    @property
    def used(self) -> bool:
        return bool(self.annotations or self.gold)


@dataclass(frozen=True)
class LabelValue:
    value: str
    label: str
    definition: str
    colour: str
    shortcut: str


@dataclass(frozen=True)
class SchemeRecord:
    """The label scheme as data: the panel, colours and shortcuts are built from it."""

    version: int
    name: str
    stances: tuple[LabelValue, ...]
    stance_ordinal: bool
    claim_types: tuple[LabelValue, ...]
    actor_kinds: tuple[str, ...]
    actor_colour: str
    body: dict[str, Any]

    def values(self, attribute: str) -> tuple[LabelValue, ...]:
        if attribute == "stance":
            return self.stances
        if attribute == "claim_type":
            return self.claim_types
        raise KeyError(attribute)

    def colour_of(self, attribute: str, value: str | None) -> str:
        if attribute == "actor" or value is None:
            return self.actor_colour
        for item in self.values(attribute):
            if item.value == value:
                return item.colour
        return "#999999"


REVIEW_STATUSES = ("not_reviewed", "in_review", "adjudicated")
# A review unit's agreement status (storage.agreement builds the units; the window colours them by it).
AGREED, DISAGREED, INCOMPLETE = "agreed", "disagreed", "incomplete"
UNIT_STATUSES = (AGREED, DISAGREED, INCOMPLETE)
GOLD_DECISIONS = ("accepted", "edited", "rejected", "merged")


@dataclass(frozen=True)
class GoldRecord:
    """One adjudicated unit with its provenance: where it came from, who decided, when and why."""

    id: str
    document_id: str
    start: int
    end: int
    quote: str
    stance: str | None
    actor: str | None
    claim_type: str | None
    target: str | None
    note: str
    decision: str
    source_annotation_ids: tuple[str, ...]
    reviewer: str
    rationale: str
    scheme_version: int
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None = None
    kind: str = "claim"
    source_id: str | None = None  # links, as in AnnotationRecord, to gold rows of the same document
    cue_id: str | None = None
    relay_id: str | None = None
    target_id: str | None = None

    def attribute(self, name: str) -> str | None:
        return getattr(self, name)

    def links(self) -> dict[str, str]:
        return {role: value for role, value in zip(LINK_ROLES, (self.source_id, self.cue_id, self.relay_id,
                                                                self.target_id)) if value is not None}


@dataclass(frozen=True)
class GoldChange:
    """What one review action did to the gold layer: rows it made live and rows it retracted.

    Undo is `db.review.revert(change, by)`, which returns the reverse change (revert that to redo)."""

    added: tuple[GoldRecord, ...] = ()
    retracted: tuple[str, ...] = ()


@dataclass(frozen=True)
class AnnotationChange:
    """What one annotation action did: records it made live (added or changed, as stored now) and records it
    deleted (as stored, `deleted_at` set). The window applies it; undo runs the reverse action."""

    present: tuple[AnnotationRecord, ...] = ()
    removed: tuple[AnnotationRecord, ...] = ()


@dataclass(frozen=True)
class ReviewStatusRecord:
    document_id: str
    status: str
    reviewer: str | None
    updated_at: datetime | None


@dataclass(frozen=True)
class ActorUsage:
    """One actor of the registry with how much the corpus uses it (live annotations; gold rows)."""

    id: int
    name: str
    kind: str
    aliases: tuple[str, ...]
    annotations: int
    documents: int
    gold: int = 0


@dataclass(frozen=True)
class ActorPassage:
    """One live annotation naming an actor: where the actor occurs."""

    annotation_id: str
    document_id: str
    title: str
    start: int
    end: int
    quote: str
    annotator: str
    kind: str = "claim"


@dataclass(frozen=True)
class ActorMerge:
    """What one merge moved, by id, so that `db.actors.unmerge(change, by)` puts back exactly that."""

    source_id: int
    into_id: int
    source_name: str
    into_name: str
    annotations: tuple[str, ...]
    gold: tuple[str, ...]
    aliases: tuple[int, ...]
    name_alias_id: int | None = None
