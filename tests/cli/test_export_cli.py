"""`stancemark export` refusals: one line naming the target or the filter, exit 1, nothing changed."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli import main
from storage import AnnotationDraft, open_database


@pytest.fixture
def database(db_url: str, tmp_path: Path) -> str:
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"text": "The minister denied it.", "label": [[4, 12, "denial"]],
                                  "_annotator_id": "carol"}) + "\n", encoding="utf-8")
    assert main(["--db", db_url, "import", str(source)]) == 0
    return db_url


def one_error_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("stancemark: error: "), err
    return err[0]


def test_export_onto_the_open_database_is_refused(sqlite_path: str, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    db = open_database(sqlite_path)
    (tmp_path / "in.txt").write_text("Title\nSome text.", encoding="utf-8")
    db.close()
    assert main(["--db", sqlite_path, "import", str(tmp_path / "in.txt")]) == 0
    capsys.readouterr()
    for target in (sqlite_path, sqlite_path + "-wal", sqlite_path + "-shm", sqlite_path + "-journal"):
        assert main(["--db", sqlite_path, "export", "--format", "flat", "-o", target]) == 1
        assert target in one_error_line(capsys)
    assert main(["--db", sqlite_path, "stats"]) == 0
    assert "documents: 1" in capsys.readouterr().out


@pytest.mark.parametrize("argv,expected", [
    (["--document", "NOSUCHID"], "no document with id 'NOSUCHID'"),
    (["--annotator", "nobody"], "no annotator named 'nobody'"),
    (["--gold", "--format", "native"], "--gold"),
    (["--merge", "--format", "spans"], "--merge"),
])
def test_a_filter_that_names_nothing_fails_without_writing(database: str, tmp_path: Path, argv: list[str],
                                                           expected: str, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out.jsonl"
    fmt = [] if "--format" in argv else ["--format", "flat"]
    assert main(["--db", database, "export", *fmt, *argv, "-o", str(out)]) == 1
    assert expected in one_error_line(capsys)
    assert not out.exists()


@pytest.mark.parametrize("target", ["DIR", "/proc/version"])
def test_an_unwritable_target_is_named(database: str, tmp_path: Path, target: str,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    target = str(tmp_path) if target == "DIR" else target
    assert main(["--db", database, "export", "--format", "flat", "-o", target]) == 1
    line = one_error_line(capsys)
    assert line.startswith(f"stancemark: error: {target}: ") and ".tmp" not in line


def test_merge_says_that_doccano_drops_overlaps(database: str, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    db = open_database(database)
    doc = db.documents.list()[0].id
    db.annotations.add(AnnotationDraft(doc, 4, 20, claim_type="factual"), by="dora")
    db.close()
    capsys.readouterr()
    assert main(["--db", database, "export", "--format", "doccano", "--merge", "-o", str(tmp_path / "m.jsonl")]) == 0
    err = capsys.readouterr().err
    assert "exported 1 documents, 2 annotations" in err and "doccano's importer drops" in err
    assert main(["--db", database, "export", "--format", "doccano", "-o", str(tmp_path / "d.jsonl")]) == 0
    assert "drops" not in capsys.readouterr().err
    lines = [json.loads(x) for x in (tmp_path / "d.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(x["annotator"], len(x["label"])) for x in lines] == [("carol", 1), ("dora", 1)]
