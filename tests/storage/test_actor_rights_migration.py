"""Migration 0006 on a database with rows written at the revision before it: every row kept, the Actors view's
index in place, the registry usable (overview, merge and its undo); on PostgreSQL the reviewers' functions and
the actor triggers installed, and a downgrade takes them away again."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, inspect, insert, text

from storage import migrate, open_database
from storage.engine import make_engine

from test_document_counts_migration import dump_rows

PREVIOUS = ScriptDirectory.from_config(migrate.alembic_config()).get_revision("0006").down_revision
T0 = datetime(2025, 3, 1, 9, 30, tzinfo=timezone.utc)
LATER = ("text_length",)  # revision 0009 adds it to the document rows compared before and after
TEXT = "Lavrov said the talks would resume. NATO denied it."
ROWS: dict[str, list[dict[str, Any]]] = {
    "document": [{"id": "d" * 16, "title": "Geneva talks", "source": "wire", "text": TEXT, "sha256": "a" * 64,
                  "meta": {}, "created_at": T0}],
    "annotator": [{"id": 1, "name": "alice", "role": "annotator", "created_at": T0}],
    "actor": [{"id": 1, "name": "Sergei Lavrov", "kind": "person", "merged_into_id": None, "created_at": T0},
              {"id": 2, "name": "S. Lavrov", "kind": "other", "merged_into_id": None, "created_at": T0}],
    "actor_alias": [{"id": 1, "actor_id": 1, "alias": "Russian FM"}],
}


def _annotations(version: int) -> list[dict[str, Any]]:
    return [{"id": f"00000000-0000-0000-0000-00000000000{i}", "document_id": "d" * 16, "annotator_id": 1,
             "start": 0, "end": 6, "quote": "Lavrov", "stance": None, "actor_id": 1 if i == 1 else 2,
             "claim_type": None, "target": None, "note": "", "scheme_version": version, "revision": 1,
             "created_at": T0, "updated_at": T0, "deleted_at": T0 if i == 3 else None} for i in (1, 2, 3)]


def test_upgrade_to_0006_keeps_every_row_and_adds_the_rights(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        migrate.upgrade(engine, PREVIOUS)
        meta = MetaData()
        meta.reflect(engine)
        with engine.begin() as conn:
            conn.execute(insert(meta.tables["label_scheme"]),
                         [{"version": 1, "body": {"name": "old"}, "note": "first", "created_at": T0}])
            for name, rows in ROWS.items():
                conn.execute(insert(meta.tables[name]), rows)
            conn.execute(insert(meta.tables["annotation"]), _annotations(1))
            if conn.dialect.name == "postgresql":  # rows went in with their ids: move the sequences past them
                for name in ("annotator", "actor", "actor_alias"):
                    conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), 10)"))
        tables = [*ROWS, "annotation", "label_scheme"]
        before = dump_rows(engine, tables, LATER)
    finally:
        engine.dispose()
    db = open_database(db_url)
    try:
        assert migrate.current_revision(db.engine) == migrate.head_revision()
        assert dump_rows(db.engine, tables, LATER) == before
        assert "ix_annotation_actor_use" in {i["name"] for i in inspect(db.engine).get_indexes("annotation")}
        usage = {u.name: (u.annotations, u.documents) for u in db.actors.overview()}
        assert usage == {"S. Lavrov": (1, 1), "Sergei Lavrov": (1, 1)}
        change = db.actors.merge("S. Lavrov", "Sergei Lavrov", by="alice")
        assert set(change.annotations) == {"00000000-0000-0000-0000-000000000002",
                                           "00000000-0000-0000-0000-000000000003"}
        db.actors.unmerge(change, by="alice")
        assert {u.name: u.annotations for u in db.actors.overview()} == {"S. Lavrov": 1, "Sergei Lavrov": 1}
        if not db.is_sqlite:
            with db.engine.connect() as conn:
                functions = set(conn.scalars(text("SELECT proname FROM pg_proc WHERE proname LIKE 'stancemark_%'")))
                triggers = set(conn.scalars(text("SELECT tgname FROM pg_trigger WHERE tgrelid = 'actor'::regclass")))
            assert {"stancemark_move_actor_uses", "stancemark_is_reviewer", "stancemark_check_actor_event"} <= functions
            assert {"stancemark_actor_logged", "stancemark_actor_unused", "stancemark_registry_kept"} <= triggers
        migrate_down = make_engine(db_url)
        try:
            from alembic import command

            config = migrate.alembic_config()
            with migrate_down.begin() as conn:
                config.attributes["connection"] = conn
                command.downgrade(config, PREVIOUS)
            assert migrate.current_revision(migrate_down) == PREVIOUS
            assert "ix_annotation_actor_use" not in {i["name"] for i in inspect(migrate_down).get_indexes("annotation")}
            if not db.is_sqlite:
                with migrate_down.connect() as conn:
                    assert conn.scalar(text("SELECT count(*) FROM pg_proc WHERE proname = "
                                            "'stancemark_move_actor_uses'")) == 0
        finally:
            migrate_down.dispose()
    finally:
        db.close()
