"""Exports that say only what is true (issue 8): "accept" only for finished work, no untouched documents in the
span formats, gold only where adjudicated, every line joinable back, doccano one line per annotator, honest
counts, unknown filters refused, and never a database overwritten."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from storage import AnnotationDraft, StancemarkError, export_jsonl, import_paths

TEXT = "Lavrov said the talks would fail. Kerry disagreed with him."


@pytest.fixture
def work(db, tmp_path: Path):  # type: ignore[no-untyped-def]
    """Three documents: alice finished "Talks", bob is half way through it (overlapping alice), nobody
    touched "Untouched", and carol marked "Read" done without tagging anything."""
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps({"text": t, "title": n}) + "\n" for n, t in (
        ("Talks", TEXT), ("Untouched", "Nobody read this one."), ("Read", "Nothing to tag here."))), encoding="utf-8")
    import_paths(db, [source])
    docs = {d.title: d.id for d in db.documents.list()}
    talks = docs["Talks"]
    add = db.annotations.add
    add(AnnotationDraft(talks, 0, 6, stance="oppose", claim_type="predictive", id="a-1"), by="alice")
    add(AnnotationDraft(talks, 34, 39, stance="support", claim_type="evaluative", id="a-2"), by="alice")
    add(AnnotationDraft(talks, 0, 11, stance="oppose", claim_type="factual", id="b-1"), by="bob")
    add(AnnotationDraft(talks, 7, 21, claim_type="accusation", id="b-2"), by="bob")
    add(AnnotationDraft(talks, 22, 32, claim_type="denial", id="b-3"), by="bob")
    db.annotations.delete("b-3", "bob")
    db.documents.set_status(talks, "done", by="alice")
    db.documents.set_status(talks, "in_progress", by="bob")
    db.documents.set_status(docs["Read"], "done", by="carol")
    return db, docs


def read(path: Path) -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(line) for line in path.read_text(encoding="utf-8").split("\n") if line]


def test_spans_accept_only_what_the_annotator_marked_done(work, tmp_path: Path) -> None:
    db, docs = work
    summary = export_jsonl(db, "spans", tmp_path / "s.jsonl")
    tasks = read(tmp_path / "s.jsonl")
    assert [(t["meta"]["document_id"], t["_annotator_id"], t["answer"]) for t in tasks] == sorted(
        [(docs["Talks"], "alice", "accept"), (docs["Read"], "carol", "accept")])
    assert next(t for t in tasks if t["_annotator_id"] == "carol")["spans"] == []  # read, nothing to tag
    assert summary.unfinished_left_out == 1 and summary.annotations == 2
    assert any("--include-unfinished" in line for line in summary.lines_text())


def test_unfinished_tasks_on_request_are_ignore_not_accept(work, tmp_path: Path) -> None:
    db, docs = work
    export_jsonl(db, "spans", tmp_path / "s.jsonl", include_unfinished=True, annotators=["bob"])
    (task,) = read(tmp_path / "s.jsonl")
    assert (task["answer"], task["meta"]["status"], task["meta"]["annotator"]) == ("ignore", "in_progress", "bob")
    assert [s["id"] for s in task["spans"]] == ["b-1", "b-2"]


@pytest.mark.parametrize("fmt", ["spans", "doccano"])
def test_documents_nobody_selected_touched_are_left_out_unless_asked(work, tmp_path: Path, fmt: str) -> None:
    db, docs = work
    summary = export_jsonl(db, fmt, tmp_path / "x.jsonl", annotators=["alice"], include_unfinished=True)
    ids = {line.get("document_id") or line.get("meta", {}).get("document_id") for line in read(tmp_path / "x.jsonl")}
    assert ids == {docs["Talks"]} and summary.empty_left_out == 2
    export_jsonl(db, fmt, tmp_path / "y.jsonl", annotators=["alice"], include_empty=True, include_unfinished=True)
    lines = read(tmp_path / "y.jsonl")
    assert len(lines) == 3
    empty = [line for line in lines if (line.get("status") or line.get("meta", {}).get("status")) == "untouched"]
    assert len(empty) == 2 and all(line.get("answer", "ignore") == "ignore" for line in empty)


def test_every_line_names_document_annotator_and_status(work, tmp_path: Path) -> None:
    db, docs = work
    export_jsonl(db, "flat", tmp_path / "f.jsonl")
    rows = {r["id"]: r for r in read(tmp_path / "f.jsonl")}
    assert set(rows) == {"a-1", "a-2", "b-1", "b-2"}
    assert (rows["a-1"]["document_id"], rows["a-1"]["annotator"], rows["a-1"]["status"]) == (
        docs["Talks"], "alice", "done")
    assert rows["b-1"]["status"] == "in_progress"
    export_jsonl(db, "doccano", tmp_path / "d.jsonl")
    assert {(x["document_id"], x["annotator"], x["status"]) for x in read(tmp_path / "d.jsonl")} == {
        (docs["Talks"], "alice", "done"), (docs["Talks"], "bob", "in_progress"), (docs["Read"], "carol", "done")}


def doccano_keeps(labels: list[list]) -> list[list]:  # type: ignore[type-arg]
    """doccano's documented import rule for a project without "Allow overlapping spans" (Spans.clean): sorted by
    start, a span is kept only if it starts at or after the end of the last span kept."""
    kept, last_end = [], -1
    for label in sorted(labels, key=lambda x: x[0]):
        if label[0] >= last_end:
            kept.append(label)
            last_end = label[1]
    return kept


def test_doccano_one_line_per_annotator_keeps_every_span_through_doccanos_rule(db, tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"text": TEXT, "title": "Talks"}) + "\n", encoding="utf-8")
    import_paths(db, [source])
    (doc,) = [d.id for d in db.documents.list()]
    for who, bounds in (("alice", [(0, 6), (34, 39)]), ("bob", [(0, 11), (12, 21)]), ("carol", [(4, 14)])):
        for start, end in bounds:
            db.annotations.add(AnnotationDraft(doc, start, end, claim_type="factual"), by=who)
    summary = export_jsonl(db, "doccano", tmp_path / "d.jsonl")
    lines = read(tmp_path / "d.jsonl")
    assert [x["annotator"] for x in lines] == ["alice", "bob", "carol"]
    assert sum(len(doccano_keeps(x["label"])) for x in lines) == 5 == summary.annotations
    assert not any("overlap" in line for line in summary.lines_text())
    merged = export_jsonl(db, "doccano", tmp_path / "m.jsonl", merge=True)
    (line,) = read(tmp_path / "m.jsonl")
    assert len(line["label"]) == 5 and len(doccano_keeps(line["label"])) == 3  # why --merge warns
    assert any("drops" in text for text in merged.lines_text())


def test_native_summary_counts_live_annotations_and_names_the_deleted(work, tmp_path: Path) -> None:
    db, _ = work
    summary = export_jsonl(db, "native", tmp_path / "n.jsonl")
    assert sum(len(x["annotations"]) for x in read(tmp_path / "n.jsonl")) == 5  # history kept in the file
    assert (summary.annotations, summary.deleted_carried) == (4, 1)
    assert "exported 3 documents, 4 annotations" in summary.lines_text()[0]


def test_gold_with_native_is_refused_not_ignored(work, tmp_path: Path) -> None:
    db, _ = work
    with pytest.raises(StancemarkError, match="--gold"):
        export_jsonl(db, "native", tmp_path / "n.jsonl", gold=True)
    assert not (tmp_path / "n.jsonl").exists()


@pytest.mark.parametrize("options,match", [({"document_ids": ["NOSUCHID"]}, "no document with id 'NOSUCHID'"),
                                           ({"annotators": ["nobody"]}, "no annotator named 'nobody'"),
                                           ({"annotators": ["alice", "nobdy"]}, "'nobdy'")])
def test_a_filter_that_names_nothing_is_refused(work, tmp_path: Path, options: dict, match: str) -> None:  # type: ignore[type-arg]
    db, _ = work
    with pytest.raises(StancemarkError, match=match):
        export_jsonl(db, "flat", tmp_path / "f.jsonl", **options)
    assert not (tmp_path / "f.jsonl").exists()


def test_export_files_get_the_users_umask_not_0600(work, tmp_path: Path) -> None:
    db, _ = work
    old = os.umask(0o022)
    try:
        export_jsonl(db, "flat", tmp_path / "f.jsonl")
        assert (tmp_path / "f.jsonl").stat().st_mode & 0o777 == 0o644
        os.umask(0o002)
        export_jsonl(db, "flat", tmp_path / "g.jsonl")
        assert (tmp_path / "g.jsonl").stat().st_mode & 0o777 == 0o664
    finally:
        os.umask(old)
    (tmp_path / "f.jsonl").chmod(0o640)
    export_jsonl(db, "flat", tmp_path / "f.jsonl")  # replacing a file keeps its permissions
    assert (tmp_path / "f.jsonl").stat().st_mode & 0o777 == 0o640


def test_an_export_never_writes_over_a_sqlite_database(work, tmp_path: Path) -> None:
    db, _ = work
    other = tmp_path / "other.db"
    import sqlite3

    con = sqlite3.connect(other)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    before = other.read_bytes()
    with pytest.raises(StancemarkError, match="other.db: is a SQLite database"):
        export_jsonl(db, "flat", other)
    assert other.read_bytes() == before
    for companion in ("other.db-wal", "other.db-journal"):
        with pytest.raises(StancemarkError, match="belongs to the SQLite database other.db"):
            export_jsonl(db, "flat", tmp_path / companion)
        assert not (tmp_path / companion).exists()


def test_an_export_never_writes_over_the_open_database_or_its_companions(sqlite_path: str, tmp_path: Path) -> None:
    from storage import open_database

    db = open_database(sqlite_path)
    try:
        db.annotations  # noqa: B018 (the database is open and in use)
        before = Path(sqlite_path).read_bytes()
        for target in (sqlite_path, sqlite_path + "-wal", sqlite_path + "-shm", sqlite_path + "-journal",
                       str(Path(sqlite_path).parent / "." / Path(sqlite_path).name)):
            with pytest.raises(StancemarkError, match="open database"):
                export_jsonl(db, "flat", target)
        assert Path(sqlite_path).read_bytes() == before
        assert db.documents.count() == 0  # still a working database
    finally:
        db.close()


def test_an_unwritable_target_is_named_not_a_temporary_file(work, tmp_path: Path) -> None:
    db, _ = work
    with pytest.raises(StancemarkError, match=f"^{tmp_path}: is a directory"):
        export_jsonl(db, "flat", tmp_path)
    if os.geteuid() != 0 or Path("/proc/version").exists():
        with pytest.raises(StancemarkError, match=r"^/proc/version: cannot write the export there") as caught:
            export_jsonl(db, "flat", "/proc/version")
        assert ".tmp" not in str(caught.value)


def test_a_pipe_is_written_directly_not_replaced(work, tmp_path: Path) -> None:
    """A FIFO (or a device such as /dev/null) cannot be replaced by a renamed file: it is written into. A FIFO
    in tmp_path, not /dev/null: code with the old behaviour run as root would replace the device itself."""
    import stat
    import threading

    db, _ = work
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    try:
        summary = export_jsonl(db, "flat", fifo)
    finally:
        if reader.is_alive():  # unblock the reader if the export never opened the pipe
            try:  # non-blocking: the reader may close the pipe between the check and this open (no reader: ENXIO)
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
            except OSError:
                pass
        reader.join(10)
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert summary.lines == 4 and received and received[0].count(b"\n") == 4


@pytest.fixture
def in_review(db, tmp_path: Path):  # type: ignore[no-untyped-def]
    """Four units in "Talks": one accepted, one rejected, two still undecided; "Quiet" nobody annotated."""
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"text": TEXT, "title": "Talks"}) + "\n"
                      + json.dumps({"text": "A quiet day.", "title": "Quiet"}) + "\n", encoding="utf-8")
    import_paths(db, [source])
    docs = {d.title: d.id for d in db.documents.list()}
    doc = docs["Talks"]
    db.annotators.ensure("rita", role="reviewer")
    add = db.annotations.add
    for who in ("alice", "bob"):
        add(AnnotationDraft(doc, 0, 6, stance="oppose", claim_type="factual"), by=who)
    differ = [add(AnnotationDraft(doc, 7, 11, stance="oppose"), by="alice"),
              add(AnnotationDraft(doc, 7, 11, stance="neutral"), by="bob")]
    lonely = add(AnnotationDraft(doc, 12, 21, claim_type="policy"), by="bob")
    add(AnnotationDraft(doc, 34, 39, claim_type="denial"), by="alice")
    db.review.accept(differ[1].id, by="rita")
    db.review.reject(lonely.id, by="rita", rationale="no claim here")
    return db, docs


def test_gold_lines_only_for_adjudicated_documents_with_undecided_units(in_review, tmp_path: Path) -> None:
    db, docs = in_review
    summary = export_jsonl(db, "spans", tmp_path / "g.jsonl", gold=True, label="stance")
    assert read(tmp_path / "g.jsonl") == [] and summary.unreviewed_left_out == 2
    assert any("--include-unreviewed" in line for line in summary.lines_text())

    export_jsonl(db, "spans", tmp_path / "g.jsonl", gold=True, label="stance", include_unreviewed=True)
    (task,) = read(tmp_path / "g.jsonl")  # "Quiet": nobody annotated or reviewed it, so not even now
    assert task["answer"] == "ignore"
    assert (task["meta"]["review_status"], task["meta"]["undecided_units"]) == ("in_review", 2)
    assert (task["meta"]["document_id"], task["meta"]["source_annotators"], task["meta"]["reviewers"]) == (
        docs["Talks"], ["bob"], ["rita"])
    assert [s["label"] for s in task["spans"]] == ["neutral"]

    db.review.set_status(docs["Talks"], "adjudicated", by="rita")
    for fmt in ("spans", "doccano", "flat"):
        export_jsonl(db, fmt, tmp_path / f"{fmt}.jsonl", gold=True, label="stance")
        lines = read(tmp_path / f"{fmt}.jsonl")
        assert lines and all(x.get("meta", x)["review_status"] == "adjudicated" for x in lines)
        assert all(x.get("meta", x)["undecided_units"] == 2 for x in lines)
        assert all(x.get("meta", x)["document_id"] == docs["Talks"] for x in lines)
    assert read(tmp_path / "spans.jsonl")[0]["answer"] == "accept"
    assert read(tmp_path / "flat.jsonl")[0]["source_annotators"] == ["bob"]
