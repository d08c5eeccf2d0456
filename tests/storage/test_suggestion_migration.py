"""Migration 0007 (suggestions) on a database with rows at 0005: nothing of them changes, and suggestions can
then be stored, accepted and provenance recorded."""
from __future__ import annotations

from sqlalchemy import MetaData, insert, select

from storage import migrate, open_database
from storage.engine import make_engine
from storage.scheme import install, load_scheme_file

from test_search_migration import ROWS

BEFORE = "0005"


def test_upgrade_to_suggestions_keeps_rows_and_stores_suggestions(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        migrate.upgrade(engine, BEFORE)
        meta = MetaData()
        meta.reflect(engine)
        assert "suggestion" not in meta.tables
        with engine.begin() as conn:
            for name, rows in ROWS.items():
                conn.execute(insert(meta.tables[name]), rows)
        with engine.connect() as conn:
            before = {name: [dict(r._mapping) for r in conn.execute(select(meta.tables[name]).order_by(
                *meta.tables[name].primary_key.columns))] for name in ROWS}
        columns = {name: [c.name for c in meta.tables[name].c] for name in ROWS}  # later revisions add some
    finally:
        engine.dispose()
    db = open_database(db_url)
    try:
        assert migrate.current_revision(db.engine) == migrate.head_revision()
        meta = MetaData()
        meta.reflect(db.engine)
        assert {"suggestion_run", "suggestion", "suggestion_decision", "suggestion_origin"} <= set(meta.tables)
        with db.engine.connect() as conn:
            after = {name: [dict(r._mapping) for r in conn.execute(
                select(*(meta.tables[name].c[c] for c in columns[name])).order_by(
                    *meta.tables[name].primary_key.columns))] for name in ROWS}
        assert after == before
        with db.sessions.write.begin() as s:
            install(s, load_scheme_file(), note="default scheme")
        doc = before["document"][0]["id"]
        summary = db.suggestions.run([doc], by="alice")
        assert summary.computed == 3
        claims = [x for x in db.suggestions.for_document(doc, "alice") if x.kind == "claim"]
        assert claims, db.documents.get(doc).text
        accepted = db.suggestions.accept(claims[0].id, "alice")
        assert db.suggestions.origin(accepted.records[-1].id) == claims[0].id
    finally:
        db.close()
