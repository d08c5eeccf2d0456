"""The gold layer in exports.

- Native lines always carry it: "gold" (every gold row, retracted ones too, with provenance: decision, source
  annotation ids, reviewer, rationale, times) and "review" (the document's review status). Importing such a
  line brings both back (storage/importers/gold_import.py).
- `--gold` with doccano, spans or flat exports the adjudicated dataset instead of the annotators' work: live gold
  rows that were not rejected, each with its provenance (flat and spans carry it per span), for adjudicated
  documents only unless asked, each line with the review status and the count of units still undecided."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.errors import StancemarkError
from storage.exporters.formats import Tally, attribution_fields, doccano_overlaps, iso
from storage.exporters.output import atomic_text_output, json_line
from storage.exporters.summary import ExportSummary
from storage.gold_rows import gold_query, gold_record
from storage.tables import Annotator, Document, GoldAnnotation, ReviewStatus
from storage.records import LINK_ROLES, GoldRecord
from storage.agreement import Unit
from storage.review import _gold_of, _latest_gold
from storage.review import _units as review_units

if TYPE_CHECKING:
    from storage.database import Database


def gold_entry(g: GoldRecord) -> dict[str, Any]:
    return {**_gold_fields(g), **attribution_fields(g.kind, g.links())}


def _gold_fields(g: GoldRecord) -> dict[str, Any]:
    return {"id": g.id, "start": g.start, "end": g.end, "quote": g.quote, "stance": g.stance, "actor": g.actor,
            "claim_type": g.claim_type, "target": g.target, "note": g.note, "decision": g.decision,
            "source_annotation_ids": list(g.source_annotation_ids), "reviewer": g.reviewer,
            "rationale": g.rationale, "scheme_version": g.scheme_version, "created_at": iso(g.created_at),
            "updated_at": iso(g.updated_at), "deleted_at": iso(g.deleted_at)}


def gold_by_document(s: Session, document_ids: list[str] | None = None,
                     live_only: bool = False, with_rejected: bool = False) -> dict[str, list[GoldRecord]]:
    query = gold_query()
    if document_ids is not None:
        query = query.where(GoldAnnotation.document_id.in_(document_ids))
    if live_only:
        query = query.where(GoldAnnotation.deleted_at.is_(None))
        if not with_rejected:
            query = query.where(GoldAnnotation.decision != "rejected")
    found: dict[str, list[GoldRecord]] = {}
    for row in s.execute(query.order_by(GoldAnnotation.start, GoldAnnotation.end, GoldAnnotation.id)):
        record = gold_record(*row)
        found.setdefault(record.document_id, []).append(record)
    return found


def review_entries(s: Session) -> dict[str, dict[str, Any]]:
    query = (select(ReviewStatus.document_id, ReviewStatus.status, Annotator.name, ReviewStatus.updated_at)
             .outerjoin(Annotator, Annotator.id == ReviewStatus.reviewer_id))
    return {d: {"status": st, "reviewer": who, "updated_at": iso(at)} for d, st, who, at in s.execute(query)}


def native_gold_adder(s: Session) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """Returns a function that adds "gold" and "review" (and the reviewers' roles) to a native line."""
    gold, review = gold_by_document(s), review_entries(s)

    def add(line: dict[str, Any]) -> dict[str, Any]:
        rows = gold.get(line["id"], [])
        line["gold"] = [gold_entry(g) for g in rows]
        if line["id"] in review:
            line["review"] = review[line["id"]]
        reviewers = {g.reviewer for g in rows}
        if line.get("review", {}).get("reviewer"):
            reviewers.add(line["review"]["reviewer"])
        for name in sorted(reviewers):
            line["annotators"].setdefault(name, "reviewer")
        return line

    return add


def export_gold(db: "Database", fmt: str, out: str | Path | TextIO, *, label: str = "claim_type",
                document_ids: tuple[str, ...] | list[str] = (),
                progress: Callable[[int, int], None] | None = None, include_unreviewed: bool = False,
                include_empty: bool = False) -> ExportSummary:
    """The adjudicated dataset as doccano, spans or flat lines (native carries gold on its own).

    Only documents whose review status is "adjudicated", unless `include_unreviewed` (then a spans task of a
    document not adjudicated says `"answer": "ignore"`); a document nobody annotated and nobody reviewed only
    with `include_empty`. Every line carries the review status, the reviewer, the source annotators and how
    many units of the document still have no gold decision."""
    if fmt not in ("doccano", "spans", "flat"):
        raise StancemarkError(f"--gold works with doccano, spans or flat; native always carries gold, not {fmt!r}")
    tally = Tally()
    with db.sessions.read() as s, atomic_text_output(out) as stream:
        query = select(Document.id, Document.title, Document.source, Document.text).order_by(Document.created_at,
                                                                                              Document.id)
        if document_ids:
            query = query.where(Document.id.in_(list(document_ids)))
        docs = s.execute(query).all()
        # Live rows, rejections included: a rejected unit is decided, though it exports no span.
        decided = gold_by_document(s, [d[0] for d in docs], live_only=True, with_rejected=True)
        review = review_entries(s)
        for n, doc in enumerate(docs, start=1):
            live = decided.get(doc[0], [])
            # Claims are the dataset's rows; their mentions and cues come along as the claim's attribution.
            rows = [g for g in live if g.decision != "rejected" and g.kind == "claim"]
            state = review.get(doc[0], {"status": "not_reviewed", "reviewer": None})
            if state["status"] != "adjudicated" and not include_unreviewed:
                tally.unreviewed += 1
                continue
            units = review_units(s, doc[0])
            if state["status"] != "adjudicated" and not units and not rows and not include_empty:
                tally.empty += 1
                continue
            latest = _latest_gold(live)
            context = _DocumentContext(state["status"], state["reviewer"],
                                       sum(_gold_of(u, live, latest) is None for u in units), _annotators_of(units),
                                       {g.id: g for g in live if g.kind != "claim"})
            lines = list(_lines(fmt, doc, rows, label, tally, context))
            for line in lines:
                stream.write(json_line(line))
                stream.write("\n")
            tally.lines += len(lines)
            tally.documents += 1
            if progress:
                progress(n, len(docs))
    return ExportSummary(format=f"{fmt} (gold)", target=str(out) if isinstance(out, (str, Path)) else "stream",
                         documents=tally.documents, annotations=tally.annotations, lines=tally.lines,
                         unlabelled_skipped=tally.unlabelled, empty_left_out=tally.empty,
                         unreviewed_left_out=tally.unreviewed)


@dataclass(frozen=True)
class _DocumentContext:
    review_status: str
    reviewer: str | None
    undecided_units: int
    annotator_of: dict[str, str]  # annotation id -> annotator, for the source annotators of each gold row
    linked: dict[str, GoldRecord]  # the document's live gold mentions and cues by id

    def sources(self, rows: list[GoldRecord]) -> list[str]:
        return sorted({self.annotator_of[i] for g in rows for i in g.source_annotation_ids if i in self.annotator_of})

    def fields(self) -> dict[str, Any]:
        return {"review_status": self.review_status, "undecided_units": self.undecided_units}


def _annotators_of(units: tuple[Unit, ...]) -> dict[str, str]:
    return {r.id: r.annotator for u in units for r in u.spans}


def _provenance(g: GoldRecord) -> dict[str, Any]:
    return {"decision": g.decision, "source_annotation_ids": list(g.source_annotation_ids), "reviewer": g.reviewer,
            "rationale": g.rationale, "decided_at": iso(g.updated_at)}


def _linked_words(text: str, g: GoldRecord | None) -> dict[str, Any] | None:
    """A gold claim's source, cue, relay or target as {start, end, quote, actor} (None: no live link)."""
    if g is None:
        return None
    return {"start": g.start, "end": g.end, "quote": text[g.start:g.end], "actor": g.actor}


def _checked(text: str, g: GoldRecord) -> None:
    if text[g.start:g.end] != g.quote:
        raise StancemarkError(f"gold annotation {g.id} in document {g.document_id}: its stored quote does not "
                              f"match the text at [{g.start}, {g.end}); nothing was exported")


def _lines(fmt: str, doc: Any, rows: list[GoldRecord], label: str, tally: Tally,
           context: _DocumentContext) -> Iterator[dict[str, Any]]:
    doc_id, title, source, text = doc
    for g in rows:
        _checked(text, g)
    if fmt == "flat":
        tally.annotations += len(rows)
        for g in rows:
            yield {"document_id": doc_id, "id": g.id, "start": g.start, "end": g.end, "quote": g.quote,
                   "stance": g.stance, "actor": g.actor, "claim_type": g.claim_type, "target": g.target,
                   "note": g.note, "scheme_version": g.scheme_version, **_provenance(g),
                   "source_annotators": context.sources([g]), **context.fields(),
                   **{role: _linked_words(text, context.linked.get(linked)) for role, linked in
                      ((role, getattr(g, f"{role}_id")) for role in LINK_ROLES)}}
        return
    labelled = [g for g in rows if g.attribute(label) is not None]
    tally.unlabelled += len(rows) - len(labelled)
    tally.annotations += len(labelled)
    reviewers = sorted({g.reviewer for g in rows} | ({context.reviewer} if context.reviewer else set()))
    joined = {"document_id": doc_id, "annotator": "gold", "reviewers": reviewers,
              "source_annotators": context.sources(rows), **context.fields()}
    if fmt == "doccano":
        labels = [[g.start, g.end, g.attribute(label)] for g in labelled]
        tally.overlapping += doccano_overlaps(labels)
        yield {"text": text, "label": labels, **joined}
        return
    spans = [{"start": g.start, "end": g.end, "label": g.attribute(label), "text": g.quote, "id": g.id,
              "stance": g.stance, "actor": g.actor, "claim_type": g.claim_type, "target": g.target,
              "note": g.note, **_provenance(g)} for g in labelled]
    yield {"text": text, "spans": spans, "meta": {"title": title, "source": source, **joined},
           "_annotator_id": "gold", "answer": "accept" if context.review_status == "adjudicated" else "ignore"}
