"""`stancemark actors ...`: every action in process, on both backends; failures are one line and exit 1."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from cli import main
from storage import AnnotationDraft, open_database


@pytest.fixture
def corpus(db_url: str, tmp_path: Path) -> str:
    """Two documents with annotations naming 'Putin' and 'V. Putin' by two annotators."""
    path = tmp_path / "spans.jsonl"
    lines = [{"text": "Putin said the talks go on.", "label": [[0, 5, "Putin"]], "_annotator_id": "carol"},
             {"text": "V. Putin spoke again today.", "label": [[0, 8, "V. Putin"]], "_annotator_id": "dan"}]
    path.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    assert main(["--db", db_url, "import", str(path), "--label-as", "actor"]) == 0
    return db_url


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_list_in_every_format_with_counts_and_filter(corpus: str, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert _run(capsys, "actors", "add", "Vladimir Putin", "--kind", "person", "--alias", "President Putin",
                "--db", corpus, "--annotator", "rita")[0] == 0
    code, out, _ = _run(capsys, "actors", "list", "--db", corpus)
    assert code == 0 and "3 actor(s)" in out and "Vladimir Putin" in out and "President Putin" in out
    code, out, _ = _run(capsys, "actors", "list", "--format", "json", "--db", corpus)
    listed = {a["name"]: a for a in json.loads(out)}
    assert listed["Putin"]["annotations"] == 1 and listed["Putin"]["documents"] == 1
    assert listed["Vladimir Putin"]["aliases"] == ["President Putin"] and listed["Vladimir Putin"]["kind"] == "person"
    code, out, _ = _run(capsys, "actors", "list", "--format", "csv", "--filter", "president", "--db", corpus)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["name"] for r in rows] == ["Vladimir Putin"] and rows[0]["annotations"] == "0"


def test_alias_rename_kind_merge_and_delete(corpus: str, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert _run(capsys, "actors", "rename", "putin", "Vladimir Putin", "--db", corpus, "--annotator", "rita")[0] == 0
    code, out, _ = _run(capsys, "actors", "alias", "Vladimir Putin", "Putin the Elder", "VVP", "--db", corpus,
                        "--annotator", "rita")
    assert code == 0 and "VVP" in out
    assert _run(capsys, "actors", "unalias", "vvp", "VVP", "--db", corpus, "--annotator", "rita")[0] == 0
    assert _run(capsys, "actors", "kind", "Vladimir Putin", "person", "--db", corpus, "--annotator", "rita")[0] == 0
    code, out, _ = _run(capsys, "actors", "merge", "V. Putin", "Vladimir Putin", "--db", corpus,
                        "--annotator", "rita")
    assert code == 0 and "1 annotation(s)" in out
    assert _run(capsys, "actors", "add", "Nobody", "--db", corpus)[0] == 0
    assert _run(capsys, "actors", "delete", "Nobody", "--db", corpus, "--annotator", "rita")[0] == 0
    db = open_database(corpus)
    try:
        [putin] = db.actors.overview()
        assert (putin.name, putin.kind, putin.annotations, putin.documents) == ("Vladimir Putin", "person", 2, 2)
        assert set(putin.aliases) == {"Putin", "Putin the Elder", "V. Putin"}
        assert {p.annotator for p in db.actors.passages(putin.id)} == {"carol", "dan"}
        from storage.replay import differences_from_log
        assert differences_from_log(db)[1] == []
    finally:
        db.close()


@pytest.mark.parametrize("argv, message", [
    (["actors", "rename", "Nobody", "X"], "no actor named 'Nobody'"),
    (["actors", "kind", "Putin", "planet"], "not an actor kind"),
    (["actors", "merge", "Putin", "putin"], "same actor"),
    (["actors", "delete", "Putin"], "still used"),
    (["actors", "add", "A" * 301], "at most 300"),
    (["actors", "add", "PUTIN"], "exists already"),
    (["actors"], "needs an action"),
])
def test_failures_are_one_line_and_exit_1(corpus: str, capsys: pytest.CaptureFixture[str], argv: list[str],
                                          message: str) -> None:
    capsys.readouterr()
    code, out, err = _run(capsys, *argv, "--db", corpus)
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and err.startswith("stancemark: error:") and message in err


def test_a_merge_from_the_command_line_is_logged_in_the_writers_name(corpus: str,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    db = open_database(corpus)
    try:
        doc = db.documents.list()[0].id
        db.annotations.add(AnnotationDraft(doc, 0, 5, actor="Kremlin"), by="carol")
    finally:
        db.close()
    assert _run(capsys, "actors", "merge", "Kremlin", "Putin", "--db", corpus, "--annotator", "rita")[0] == 0
    db = open_database(corpus)
    try:
        from sqlalchemy import select

        from storage.tables import Annotator, Event
        with db.sessions.read() as s:
            who = s.scalar(select(Annotator.name).join(Event, Event.annotator_id == Annotator.id)
                           .where(Event.entity == "actor", Event.action == "merge"))
        assert who == "rita"
    finally:
        db.close()
