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
from storage.db import make_engine
from storage.replay import differences_from_log
from storage.scheme import install, load_scheme_file
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
    decision and a review status, all made by the services; returns the annotator's live annotation id."""
    engine = make_engine(url)
    migrate.upgrade(engine, BEFORE)
    db = Database(engine)
    try:
        with db.sessions.write.begin() as s:
            install(s, load_scheme_file(), note="default scheme")
        article = tmp_path / "talks.txt"
        article.write_text("Talks\n\nLavrov said the talks would resume. NATO denied it.\n", encoding="utf-8")
        import_paths(db, [article])
        doc = db.documents.list()[0].id
        kept = db.annotations.add(AnnotationDraft(doc, 0, 6, stance="neutral", actor="Sergei Lavrov"), by=annotator)
        db.annotations.edit(kept.id, annotator, note="ünïcode ✓")
        gone = db.annotations.add(AnnotationDraft(doc, 7, 11, actor="NATO"), by=annotator)
        db.annotations.delete(gone.id, annotator)
        db.documents.set_status(doc, "done", by=annotator)
        db.annotators.set_role("rita-upgrade", "reviewer")
        db.review.accept(kept.id, by="rita-upgrade", rationale="clear")
        db.review.set_status(doc, "adjudicated", by="rita-upgrade")
        assert migrate.current_revision(engine) == BEFORE
        return kept.id
    finally:
        db.close()


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
        assert {table: after[table] for table in before} == before  # later revisions may add tables
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
