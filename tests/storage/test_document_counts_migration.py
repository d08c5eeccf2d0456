"""Migration 0008 on a database with rows written at the revision before it: every row kept, the document list's
counting index in place and read alone for the count, and a downgrade takes the index away again. (Revision
0009 replaces the index; tests/storage/test_document_length_migration.py checks the counts the list shows.)"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, inspect, insert, select, text

from storage import migrate
from storage.engine import make_engine

PREVIOUS = ScriptDirectory.from_config(migrate.alembic_config()).get_revision("0008").down_revision
T0 = datetime(2025, 3, 1, 9, 30, tzinfo=timezone.utc)
TEXT = "Lavrov said the talks would resume. NATO denied it."
INDEX = "ix_annotation_document_counts"


def _document(n: int) -> dict[str, Any]:
    return {"id": f"doc{n}", "title": f"Article {n}", "source": "wire", "text": TEXT, "sha256": f"{n}" * 64,
            "meta": {}, "created_at": T0}


def _annotation(n: int, document: str, annotator: int, kind: str = "claim", deleted: bool = False) -> dict[str, Any]:
    return {"id": f"00000000-0000-0000-0000-{n:012d}", "document_id": document, "annotator_id": annotator,
            "start": 0, "end": 6, "quote": "Lavrov", "stance": None, "actor_id": None, "claim_type": "factual",
            "target": None, "note": "", "scheme_version": 1, "revision": 1, "kind": kind, "created_at": T0,
            "updated_at": T0, "deleted_at": T0 if deleted else None}


# doc0: alice 2 live claims, a deleted claim and a mention; bob 1 claim. doc1: bob 1 claim. doc2: nothing.
ANNOTATIONS = [_annotation(1, "doc0", 1), _annotation(2, "doc0", 1), _annotation(3, "doc0", 1, deleted=True),
               _annotation(4, "doc0", 1, kind="mention"), _annotation(5, "doc0", 2), _annotation(6, "doc1", 2)]


def write_counted_rows(engine: Any, documents: list[dict[str, Any]]) -> None:
    """A scheme, `documents` (doc0-doc2), alice and bob, and ANNOTATIONS, written with the schema as it is."""
    meta = MetaData()
    meta.reflect(engine)
    with engine.begin() as conn:
        conn.execute(insert(meta.tables["label_scheme"]),
                     [{"version": 1, "body": {"name": "old"}, "note": "first", "created_at": T0}])
        conn.execute(insert(meta.tables["document"]), documents)
        conn.execute(insert(meta.tables["annotator"]),
                     [{"id": 1, "name": "alice", "role": "annotator", "created_at": T0},
                      {"id": 2, "name": "bob", "role": "annotator", "created_at": T0}])
        conn.execute(insert(meta.tables["annotation"]), ANNOTATIONS)
        if conn.dialect.name == "postgresql":  # rows went in with their ids: move the sequence past them
            conn.execute(text("SELECT setval(pg_get_serial_sequence('annotator', 'id'), 10)"))


def downgrade(engine: Any, revision: str) -> None:
    """Takes the schema back to `revision` through the revisions' own downgrades."""
    config = migrate.alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, revision)


def dump_rows(engine: Any, tables: list[str], skip: tuple[str, ...] = ()) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of `tables`, sorted, without the columns named in `skip` (those a later revision adds)."""
    meta = MetaData()
    meta.reflect(engine, only=tables)
    with engine.connect() as conn:
        return {t: sorted(tuple(r) for r in conn.execute(select(*(c for c in meta.tables[t].c if c.name not in skip))))
                for t in tables}


def _indexes(engine: Any) -> set[str]:
    return {i["name"] for i in inspect(engine).get_indexes("annotation")}


def test_upgrade_to_0008_keeps_every_row_and_counts_from_the_new_index(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        migrate.upgrade(engine, PREVIOUS)
        write_counted_rows(engine, [_document(n) for n in range(3)])
        tables = ["document", "annotator", "annotation", "label_scheme"]
        before = dump_rows(engine, tables)
        assert INDEX not in _indexes(engine)
    finally:
        engine.dispose()
    engine = make_engine(db_url)
    try:
        migrate.upgrade(engine, "0008")
        assert migrate.current_revision(engine) == "0008"
        assert dump_rows(engine, tables) == before
        assert INDEX in _indexes(engine)
        if engine.dialect.name == "sqlite":  # the count is read from the index alone, not from the annotation rows
            with engine.connect() as conn:
                plan = " ".join(str(r[-1]) for r in conn.exec_driver_sql(
                    "EXPLAIN QUERY PLAN SELECT document_id, count(*) FROM annotation WHERE deleted_at IS NULL "
                    "AND kind = ? AND annotator_id = ? GROUP BY document_id", ("claim", 1)))
            assert f"COVERING INDEX {INDEX}" in plan, plan
        downgrade(engine, PREVIOUS)
        assert migrate.current_revision(engine) == PREVIOUS
        assert INDEX not in _indexes(engine)
        assert dump_rows(engine, tables) == before
    finally:
        engine.dispose()
