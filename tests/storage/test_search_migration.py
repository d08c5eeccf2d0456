"""Migration 0004 on a database with rows: the full-text tables (SQLite) or indexes (PostgreSQL) cover what
was written before the upgrade, and the triggers keep SQLite's tables in step afterwards."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import MetaData, insert

from storage import AnnotationDraft, SearchFilters, open_database
from storage import migrate
from storage.engine import make_engine

BEFORE = "0002"
T0 = datetime(2025, 3, 1, 9, 30, tzinfo=timezone.utc)
TEXT = "Lavrov said the talks would resume. NATO denied it."
ROWS = {
    "label_scheme": [{"version": 1, "body": {"name": "old", "stance": {"values": []}, "claim_types": []},
                      "note": "first", "created_at": T0}],
    "document": [{"id": "d" * 16, "title": "Geneva talks", "source": "wire", "text": TEXT, "sha256": "a" * 64,
                  "meta": {}, "created_at": T0}],
    "annotator": [{"id": 1, "name": "alice", "role": "annotator", "created_at": T0}],
    "actor": [{"id": 1, "name": "Sergei Lavrov", "kind": "person", "merged_into_id": None, "created_at": T0}],
    "actor_alias": [{"id": 1, "actor_id": 1, "alias": "Russian FM"}],
    "annotation": [{"id": f"00000000-0000-0000-0000-00000000000{i}", "document_id": "d" * 16, "annotator_id": 1,
                    "start": 36, "end": 51, "quote": "NATO denied it.", "stance": "oppose", "actor_id": 1,
                    "claim_type": "denial", "target": "enlargement", "note": f"note {i} transcript",
                    "scheme_version": 1, "revision": 1, "created_at": T0, "updated_at": T0,
                    "deleted_at": T0 if i == 2 else None} for i in (1, 2)],
}


def test_upgrade_indexes_rows_written_before_it(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        migrate.upgrade(engine, BEFORE)
        meta = MetaData()
        meta.reflect(engine)
        with engine.begin() as conn:
            for name, rows in ROWS.items():
                conn.execute(insert(meta.tables[name]), rows)
    finally:
        engine.dispose()
    db = open_database(db_url)
    try:
        assert migrate.current_revision(db.engine) == migrate.head_revision()
        assert [(h.field, h.start, h.end) for h in db.search.search("Lavr", SearchFilters(kind="documents"))] \
            == [("text", 0, 6)]
        assert [h.field for h in db.search.search("genev")] == ["title"]
        only = SearchFilters(kind="annotations")
        found = db.search.search("transcript", only)
        assert [(h.annotation_id, h.field, h.start, h.end) for h in found] == \
            [("00000000-0000-0000-0000-000000000001", "note", 36, 51)]  # the deleted one stays out
        assert [h.field for h in db.search.search("russian", only)] == ["actor"]
        # rows written after the upgrade are found too
        added = db.annotations.add(AnnotationDraft("d" * 16, 16, 21, note="resumption"), by="alice")
        assert [h.annotation_id for h in db.search.search("resumpt", only)] == [added.id]
    finally:
        db.close()
