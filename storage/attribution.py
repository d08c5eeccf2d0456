"""Attribution rules shared by every writer: what a claim may link to, and what it takes from its mentions.

PARC 3.0's source + cue + content (+ relay) on annotation rows: a claim links to a mention (source, relay,
target) or a cue of the same annotator in the same document. Two values are kept in step by the service, in the
same transaction: a claim with a source mention has that mention's actor, and a claim with a target mention has
the mention's actor name (or its words) as target, so every reader of `actor` and `target` stays right.
A link to a deleted mention counts as no link; undoing the delete brings it back."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from storage.audit import annotation_snapshot, record_event
from storage.errors import StancemarkError
from storage.tables import Actor, Annotation, utcnow
from storage.records import KINDS, LINK_FIELDS, LINK_KINDS, LINK_ROLES, AnnotationDraft


@dataclass(frozen=True)
class LinkedSpan:
    """What a link check needs to know of the annotation a link points at."""

    kind: str
    document_id: str
    annotator_id: int
    live: bool
    actor_id: int | None
    quote: str


@dataclass(frozen=True)
class LinkCheck:
    """What a valid claim takes from its mentions (None: keep its own value)."""

    actor_id: int | None = None
    target: str | None = None


Lookup = Callable[[str], "LinkedSpan | None"]


def stored_span(s: Session) -> Lookup:
    def find(annotation_id: str) -> LinkedSpan | None:
        row = s.get(Annotation, annotation_id)
        if row is None:
            return None
        return LinkedSpan(row.kind or "claim", row.document_id, row.annotator_id, row.deleted_at is None,
                          row.actor_id, row.quote)
    return find


def check_attribution(s: Session, draft: AnnotationDraft, annotator_id: int, *,
                      unchanged: dict[str, str | None] | None = None, find: Lookup | None = None) -> LinkCheck:
    """Refuses a draft whose kind, labels or links break the rules; links equal to `unchanged` (the row's
    stored ones) are not checked again, so a claim whose source was deleted can still be edited and restored."""
    if draft.kind not in KINDS:
        raise StancemarkError(f"{draft.kind!r} is not a kind of annotation (one of {', '.join(KINDS)})")
    links = {role: getattr(draft, f"{role}_id") for role in LINK_ROLES}
    if draft.kind != "claim":
        if any(links.values()):
            raise StancemarkError(f"only a claim links to a source, cue, relay or target, not a {draft.kind}")
        if draft.stance is not None or draft.claim_type is not None:
            raise StancemarkError(f"a {draft.kind} has no stance and no claim type; those belong to its claim")
        if draft.kind == "cue" and (draft.actor or draft.target):
            raise StancemarkError("a cue names no actor and no target")
        return LinkCheck()
    find = find or stored_span(s)
    spans: dict[str, LinkedSpan | None] = {}
    for role, linked_id in links.items():
        if linked_id is None:
            continue
        span = find(linked_id)
        spans[role] = span
        if unchanged is not None and unchanged.get(f"{role}_id") == linked_id:
            continue
        wanted = LINK_KINDS[role]
        if linked_id == draft.id:
            raise StancemarkError(f"a claim cannot be its own {role}")
        if span is None or not span.live:
            raise StancemarkError(f"the {role} {linked_id!r} is not an annotation (or was deleted)")
        if span.document_id != draft.document_id or span.annotator_id != annotator_id:
            raise StancemarkError(f"the {role} must be one of your own annotations in the same document")
        if span.kind != wanted:
            raise StancemarkError(f"the {role} of a claim must be a {wanted}, not a {span.kind}")
    source, target = spans.get("source"), spans.get("target")
    actor_id = source.actor_id if source is not None and source.live else None
    target_text = None
    if target is not None and target.live:
        target_text = actor_name(s, target.actor_id) if target.actor_id is not None else target.quote
    return LinkCheck(actor_id=actor_id, target=target_text)


def actor_name(s: Session, actor_id: int) -> str | None:
    """The registry name of an actor id (what snapshots and denormalised targets carry)."""
    return s.scalar(select(Actor.name).where(Actor.id == actor_id))


def follow_mention(s: Session, mention: Annotation) -> list[Annotation]:
    """After a mention changed: the live claims of its annotator that use it take its actor (as source) and its
    name or words (as target); each changed claim gets its own revision and event. Returns the claims changed."""
    if (mention.kind or "claim") != "mention" or mention.deleted_at is not None:
        return []
    claims = s.scalars(select(Annotation).where(
        Annotation.document_id == mention.document_id, Annotation.annotator_id == mention.annotator_id,
        Annotation.deleted_at.is_(None), Annotation.kind == "claim",
        or_(Annotation.source_id == mention.id, Annotation.target_id == mention.id))).all()
    name = actor_name(s, mention.actor_id) if mention.actor_id is not None else None
    changed = []
    for claim in claims:
        actor_id, target = claim.actor_id, claim.target
        if claim.source_id == mention.id and mention.actor_id is not None:
            actor_id = mention.actor_id
        if claim.target_id == mention.id:
            target = name if name is not None else mention.quote
        if (actor_id, target) == (claim.actor_id, claim.target):
            continue
        before = annotation_snapshot(claim, actor_name(s, claim.actor_id) if claim.actor_id else None)
        claim.actor_id, claim.target = actor_id, target
        claim.updated_at, claim.revision = utcnow(), claim.revision + 1
        s.flush()
        record_event(s, by=claim.annotator_id, action="edit", entity="annotation", entity_id=claim.id,
                     before=before, after=annotation_snapshot(claim, actor_name(s, actor_id) if actor_id else None))
        changed.append(claim)
    return changed


def linking_claim_ids(s: Session, annotation_id: str) -> list[str]:
    """Ids of the live claims that link to this annotation in any role."""
    row = s.get(Annotation, annotation_id)
    if row is None:
        return []
    return list(s.scalars(select(Annotation.id).where(
        Annotation.document_id == row.document_id, Annotation.annotator_id == row.annotator_id,
        Annotation.deleted_at.is_(None), Annotation.kind == "claim",
        or_(*(getattr(Annotation, field) == annotation_id for field in LINK_FIELDS)))
        .order_by(Annotation.start, Annotation.id)).all())


def live_links(records: Iterable[Any]) -> dict[str, dict[str, str]]:
    """claim id -> {role: linked id}, for links whose target is among the given live records (annotation or gold
    records alike): what exports, agreement and the screen treat as the claim's attribution."""
    items = list(records)
    live = {r.id for r in items if getattr(r, "deleted_at", None) is None}
    out: dict[str, dict[str, str]] = {}
    for r in items:
        if r.id not in live or getattr(r, "kind", "claim") != "claim":
            continue
        links = {role: linked for role, linked in r.links().items() if linked in live}
        if links:
            out[r.id] = links
    return out
