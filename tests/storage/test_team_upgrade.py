"""Upgrading a database with work in it to revision 0003 (the server-enforced log) keeps every row; on
PostgreSQL the old work can then be changed by its owner only with its event, and the log still rebuilds it."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, MetaData, select, text

from storage import AnnotationDraft, PermissionDenied, import_paths, open_database
from storage import migrate
from storage.database import Database
from storage.engine import make_engine
from storage.replay import differences_from_log
from storage.team import add_user, drop_user, setup_team

BEFORE = "0002"


def _dump(engine: Engine) -> dict[str, list[dict[str, Any]]]:
    meta = MetaData()
    meta.reflect(engine)
    found = {}
    with engine.connect() as conn:
        for name, table in sorted(meta.tables.items()):
            if name == "alembic_version":
                continue
            rows = conn.execute(select(table).order_by(*table.primary_key.columns))
            found[name] = [{k: _utc(v) for k, v in r._mapping.items()} for r in rows]
    return found


def _utc(value: Any) -> Any:
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)
    return value


def _work_at_revision_0002(url: str, tmp_path: Path, annotator: str) -> str:
    """A database left at 0002 with an imported article, annotations (edited, deleted), a status, a gold
    decision and a review status, all made by today's services (in a scratch database at the newest revision,
    then copied column by column into one at 0002); returns the annotator's live annotation id."""
    scratch = open_database(str(tmp_path / "scratch.db"))
    try:
        article = tmp_path / "talks.txt"
        article.write_text("Talks\n\nLavrov said the talks would resume. NATO denied it.\n", encoding="utf-8")
        import_paths(scratch, [article])
        doc = scratch.documents.list()[0].id
        kept = scratch.annotations.add(AnnotationDraft(doc, 0, 6, stance="neutral", actor="Sergei Lavrov"),
                                       by=annotator)
        scratch.annotations.edit(kept.id, annotator, note="ünïcode ✓")
        gone = scratch.annotations.add(AnnotationDraft(doc, 7, 11, actor="NATO"), by=annotator)
        scratch.annotations.delete(gone.id, annotator)
        scratch.documents.set_status(doc, "done", by=annotator)
        scratch.annotators.set_role("rita-upgrade", "reviewer")
        scratch.review.accept(kept.id, by="rita-upgrade", rationale="clear")
        scratch.review.set_status(doc, "adjudicated", by="rita-upgrade")
        engine = make_engine(url)
        try:
            migrate.upgrade(engine, BEFORE)
            _copy_rows(scratch.engine, engine)
            assert migrate.current_revision(engine) == BEFORE
        finally:
            engine.dispose()
        return kept.id
    finally:
        scratch.close()


def _copy_rows(source: Engine, target: Engine) -> None:
    """Every row of the tables the target has, limited to the target's columns, parents first."""
    wanted, have = MetaData(), MetaData()
    wanted.reflect(target)
    have.reflect(source)
    with source.connect() as src, target.begin() as dst:
        for table in wanted.sorted_tables:
            if table.name == "alembic_version":
                continue
            columns = [have.tables[table.name].c[c.name] for c in table.columns]
            rows = [dict(r._mapping) for r in src.execute(select(*columns))]
            if rows:
                dst.execute(table.insert(), rows)
        if target.dialect.name == "postgresql":
            for name in ("annotator", "actor", "actor_alias", "event"):
                dst.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                                 f"coalesce((SELECT max(id) FROM {name}), 0) + 1, false)"))


def test_upgrade_to_the_enforced_log_keeps_every_row(db_url: str, tmp_path: Path) -> None:
    annotator = f"sm_up_{uuid.uuid4().hex[:8]}"
    kept = _work_at_revision_0002(db_url, tmp_path, annotator)
    engine = make_engine(db_url)
    before = _dump(engine)
    engine.dispose()
    assert all(before[t] for t in ("annotation", "event", "gold_annotation", "review_status", "document_status"))

    db = open_database(db_url)
    try:
        assert migrate.current_revision(db.engine) == migrate.head_revision()  # 0003 and every revision after it
        after = _dump(db.engine)
        # Later revisions may add tables and columns; every row and value there before is kept.
        assert {table: [{k: row[k] for k in old} for row, old in zip(after[table], before[table])]
                for table in before} == before
        assert all(len(after[table]) == len(before[table]) for table in before)
        assert differences_from_log(db)[1] == []
        if db.is_sqlite:
            return
        with db.engine.connect() as conn:
            triggers = conn.scalar(text("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'stancemark_%'"))
        assert triggers == 12  # 0003: 10; 0006: the actor log and unused-actor checks
        _owner_changes_old_work_only_with_its_event(db, annotator, kept)
    finally:
        db.close()


def _owner_changes_old_work_only_with_its_event(admin: Database, annotator: str, kept: str) -> None:
    setup_team(admin)
    add_user(admin, annotator)
    url = admin.engine.url.set(username=annotator, password=None).render_as_string(hide_password=False)
    member = open_database(url)
    try:
        edited = member.annotations.edit(kept, annotator, stance="oppose")
        assert edited.revision == 3
        with pytest.raises(PermissionDenied, match="changed without its event"):
            with member.engine.begin() as conn:
                conn.execute(text("UPDATE annotation SET note = 'quietly' WHERE id = :id"), {"id": kept})
    finally:
        member.close()
        drop_user(admin, annotator)
    assert admin.annotations.get(kept).note == "ünïcode ✓"
    assert differences_from_log(admin)[1] == []
