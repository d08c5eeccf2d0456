"""Upgrading a database made by the first release: every row survives and a complete backup is taken first."""
from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, MetaData, insert, select

from storage import open_database
from storage import migrate
from storage.engine import make_engine
from storage.tables import Base
import storage.suggestions.suggestion_tables  # noqa: F401  (its tables join Base.metadata, compared below)
from storage.search import is_search_object

from workers.together import run_together

OPENER = Path(__file__).parent / "workers" / "open_at_signal.py"
FIRST = "0001"
T0 = datetime(2025, 3, 1, 9, 30, tzinfo=timezone.utc)
TEXT = "Lavrov said the talks would resume. NATO denied it."

# One or more rows for every table of revision 0001, parents first.
ROWS_AT_FIRST_REVISION: dict[str, list[dict[str, Any]]] = {
    "label_scheme": [{"version": 1, "body": {"name": "old", "stance": {"values": []}, "claim_types": []},
                      "note": "first", "created_at": T0}],
    "setting": [{"key": "seeded", "value": "no"}],
    "document": [{"id": "d" * 16, "title": "Talks", "source": "wire", "text": TEXT, "sha256": "a" * 64,
                  "meta": {"lang": "en"}, "created_at": T0}],
    "annotator": [{"id": 1, "name": "alice", "role": "annotator", "created_at": T0},
                  {"id": 2, "name": "rita", "role": "reviewer", "created_at": T0}],
    "actor": [{"id": 1, "name": "Sergei Lavrov", "kind": "person", "merged_into_id": None, "created_at": T0},
              {"id": 2, "name": "Lavrov (merged #2)", "kind": "person", "merged_into_id": 1, "created_at": T0}],
    "actor_alias": [{"id": 1, "actor_id": 1, "alias": "Lavrov"}],
    "annotation": [{"id": f"00000000-0000-0000-0000-00000000000{i}", "document_id": "d" * 16, "annotator_id": 1,
                    "start": 0, "end": 6, "quote": "Lavrov", "stance": "neutral", "actor_id": 1,
                    "claim_type": "factual", "target": "NATO", "note": "ünïcode ✓", "scheme_version": 1,
                    "revision": i, "created_at": T0, "updated_at": T0,
                    "deleted_at": T0 if i == 2 else None} for i in (1, 2)],
    "document_status": [{"document_id": "d" * 16, "annotator_id": 1, "status": "done", "updated_at": T0}],
    "event": [{"id": 1, "at": T0, "annotator_id": 1, "action": "create", "entity": "annotation",
               "entity_id": "00000000-0000-0000-0000-000000000001", "before": None, "after": {"start": 0}}],
}


def _as_utc(value: Any) -> Any:
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)
    return value


def _dump(engine: Engine) -> dict[str, list[dict[str, Any]]]:
    """The 0001 tables' rows, limited to 0001's columns, in primary-key order, instants in UTC."""
    meta = MetaData()
    meta.reflect(engine)
    dump = {}
    with engine.connect() as conn:
        for name, rows in ROWS_AT_FIRST_REVISION.items():
            table = meta.tables[name]
            columns = [table.c[c] for c in rows[0]]
            result = conn.execute(select(*columns).order_by(*table.primary_key.columns))
            dump[name] = [{k: _as_utc(v) for k, v in r._mapping.items()} for r in result]
    return dump


def _database_at_first_revision(url: str) -> None:
    engine = make_engine(url)
    try:
        migrate.upgrade(engine, FIRST)
        meta = MetaData()
        meta.reflect(engine)
        assert set(meta.tables) - {"alembic_version"} == set(ROWS_AT_FIRST_REVISION), \
            "a table of revision 0001 has no rows in this test"
        with engine.begin() as conn:
            for name, rows in ROWS_AT_FIRST_REVISION.items():
                conn.execute(insert(meta.tables[name]), rows)
    finally:
        engine.dispose()


def test_upgrade_from_first_revision_keeps_every_row(db_url: str) -> None:
    _database_at_first_revision(db_url)
    expected = {name: [{k: _as_utc(v) for k, v in row.items()} for row in rows]
                for name, rows in ROWS_AT_FIRST_REVISION.items()}
    db = open_database(db_url)
    try:
        assert migrate.current_revision(db.engine) == migrate.head_revision() != FIRST
        assert _dump(db.engine) == expected
        # The services read the old rows as they were written.
        ann = db.annotations.get("00000000-0000-0000-0000-000000000001")
        assert (ann.quote, ann.actor, ann.annotator, ann.note) == ("Lavrov", "Sergei Lavrov", "alice", "ünïcode ✓")
        assert db.documents.status("d" * 16, "alice") == "done"
        assert db.actors.get("Lavrov").name == "Sergei Lavrov"
        if db.is_sqlite:
            _check_backup(Path(db.backup_taken or ""), expected)
        else:
            assert db.backup_taken is None  # PostgreSQL upgrades in one transaction: a failure changes nothing
    finally:
        db.close()


def _check_backup(backup: Path, expected: dict[str, list[dict[str, Any]]]) -> None:
    """The copy taken before upgrading is a sound, complete database still at the first revision."""
    assert backup.is_file(), backup
    with sqlite3.connect(backup) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [(FIRST,)]
    engine = make_engine(backup)
    try:
        assert _dump(engine) == expected
    finally:
        engine.dispose()


def test_opening_at_head_takes_no_backup(sqlite_path: str) -> None:
    open_database(sqlite_path).close()
    db = open_database(sqlite_path)
    assert db.backup_taken is None
    db.close()
    assert [p.name for p in Path(sqlite_path).parent.iterdir() if ".before-" in p.name] == []


def _not_search(name: str | None, type_: str, parent_names: object) -> bool:
    """The full-text tables and indexes of migration 0004 are raw SQL the ORM does not describe."""
    return not is_search_object(name)


def test_models_and_migrations_describe_the_same_schema(db_url: str) -> None:
    """Every change to storage/tables.py comes with an Alembic revision (else this diff is not empty)."""
    db = open_database(db_url)
    try:
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": False,
                                                            "include_name": _not_search}), Base.metadata)
    finally:
        db.close()
    assert diff == []


def _open_all_at_once(url: str, count: int = 4) -> list[dict[str, Any]]:
    """`count` programs opening the same database at the same instant; returns what each reported."""
    return run_together(OPENER, [[url]] * count)


def test_several_programs_creating_the_same_new_database_at_once(db_url: str) -> None:
    results = _open_all_at_once(db_url)
    assert [r["documents"] if "documents" in r else r["error"] for r in results] == [1] * 4  # sample, once


def test_several_programs_upgrading_the_same_old_database_at_once(db_url: str) -> None:
    _database_at_first_revision(db_url)
    results = _open_all_at_once(db_url)
    assert [r["documents"] if "documents" in r else r["error"] for r in results] == [1] * 4
    backups = [r["backup"] for r in results if r["backup"]]
    assert len(backups) == (0 if db_url.startswith("postgresql") else 1)  # one upgrade, one backup


def test_the_quick_revision_reading_agrees_with_alembic() -> None:
    """Opening a database at head reads revision headers instead of importing Alembic: both must agree."""
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(migrate.alembic_config())
    assert migrate.head_revision() == scripts.get_current_head()
    assert migrate.known_revisions() == {r.revision for r in scripts.walk_revisions()}
    assert migrate.revision_graph() == {r.revision: r.down_revision for r in scripts.walk_revisions()}
