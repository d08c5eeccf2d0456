"""`stancemark agreement` and `stancemark role` from the command line."""
from __future__ import annotations

import csv
import io
import json

import pytest

from storage import AnnotationDraft, open_with_samples
from cli import build_parser, run


def cli(*argv: str) -> int:
    return run(build_parser().parse_args(list(argv)))


@pytest.fixture
def annotated(sqlite_path: str) -> str:
    db = open_with_samples(sqlite_path)
    doc = db.documents.list()[0].id
    for who, stance in (("alice", "support"), ("bob", "oppose")):
        db.annotations.add(AnnotationDraft(doc, 0, 10, stance=stance, claim_type="factual"), by=who)
        db.annotations.add(AnnotationDraft(doc, 20, 30, stance="neutral", claim_type="policy"), by=who)
    db.annotations.add(AnnotationDraft(doc, 40, 50, stance="neutral"), by="bob")
    db.close()
    return sqlite_path


def test_agreement_json_lists_figures_and_the_units_behind_them(annotated: str, capsys) -> None:
    assert cli("--db", annotated, "agreement", "--format", "json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["scope"] == "corpus" and data["annotators"] == ["alice", "bob"]
    f1 = next(f for f in data["figures"] if f["measure"] == "f1_exact")
    assert f1["value"] == pytest.approx(4 / 5)
    units = {u["key"]: u for u in data["units"]}
    assert [units[k]["start"] for k in f1["single"]] == [40]
    stance = next(f for f in data["figures"] if f["measure"] == "alpha" and f["attribute"] == "stance")
    assert stance["level"] == "ordinal" and [units[k]["start"] for k in stance["disagreed"]] == [0]


def test_agreement_csv_and_table_for_one_document(annotated: str, capsys) -> None:
    doc = open_with_samples(annotated).documents.list()[0].id
    assert cli("--db", annotated, "agreement", "--document", doc, "--format", "csv") == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {r["scope"] for r in rows} == {doc}
    assert next(r for r in rows if r["measure"] == "f1_overlap")["value"] == "0.800000"
    assert cli("--db", annotated, "agreement", "--document", doc, "--units") == 0
    table = capsys.readouterr().out
    assert "f1_exact" in table and "alpha:stance (ordinal)" in table and "[40,50) incomplete" in table


def test_corpus_units_listed_from_every_document(annotated: str, tmp_path, capsys) -> None:
    """The corpus report keeps unit keys, not units: --units and json list them as each document is done."""
    (tmp_path / "second.txt").write_text("Second\nThe minister denied it again.", encoding="utf-8")
    assert cli("--db", annotated, "import", str(tmp_path / "second.txt")) == 0
    db = open_with_samples(annotated)
    first = next(d.id for d in db.documents.list() if d.title != "Second")
    other = next(d.id for d in db.documents.list() if d.id != first)
    db.annotations.add(AnnotationDraft(other, 5, 15, stance="oppose"), by="alice")
    db.annotations.add(AnnotationDraft(other, 5, 15, stance="support"), by="bob")
    db.close()
    assert cli("--db", annotated, "agreement", "--units") == 0
    table = capsys.readouterr().out
    assert "4 unit(s)" in table and "[40,50) incomplete" in table
    assert f"  {other} [5,15) disagreed: alice [5,15) oppose/-/-; bob [5,15) support/-/-" in table
    assert cli("--db", annotated, "agreement", "--format", "json") == 0
    data = json.loads(capsys.readouterr().out)
    stance = next(f for f in data["figures"] if f["measure"] == "kappa" and f["attribute"] == "stance")
    assert sorted(u["document_id"] == other for u in data["units"]) == [False, False, False, True]
    assert {u["key"] for u in data["units"]} >= set(stance["disagreed"]) and len(stance["disagreed"]) == 2


def test_agreement_for_an_unknown_document_fails_with_a_message(annotated: str, capsys) -> None:
    assert cli("--db", annotated, "agreement", "--document", "nope") == 1
    assert "no document with id 'nope'" in capsys.readouterr().err


def test_role_makes_a_reviewer(annotated: str, capsys) -> None:
    assert cli("--db", annotated, "role", "rita", "reviewer") == 0
    assert "rita is now a reviewer" in capsys.readouterr().out
    assert open_with_samples(annotated).annotators.get("rita").role == "reviewer"


@pytest.fixture
def relayed_twice(sqlite_path: str) -> str:
    """The relayed message of the sample article by alice and bob; bob takes "Putin" to name the Kremlin."""
    from attribution_samples import relayed

    db = open_with_samples(sqlite_path)
    relayed(db, "alice")
    relayed(db, "bob", source_actor="Kremlin")
    db.close()
    return sqlite_path


def test_agreement_prints_the_source_actor_and_the_source_and_cue_f1(relayed_twice: str, capsys) -> None:
    assert cli("--db", relayed_twice, "agreement", "--format", "json") == 0
    data = json.loads(capsys.readouterr().out)
    (unit,) = data["units"]  # one claim unit: mentions and cues are not units
    kappa = next(f for f in data["figures"] if f["measure"] == "kappa" and f["attribute"] == "source_actor")
    assert (kappa["observed"], kappa["disagreed"]) == (0.0, [unit["key"]])
    for measure in ("f1_source", "f1_cue"):
        figure = next(f for f in data["figures"] if f["measure"] == measure)
        assert (figure["value"], figure["agreed"]) == (1.0, [unit["key"]])
    sources = {s["annotator"]: s["attribution"]["source"]["actor"] for s in unit["spans"]}
    assert sources == {"alice": "Vladimir Putin", "bob": "Kremlin"}

    assert cli("--db", relayed_twice, "agreement", "--units") == 0
    table = capsys.readouterr().out
    row = next(line for line in table.splitlines() if line.startswith("kappa:source_actor"))
    assert row.split()[1:3] == ["alice+bob", "0.000"]
    assert "f1_source" in table and "f1_cue" in table
    assert "Source: 'Putin' → Kremlin · cue: 'said' · relay: 'Lavrov' → Sergei Lavrov" in table

    assert cli("--db", relayed_twice, "agreement", "--format", "csv") == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {(r["measure"], r["attribute"]) for r in rows} >= {("kappa", "source_actor"), ("alpha", "source_actor"),
                                                               ("f1_source", ""), ("f1_cue", "")}
