"""Every bad input: one clear line naming file (and line), a non-zero exit code, and a database exactly as before."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import MetaData, select

from cli import main
from storage import InputError, import_paths

GOOD = '{"text": "Good line", "label": [[0, 4, "factual"]]}'


def lines(*records: object) -> bytes:
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records).encode("utf-8")


def span(start: object, end: object, label: object = "factual", **extra: object) -> bytes:
    return lines(GOOD, {"text": "The minister said no.", "label": [[start, end, label]], **extra})


def native(**changes: object) -> bytes:
    annotation = {"id": "a1", "annotator": "alice", "start": 4, "end": 12, "quote": "minister", "stance": None,
                  "actor": None, "claim_type": "factual", "target": None, "note": "", "revision": 1}
    record = {"stancemark": 1, "id": "n1", "title": "T", "text": "The minister said no.", "annotations": [annotation]}
    for key, value in changes.items():
        (annotation if key in annotation else record)[key] = value
    return lines(GOOD, record)


# name -> (files to write, which to import ("" = the folder), what the message must say)
CASES: dict[str, tuple[dict[str, bytes], str, str]] = {
    "binary file": ({"a.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00"}, "a.txt", "a.txt: binary file"),
    "invalid utf-8": ({"a.txt": b"Title\nbad \xff byte"}, "a.txt", "a.txt: not UTF-8: byte 0xff at byte position 10"),
    "latin-1": ({"a.txt": "Café au lait".encode("latin-1")}, "a.txt", "byte position 3"),
    "utf-16": ({"a.txt": "Title".encode("utf-16")}, "a.txt", "a.txt: UTF-16"),
    "invalid utf-8 in jsonl": ({"a.jsonl": lines(GOOD) + b'{"text": "\xe9"}\n'}, "a.jsonl", "byte position 62"),
    "empty file": ({"a.txt": b""}, "a.txt", "a.txt: empty file"),
    "blank jsonl": ({"a.jsonl": b"\n  \n\n"}, "a.jsonl", "a.jsonl: empty file"),
    "malformed json on line 3 of 5": ({"a.jsonl": lines(GOOD, GOOD, '{"text": "x", ', GOOD, GOOD)}, "a.jsonl",
                                      "a.jsonl:3: malformed JSON"),
    "span past the end": ({"a.jsonl": span(4, 99)}, "a.jsonl", "a.jsonl:2: span 1 [4, 99): runs past the end"),
    "negative start": ({"a.jsonl": span(-1, 3)}, "a.jsonl", "a.jsonl:2: span 1 [-1, 3): negative start"),
    "reversed span": ({"a.jsonl": span(9, 4)}, "a.jsonl", "a.jsonl:2: span 1 [9, 4): reversed"),
    "empty span": ({"a.jsonl": span(4, 4)}, "a.jsonl", "a.jsonl:2: span 1 [4, 4): reversed or empty"),
    "string offset": ({"a.jsonl": span("4", 9)}, "a.jsonl", "start must be a whole number, not '4'"),
    "float offset": ({"a.jsonl": span(4, 9.0)}, "a.jsonl", "end must be a whole number, not 9.0"),
    "boolean offset": ({"a.jsonl": span(True, 9)}, "a.jsonl", "start must be a whole number, not true"),
    "label not a string": ({"a.jsonl": span(4, 9, 7)}, "a.jsonl", "a.jsonl:2: span 1 [4, 9): the label must be"),
    "null label": ({"a.jsonl": span(4, 9, None)}, "a.jsonl", "the label must be a non-empty string, not null"),
    "doccano entry of two items": ({"a.jsonl": lines({"text": "abc", "label": [[0, 2]]})}, "a.jsonl",
                                   "a.jsonl:1: span 1: expected [start, end, \"LABEL\"]"),
    "quote mismatch (prodigy)": ({"a.jsonl": lines({"text": "The minister said no.", "spans": [
        {"start": 4, "end": 12, "label": "x", "text": "minster"}]})}, "a.jsonl", "a.jsonl:1: span 1 [4, 12): does not match"),
    "quote mismatch (native)": ({"a.jsonl": native(quote="Minister")}, "a.jsonl",
                                "a.jsonl:2: annotation 1 [4, 12): does not match its quoted text"),
    "native sha256 mismatch": ({"a.jsonl": native(sha256="0" * 64)}, "a.jsonl", "a.jsonl:2: 'sha256' does not match"),
    "native annotation without annotator": ({"a.jsonl": native(annotator=None)}, "a.jsonl",
                                            "a.jsonl:2: annotation 1 [4, 12): missing 'annotator'"),
    "native bad time": ({"a.jsonl": native(created_at="yesterday")}, "a.jsonl", "'created_at' is not an ISO 8601 time"),
    "native bad status": ({"a.jsonl": native(status={"alice": "finished"})}, "a.jsonl", "status of 'alice' must be"),
    "unknown extension": ({"a.pdf": b"%PDF-1.4"}, "a.pdf", "a.pdf: unknown file type '.pdf'"),
    "missing text": ({"a.jsonl": lines(GOOD, {"title": "no text"})}, "a.jsonl", "a.jsonl:2: missing 'text'"),
    "text not a string": ({"a.jsonl": lines({"text": ["a"]})}, "a.jsonl", "a.jsonl:1: 'text' must be a string"),
    "non-object line": ({"a.jsonl": lines(GOOD, [1, 2])}, "a.jsonl", "a.jsonl:2: expected a JSON object, not list"),
    "spans not a list": ({"a.jsonl": lines({"text": "abc", "spans": {"start": 0}})}, "a.jsonl", "'spans' must be a list"),
    "meta not an object": ({"a.jsonl": lines({"text": "abc", "meta": "x"})}, "a.jsonl", "'meta' must be an object"),
    "no such file": ({}, "missing.txt", "missing.txt: no such file or directory"),
    "directory of mixed good and bad files": ({"1.txt": b"Good one\n", "2.jsonl": lines(GOOD),
                                               "3.txt": b"caf\xe9\n", "4.txt": b"Also good\n"}, "", "3.txt: not UTF-8"),
}


def dump(db) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    """Every row of every table, to show that a failed import left nothing behind."""
    tables = MetaData()
    tables.reflect(db.engine)
    with db.engine.connect() as conn:
        return {name: sorted(repr(tuple(row)) for row in conn.execute(select(table)))
                for name, table in tables.tables.items()}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_is_refused_with_one_line_and_changes_nothing(db, db_url: str, tmp_path: Path, case: str,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    files, target, expected = CASES[case]
    existing = tmp_path / "existing.jsonl"
    existing.write_bytes(lines({"text": "Already here", "label": [[0, 7, "factual"]]}))
    import_paths(db, [existing], annotator="alice")
    before = dump(db)
    folder = tmp_path / "in"
    folder.mkdir()
    for name, data in files.items():
        (folder / name).write_bytes(data)
    path = folder / target if target else folder

    with pytest.raises(InputError) as raised:
        import_paths(db, [path], annotator="bob")
    message = str(raised.value)
    assert expected in message and "\n" not in message and str(folder) in message
    assert dump(db) == before

    assert main(["import", str(path), "--db", db_url, "--annotator", "bob"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and expected in err[0] and err[0].startswith("stancemark: error:")
    assert dump(db) == before
