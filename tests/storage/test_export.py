"""Export formats, filters, escaping and atomic writing; the native format imports back losslessly."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text as sql

from storage import AnnotationDraft, StancemarkError, export_jsonl, import_paths, open_database

TEXT = "Lavrov said\u2028the talks\u2029would fail\x85. Kerry 👍🏽 disagreed."


@pytest.fixture
def filled(db, tmp_path: Path):  # type: ignore[no-untyped-def]
    """Two documents; alice and bob annotate the first, alice marks it done, one of bob's is deleted."""
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"text": TEXT, "title": "Talks"}) + "\n"
                      + json.dumps({"text": "Second article.", "title": "Other"}) + "\n", encoding="utf-8")
    import_paths(db, [source])
    docs = {d.title: d.id for d in db.documents.list()}
    first = docs["Talks"]
    db.actors.create("Sergei Lavrov", kind="person", aliases=("Lavrov",))
    kerry = TEXT.index("Kerry")
    db.annotations.add(AnnotationDraft(first, 0, 6, stance="oppose", actor="Lavrov", claim_type="predictive",
                                       target="the talks", note="quoted", id="a-1"), by="alice")
    db.annotations.add(AnnotationDraft(first, kerry, kerry + 8, stance="support", id="a-2"), by="alice")
    db.annotations.add(AnnotationDraft(first, kerry, kerry + 5, claim_type="factual", id="b-1"), by="bob")
    db.annotations.add(AnnotationDraft(first, 7, 11, claim_type="denial", id="b-2"), by="bob")
    db.annotations.delete("b-2", "bob")
    db.documents.set_status(first, "done", by="alice")
    return db, docs


def read(path: Path) -> list[dict]:  # type: ignore[type-arg]
    raw = path.read_text(encoding="utf-8")
    assert len(raw.splitlines()) == raw.count("\n"), "a record was split by a line break character"
    return [json.loads(line) for line in raw.split("\n") if line]


def test_doccano_has_text_and_labels_of_the_chosen_attribute(filled, tmp_path: Path) -> None:
    db, docs = filled
    summary = export_jsonl(db, "doccano", tmp_path / "d.jsonl", label="claim_type")
    kerry = TEXT.index("Kerry")
    assert read(tmp_path / "d.jsonl") == [{"text": TEXT, "label": [[0, 6, "predictive"], [kerry, kerry + 5, "factual"]]},
                                          {"text": "Second article.", "label": []}]
    assert (summary.documents, summary.annotations, summary.unlabelled_skipped) == (2, 2, 1)


def test_spans_has_one_task_per_annotator_with_every_attribute(filled, tmp_path: Path) -> None:
    db, docs = filled
    export_jsonl(db, "spans", tmp_path / "s.jsonl", label="stance")
    first, second, third = read(tmp_path / "s.jsonl")
    assert (first["_annotator_id"], second["_annotator_id"], first["answer"]) == ("alice", "bob", "accept")
    assert [s["label"] for s in first["spans"]] == ["oppose", "support"] and second["spans"] == []
    assert first["spans"][0] == {"start": 0, "end": 6, "label": "oppose", "text": "Lavrov", "id": "a-1",
                                 "stance": "oppose", "actor": "Sergei Lavrov", "claim_type": "predictive",
                                 "target": "the talks", "note": "quoted"}
    assert first["meta"] == {"document_id": docs["Talks"], "title": "Talks", "source": first["meta"]["source"]}
    assert third["spans"] == [] and "_annotator_id" not in third


def test_flat_has_one_line_per_live_annotation(filled, tmp_path: Path) -> None:
    db, docs = filled
    export_jsonl(db, "flat", tmp_path / "f.jsonl")
    rows = read(tmp_path / "f.jsonl")
    assert sorted(r["id"] for r in rows) == ["a-1", "a-2", "b-1"]
    for r in rows:
        assert TEXT[r["start"]:r["end"]] == r["quote"] and r["document_id"] == docs["Talks"]
        assert r["created_at"].endswith("+00:00")


def test_native_carries_deleted_annotations_statuses_actors_and_roles(filled, tmp_path: Path) -> None:
    db, docs = filled
    export_jsonl(db, "native", tmp_path / "n.jsonl")
    talks = next(line for line in read(tmp_path / "n.jsonl") if line["id"] == docs["Talks"])
    assert {a["id"] for a in talks["annotations"]} == {"a-1", "a-2", "b-1", "b-2"}
    assert next(a for a in talks["annotations"] if a["id"] == "b-2")["deleted_at"] is not None
    assert talks["status"]["alice"]["status"] == "done"
    assert talks["actors"] == {"Sergei Lavrov": {"kind": "person", "aliases": ["Lavrov"]}}
    assert talks["annotators"] == {"alice": "annotator", "bob": "annotator"}


def test_native_round_trip_is_lossless(filled, tmp_path: Path) -> None:
    db, _ = filled
    export_jsonl(db, "native", tmp_path / "one.jsonl")
    other = open_database(tmp_path / "other.db")
    try:
        summary = import_paths(other, [tmp_path / "one.jsonl"])
        assert (summary.documents_added, summary.annotations_added) == (2, 4)
        export_jsonl(other, "native", tmp_path / "two.jsonl")
        assert (tmp_path / "two.jsonl").read_text(encoding="utf-8") == (tmp_path / "one.jsonl").read_text(encoding="utf-8")
        again = import_paths(other, [tmp_path / "one.jsonl"])
        assert (again.documents_added, again.annotations_added, again.annotations_skipped) == (0, 0, 4)
    finally:
        other.close()


def test_line_separators_are_escaped(filled, tmp_path: Path) -> None:
    db, _ = filled
    export_jsonl(db, "native", tmp_path / "n.jsonl")
    raw = (tmp_path / "n.jsonl").read_text(encoding="utf-8")
    assert "\u2028" not in raw and "\u2029" not in raw and "\x85" not in raw
    assert "\\u2028" in raw and "\\u2029" in raw and "\\u0085" in raw and "👍🏽" in raw


@pytest.mark.parametrize("options,expected", [
    ({"annotators": ["bob"]}, {"b-1"}),
    ({"annotators": ["alice", "bob"]}, {"a-1", "a-2", "b-1"}),
    ({"status": "done"}, {"a-1", "a-2"}),
    ({"status": "done", "annotators": ["bob"]}, set()),
])
def test_filters_by_annotator_and_status(filled, tmp_path: Path, options: dict, expected: set) -> None:  # type: ignore[type-arg]
    db, _ = filled
    export_jsonl(db, "flat", tmp_path / "f.jsonl", **options)
    assert {r["id"] for r in read(tmp_path / "f.jsonl")} == expected


def test_filter_by_document(filled, tmp_path: Path) -> None:
    db, docs = filled
    summary = export_jsonl(db, "doccano", tmp_path / "d.jsonl", document_ids=[docs["Other"]])
    assert summary.documents == 1 and read(tmp_path / "d.jsonl") == [{"text": "Second article.", "label": []}]


def test_a_corrupted_quote_stops_the_export_and_leaves_the_old_file(filled, tmp_path: Path) -> None:
    db, _ = filled
    target = tmp_path / "keep.jsonl"
    target.write_text("previous export\n", encoding="utf-8")
    with db.engine.begin() as conn:
        conn.execute(sql("UPDATE annotation SET quote = 'Lavrow' WHERE id = 'a-1'"))
    with pytest.raises(StancemarkError, match="a-1.*does not match"):
        export_jsonl(db, "flat", target)
    assert target.read_text(encoding="utf-8") == "previous export\n"
    assert sorted(p.name for p in tmp_path.iterdir() if "keep" in p.name) == ["keep.jsonl"]


def test_dash_writes_to_stdout_and_progress_reaches_the_total(filled, capsys: pytest.CaptureFixture[str]) -> None:
    db, _ = filled
    calls: list[tuple[int, int]] = []
    export_jsonl(db, "doccano", "-", progress=lambda done, total: calls.append((done, total)))
    assert len(capsys.readouterr().out.strip().split("\n")) == 2
    assert calls[-1] == (2, 2)


@pytest.mark.parametrize("options", [{"fmt": "xlsx"}, {"label": "colour"}, {"status": "finished"}])
def test_bad_options_are_refused(filled, tmp_path: Path, options: dict) -> None:  # type: ignore[type-arg]
    db, _ = filled
    args = {"fmt": "flat", **options}
    with pytest.raises(StancemarkError):
        export_jsonl(db, args.pop("fmt"), tmp_path / "x.jsonl", **args)
    assert not (tmp_path / "x.jsonl").exists()


def test_documents_with_ids_in_any_collation_keep_their_annotations(db, tmp_path: Path) -> None:
    """Native ids may be any text; PostgreSQL sorts them by locale, Python by code point: nothing may drop."""
    ids = ["b-x", "B_y", "a.z", "A-1", "ä", "Z 9"]
    source = tmp_path / "ids.jsonl"
    source.write_text("".join(json.dumps({"stancemark": 1, "id": i, "text": f"Text of {i}", "annotations": [
        {"annotator": "alice", "start": 0, "end": 4, "quote": "Text", "claim_type": "factual"}]}) + "\n"
        for i in ids), encoding="utf-8")
    import_paths(db, [source])
    summary = export_jsonl(db, "flat", tmp_path / "f.jsonl")
    assert summary.annotations == len(ids)
    assert sorted(r["document_id"] for r in read(tmp_path / "f.jsonl")) == sorted(ids)
