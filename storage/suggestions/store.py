"""Stored suggestions (`db.suggestions`): run the suggesters, keep their proposals apart from annotations,
and turn one into the analyst's own annotations only when that analyst accepts it.

Proposals are re-computed only when the input fingerprint changed (text, registry names and aliases, the
suggester's version; the analyst's annotations only for suggesters that read them). A re-run keeps a proposal
that is proposed again under the same id, so an analyst's rejection stays. Nothing here is read by exports,
agreement or gold: an accepted suggestion enters them as the ordinary annotation it created."""
from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from storage.actors import ActorService
from storage.annotations import AnnotationService, retried_on_race
from storage.engine import Sessions
from storage.documents import annotator_row
from storage.errors import NotFound, StancemarkError
from storage.tables import Actor, Annotation, Annotator, Document, utcnow
from storage.records import AnnotationDraft, AnnotationRecord
from storage.scheme import current_row
from storage.suggestions import suggesters_named
from storage.suggestions.base import Proposal, ProposedSpan, Suggester, SuggestionInput, input_fingerprint, \
    suggester_uses
from storage.suggestions.suggestion_tables import Suggestion, SuggestionDecision, SuggestionOrigin, SuggestionRun

_STARTS_PER_QUERY = 500  # bound parameters per IN list, well under every backend's limit

#: Labels an analyst may change while accepting (the content's boundaries too).
CHANGEABLE = ("start", "end", "claim_type", "actor", "stance", "target", "note")
BATCH = 64  # documents read and computed together


@dataclass(frozen=True)
class SuggestionRecord:
    id: str
    document_id: str
    suggester: str
    version: str
    kind: str
    start: int
    end: int
    quote: str
    claim_type: str | None
    actor: str | None
    stance: str | None
    source: ProposedSpan | None
    cue: ProposedSpan | None
    rule: str
    text_sha256: str
    fingerprint: str

    def spans(self) -> list[tuple[str, int, int]]:
        """(role, start, end) of every span it proposes: the content, then its source and cue."""
        out = [(self.kind, self.start, self.end)]
        out += [(role, s.start, s.end) for role, s in (("source", self.source), ("cue", self.cue)) if s]
        return out


@dataclass(frozen=True)
class SuggestionRunSummary:
    documents: int
    computed: int  # (document, suggester) pairs whose fingerprint changed, so were run
    reused: int  # pairs whose stored proposals still hold
    added: int
    retired: int


@dataclass(frozen=True)
class Accepted:
    """What accepting one suggestion made: the analyst's new annotations (source, cue, then the claim)."""

    suggestion_id: str
    records: tuple[AnnotationRecord, ...]


def _key(kind: str, start: int, end: int, claim_type: str | None, actor: str | None, stance: str | None,
         source: tuple[int | None, int | None], cue: tuple[int | None, int | None]) -> tuple[Any, ...]:
    return (kind, start, end, claim_type, actor, stance, source, cue)


def _proposal_key(p: Proposal) -> tuple[Any, ...]:
    return _key(p.kind, p.start, p.end, p.claim_type, p.actor, p.stance,
                (p.source.start, p.source.end) if p.source else (None, None),
                (p.cue.start, p.cue.end) if p.cue else (None, None))


def _row_key(r: Suggestion) -> tuple[Any, ...]:
    return _key(r.kind, r.start, r.end, r.claim_type, r.actor, r.stance, (r.source_start, r.source_end),
                (r.cue_start, r.cue_end))


def _record(r: Suggestion, text: str) -> SuggestionRecord:
    # Written in pairs (both ends or neither); checking both is what lets the type say so.
    source = (ProposedSpan(r.source_start, r.source_end)
              if r.source_start is not None and r.source_end is not None else None)
    cue = ProposedSpan(r.cue_start, r.cue_end) if r.cue_start is not None and r.cue_end is not None else None
    return SuggestionRecord(r.id, r.document_id, r.suggester, r.version, r.kind, r.start, r.end,
                            text[r.start:r.end], r.claim_type, r.actor, r.stance, source, cue, r.rule,
                            r.text_sha256, r.fingerprint)


class SuggestionService:
    def __init__(self, sessions: Sessions, annotations: AnnotationService, actors: ActorService) -> None:
        self._sessions = sessions
        self._annotations = annotations
        self._actors = actors

    # -- computing -------------------------------------------------------------------------------
    def run(self, document_ids: Iterable[str] | None = None, names: Iterable[str] | None = None, *,
            by: str, progress: Callable[[int, int], None] | None = None) -> SuggestionRunSummary:
        """Runs the named suggesters (all by default) over the documents (all by default) and stores what they
        propose; a (document, suggester) whose input fingerprint is unchanged is not run again.
        `progress(documents done, documents)` after each batch."""
        suggesters = suggesters_named(names)
        with self._sessions.read() as s:
            known = list(s.scalars(select(Document.id).order_by(Document.id)))
            scheme = current_row(s)
        ids = list(dict.fromkeys(document_ids)) if document_ids is not None else known
        missing = sorted(set(ids) - set(known))
        if missing:
            raise NotFound(f"no document with id {', '.join(map(repr, missing))}")
        actors = tuple(self._actors.list())
        claim_types = tuple(i["value"] for i in (scheme.body.get("claim_types", []) if scheme else []))
        reads_annotations = any("annotations" in suggester_uses(x) for x in suggesters)
        computed = reused = added = retired = 0
        for first in range(0, len(ids), BATCH):
            todo: list[tuple[SuggestionInput, Suggester, str, str]] = []
            for document_id in ids[first:first + BATCH]:
                with self._sessions.read() as s:
                    text = s.scalar(select(Document.text).where(Document.id == document_id)) or ""
                    stored = {(r.suggester, r.scope): r.fingerprint for r in s.execute(
                        select(SuggestionRun.suggester, SuggestionRun.scope, SuggestionRun.fingerprint).where(
                            SuggestionRun.document_id == document_id, SuggestionRun.scope.in_(("", by))))}
                annotations = tuple(self._annotations.for_document(document_id, by)) if reads_annotations else ()
                item = SuggestionInput(document_id, text, actors, annotations, claim_types)
                for suggester in suggesters:
                    scope = by if "annotations" in suggester_uses(suggester) else ""
                    fingerprint = input_fingerprint(item, suggester)
                    if stored.get((suggester.name, scope)) == fingerprint:
                        reused += 1
                    else:
                        todo.append((item, suggester, scope, fingerprint))
            for suggester in suggesters:
                mine = [t for t in todo if t[1] is suggester]
                if not mine:
                    continue
                batch = getattr(suggester, "suggest_many", None)
                items = [t[0] for t in mine]
                outputs = batch(items) if batch else [suggester.suggest(i) for i in items]
                for (item, _, scope, fingerprint), proposals in zip(mine, outputs):
                    a, r = self._store(item, suggester, scope, fingerprint, proposals, by)
                    computed, added, retired = computed + 1, added + a, retired + r
            if progress:
                progress(min(first + BATCH, len(ids)), len(ids))
        return SuggestionRunSummary(len(ids), computed, reused, added, retired)

    @retried_on_race
    def _store(self, item: SuggestionInput, suggester: Suggester, scope: str, fingerprint: str,
               proposals: Sequence[Proposal], by: str) -> tuple[int, int]:
        """One run's proposals in one transaction: kept (same id) when proposed again, added when new, and
        retired (or dropped, when nobody decided on them) when no longer proposed. (added, retired)"""
        sha = hashlib.sha256(item.text.encode("utf-8")).hexdigest()
        with self._sessions.write.begin() as s:
            who = annotator_row(s, by)
            run = s.scalar(select(SuggestionRun).where(SuggestionRun.document_id == item.document_id,
                                                       SuggestionRun.suggester == suggester.name,
                                                       SuggestionRun.scope == scope))
            if run is None:
                run = SuggestionRun(document_id=item.document_id, suggester=suggester.name, scope=scope,
                                    version=suggester.version, fingerprint=fingerprint, text_sha256=sha,
                                    ran_by=who.id)
                s.add(run)
                s.flush()
            run.version, run.fingerprint, run.text_sha256 = suggester.version, fingerprint, sha
            run.ran_by, run.ran_at = who.id, utcnow()
            existing = {_row_key(r): r for r in s.scalars(select(Suggestion).where(
                Suggestion.run_id == run.id, Suggestion.retired_at.is_(None)))}
            added = 0
            seen: set[tuple[Any, ...]] = set()
            for p in proposals:
                key = _proposal_key(p)
                if key in seen:
                    continue
                seen.add(key)
                row = existing.pop(key, None)
                if row is not None:
                    row.version, row.fingerprint, row.text_sha256 = suggester.version, fingerprint, sha
                    continue
                s.add(Suggestion(
                    id=str(uuid.uuid4()), run_id=run.id, document_id=item.document_id, suggester=suggester.name,
                    version=suggester.version, text_sha256=sha, fingerprint=fingerprint, kind=p.kind,
                    start=p.start, end=p.end, claim_type=p.claim_type, actor=p.actor, stance=p.stance,
                    source_start=p.source.start if p.source else None, source_end=p.source.end if p.source else None,
                    cue_start=p.cue.start if p.cue else None, cue_end=p.cue.end if p.cue else None,
                    rule=p.rule or ""))
                added += 1
            gone = list(existing.values())
            if gone:
                decided = set(s.scalars(select(SuggestionDecision.suggestion_id).where(
                    SuggestionDecision.suggestion_id.in_([r.id for r in gone]))))
                for row in gone:
                    if row.id in decided:
                        row.retired_at = utcnow()
                    else:
                        s.delete(row)
            return added, len(gone)

    # -- reading ---------------------------------------------------------------------------------
    def for_document(self, document_id: str, by: str) -> list[SuggestionRecord]:
        """This analyst's pending suggestions: current ones nobody of theirs decided on, except those whose
        span the analyst has already tagged with an annotation of the same kind (no double work)."""
        with self._sessions.read() as s:
            text = s.scalar(select(Document.text).where(Document.id == document_id))
            if text is None:
                return []
            who = s.scalar(select(Annotator.id).where(Annotator.name == by.strip()))
            query = (select(Suggestion).join(SuggestionRun, SuggestionRun.id == Suggestion.run_id)
                     .where(Suggestion.document_id == document_id, Suggestion.retired_at.is_(None),
                            SuggestionRun.scope.in_(("", by))))
            if who is not None:
                query = query.where(~select(SuggestionDecision.suggestion_id).where(
                    SuggestionDecision.suggestion_id == Suggestion.id,
                    SuggestionDecision.annotator_id == who).exists())
            rows = list(s.scalars(query.order_by(Suggestion.start, Suggestion.end, Suggestion.kind, Suggestion.id)))
            tagged: set[tuple[str, int, int]] = set()
            if who is not None and rows:
                # Only the analyst's spans that start where a suggestion starts: SQLite tests the rest itself.
                # Reading every span of a 2 MB article into Python (50,000) took most of each open's CPU.
                starts = sorted({r.start for r in rows})
                for first in range(0, len(starts), _STARTS_PER_QUERY):
                    tagged.update((k or "claim", a, b) for k, a, b in s.execute(
                        select(Annotation.kind, Annotation.start, Annotation.end).where(
                            Annotation.document_id == document_id, Annotation.annotator_id == who,
                            Annotation.deleted_at.is_(None),
                            Annotation.start.in_(starts[first:first + _STARTS_PER_QUERY]))))
            return [_record(r, text) for r in rows if (r.kind, r.start, r.end) not in tagged]

    def get(self, suggestion_id: str) -> SuggestionRecord:
        with self._sessions.read() as s:
            row = s.get(Suggestion, suggestion_id)
            if row is None:
                raise NotFound(f"no suggestion with id {suggestion_id!r}")
            return _record(row, s.scalar(select(Document.text).where(Document.id == row.document_id)) or "")

    def origin(self, annotation_id: str) -> str | None:
        """Provenance: the id of the suggestion this annotation was created from (None: made by hand)."""
        with self._sessions.read() as s:
            return s.scalar(select(SuggestionOrigin.suggestion_id)
                            .where(SuggestionOrigin.annotation_id == annotation_id))

    def rejected(self, by: str | None = None, document_ids: Iterable[str] | None = None) -> list[dict[str, Any]]:
        """Negative examples, on request: each rejected suggestion with who rejected it, as plain JSON."""
        with self._sessions.read() as s:
            query = (select(Suggestion, Annotator.name, SuggestionDecision.decided_at)
                     .join(SuggestionDecision, SuggestionDecision.suggestion_id == Suggestion.id)
                     .join(Annotator, Annotator.id == SuggestionDecision.annotator_id)
                     .where(SuggestionDecision.decision == "rejected"))
            if by is not None:
                query = query.where(Annotator.name == by)
            if document_ids is not None:
                query = query.where(Suggestion.document_id.in_(list(document_ids)))
            texts: dict[str, str] = {}
            out = []
            for row, name, at in s.execute(query.order_by(Suggestion.document_id, Suggestion.start, Annotator.name)):
                if row.document_id not in texts:
                    texts[row.document_id] = s.scalar(select(Document.text).where(Document.id == row.document_id)) or ""
                rec = _record(row, texts[row.document_id])
                spans = {role: None if span is None else {"start": span.start, "end": span.end,
                                                          "quote": texts[row.document_id][span.start:span.end]}
                         for role, span in (("source", rec.source), ("cue", rec.cue))}
                out.append({"document_id": rec.document_id, "kind": rec.kind, "start": rec.start, "end": rec.end,
                            "quote": rec.quote, "claim_type": rec.claim_type, "actor": rec.actor,
                            "stance": rec.stance, **spans, "suggester": rec.suggester, "version": rec.version,
                            "rejected_by": name, "rejected_at": at.isoformat(), "label": "rejected"})
            return out

    # -- deciding --------------------------------------------------------------------------------
    def accept(self, suggestion_id: str, by: str, changes: dict[str, Any] | None = None) -> Accepted:
        """The analyst's own annotations from one suggestion, in one transaction with the decision and the
        provenance: for a claim its source mention and cue too, linked (an identical live mention or cue of
        the analyst's is linked instead of made twice). `changes` overrides labels (and the content's
        boundaries) before anything is saved."""
        with self._sessions.write.begin() as s:
            return self._accept(s, suggestion_id, by, changes or {})

    def accept_all(self, document_id: str, by: str, ids: Iterable[str] | None = None) -> list[Accepted]:
        """Every pending suggestion of this document as proposed (or those of `ids` among them: redo of an
        accept-all), in one transaction (one undo step)."""
        pending = self.for_document(document_id, by)
        if ids is not None:
            wanted = set(ids)
            pending = [p for p in pending if p.id in wanted]
        done: list[Accepted] = []
        with self._sessions.write.begin() as s:
            made: set[tuple[str, int, int]] = set()
            for suggestion in sorted(pending, key=lambda x: x.kind != "claim"):  # claims bring their mentions
                if (suggestion.kind, suggestion.start, suggestion.end) in made:
                    continue
                accepted = self._accept(s, suggestion.id, by, {})
                made |= {(r.kind, r.start, r.end) for r in accepted.records}
                done.append(accepted)
        return done

    def reject(self, suggestion_id: str, by: str) -> None:
        """Hides the suggestion for this analyst (kept as a negative example)."""
        with self._sessions.write.begin() as s:
            who = annotator_row(s, by)
            row = s.get(Suggestion, suggestion_id)
            if row is None:
                raise NotFound(f"no suggestion with id {suggestion_id!r}")
            self._refuse_decided(s, suggestion_id, who.id)
            s.add(SuggestionDecision(suggestion_id=suggestion_id, annotator_id=who.id, decision="rejected",
                                     annotation_ids=[]))

    def revert(self, suggestion_ids: Iterable[str], by: str) -> list[AnnotationRecord]:
        """Undo of accept or reject, in one transaction: the decisions go, and the annotations an accept made
        are deleted (soft, with their events). Returns those deleted annotations."""
        removed: list[AnnotationRecord] = []
        with self._sessions.write.begin() as s:
            who = annotator_row(s, by)
            for suggestion_id in suggestion_ids:
                decision = s.get(SuggestionDecision, (suggestion_id, who.id))
                if decision is None:
                    raise NotFound(f"{by} has not decided on suggestion {suggestion_id!r}")
                made = list(s.scalars(select(SuggestionOrigin.annotation_id).where(
                    SuggestionOrigin.suggestion_id == suggestion_id, SuggestionOrigin.annotator_id == who.id)))
                s.execute(delete(SuggestionOrigin).where(SuggestionOrigin.suggestion_id == suggestion_id,
                                                         SuggestionOrigin.annotator_id == who.id))
                for annotation_id in reversed(decision.annotation_ids):  # the claim before its mentions
                    row = s.get(Annotation, annotation_id)
                    if annotation_id in made and row is not None and row.deleted_at is None:
                        removed.append(self._annotations.delete(annotation_id, by, session=s))
                s.delete(decision)
        return removed

    def _refuse_decided(self, s: Session, suggestion_id: str, annotator_id: int) -> None:
        if s.get(SuggestionDecision, (suggestion_id, annotator_id)) is not None:
            raise StancemarkError(f"suggestion {suggestion_id!r} has been decided on already")

    def _accept(self, s: Session, suggestion_id: str, by: str, changes: dict[str, Any]) -> Accepted:
        unknown = set(changes) - set(CHANGEABLE)
        if unknown:
            raise StancemarkError(f"cannot change {', '.join(sorted(unknown))} of a suggestion")
        who = annotator_row(s, by)
        row = s.get(Suggestion, suggestion_id)
        if row is None or row.retired_at is not None:
            raise NotFound(f"no current suggestion with id {suggestion_id!r}")
        self._refuse_decided(s, suggestion_id, who.id)
        labels = {"claim_type": row.claim_type, "actor": row.actor, "stance": row.stance, "target": None,
                  "note": "", "start": row.start, "end": row.end, **changes}
        doc = row.document_id
        drafts: list[tuple[str, AnnotationDraft]] = []
        links: dict[str, str | None] = {"source_id": None, "cue_id": None}
        if row.kind == "claim":
            for role, kind, start, end in (("source", "mention", row.source_start, row.source_end),
                                           ("cue", "cue", row.cue_start, row.cue_end)):
                if start is None or end is None:
                    continue
                found = s.execute(select(Annotation.id, Actor.name).outerjoin(Actor, Actor.id == Annotation.actor_id)
                                  .where(Annotation.document_id == doc, Annotation.annotator_id == who.id,
                                         Annotation.kind == kind, Annotation.start == start,
                                         Annotation.end == end, Annotation.deleted_at.is_(None))).all()
                same = next((i for i, name in found if kind == "cue" or name == labels["actor"]), None)
                if same is None:
                    draft = AnnotationDraft(doc, start, end, kind=kind,
                                            actor=labels["actor"] if kind == "mention" else None)
                    drafts.append((role, draft))
                    same = draft.id
                links[f"{role}_id"] = same
            drafts.append(("claim", AnnotationDraft(
                doc, labels["start"], labels["end"], stance=labels["stance"], actor=labels["actor"],
                claim_type=labels["claim_type"], target=labels["target"], note=labels["note"],
                source_id=links["source_id"], cue_id=links["cue_id"])))
        else:
            drafts.append(("mention", AnnotationDraft(doc, labels["start"], labels["end"], kind="mention",
                                                      actor=labels["actor"], note=labels["note"])))
        self._annotations.add_many([d for _, d in drafts], by, session=s)
        for role, draft in drafts:
            s.add(SuggestionOrigin(annotation_id=draft.id, suggestion_id=suggestion_id, annotator_id=who.id,
                                   role=role))
        s.add(SuggestionDecision(suggestion_id=suggestion_id, annotator_id=who.id, decision="accepted",
                                 annotation_ids=[d.id for _, d in drafts]))
        s.flush()
        records = tuple(self._annotations_in(s, [d.id for _, d in drafts]))
        return Accepted(suggestion_id, records)

    def _annotations_in(self, s: Session, ids: list[str]) -> list[AnnotationRecord]:
        from storage.annotations import record_query, to_record

        found = {r[0]: to_record(r) for r in s.execute(record_query().where(Annotation.id.in_(ids)))}
        return [found[i] for i in ids]
