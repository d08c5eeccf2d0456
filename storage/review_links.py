"""Attribution in the gold layer: a claim taken into gold brings its source, cue, relay and target along.

The claim's live mentions and cues become gold rows of kind mention/cue in the same transaction as the claim,
each with its own event, and the gold claim links to them. A gold mention already in the document with the same
words and the same actor (a cue: the same words) is reused, so two accepted claims quoting the same source share
one gold row. Gold rows are never rewritten (the server forbids it): links are set when a row is written, and
retracting or restoring a row leaves them as they are. A gold mention or cue is retracted when no live gold claim
links to it any more, never while one still does."""
from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from storage import actors as actor_registry
from storage.agreement import Unit
from storage.audit import record_event
from storage.gold_rows import gold_snapshot
from storage.tables import Annotator, Document, GoldAnnotation
from storage.records import LINK_FIELDS, LINK_ROLES, AnnotationRecord, GoldRecord


@dataclass(frozen=True)
class GoldLinks:
    """What taking one claim into gold needs of its attribution: {role: gold id}, and the gold rows made for it."""

    links: dict[str, str]
    created: tuple[str, ...]


def bring_attribution(s: Session, reviewer: Annotator, doc: Document, unit: Unit, chosen: AnnotationRecord,
                      decision: str, values: Mapping[str, Any], rationale: str, version: int) -> GoldLinks:
    """Gold rows for the chosen version's live source, cue, relay and target (made or reused), before the claim.

    A reviewer's edit of the claim's actor moves to its source mention, so the gold claim's actor is still its
    source's; an edited target that no longer reads as the target mention drops the target link."""
    attribution = unit.attribution(chosen.id)
    links: dict[str, str] = {}
    created: list[str] = []
    for role in LINK_ROLES:
        linked = attribution.get(role)
        if linked is None:
            continue
        actor = linked.actor
        if role == "source" and values.get("actor") != chosen.actor:
            actor = values.get("actor")
        if role == "target" and (values.get("target") or None) != (chosen.target or None):
            continue
        resolved = actor_registry.resolve(s, actor, by=reviewer.id) if linked.kind == "mention" else None
        actor_id = resolved.id if resolved else None
        found = _live_gold_span(s, doc.id, linked.kind, linked.start, linked.end, actor_id)
        if found is None:
            sources = _same_linked(unit, role, linked)
            found = _write_span(s, reviewer, doc, linked, actor_id, resolved.name if resolved else None, decision,
                                sources, rationale, version)
            created.append(found)
        links[role] = found
    return GoldLinks(links, tuple(created))


def retract_unlinked(s: Session, candidates: Iterable[str], keep: Iterable[str] = ()) -> list[str]:
    """The gold mentions and cues among `candidates` that no live gold claim links to (and not in `keep`)."""
    out = []
    kept = set(keep)
    for gold_id in dict.fromkeys(candidates):
        row = s.get(GoldAnnotation, gold_id)
        if row is None or row.deleted_at is not None or (row.kind or "claim") == "claim" or gold_id in kept:
            continue
        if not linking_gold_claims(s, row):
            out.append(gold_id)
    return out


def linking_gold_claims(s: Session, row: GoldAnnotation) -> list[str]:
    """Ids of the live gold claims of the document that link to this gold row in any role."""
    return list(s.scalars(select(GoldAnnotation.id).where(
        GoldAnnotation.document_id == row.document_id, GoldAnnotation.deleted_at.is_(None),
        GoldAnnotation.kind == "claim",
        or_(*(getattr(GoldAnnotation, field) == row.id for field in LINK_FIELDS)))).all())


def linked_ids(record: GoldRecord) -> list[str]:
    return list(record.links().values())


def _live_gold_span(s: Session, document_id: str, kind: str, start: int, end: int,
                    actor_id: int | None) -> str | None:
    query = select(GoldAnnotation.id).where(
        GoldAnnotation.document_id == document_id, GoldAnnotation.deleted_at.is_(None), GoldAnnotation.kind == kind,
        GoldAnnotation.start == start, GoldAnnotation.end == end, GoldAnnotation.decision != "rejected")
    query = query.where(GoldAnnotation.actor_id.is_(None) if actor_id is None else GoldAnnotation.actor_id == actor_id)
    return s.scalars(query.order_by(GoldAnnotation.created_at, GoldAnnotation.id)).first()


def _same_linked(unit: Unit, role: str, linked: AnnotationRecord) -> list[str]:
    """Provenance of a gold mention: every version's mention in this role with the same words and actor."""
    found = [linked.id]
    for version in unit.spans:
        other = unit.attribution(version.id).get(role)
        if other is not None and other.id != linked.id and (other.start, other.end, other.actor) == \
                (linked.start, linked.end, linked.actor):
            found.append(other.id)
    return found


def _write_span(s: Session, reviewer: Annotator, doc: Document, linked: AnnotationRecord, actor_id: int | None,
                actor_name: str | None, decision: str, sources: list[str], rationale: str, version: int) -> str:
    row = GoldAnnotation(
        id=str(uuid.uuid4()), document_id=doc.id, start=linked.start, end=linked.end,
        quote=doc.text[linked.start:linked.end], stance=None, actor_id=actor_id, claim_type=None, target=None,
        note="", decision=decision, source_annotation_ids=sources, reviewer_id=reviewer.id,
        rationale=rationale.strip(), scheme_version=version, kind=linked.kind)
    s.add(row)
    s.flush()  # before the claim that links to it
    record_event(s, by=reviewer.id, action=decision, entity="gold", entity_id=row.id,
                 after=gold_snapshot(row, actor_name))
    return row.id


def describe_attribution(roles: Mapping[str, AnnotationRecord | GoldRecord]) -> str:
    """A version's attribution as one line of plain text: "Source: 'Putin' → Vladimir Putin · cue: 'said'"."""
    parts = []
    for role in ("source", "cue", "relay", "target"):
        linked = roles.get(role)
        if linked is None:
            continue
        words = " ".join(linked.quote.split())
        text = f"{role}: '{words}'" + (f" → {linked.actor}" if linked.actor else "")
        parts.append(text)
    line = " · ".join(parts)
    return line[:1].upper() + line[1:]
