"""brat, CoNLL, Label Studio, CSV and DocBin on small files written here after each format's documented shape."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from storage import AnnotationDraft, export_jsonl, import_paths
from storage.errors import InputError, StancemarkError
from peer_helpers import add_text, spans_of, texts_of

TEXT = "Moscow denied the report.\nKyiv said talks would fail, naïve 👍 critics claimed.\n"


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    return folder


def test_brat_text_bound_attributes_notes_and_kept_relations(db, inbox: Path) -> None:
    (inbox / "doc1.txt").write_text(TEXT, encoding="utf-8", newline="")
    (inbox / "doc1.ann").write_text(
        "T1\tdenial 0 25\tMoscow denied the report.\n"
        "T2\tpredictive 26 52\tKyiv said talks would fail\n"
        "A1\tStance T1 oppose\n"
        "A2\tNegation T2\n"
        "A3\tConfidence T2 High\n"
        "#1\tAnnotatorNotes T1\tchecked twice\n"
        "#2\tActor T1\tRussian government\n"
        "R1\tCause Arg1:T1 Arg2:T2\n"
        "T3\tfactual 0 6;7 13\tMoscow denied\n"
        "E1\tfactual:T2\n", encoding="utf-8")
    summary = import_paths(db, [inbox])
    assert summary.files == 2 and summary.documents_added == 1 and summary.annotations_added == 2
    assert any("1 relations" in line and "1 discontinuous spans" in line and "1 events" in line
               for line in summary.lines())
    assert spans_of(db, ("start", "end", "quote", "claim_type", "stance", "actor", "note")) == {
        (0, 25, "Moscow denied the report.", "denial", "oppose", "Russian government", "checked twice"): 1,
        (26, 52, "Kyiv said talks would fail", "predictive", None, None, "Negation\nConfidence=High"): 1}
    (doc,) = db.documents.list()
    kept = db.documents.get(doc.id).meta["brat"]["kept"]
    assert kept == ["R1\tCause Arg1:T1 Arg2:T2", "T3\tfactual 0 6;7 13\tMoscow denied", "E1\tfactual:T2"]


def test_brat_span_that_does_not_match_its_text_is_refused(db, inbox: Path) -> None:
    (inbox / "a.txt").write_text(TEXT, encoding="utf-8")
    (inbox / "a.ann").write_text("T1\tdenial 1 7\tMoscow\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"a\.ann:1: T1 \[1, 7\)"):
        import_paths(db, [inbox])
    assert db.documents.list() == []


def test_brat_export_writes_back_relations_and_refuses_an_existing_directory(db, inbox: Path, tmp_path: Path) -> None:
    (inbox / "doc1.txt").write_text(TEXT, encoding="utf-8")
    (inbox / "doc1.ann").write_text("T4\tdenial 0 25\tMoscow denied the report.\nT9\tpredictive 26 52\tKyiv said "
                                    "talks would fail\nR1\tCause Arg1:T4 Arg2:T9\n", encoding="utf-8")
    import_paths(db, [inbox], annotator="ann")
    out = tmp_path / "out"
    summary = export_jsonl(db, "brat", out)
    assert summary.annotations == 2 and summary.documents == 1
    (ann,) = (out / "ann").glob("*.ann")
    lines = ann.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("T4\tdenial 0 25\t") and lines[1].startswith("T9\tpredictive 26 52\t")
    assert "R1\tCause Arg1:T4 Arg2:T9" in lines
    assert ann.with_suffix(".txt").read_text(encoding="utf-8") == TEXT
    with pytest.raises(StancemarkError, match="already exists"):
        export_jsonl(db, "brat", out)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")] == []


def label_studio_task() -> dict:  # type: ignore[type-arg]
    """The documented export shape: data.text, annotations[].result[] of labels results, predictions."""
    return {"id": 7, "data": {"text": TEXT}, "annotations": [
        {"id": 1, "completed_by": 3, "was_cancelled": False, "result": [
            {"id": "r1", "from_name": "label", "to_name": "text", "type": "labels",
             "value": {"start": 0, "end": 6, "text": "Moscow", "labels": ["ORG"]}},
            {"id": "r2", "from_name": "sentiment", "to_name": "text", "type": "choices",
             "value": {"choices": ["Positive"]}}]},
        {"id": 2, "completed_by": {"email": "ana@example.org"}, "was_cancelled": True, "result": []}],
        "predictions": [{"model_version": "v1", "result": [
            {"id": "p1", "from_name": "label", "to_name": "text", "type": "labels",
             "value": {"start": 26, "end": 30, "text": "Kyiv", "labels": ["LOC"]}}]}]}


def test_label_studio_annotations_predictions_and_what_is_left_out(db, inbox: Path) -> None:
    (inbox / "project.json").write_text(json.dumps([label_studio_task()]), encoding="utf-8")
    summary = import_paths(db, [inbox], label_as="actor")
    assert spans_of(db, ("start", "end", "actor", "annotator")) == {(0, 6, "ORG", "user 3"): 1,
                                                                    (26, 30, "LOC", "prediction:v1"): 1}
    assert any("1 cancelled annotations" in line and "1 choices results" in line for line in summary.lines())


def test_label_studio_offset_that_misses_its_text_is_refused(db, inbox: Path) -> None:
    task = label_studio_task()
    task["annotations"][0]["result"][0]["value"]["end"] = 7
    (inbox / "bad.json").write_text(json.dumps([task]), encoding="utf-8")
    with pytest.raises(InputError, match="does not match its quoted text"):
        import_paths(db, [inbox])
    assert db.documents.list() == []


def test_conll_reads_iob2_with_documents_and_annotators(db, inbox: Path) -> None:
    (inbox / "a.conll").write_text(
        "-DOCSTART- -X- -X- O\n\nEU\tNNP\tB-NP\tB-ORG\nrejects\tVBZ\tB-VP\tO\nGerman\tJJ\tB-NP\tB-MISC\n"
        "call\tNN\tI-NP\tO\n\nPeter\tNNP\tB-NP\tB-PER\nBlackburn\tNNP\tI-NP\tI-PER\n\n"
        "# document_id = x\n# annotator = rita\nNew\tB-LOC\nYork\tI-LOC\n", encoding="utf-8")
    import_paths(db, [inbox])
    assert texts_of(db) == {"EU rejects German call\nPeter Blackburn", "New York"}
    assert spans_of(db, ("quote", "claim_type", "annotator")) == {
        ("EU", "ORG", "import"): 1, ("German", "MISC", "import"): 1, ("Peter Blackburn", "PER", "import"): 1,
        ("New York", "LOC", "rita"): 1}


def test_conll_export_counts_spans_off_token_boundaries_and_overlaps(db, tmp_path: Path) -> None:
    doc_id = add_text(db, tmp_path / "src", "Moscow denied the report.")
    db.annotations.add_many([AnnotationDraft(doc_id, 0, 6, claim_type="denial"),
                             AnnotationDraft(doc_id, 0, 3, claim_type="factual"),  # inside a token
                             AnnotationDraft(doc_id, 0, 13, claim_type="policy")], by="ana")  # overlaps
    out = tmp_path / "out.conll"
    summary = export_jsonl(db, "conll", out)
    assert out.read_text(encoding="utf-8").splitlines() == [
        f"# document_id = {doc_id}", "# annotator = ana", "Moscow\tB-denial", "denied\tO", "the\tO",
        "report\tO", ".\tO", ""]
    assert summary.left_out == {"not on token boundaries (spaCy blank('en'), strict)": 1,
                                "overlaps a span already written (BIO holds one label per token)": 1}


def test_csv_is_read_by_pandas_with_the_flat_columns(db, tmp_path: Path) -> None:
    pandas = pytest.importorskip("pandas")
    doc_id = add_text(db, tmp_path / "src", TEXT)
    db.annotations.add_many([AnnotationDraft(doc_id, 26, len(TEXT) - 1, claim_type="predictive", note='a "quoted", note\n2')],
                            by="ana")
    out = tmp_path / "out.csv"
    export_jsonl(db, "csv", out)
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    frame = pandas.read_csv(out, keep_default_na=False)
    assert list(frame["quote"]) == [TEXT[26:-1]] and list(frame["note"]) == ['a "quoted", note\n2']
    assert list(frame["start"]) == [26] and list(frame["annotator"]) == ["ana"]


def test_docbin_is_read_by_spacy_with_every_aligned_span(db, tmp_path: Path) -> None:
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import DocBin

    doc_id = add_text(db, tmp_path / "src", TEXT)
    db.annotations.add_many([AnnotationDraft(doc_id, 0, 6, claim_type="denial"),
                             AnnotationDraft(doc_id, 0, 13, claim_type="policy"),
                             AnnotationDraft(doc_id, 1, 6, claim_type="factual")], by="ana")
    out = tmp_path / "train.spacy"
    summary = export_jsonl(db, "docbin", out)
    assert summary.left_out == {"not on token boundaries (spaCy blank('en'), strict)": 1}
    (doc,) = DocBin().from_disk(out).get_docs(spacy.blank("en").vocab)
    assert doc.text == TEXT and doc.user_data["annotator"] == "ana"
    assert sorted((s.start_char, s.end_char, s.label_) for s in doc.spans["sc"]) == [(0, 6, "denial"),
                                                                                     (0, 13, "policy")]
    assert len(doc.ents) == 1


def test_binary_and_directory_formats_need_an_output_path(db) -> None:
    for fmt in ("brat", "docbin"):
        with pytest.raises(StancemarkError, match="-o PATH"):
            export_jsonl(db, fmt, "-")


def test_missing_spacy_is_one_line(monkeypatch: pytest.MonkeyPatch, db, tmp_path: Path) -> None:
    import sys

    from storage import tokens

    tokens.blank_english.cache_clear()
    monkeypatch.setitem(sys.modules, "spacy", None)
    with pytest.raises(StancemarkError, match=r"needs spaCy: pip install 'stancemark\[spacy\]'"):
        export_jsonl(db, "conll", tmp_path / "x.conll")
    tokens.blank_english.cache_clear()
    assert not (tmp_path / "x.conll").exists()


def test_label_studio_region_with_two_labels_is_two_spans_and_fields_by_control(db, inbox: Path) -> None:
    task = {"data": {"text": TEXT}, "annotations": [{"completed_by": {"email": "ana@example.org"}, "result": [
        {"id": "r1", "from_name": "label", "to_name": "text", "type": "labels",
         "value": {"start": 0, "end": 6, "text": "Moscow", "labels": ["denial", "factual"]}},
        {"id": "r1", "from_name": "stance", "to_name": "text", "type": "labels",
         "value": {"start": 0, "end": 6, "text": "Moscow", "labels": ["oppose"]}},
        {"id": "r1", "from_name": "note", "to_name": "text", "type": "textarea",
         "value": {"start": 0, "end": 6, "text": ["seen"]}}]}]}
    (inbox / "two.json").write_text(json.dumps(task), encoding="utf-8")
    import_paths(db, [inbox])
    assert spans_of(db, ("start", "end", "claim_type", "stance", "note", "annotator")) == {
        (0, 6, "denial", "oppose", "seen", "ana@example.org"): 1, (0, 6, "factual", "oppose", "seen",
                                                                   "ana@example.org"): 1}
