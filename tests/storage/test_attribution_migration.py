"""Migration 0005 (attribution) on a database with rows at 0004: every row is kept and reads as a claim
without links, corpus search still finds what was there, and the old claims can then be linked."""
from __future__ import annotations

from sqlalchemy import MetaData, insert, select

from storage import AnnotationDraft, SearchFilters, open_database
from storage import migrate
from storage.engine import make_engine
from storage.scheme import install, load_scheme_file

from test_search_migration import ROWS

BEFORE = "0004"
OLD = "00000000-0000-0000-0000-000000000001"


def test_upgrade_to_attribution_keeps_rows_search_and_allows_links(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        migrate.upgrade(engine, BEFORE)
        meta = MetaData()
        meta.reflect(engine)
        with engine.begin() as conn:
            for name, rows in ROWS.items():
                conn.execute(insert(meta.tables[name]), rows)
        with engine.connect() as conn:
            before = [dict(r._mapping) for r in conn.execute(select(meta.tables["annotation"])
                                                             .order_by(meta.tables["annotation"].c.id))]
    finally:
        engine.dispose()
    db = open_database(db_url)
    try:
        assert migrate.current_revision(db.engine) == migrate.head_revision()
        meta = MetaData()
        meta.reflect(db.engine)
        table = meta.tables["annotation"]
        with db.engine.connect() as conn:
            after = [dict(r._mapping) for r in conn.execute(select(table).order_by(table.c.id))]
        assert [{k: row[k] for k in old} for row, old in zip(after, before)] == before
        assert [(r["kind"], r["source_id"], r["cue_id"], r["relay_id"], r["target_id"]) for r in after] == \
            [("claim", None, None, None, None)] * 2
        only = SearchFilters(kind="annotations")
        assert [h.annotation_id for h in db.search.search("transcript", only)] == [OLD]
        with db.sessions.write.begin() as s:  # the test's old scheme has no labels; the shipped one does
            install(s, load_scheme_file(), note="default scheme")
        # The old claim takes a source mention and a cue; search keeps up with the new rows.
        nato = db.annotations.add(AnnotationDraft("d" * 16, 36, 40, kind="mention", actor="NATO",
                                                  note="alliance"), by="alice")
        denied = db.annotations.add(AnnotationDraft("d" * 16, 41, 47, kind="cue"), by="alice")
        linked = db.annotations.edit(OLD, "alice", source_id=nato.id, cue_id=denied.id)
        assert (linked.actor, linked.links()) == ("NATO", {"source": nato.id, "cue": denied.id})
        assert [h.annotation_id for h in db.search.search("allian", only)] == [nato.id]
        assert [h.annotation_id for h in db.search.search("transcript", only)] == [OLD]
    finally:
        db.close()
