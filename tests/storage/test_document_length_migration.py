"""Migration 0009 on a database with rows written at the revision before it: every row kept, each document's
stored length is its text's length in code points, the document list reads its rows and its claim counts from
the new indexes and shows the same counts (live claims only, per annotator and for everyone), the corpus search
still finds the texts (the rowids it is keyed by kept), and a downgrade puts revision 0008 back."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import inspect

from storage import import_paths, migrate, open_database
from storage.engine import make_engine

# doc0: alice 2 live claims (and a deleted one and a mention), bob 1; doc1: bob 1; doc2: none
from test_document_counts_migration import T0, downgrade, dump_rows, write_counted_rows

PREVIOUS = "0008"
LATER = ("text_length",)  # left out of the rows compared before and after: 0009 adds it
# Code points, not bytes or UTF-16 units: an emoji is one, a combining accent one more.
TEXTS = ["Lavrov said the talks would resume. NATO denied it.", "Négociations à Genève 🙂 e\u0301 fin", ""]
INDEX, COUNTS, OLD_COUNTS = "ix_document_list", "ix_annotation_claim_counts", "ix_annotation_document_counts"


def _document(n: int, text: str) -> dict[str, Any]:
    return {"id": f"doc{n}", "title": f"Article {n}", "source": "wire", "text": text, "sha256": f"{n}" * 64,
            "meta": {}, "created_at": T0 + timedelta(minutes=n)}


def _document_columns_and_indexes(engine: Any) -> tuple[set[str], set[str]]:
    found = inspect(engine)
    return ({c["name"] for c in found.get_columns("document")},
            {i["name"] for i in found.get_indexes("document") if i["name"]})


def test_upgrade_to_0009_fills_every_length_and_lists_from_the_new_index(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        migrate.upgrade(engine, PREVIOUS)
        write_counted_rows(engine, [_document(n, t) for n, t in enumerate(TEXTS)])
        tables = ["document", "label_scheme", "annotator", "annotation"]
        before = dump_rows(engine, tables, LATER)
        columns, indexes = _document_columns_and_indexes(engine)
        assert "text_length" not in columns and INDEX not in indexes
    finally:
        engine.dispose()
    db = open_database(db_url)
    try:
        assert migrate.current_revision(db.engine) == migrate.head_revision()
        assert dump_rows(db.engine, tables, LATER) == before
        columns, indexes = _document_columns_and_indexes(db.engine)
        assert "text_length" in columns and INDEX in indexes
        assert [(d.id, d.length) for d in db.documents.list()] == [("doc0", 51), ("doc1", 30), ("doc2", 0)]
        counting = {i["name"] for i in inspect(db.engine).get_indexes("annotation")}
        assert COUNTS in counting and OLD_COUNTS not in counting
        assert {d.id: d.annotation_count for d in db.documents.list(annotator="alice")} == {"doc0": 2, "doc1": 0,
                                                                                            "doc2": 0}
        assert {d.id: d.annotation_count for d in db.documents.list()} == {"doc0": 3, "doc1": 1, "doc2": 0}
        assert [(d.id, d.annotation_count) for d in db.documents.list(annotator="bob", ids=["doc1"])] == [("doc1", 1)]
        assert [h.document_id for h in db.search.search("Genève")] == ["doc1"]  # the search index still fits
        if db.is_sqlite:  # the list's rows come from the index alone, not from the rows that hold the texts
            with db.engine.connect() as conn:
                plan = " ".join(str(r[-1]) for r in conn.exec_driver_sql(
                    "EXPLAIN QUERY PLAN SELECT id, title, source, text_length FROM document "
                    "ORDER BY created_at, title, id"))
            assert f"COVERING INDEX {INDEX}" in plan, plan
            with db.engine.connect() as conn:  # one annotator's claims are counted from their index entries alone
                plan = " ".join(str(r[-1]) for r in conn.exec_driver_sql(
                    "EXPLAIN QUERY PLAN SELECT document_id, count(*) FROM annotation WHERE deleted_at IS NULL "
                    "AND kind = ? AND annotator_id = ? GROUP BY annotator_id, document_id", ("claim", 1)))
            assert f"COVERING INDEX {COUNTS} (kind=? AND deleted_at=? AND annotator_id=?)" in plan, plan
        migrate_down = make_engine(db_url)
        try:
            downgrade(migrate_down, PREVIOUS)
            assert migrate.current_revision(migrate_down) == PREVIOUS
            assert _document_columns_and_indexes(migrate_down)[0] == columns - {"text_length"}
            assert INDEX not in _document_columns_and_indexes(migrate_down)[1]
            counting = {i["name"] for i in inspect(migrate_down).get_indexes("annotation")}
            assert OLD_COUNTS in counting and COUNTS not in counting
            assert dump_rows(migrate_down, tables, LATER) == before
        finally:
            migrate_down.dispose()
    finally:
        db.close()


def test_every_writer_stores_the_length_of_the_text(db_url: str, tmp_path: Any) -> None:
    """The importer's bulk rows and an insert through the table both write it; the list says what len() says."""
    from sqlalchemy import insert as insert_row

    from storage.tables import Document

    path = tmp_path / "notes.txt"
    path.write_text(TEXTS[1], encoding="utf-8")
    db = open_database(db_url)
    try:
        import_paths(db, [path])
        with db.sessions.write.begin() as s:
            s.execute(insert_row(Document).values(id="raw", title="Written by hand", source="", text=TEXTS[0],
                                                  sha256="f" * 64, meta={}))
        lengths = {d.title: d.length for d in db.documents.list()}
        assert lengths == {"Négociations à Genève 🙂 e\u0301 fin": len(TEXTS[1]), "Written by hand": len(TEXTS[0])}
    finally:
        db.close()
