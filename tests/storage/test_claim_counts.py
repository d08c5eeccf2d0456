"""The document list counts claims: a mention or cue is part of a claim's attribution, not a passage of its own."""
from __future__ import annotations

from storage import AnnotationDraft, Database


def test_document_counts_leave_out_mentions_and_cues(seeded_db: Database) -> None:
    doc = next(d for d in seeded_db.documents.list() if "Syria" in d.title)
    text = seeded_db.documents.get(doc.id).text
    at = text.index("Putin said")
    putin = seeded_db.annotations.add(AnnotationDraft(doc.id, at, at + 5, kind="mention", actor="Vladimir Putin"),
                                      by="ana")
    said = seeded_db.annotations.add(AnnotationDraft(doc.id, at + 6, at + 10, kind="cue"), by="ana")
    seeded_db.annotations.add(AnnotationDraft(doc.id, at + 11, at + 40, claim_type="predictive",
                                              source_id=putin.id, cue_id=said.id), by="ana")
    counts = {d.id: d.annotation_count for d in seeded_db.documents.list(annotator="ana")}
    assert counts[doc.id] == 1
    assert seeded_db.documents.list(annotator="ana", ids={doc.id})[0].annotation_count == 1
