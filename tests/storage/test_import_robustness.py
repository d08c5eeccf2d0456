"""Issue 8's import defects: each refused in one line, naming file and line, with the database unchanged."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from cli import main
from storage import InputError, import_paths
from test_import_errors import dump, lines, native

PRODIGY = [
    {"text": "Kept text one.", "spans": [{"start": 0, "end": 4, "label": "factual"}], "answer": "accept",
     "_annotator_id": "ds-alice", "_session_id": "ds-alice"},
    {"text": "Rejected text.", "spans": [{"start": 0, "end": 8, "label": "factual"},
                                         {"start": 9, "end": 13, "label": "factual"}], "answer": "reject",
     "_annotator_id": "ds-alice"},
    {"text": "Ignored text.", "spans": [], "answer": "ignore", "_session_id": "ds-bob"},
]

# name -> (file name, content, what the one line must say)
BAD: dict[str, tuple[str, bytes, str]] = {
    "lone surrogate": ("a.jsonl", b'{"text": "bad \\ud800 here"}\n', "a.jsonl:1: 'text' contains a lone surrogate"),
    "NUL in text": ("a.jsonl", b'{"text": "bad \\u0000 here"}\n', "a.jsonl:1: 'text' contains a NUL character"),
    "NUL in meta": ("a.jsonl", b'{"text": "ok", "meta": {"k": "\\u0000"}}\n', "'meta'.k contains a NUL"),
    "native id used twice": ("a.jsonl", lines({"stancemark": 1, "text": "The minister said no.", "annotations": [
        {"id": "a1", "annotator": "al", "start": 0, "end": 3}, {"id": "a1", "annotator": "al", "start": 4, "end": 12}]}),
        "a.jsonl:1: annotation 2 [4, 12): id 'a1' is already used by a different annotation"),
    "native from a newer Stancemark": ("a.jsonl", native(stancemark=999), "a.jsonl:2: a Stancemark native line "
                                                                         "from a newer Stancemark (format version 999"),
    "Label Studio task": ("a.jsonl", lines({"id": 1, "data": {"text": "x"}, "annotations": [{"result": []}]}),
                          "a.jsonl:1: looks like a Label Studio task"),
    "Prodigy textcat": ("a.jsonl", lines({"text": "x y", "label": "POSITIVE", "answer": "accept"}),
                        "a.jsonl:1: a Prodigy textcat line: 'label' is a string"),
    "doccano classification": ("a.jsonl", lines({"text": "x y", "label": ["positive"]}),
                               "a.jsonl:1: a doccano text-classification line"),
    "unknown answer": ("a.jsonl", lines({"text": "x y", "spans": [], "answer": "maybe"}), "'answer' must be one of"),
}


def _existing(db, tmp_path: Path):  # type: ignore[no-untyped-def]
    existing = tmp_path / "existing.jsonl"
    existing.write_bytes(lines({"text": "Already here", "label": [[0, 7, "factual"]]}))
    import_paths(db, [existing])
    return dump(db)


def _refused(db, db_url: str, path: Path, expected: str, capsys: pytest.CaptureFixture[str],  # type: ignore[no-untyped-def]
             before: dict[str, list[str]]) -> None:
    with pytest.raises(InputError) as raised:
        import_paths(db, [path])
    assert expected in str(raised.value) and "\n" not in str(raised.value)
    assert dump(db) == before
    assert main(["import", str(path), "--db", db_url]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and expected in err[0]
    assert dump(db) == before


@pytest.mark.parametrize("case", list(BAD))
def test_bad_line_is_refused_and_changes_nothing(db, db_url: str, tmp_path: Path, case: str,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    before = _existing(db, tmp_path)
    name, data, expected = BAD[case]
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / name).write_bytes(data)
    _refused(db, db_url, folder / name, expected, capsys, before)


@pytest.mark.parametrize("case", ["empty folder", "symlink loop", "fifo"])
def test_nothing_to_read_is_refused(db, db_url: str, tmp_path: Path, case: str,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    before = _existing(db, tmp_path)
    target = tmp_path / "in"
    target.mkdir()
    expected = "nothing to import found"
    if case == "symlink loop":
        (target / "self").symlink_to(target)
        expected = "symbolic link loops skipped"
    elif case == "fifo":
        target = target / "pipe.jsonl"
        os.mkfifo(target)
        expected = "pipe.jsonl: a named pipe (FIFO), not a regular file"
    _refused(db, db_url, target, expected, capsys, before)


@pytest.mark.parametrize("url", ["foo://host/db", "mysql://user@host/db"])
def test_unsupported_database_url_is_one_line(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", "--db", url]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "databases are not supported" in err[0] and "PostgreSQL" in err[0]


def test_missing_folder_is_not_created(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "no" / "such" / "dir" / "x.db"
    assert main(["stats", "--db", str(target)]) == 1
    assert "the folder" in capsys.readouterr().err and not (tmp_path / "no").exists()


def test_sqlite_uri_makes_no_file_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    file = tmp_path / "made.db"
    assert main(["stats", "--db", str(file)]) == 0
    assert main(["stats", "--db", f"sqlite:///file:{file}?mode=ro&uri=true"]) == 0
    assert list(work.iterdir()) == []
    from storage import open_database

    db = open_database(f"sqlite:///file:{file}?mode=ro&uri=true")
    try:
        assert "uri=true" in db.location
    finally:
        db.close()


def _write(path: Path, records: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_prodigy_answers_counted_and_only_accepted_imported(db, tmp_path: Path) -> None:
    summary = import_paths(db, [_write(tmp_path / "p.jsonl", PRODIGY)])
    assert summary.answers == {"accept": [1, 1], "reject": [1, 2], "ignore": [1, 0]}
    assert (summary.documents_added, summary.annotations_added) == (1, 1)
    assert summary.annotators == {"ds-alice": 1}
    text = "\n".join(summary.lines())
    assert "1 accepted (1 spans), 1 rejected (2 spans), 1 ignored (0 spans)" in text and "--keep-rejected" in text
    [doc] = db.documents.list()
    assert doc.title == "Kept text one."


def test_keep_rejected_stores_them_as_their_own_annotator(db, tmp_path: Path) -> None:
    summary = import_paths(db, [_write(tmp_path / "p.jsonl", PRODIGY)], keep_rejected=True)
    assert summary.documents_added == 3
    assert summary.annotators == {"ds-alice": 1, "ds-alice:rejected": 2}


def test_as_overrides_the_files_annotator_and_summary_says_so(db, db_url: str, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path / "p.jsonl", PRODIGY)
    assert main(["import", str(path), "--db", db_url, "--as", "model-v1"]) == 0
    out = capsys.readouterr().out
    assert "model-v1 1 (--as)" in out
    [doc] = db.documents.list()
    assert [a.annotator for a in db.annotations.for_document(doc.id)] == ["model-v1"]


def test_default_annotator_is_the_files_or_import(db, tmp_path: Path) -> None:
    plain = _write(tmp_path / "d.jsonl", [{"text": "No owner here.", "label": [[0, 2, "factual"]]}])
    summary = import_paths(db, [plain])
    assert summary.annotators == {"import": 1} and "'import' where a line names none" in summary.annotator_source


def test_as_on_native_gives_new_ids_beside_the_original(db, tmp_path: Path) -> None:
    path = tmp_path / "n.jsonl"
    path.write_bytes(native())
    import_paths(db, [path])
    summary = import_paths(db, [path], as_annotator="bob")
    assert summary.annotations_added == 2 and summary.annotators == {"bob": 2}  # the doccano line and the native one
