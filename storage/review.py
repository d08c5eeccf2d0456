"""Review: units across annotators, adjudication into the gold layer, review status, agreement from the database.

Only reviewers may adjudicate. Originals in `annotation` are never changed here: every decision writes a gold row
(with the annotation ids it came from, the reviewer, the time and an optional rationale) and an event, in one
transaction. Deciding a unit again retracts (soft-deletes) its earlier gold row, so history stays in the log.

Units are claims (mentions and cues are parts of a claim's attribution); a claim taken into gold brings its
source, cue, relay and target along as gold rows of their own, linked (see storage.review_links)."""
from __future__ import annotations

import uuid
from collections import defaultdict
from typing import Any, Callable, Iterator, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage import actors as actor_registry
from storage.agreement import AGREED, AgreementReport, DocumentInput, Unit, build_units, corpus_figures, document_report
from storage.agreement.units import differing_aspects
from storage.collector import collector_paused
from storage.annotations import check_span, record_query, to_record
from storage.audit import history, record_event
from storage.engine import Sessions
from storage.errors import NotFound, PermissionDenied, StancemarkError
from storage.gold_rows import gold_query, gold_record, gold_snapshot, load_gold, participants, review_status_record
from storage.tables import Annotation, Annotator, Document, GoldAnnotation, ReviewStatus, utcnow
from storage.review_records import ReviewUnit
from storage.review_links import bring_attribution, linked_ids, retract_unlinked
from storage.records import (
    EDITABLE, REVIEW_STATUSES, AnnotationRecord, EventRecord, GoldChange, GoldRecord, ReviewStatusRecord,
)
from storage.scheme import current_labels, current_row
from storage.scheme import to_record as scheme_record


class ReviewService:
    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    # -- reading ---------------------------------------------------------------------------------------
    def participants(self, document_id: str) -> tuple[str, ...]:
        with self._sessions.read() as s:
            return tuple(sorted(participants(s, document_id).get(document_id, set())))

    def units(self, document_id: str) -> list[ReviewUnit]:
        """Every unit of the document (see storage.agreement.units for the matching) with its gold row."""
        with self._sessions.read() as s:
            units = _units(s, document_id)
            gold = self._live_gold(s, document_id)
            by_id = {g.id: g for g in gold}
            latest = _latest_gold(gold)
            out = []
            for u in units:
                decided = _gold_of(u, gold, latest)
                links = {role: by_id[i] for role, i in decided.links().items() if i in by_id} if decided else {}
                out.append(ReviewUnit(u, decided, links))
            return out

    def gold(self, document_id: str | None = None, include_rejected: bool = True,
             include_deleted: bool = False) -> list[GoldRecord]:
        query = gold_query()
        if document_id is not None:
            query = query.where(GoldAnnotation.document_id == document_id)
        if not include_rejected:
            query = query.where(GoldAnnotation.decision != "rejected")
        if not include_deleted:
            query = query.where(GoldAnnotation.deleted_at.is_(None))
        query = query.order_by(GoldAnnotation.document_id, GoldAnnotation.start, GoldAnnotation.end,
                               GoldAnnotation.id)
        with self._sessions.read() as s:
            return [gold_record(*row) for row in s.execute(query)]

    def status(self, document_id: str) -> ReviewStatusRecord:
        with self._sessions.read() as s:
            return review_status_record(s, document_id)

    def statuses(self) -> dict[str, str]:
        """document id -> review status, for every document that has left "not_reviewed"."""
        with self._sessions.read() as s:
            return dict(s.execute(select(ReviewStatus.document_id, ReviewStatus.status)).all())

    def history(self, gold_id: str) -> list[EventRecord]:
        with self._sessions.read() as s:
            return history(s, "gold", gold_id)

    @collector_paused()
    def agreement(self, document_id: str | None = None, progress: Callable[[int, int], None] | None = None,
                  each_document: Callable[[tuple[Unit, ...]], None] | None = None) -> AgreementReport:
        """Agreement figures for one document (with its units), or for the corpus when no id is given: computed
        document by document, the corpus report keeps figures and unit keys, not units (storage.agreement.corpus);
        `each_document` sees each document's units as they are made. `progress(done, total)` for the corpus, in
        documents."""
        with self._sessions.read() as s:
            row = current_row(s)
            if row is None:
                raise StancemarkError("the database has no label scheme")
            scheme = scheme_record(row.version, row.body)
            order = tuple(v.value for v in scheme.stances) if scheme.stance_ordinal else None
            if document_id is not None:
                doc = s.get(Document, document_id)
                if doc is None:
                    raise NotFound(f"no document with id {document_id!r}")
                report = document_report(_input(s, doc.id, len(doc.text)), order)
                if each_document is not None:
                    each_document(report.units)
                return report
            lengths = s.execute(select(Document.id, Document.text_length).order_by(Document.id)).all()
            return corpus_figures(_corpus_inputs(s, lengths), order, progress, len(lengths), each_document)

    # -- adjudicating (reviewers only) -----------------------------------------------------------------
    def accept(self, annotation_id: str, by: str, rationale: str = "") -> GoldChange:
        """Takes one annotator's version of a unit into gold; every identical version is named as a source."""
        with self._sessions.write.begin() as s:
            reviewer = _reviewer(s, by)
            unit, chosen = _unit_of(s, annotation_id)
            same = [r.id for r in unit.spans
                    if r.id != chosen.id and not differing_aspects((chosen, r), unit.linked)]
            values = _values_of(chosen)
            return self._decide(s, reviewer, unit, "accepted", values, [chosen.id] + same, rationale, chosen)

    def edit(self, annotation_id: str, by: str, rationale: str = "", **changes: Any) -> GoldChange:
        """Gold from one version with the reviewer's changes (boundaries or attributes)."""
        unknown = set(changes) - set(EDITABLE)
        if unknown:
            raise StancemarkError(f"cannot edit {', '.join(sorted(unknown))}")
        with self._sessions.write.begin() as s:
            reviewer = _reviewer(s, by)
            unit, chosen = _unit_of(s, annotation_id)
            values = {**_values_of(chosen), **changes}
            sources = [chosen.id] + [r.id for r in unit.spans if r.id != chosen.id]
            return self._decide(s, reviewer, unit, "edited", values, sources, rationale, chosen)

    def reject(self, annotation_id: str, by: str, rationale: str = "") -> GoldChange:
        """Records that the unit does not belong in the dataset (a gold row with decision "rejected")."""
        with self._sessions.write.begin() as s:
            reviewer = _reviewer(s, by)
            unit, _ = _unit_of(s, annotation_id)
            values = dict(start=unit.start, end=unit.end, stance=None, actor=None, claim_type=None,
                          target=None, note="")
            return self._decide(s, reviewer, unit, "rejected", values, [r.id for r in unit.spans], rationale)

    def auto_merge(self, document_id: str, by: str, rationale: str = "") -> GoldChange:
        """Every fully agreed unit that has no gold yet goes to gold (decision "merged"), in one transaction."""
        with self._sessions.write.begin() as s:
            reviewer = _reviewer(s, by)
            gold = self._live_gold(s, document_id)
            latest = _latest_gold(gold)
            added: list[GoldRecord] = []
            for unit in _units(s, document_id):
                if unit.status == AGREED and _gold_of(unit, gold, latest) is None:
                    change = self._decide(s, reviewer, unit, "merged", _values_of(unit.spans[0]),
                                          [r.id for r in unit.spans], rationale, unit.spans[0])
                    added.extend(change.added)
            return GoldChange(added=tuple(added))

    def revert(self, change: GoldChange, by: str) -> GoldChange:
        """Undoes a change: retracts what it added, restores what it retracted. Returns the reverse change.

        A gold mention or cue goes with the last live claim linking it (one another claim still links stays);
        restoring a claim restores the mentions and cues it links, so its links are live again."""
        with self._sessions.write.begin() as s:
            reviewer = _reviewer(s, by)
            # Restoring first: a row shared with a restored claim is then never retracted and restored again
            # in one transaction (the server wants each row's events of a transaction to agree with it).
            restored = [self._set_live(s, reviewer, gold_id, live=True) for gold_id in change.retracted]
            done = {r.id for r in restored}
            for record in list(restored):
                for gold_id in linked_ids(record):
                    row = s.get(GoldAnnotation, gold_id)
                    if row is not None and row.deleted_at is not None and gold_id not in done:
                        restored.append(self._set_live(s, reviewer, gold_id, live=True))
                        done.add(gold_id)
            claims = [r for r in change.added if r.kind == "claim"]
            retracted = []
            for record in claims:
                self._set_live(s, reviewer, record.id, live=False)
                retracted.append(record.id)
            candidates = [i for r in claims for i in linked_ids(r)] + [r.id for r in change.added if r.kind != "claim"]
            for gold_id in retract_unlinked(s, candidates):
                self._set_live(s, reviewer, gold_id, live=False)
                retracted.append(gold_id)
            return GoldChange(added=tuple(restored), retracted=tuple(retracted))

    def set_status(self, document_id: str, status: str, by: str) -> ReviewStatusRecord:
        if status not in REVIEW_STATUSES:
            raise StancemarkError(f"review status must be one of {', '.join(REVIEW_STATUSES)}, not {status!r}")
        with self._sessions.write.begin() as s:
            reviewer = _reviewer(s, by)
            if s.get(Document, document_id) is None:
                raise NotFound(f"no document with id {document_id!r}")
            _set_status(s, reviewer, document_id, status)
            s.flush()
            return review_status_record(s, document_id)

    # -- internals -------------------------------------------------------------------------------------
    @staticmethod
    def _live_gold(s: Session, document_id: str) -> list[GoldRecord]:
        rows = s.execute(gold_query().where(GoldAnnotation.document_id == document_id,
                                            GoldAnnotation.deleted_at.is_(None))
                         .order_by(GoldAnnotation.updated_at)).all()
        return [gold_record(*row) for row in rows]

    def _decide(self, s: Session, reviewer: Annotator, unit: Unit, decision: str, values: dict[str, Any],
                sources: list[str], rationale: str, chosen: AnnotationRecord | None = None) -> GoldChange:
        doc = s.get(Document, unit.document_id)
        assert doc is not None
        version = _check_values(s, doc, values)
        attribution = bring_attribution(s, reviewer, doc, unit, chosen, decision, values, rationale, version) \
            if chosen is not None and decision != "rejected" else None
        retracted, old_links = [], []
        for old in self._live_gold(s, unit.document_id):
            if old.kind == "claim" and set(old.source_annotation_ids) & {r.id for r in unit.spans}:
                self._set_live(s, reviewer, old.id, live=False)
                retracted.append(old.id)
                old_links += linked_ids(old)
        actor = actor_registry.resolve(s, values.get("actor"), by=reviewer.id)
        row = GoldAnnotation(
            id=str(uuid.uuid4()), document_id=doc.id, start=values["start"], end=values["end"],
            quote=doc.text[values["start"]:values["end"]], stance=values.get("stance"),
            actor_id=actor.id if actor else None, claim_type=values.get("claim_type"),
            target=values.get("target") or None, note=values.get("note") or "", decision=decision,
            source_annotation_ids=list(sources), reviewer_id=reviewer.id, rationale=rationale.strip(),
            scheme_version=version, kind="claim",
            **{f"{role}_id": linked for role, linked in (attribution.links if attribution else {}).items()})
        s.add(row)
        s.flush()
        record_event(s, by=reviewer.id, action=decision, entity="gold", entity_id=row.id,
                     after=gold_snapshot(row, actor.name if actor else None))
        for gold_id in retract_unlinked(s, old_links):
            self._set_live(s, reviewer, gold_id, live=False)
            retracted.append(gold_id)
        current = s.get(ReviewStatus, doc.id)
        if current is None or current.status == "not_reviewed":
            _set_status(s, reviewer, doc.id, "in_review")
        made = attribution.created if attribution else ()
        return GoldChange(added=(load_gold(s, row.id),) + tuple(load_gold(s, i) for i in made),
                          retracted=tuple(retracted))

    @staticmethod
    def _set_live(s: Session, reviewer: Annotator, gold_id: str, live: bool) -> GoldRecord:
        row = s.get(GoldAnnotation, gold_id)
        if row is None:
            raise NotFound(f"no gold annotation with id {gold_id!r}")
        before = gold_snapshot(row, None)
        row.deleted_at = None if live else utcnow()
        row.updated_at = utcnow()
        s.flush()
        record_event(s, by=reviewer.id, action="restore" if live else "retract", entity="gold", entity_id=row.id,
                     before=before, after=gold_snapshot(row, None))
        return load_gold(s, gold_id)


def _reviewer(s: Session, name: str) -> Annotator:
    row = s.scalar(select(Annotator).where(Annotator.name == name.strip()))
    if row is None or row.role != "reviewer":
        raise PermissionDenied(f"{name} is not a reviewer: only reviewers may adjudicate")
    return row


def _input(s: Session, document_id: str, length: int) -> DocumentInput:
    records = [to_record(r) for r in s.execute(
        record_query().where(Annotation.document_id == document_id, Annotation.deleted_at.is_(None)))]
    people = participants(s, document_id).get(document_id, set())
    return DocumentInput(document_id, length, tuple(records), tuple(sorted(people)))


def _corpus_inputs(s: Session, lengths: Sequence[tuple[str, int | None]],
                   batch: int = 100) -> Iterator[DocumentInput]:
    """Every document's input, in the order given, read a batch of documents at a time: the corpus is never in
    memory at once (a million annotation records were gigabytes) and no single read holds the GIL for long."""
    people = participants(s)
    for at in range(0, len(lengths), batch):
        chunk = lengths[at:at + batch]
        by_doc: dict[str, list[AnnotationRecord]] = defaultdict(list)
        query = record_query().where(Annotation.document_id.in_([i for i, _ in chunk]),
                                     Annotation.deleted_at.is_(None))
        for r in s.execute(query.execution_options(yield_per=2_000)):
            by_doc[r[1]].append(to_record(r))
        for document_id, length in chunk:
            yield DocumentInput(document_id, length or 0, tuple(by_doc.pop(document_id, ())),
                                tuple(sorted(people.get(document_id, ()))))


def _units(s: Session, document_id: str) -> tuple[Unit, ...]:
    if s.get(Document, document_id) is None:
        raise NotFound(f"no document with id {document_id!r}")
    doc = _input(s, document_id, 0)
    return build_units(document_id, doc.annotations, doc.participants)


def _unit_of(s: Session, annotation_id: str) -> tuple[Unit, AnnotationRecord]:
    row = s.get(Annotation, annotation_id)
    if row is None or row.deleted_at is not None:
        raise NotFound(f"no annotation with id {annotation_id!r}")
    for unit in _units(s, row.document_id):
        for record in unit.spans:
            if record.id == annotation_id:
                return unit, record
    raise NotFound(f"no unit holds annotation {annotation_id!r}")


def _latest_gold(gold: list[GoldRecord]) -> dict[str, int]:
    """annotation id -> position of the latest of these gold rows drawing on it (`gold` oldest first)."""
    return {source: n for n, g in enumerate(gold) for source in g.source_annotation_ids}


def _gold_of(unit: Unit, gold: list[GoldRecord], latest: dict[str, int]) -> GoldRecord | None:
    """The latest live gold row drawing on any of the unit's spans (`latest`: _latest_gold(gold), so that many
    units cost a look-up per span, not a scan of the document's gold per unit)."""
    found = [n for n in (latest.get(r.id) for r in unit.spans) if n is not None]
    return gold[max(found)] if found else None


def _values_of(record: AnnotationRecord) -> dict[str, Any]:
    return dict(start=record.start, end=record.end, stance=record.stance, actor=record.actor,
                claim_type=record.claim_type, target=record.target, note=record.note)


def _check_values(s: Session, doc: Document, values: dict[str, Any]) -> int:
    """Validates a gold row's span and labels against the text and the current scheme; returns its version."""
    check_span(doc.text, values["start"], values["end"])
    labels = current_labels(s)
    labels.check(values.get("stance"), values.get("claim_type"))
    return labels.version


def _set_status(s: Session, reviewer: Annotator, document_id: str, status: str) -> None:
    row = s.get(ReviewStatus, document_id)
    before = row.status if row else "not_reviewed"
    if row is None:
        row = ReviewStatus(document_id=document_id)
        s.add(row)
    row.status, row.reviewer_id, row.updated_at = status, reviewer.id, utcnow()
    record_event(s, by=reviewer.id, action="review_status", entity="document", entity_id=document_id,
                 before={"status": before}, after={"status": status})
