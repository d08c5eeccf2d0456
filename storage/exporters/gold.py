"""The gold layer in exports.

- Native lines always carry it: "gold" (every gold row, retracted ones too, with provenance: decision, source
  annotation ids, reviewer, rationale, times) and "review" (the document's review status). Importing such a
  line brings both back (storage/importers/gold.py).
- `--gold` with doccano, spans or flat exports the adjudicated dataset instead of the annotators' work: live gold
  rows that were not rejected, each with its provenance (flat and spans carry it per span)."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.errors import StancemarkError
from storage.exporters.formats import iso
from storage.exporters.output import atomic_text_output, json_line
from storage.gold import gold_query, gold_record
from storage.models import Annotator, Document, GoldAnnotation, ReviewStatus
from storage.records import GoldRecord

if TYPE_CHECKING:
    from storage.database import Database
    from storage.exporters.run import ExportSummary


def gold_entry(g: GoldRecord) -> dict[str, Any]:
    return {"id": g.id, "start": g.start, "end": g.end, "quote": g.quote, "stance": g.stance, "actor": g.actor,
            "claim_type": g.claim_type, "target": g.target, "note": g.note, "decision": g.decision,
            "source_annotation_ids": list(g.source_annotation_ids), "reviewer": g.reviewer,
            "rationale": g.rationale, "scheme_version": g.scheme_version, "created_at": iso(g.created_at),
            "updated_at": iso(g.updated_at), "deleted_at": iso(g.deleted_at)}


def gold_by_document(s: Session, document_ids: list[str] | None = None,
                     live_only: bool = False) -> dict[str, list[GoldRecord]]:
    query = gold_query()
    if document_ids is not None:
        query = query.where(GoldAnnotation.document_id.in_(document_ids))
    if live_only:
        query = query.where(GoldAnnotation.deleted_at.is_(None), GoldAnnotation.decision != "rejected")
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
                progress: Callable[[int, int], None] | None = None) -> "ExportSummary":
    """The adjudicated dataset as doccano, spans or flat lines (native carries gold on its own)."""
    from storage.exporters.run import ExportSummary

    if fmt not in ("doccano", "spans", "flat"):
        raise StancemarkError(f"--gold works with doccano, spans or flat; native always carries gold, not {fmt!r}")
    counts = {"documents": 0, "annotations": 0, "lines": 0, "skipped": 0}
    with db.sessions.read() as s, atomic_text_output(out) as stream:
        query = select(Document.id, Document.title, Document.source, Document.text).order_by(Document.created_at,
                                                                                              Document.id)
        if document_ids:
            query = query.where(Document.id.in_(list(document_ids)))
        docs = s.execute(query).all()
        gold = gold_by_document(s, [d[0] for d in docs], live_only=True)
        for n, doc in enumerate(docs, start=1):
            rows = gold.get(doc[0], [])
            for line in _lines(fmt, doc, rows, label, counts):
                stream.write(json_line(line))
                stream.write("\n")
                counts["lines"] += 1
            counts["documents"] += 1
            counts["annotations"] += len(rows)
            if progress:
                progress(n, len(docs))
    return ExportSummary(format=f"{fmt} (gold)", target=str(out) if isinstance(out, (str, Path)) else "stream",
                         documents=counts["documents"], annotations=counts["annotations"] - counts["skipped"],
                         lines=counts["lines"], unlabelled_skipped=counts["skipped"])


def _provenance(g: GoldRecord) -> dict[str, Any]:
    return {"decision": g.decision, "source_annotation_ids": list(g.source_annotation_ids), "reviewer": g.reviewer,
            "rationale": g.rationale, "decided_at": iso(g.updated_at)}


def _checked(text: str, g: GoldRecord) -> None:
    if text[g.start:g.end] != g.quote:
        raise StancemarkError(f"gold annotation {g.id} in document {g.document_id}: its stored quote does not "
                              f"match the text at [{g.start}, {g.end}); nothing was exported")


def _lines(fmt: str, doc: Any, rows: list[GoldRecord], label: str,
           counts: dict[str, int]) -> Iterator[dict[str, Any]]:
    doc_id, title, source, text = doc
    for g in rows:
        _checked(text, g)
    if fmt == "flat":
        for g in rows:
            yield {"document_id": doc_id, "id": g.id, "start": g.start, "end": g.end, "quote": g.quote,
                   "stance": g.stance, "actor": g.actor, "claim_type": g.claim_type, "target": g.target,
                   "note": g.note, "scheme_version": g.scheme_version, **_provenance(g)}
        return
    labelled = [g for g in rows if g.attribute(label) is not None]
    counts["skipped"] += len(rows) - len(labelled)
    if fmt == "doccano":
        yield {"text": text, "label": [[g.start, g.end, g.attribute(label)] for g in labelled]}
        return
    spans = [{"start": g.start, "end": g.end, "label": g.attribute(label), "text": g.quote, "id": g.id,
              "stance": g.stance, "actor": g.actor, "claim_type": g.claim_type, "target": g.target,
              "note": g.note, **_provenance(g)} for g in labelled]
    yield {"text": text, "spans": spans, "meta": {"document_id": doc_id, "title": title, "source": source},
           "_annotator_id": "gold", "answer": "accept"}
