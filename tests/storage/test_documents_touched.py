"""DocumentService.touched_since and list(ids=...): how an open window learns of documents others added."""
from __future__ import annotations

from pathlib import Path

from storage import AnnotationDraft, Database
from storage.importers import import_paths


def test_touched_since_names_imported_documents_and_status_changes(db: Database, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("First article\n\nBody one.\n", encoding="utf-8")
    import_paths(db, [tmp_path / "a.txt"])
    mark = db.annotations.latest_event_id()
    assert db.documents.touched_since(mark) == {}
    (tmp_path / "b.txt").write_text("Second article\n\nBody two.\n", encoding="utf-8")
    import_paths(db, [tmp_path / "b.txt"])
    first, second = (d.id for d in db.documents.list())
    db.documents.set_status(first, "done", by="alice")
    assert db.documents.touched_since(mark) == {second: frozenset({"import"}), first: frozenset({"status"})}
    latest = db.annotations.latest_event_id()
    assert db.documents.touched_since(mark, latest - 1) == {second: frozenset({"import"})}


def test_list_of_some_ids_matches_the_full_list(db: Database, tmp_path: Path) -> None:
    for n in range(3):
        (tmp_path / f"{n}.txt").write_text(f"Article {n}\n\nBody {n}.\n", encoding="utf-8")
    import_paths(db, [tmp_path])
    everything = db.documents.list(annotator="alice")
    db.annotations.add(AnnotationDraft(everything[1].id, 0, 7), by="alice")
    everything = db.documents.list(annotator="alice")
    wanted = {everything[1].id, everything[2].id}
    assert db.documents.list(annotator="alice", ids=wanted) == [d for d in everything if d.id in wanted]
    assert db.documents.list(annotator="alice", ids=set()) == []
