"""`stancemark suggest --dry-run --format jsonl`: one JSON object a proposal, offsets in code points."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli import main
from storage import AnnotationDraft, open_database

ARTICLE = ("👍🏽 Lavrov said the talks had failed. “We will not return,” Lavrov told reporters.\n\n"
           "Moscow calls it a hybrid war. Analysts say Moscow calls it a hybrid war too.")
OTHER = "Nothing was said here by anyone we know."


@pytest.fixture
def corpus(db_url: str, tmp_path: Path) -> tuple[str, str, str]:
    for name, text in (("article.txt", ARTICLE), ("other.txt", OTHER)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert main(["import", "--db", db_url, str(tmp_path / "article.txt"), str(tmp_path / "other.txt")]) == 0
    db = open_database(db_url)
    try:
        db.actors.create("Sergei Lavrov", "person", ("Lavrov",))
        db.actors.create("Russia", "state", ("Moscow",))
        ids = {d.title: d.id for d in db.documents.list()}
        article = next(i for t, i in ids.items() if "Lavrov" in t or t.startswith("👍") or t == "article")
        other = next(i for i in ids.values() if i != article)
        start = ARTICLE.index("Moscow calls it a hybrid war")
        db.annotators.ensure("ana")
        db.annotations.add(AnnotationDraft(article, start, start + len("Moscow calls it a hybrid war"),
                                           stance="oppose", actor="Russia", claim_type="accusation"), by="ana")
    finally:
        db.close()
    return db_url, article, other


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[dict], str]:
    capsys.readouterr()
    code = main(["suggest", *args])
    out, err = capsys.readouterr()
    return code, [json.loads(line) for line in out.splitlines()], err


def test_dry_run_jsonl_shape(corpus: tuple[str, str, str], capsys: pytest.CaptureFixture[str]) -> None:
    db_url, article, _ = corpus
    code, rows, err = run(capsys, "--db", db_url, "--document", article, "--suggester", "attribution",
                          "--dry-run", "--format", "jsonl")
    assert code == 0 and err == ""
    assert [r["quote"] for r in rows] == ["the talks had failed", "We will not return",
                                      "Moscow calls it a hybrid war too"]
    first = rows[0]
    assert set(first) >= {"document_id", "start", "end", "quote", "claim_type", "actor", "source", "cue", "suggester"}
    assert first["document_id"] == article and first["suggester"] == "attribution" and first["kind"] == "claim"
    assert (first["start"], first["end"]) == (ARTICLE.index("the talks"), ARTICLE.index("the talks") + 20)  # code points
    assert first["actor"] == "Sergei Lavrov" and first["claim_type"] == "factual"
    assert first["source"] == {"start": 3, "end": 9, "quote": "Lavrov"}
    assert first["cue"] == {"start": 10, "end": 14, "quote": "said"}
    assert rows[1]["claim_type"] == "predictive" and rows[1]["cue"]["quote"] == "told"
    assert rows[2]["actor"] is None and rows[2]["source"]["quote"] == "Analysts"
    for row in rows:
        for span in (row, row["source"], row["cue"]):
            assert ARTICLE[span["start"]:span["end"]] == span["quote"]


def test_every_suggester_and_document_by_default(corpus: tuple[str, str, str],
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    db_url, article, other = corpus
    code, rows, _ = run(capsys, "--db", db_url, "--dry-run")
    assert code == 0
    assert {r["document_id"] for r in rows} == {article}  # the other text proposes nothing
    kinds = {(r["suggester"], r["kind"]) for r in rows}
    assert kinds == {("attribution", "claim"), ("actor_mentions", "mention")}  # repeat labels need --annotator
    mention = next(r for r in rows if r["kind"] == "mention")
    assert mention["claim_type"] is None and mention["source"] is None and mention["cue"] is None
    assert [r["start"] for r in rows] == sorted(r["start"] for r in rows)


def test_repeat_labels_read_the_annotators_own(corpus: tuple[str, str, str],
                                               capsys: pytest.CaptureFixture[str]) -> None:
    db_url, article, _ = corpus
    code, rows, _ = run(capsys, "--db", db_url, "--annotator", "ana", "--suggester", "repeat_labels", "--dry-run")
    assert code == 0
    [row] = rows
    second = ARTICLE.rindex("Moscow calls it a hybrid war")
    assert (row["start"], row["claim_type"], row["actor"], row["stance"]) == (second, "accusation", "Russia", "oppose")
    assert row["source"] is None and row["cue"] is None


def test_storing_prints_one_line_and_runs_again_only_when_needed(corpus: tuple[str, str, str],
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    db_url, article, _ = corpus
    capsys.readouterr()
    assert main(["suggest", "--db", db_url, "--document", article, "--annotator", "ana"]) == 0
    out, err = capsys.readouterr()
    [line] = out.splitlines()
    assert line.startswith("1 documents: 3 suggester runs (0 unchanged") and line.endswith("pending for ana")
    db = open_database(db_url)
    try:
        stored = db.suggestions.for_document(article, "ana")
        assert {s.suggester for s in stored} == {"attribution", "actor_mentions", "repeat_labels"}
        db.suggestions.reject(stored[0].id, "ana")
    finally:
        db.close()
    assert main(["suggest", "--db", db_url, "--document", article, "--annotator", "ana"]) == 0
    assert capsys.readouterr().out.startswith("1 documents: 0 suggester runs (3 unchanged, not run again), 0 ")
    code, rows, err = run(capsys, "--db", db_url, "--rejected")
    assert code == 0 and [(r["quote"], r["rejected_by"]) for r in rows] == [(stored[0].quote, "ana")]


def test_unknown_document_or_suggester(corpus: tuple[str, str, str], capsys: pytest.CaptureFixture[str]) -> None:
    db_url, article, _ = corpus
    code, rows, err = run(capsys, "--db", db_url, "--document", article, "--document", "nope", "--dry-run")
    assert code == 1 and rows == [] and "no document with id 'nope'" in err and len(err.splitlines()) == 1
    code, rows, err = run(capsys, "--db", db_url, "--suggester", "oracle", "--dry-run")
    assert code == 2 and rows == [] and "oracle" in err
