"""The gold layer of a native line read back: "gold" (adjudicated rows with provenance) and "review" (status).

Rows are matched by id, so importing the same export twice adds nothing; a reviewer named in the file who is
not in the database arrives with the reviewer role. Rejected rows keep their decision; retracted rows keep their
deleted_at, so the history of a decision survives the trip."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage import actors as actor_registry
from storage.audit import record_event
from storage.documents import annotator_row
from storage.importers.fields import Where, checked_span, optional_str, timestamp, whole_number
from storage.tables import GoldAnnotation, LabelScheme, ReviewStatus
from storage.importers.links import kind_field, link_ids
from storage.records import GOLD_DECISIONS, LINK_KINDS, REVIEW_STATUSES
from storage.scheme import SchemeLabels, current_labels
from storage.text import OffsetMap

if TYPE_CHECKING:
    from storage.importers.incoming import IncomingDocument


@dataclass
class IncomingGold:
    id: str
    start: int
    end: int
    decision: str
    reviewer: str
    source_annotation_ids: tuple[str, ...] = ()
    stance: str | None = None
    actor: str | None = None
    claim_type: str | None = None
    target: str | None = None
    note: str = ""
    rationale: str = ""
    scheme_version: int | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    deleted_at: datetime | None = None
    kind: str = "claim"
    links: dict[str, str] = field(default_factory=dict)  # role -> id of another gold row of the same line


@dataclass
class IncomingReview:
    status: str
    reviewer: str | None
    updated_at: datetime | None


def parse_gold(obj: dict[str, Any], raw: str, offsets: OffsetMap, where: Where) -> list[IncomingGold]:
    items = obj.get("gold", [])
    if not isinstance(items, list):
        raise where.error("'gold' must be a list")
    rows = [_gold(item, n, raw, offsets, where) for n, item in enumerate(items, start=1)]
    _check_gold_links(rows, where)
    return rows


def _check_gold_links(rows: list[IncomingGold], where: Where) -> None:
    """Gold links obey the annotations' rules, within the line's own gold rows."""
    kinds = {g.id: g.kind for g in rows}
    for n, g in enumerate(rows, start=1):
        what = f"gold annotation {n} [{g.start}, {g.end})"
        if g.links and g.kind != "claim":
            raise where.error(f"{what}: only a claim links to a source, cue, relay or target")
        for role, linked in g.links.items():
            if linked == g.id or linked not in kinds:
                raise where.error(f"{what}: its {role} {linked!r} is not another gold annotation of this line")
            if kinds[linked] != LINK_KINDS[role]:
                raise where.error(f"{what}: its {role} must be a {LINK_KINDS[role]}, not a {kinds[linked]}")


def _gold(item: Any, n: int, raw: str, offsets: OffsetMap, where: Where) -> IncomingGold:
    if not isinstance(item, dict):
        raise where.error(f"gold annotation {n} must be an object")
    what = f"gold annotation {n} [{item.get('start')}, {item.get('end')})"
    gold_id = optional_str(item, "id", where, f"{what}: ")
    if not gold_id or len(gold_id) > 36:
        raise where.error(f"{what}: 'id' must be 1 to 36 characters")
    reviewer = optional_str(item, "reviewer", where, f"{what}: ")
    if not reviewer or not reviewer.strip():
        raise where.error(f"{what}: missing 'reviewer'")
    decision = item.get("decision")
    if decision not in GOLD_DECISIONS:
        raise where.error(f"{what}: 'decision' must be one of {', '.join(GOLD_DECISIONS)}, not {decision!r}")
    sources = item.get("source_annotation_ids", [])
    if not isinstance(sources, list) or not all(isinstance(x, str) for x in sources):
        raise where.error(f"{what}: 'source_annotation_ids' must be a list of annotation ids")
    start, end = checked_span(offsets, raw, item.get("start"), item.get("end"), item.get("quote"), what, where)
    version = item.get("scheme_version")
    return IncomingGold(
        id=gold_id, start=start, end=end, decision=decision, reviewer=reviewer.strip(),
        source_annotation_ids=tuple(sources),
        stance=optional_str(item, "stance", where, f"{what}: "), actor=optional_str(item, "actor", where, f"{what}: "),
        claim_type=optional_str(item, "claim_type", where, f"{what}: "),
        target=optional_str(item, "target", where, f"{what}: "),
        note=optional_str(item, "note", where, f"{what}: ") or "",
        rationale=optional_str(item, "rationale", where, f"{what}: ") or "",
        scheme_version=None if version is None else whole_number(version, f"{what}: scheme_version", where),
        created_at=timestamp(item, "created_at", where, f"{what}: "),
        updated_at=timestamp(item, "updated_at", where, f"{what}: "),
        deleted_at=timestamp(item, "deleted_at", where, f"{what}: "),
        kind=kind_field(item, where, what), links=link_ids(item, where, what),
    )


def parse_review(obj: dict[str, Any], where: Where) -> IncomingReview | None:
    entry = obj.get("review")
    if entry is None:
        return None
    if not isinstance(entry, dict) or entry.get("status") not in REVIEW_STATUSES:
        raise where.error(f"'review' must be an object whose 'status' is one of {', '.join(REVIEW_STATUSES)}")
    reviewer = optional_str(entry, "reviewer", where, "review: ")
    return IncomingReview(entry["status"], reviewer.strip() if reviewer else None,
                          timestamp(entry, "updated_at", where, "review: "))


def write_gold(s: Session, documents: list[tuple[str, "IncomingDocument"]], now: datetime) -> int:
    """Stores the gold rows and review statuses not yet present; returns how many gold rows were added."""
    wanted = [g.id for _, doc in documents for g in doc.gold]
    present = set(s.scalars(select(GoldAnnotation.id).where(GoldAnnotation.id.in_(wanted)))) if wanted else set()
    labels = current_labels(s)  # the import writer has added every label of these rows to the scheme
    known: dict[int, SchemeLabels | None] = {}
    added = 0
    for doc_id, doc in documents:
        # Mentions and cues first: a claim's link columns are foreign keys to them.
        for g in sorted(doc.gold, key=lambda g: g.kind == "claim"):
            if g.id in present:
                continue
            present.add(g.id)
            labels.check(g.stance, g.claim_type)
            reviewer = annotator_row(s, g.reviewer, role="reviewer")
            actor = actor_registry.resolve(s, g.actor)
            version = _version_for(s, g, labels, known)
            row = GoldAnnotation(
                id=g.id, document_id=doc_id, start=g.start, end=g.end, quote=doc.text[g.start:g.end],
                stance=g.stance, actor_id=actor.id if actor else None, claim_type=g.claim_type,
                target=g.target or None, note=g.note, decision=g.decision,
                source_annotation_ids=list(g.source_annotation_ids), reviewer_id=reviewer.id, rationale=g.rationale,
                scheme_version=version, created_at=g.created_at or now, updated_at=g.updated_at or g.created_at or now,
                deleted_at=g.deleted_at, kind=g.kind, **{f"{role}_id": linked for role, linked in g.links.items()})
            s.add(row)
            if g.kind != "claim":
                s.flush()  # stored before any claim linking to it
            record_event(s, by=reviewer.id, action="import", entity="gold", entity_id=g.id,
                         after={"document_id": doc_id, "decision": g.decision, "file": doc.path, "line": doc.line})
            added += 1
        review = doc.review
        if review is not None and s.get(ReviewStatus, doc_id) is None:
            who = annotator_row(s, review.reviewer, role="reviewer") if review.reviewer else None
            s.add(ReviewStatus(document_id=doc_id, status=review.status, reviewer_id=who.id if who else None,
                               updated_at=review.updated_at or now))
    s.flush()
    return added


def _version_for(s: Session, g: IncomingGold, current: SchemeLabels, known: dict[int, SchemeLabels | None]) -> int:
    """The version the row was decided under if this database has that version and it knows the row's labels
    (the rule the import writer applies to annotations); else the current one."""
    v = g.scheme_version
    if not v or v == current.version:
        return current.version
    if v not in known:
        row = s.get(LabelScheme, v)
        known[v] = None if row is None else SchemeLabels.of(v, row.body)
    labels = known[v]
    return v if labels is not None and labels.knows(g.stance, g.claim_type) else current.version
