"""The gold layer leaves and comes back: native lines carry it (and import it back, once), `--gold` exports the
adjudicated dataset with provenance, and a bad gold entry is refused with file and line."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from storage import AnnotationDraft, InputError, open_database
from cli import build_parser, run
from storage.exporters import export_jsonl
from storage.exporters.gold_export import gold_entry
from storage.importers import import_paths


@pytest.fixture
def adjudicated(seeded_db):  # type: ignore[no-untyped-def]
    """Accepted (with rationale), merged, rejected, and one decision retracted by a later edit."""
    db = seeded_db
    doc = db.documents.list()[0].id
    db.annotators.ensure("rita", role="reviewer")
    add = db.annotations.add
    for who in ("alice", "bob"):
        add(AnnotationDraft(doc, 0, 10, stance="support", actor="Lavrov", claim_type="factual"), by=who)
    differ = [add(AnnotationDraft(doc, 20, 30, stance="oppose"), by="alice"),
              add(AnnotationDraft(doc, 20, 30, stance="neutral"), by="bob")]
    lonely = add(AnnotationDraft(doc, 40, 50, claim_type="policy"), by="bob")
    other = [add(AnnotationDraft(doc, 60, 70, claim_type="denial"), by="alice"),
             add(AnnotationDraft(doc, 60, 72, claim_type="denial"), by="bob")]
    db.review.accept(differ[1].id, by="rita", rationale="reported speech")
    db.review.auto_merge(doc, by="rita")
    db.review.reject(lonely.id, by="rita", rationale="no claim here")
    db.review.accept(other[0].id, by="rita")
    db.review.edit(other[0].id, by="rita", rationale="ends at the full stop", end=71)
    return db, doc


def test_native_export_carries_gold_and_imports_back_once(adjudicated, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db, doc = adjudicated
    out = tmp_path / "native.jsonl"
    export_jsonl(db, "native", out)
    (line,) = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert {g["decision"] for g in line["gold"]} == {"accepted", "merged", "rejected", "edited"}
    assert line["review"]["status"] == "in_review" and line["annotators"]["rita"] == "reviewer"

    target = open_database(tmp_path / "copy.db")
    try:
        import_paths(target, [out])
        original = sorted((gold_entry(g) for g in db.review.gold(include_deleted=True)), key=lambda e: e["id"])
        copied = sorted((gold_entry(g) for g in target.review.gold(include_deleted=True)), key=lambda e: e["id"])
        assert copied == original and len(copied) == 5
        assert sum(g["deleted_at"] is not None for g in copied) == 1  # the retracted accept survives
        assert target.review.status(doc).status == "in_review"
        assert target.annotators.get("rita").role == "reviewer"
        # Provenance still points at real annotations, and the units find their gold again.
        units = target.review.units(doc)
        assert [u.gold.decision if u.gold else None for u in units] == ["merged", "accepted", "rejected", "edited"]
        import_paths(target, [out])  # twice: nothing new
        assert len(target.review.gold(include_deleted=True)) == 5
    finally:
        target.close()


def test_gold_flag_exports_the_adjudicated_dataset_with_provenance(adjudicated, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db, doc = adjudicated
    db.review.set_status(doc, "adjudicated", by="rita")
    flat = tmp_path / "gold.jsonl"
    summary = export_jsonl(db, "flat", flat, gold=True)
    rows = [json.loads(x) for x in flat.read_text(encoding="utf-8").splitlines()]
    assert [(r["start"], r["end"], r["decision"]) for r in rows] == [(0, 10, "merged"), (20, 30, "accepted"),
                                                                       (60, 71, "edited")]
    accepted = rows[1]
    assert (accepted["stance"], accepted["reviewer"], accepted["rationale"]) == ("neutral", "rita",
                                                                                  "reported speech")
    assert len(accepted["source_annotation_ids"]) == 1 and summary.lines == 3
    text = db.documents.get(doc).text
    assert all(text[r["start"]:r["end"]] == r["quote"] for r in rows)
    doccano = tmp_path / "gold_doccano.jsonl"
    export_jsonl(db, "doccano", doccano, gold=True, label="claim_type")
    (line,) = [json.loads(x) for x in doccano.read_text(encoding="utf-8").splitlines()]
    assert line["label"] == [[0, 10, "factual"], [60, 71, "denial"]]
    assert (line["document_id"], line["annotator"], line["reviewers"], line["source_annotators"]) == (
        doc, "gold", ["rita"], ["alice", "bob"])
    assert (line["review_status"], line["undecided_units"]) == ("adjudicated", 0)


def test_gold_flag_on_the_command_line(adjudicated, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    db, _ = adjudicated
    out = tmp_path / "spans.jsonl"
    code = run(build_parser().parse_args(["--db", db.url, "export", "--gold", "--format", "spans",
                                          "--label", "stance", "--include-unreviewed", "-o", str(out)]))
    assert code == 0, capsys.readouterr().err
    (task,) = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert (task["_annotator_id"], task["answer"], task["meta"]["review_status"]) == ("gold", "ignore", "in_review")
    assert [(s["label"], s["decision"]) for s in task["spans"]] == [("support", "merged"), ("neutral", "accepted")]


def test_a_bad_gold_entry_names_file_and_line_and_imports_nothing(adjudicated, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db, _ = adjudicated
    out = tmp_path / "native.jsonl"
    export_jsonl(db, "native", out)
    line = json.loads(out.read_text(encoding="utf-8"))
    line["gold"][0]["decision"] = "overruled"
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(line) + "\n", encoding="utf-8")
    target = open_database(tmp_path / "copy.db")
    try:
        with pytest.raises(InputError, match=r"bad\.jsonl.*1.*decision"):
            import_paths(target, [bad])
        assert target.documents.count() == 0 and target.review.gold(include_deleted=True) == []
    finally:
        target.close()
