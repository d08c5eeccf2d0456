"""The exports read by the programs people train and analyse with: spaCy (`Doc.char_span` on the spans
export, then a DocBin) and pandas (the flat export)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from storage import AnnotationDraft, export_jsonl, import_paths

TEXT = "Sergei Lavrov said the talks would fail. John Kerry 👍🏽 disagreed, calling it “premature”."


@pytest.fixture
def annotated(db, tmp_path: Path):  # type: ignore[no-untyped-def]
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"text": TEXT, "title": "Talks"}, ensure_ascii=False) + "\n"
                      + json.dumps({"text": "Nobody tagged this.", "title": "Other"}) + "\n", encoding="utf-8")
    import_paths(db, [source])
    doc = next(d.id for d in db.documents.list() if d.title == "Talks")
    for who, quote, claim in (("alice", "Sergei Lavrov", "factual"), ("alice", "the talks would fail", "predictive"),
                              ("bob", "John Kerry", "factual"), ("bob", "premature", "evaluative")):
        start = TEXT.index(quote)
        db.annotations.add(AnnotationDraft(doc, start, start + len(quote), claim_type=claim), by=who)
    db.documents.set_status(doc, "done", by="alice")
    db.documents.set_status(doc, "done", by="bob")
    return db, doc


def test_spacy_reads_every_span_of_the_spans_export(annotated, tmp_path: Path) -> None:
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import DocBin

    db, doc_id = annotated
    export_jsonl(db, "spans", tmp_path / "s.jsonl", label="claim_type")
    tasks = [json.loads(x) for x in (tmp_path / "s.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(t["meta"]["document_id"], t["_annotator_id"], t["answer"]) for t in tasks] == [
        (doc_id, "alice", "accept"), (doc_id, "bob", "accept")]
    nlp = spacy.blank("en")
    bin_ = DocBin()
    for task in tasks:
        doc = nlp.make_doc(task["text"])
        spans = [doc.char_span(s["start"], s["end"], label=s["label"]) for s in task["spans"]]
        assert all(span is not None for span in spans), "a span does not fall on spaCy's token boundaries"
        assert [span.text for span in spans] == [s["text"] for s in task["spans"]]
        doc.ents = spans
        bin_.add(doc)
    back = list(DocBin().from_bytes(bin_.to_bytes()).get_docs(nlp.vocab))
    assert [[(e.text, e.label_) for e in d.ents] for d in back] == [
        [("Sergei Lavrov", "factual"), ("the talks would fail", "predictive")],
        [("John Kerry", "factual"), ("premature", "evaluative")]]


def test_pandas_reads_the_flat_export(annotated, tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    db, doc_id = annotated
    export_jsonl(db, "flat", tmp_path / "f.jsonl")
    frame = pd.read_json(tmp_path / "f.jsonl", lines=True, dtype={"document_id": str})
    assert len(frame) == 4 and set(frame["document_id"]) == {doc_id}
    assert {"annotator", "status", "start", "end", "quote", "claim_type"} <= set(frame.columns)
    assert all(TEXT[s:e] == q for s, e, q in zip(frame["start"], frame["end"], frame["quote"]))
    assert frame.groupby("annotator").size().to_dict() == {"alice": 2, "bob": 2}
    assert set(frame["status"]) == {"done"}
