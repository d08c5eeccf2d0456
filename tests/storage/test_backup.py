"""`stancemark backup OUT` while someone else keeps writing: every copy is sound and one consistent moment."""
from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from storage import AnnotationDraft, Database, open_database, open_with_samples
from cli import build_parser, run as run_command
from storage.backup import libpq_environment
from storage.tables import Annotation, Event

from throwaway_databases import postgres_database
from workers.together import finish, go, start_ready

WRITER = Path(__file__).parent / "workers" / "concurrent_editor.py"


def _backup(db_target: str, out: Path) -> int:
    return run_command(build_parser().parse_args(["--db", db_target, "backup", str(out)]))


def _log_matches_table(db: Database) -> int:
    """Consistent moment: every annotation's newest logged revision is its row's, creates match rows.
    Returns the number of rows, deleted ones included (they only ever grow: deletion is soft)."""
    with db.sessions.read() as s:
        rows = dict(s.execute(select(Annotation.id, Annotation.revision)).all())
        logged: dict[str, int] = {}
        creates = 0
        for entity_id, action, after in s.execute(select(Event.entity_id, Event.action, Event.after)
                                                  .where(Event.entity == "annotation").order_by(Event.id)):
            logged[entity_id] = after["revision"]
            creates += action == "create"
    assert logged == rows
    assert creates == len(rows)
    return len(rows)


def test_sqlite_backup_while_another_process_writes(sqlite_path: str, tmp_path: Path) -> None:
    db = open_with_samples(sqlite_path)
    db.annotators.ensure("erin")
    db.close()
    writer = start_ready(WRITER, sqlite_path, "erin", "2.5", "7")
    go([writer])
    copies = []
    while writer.poll() is None and len(copies) < 8:
        out = tmp_path / f"copy{len(copies)}.db"
        assert _backup(sqlite_path, out) == 0
        copies.append(out)
    assert finish(writer)["errors"] == []
    assert len(copies) >= 2
    sizes = []
    for copy in copies:
        assert not Path(f"{copy}-wal").exists()  # one self-contained file
        with sqlite3.connect(copy) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        restored = open_database(copy)
        try:
            sizes.append(_log_matches_table(restored))
        finally:
            restored.close()
    assert sizes == sorted(sizes) and sizes[-1] > 0  # later copies hold at least as much work


def test_backup_never_overwrites(sqlite_path: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    open_with_samples(sqlite_path).close()
    out = tmp_path / "precious.db"
    out.write_bytes(b"an older backup")
    assert _backup(sqlite_path, out) == 1
    assert "exists already" in capsys.readouterr().err
    assert out.read_bytes() == b"an older backup"


@pytest.mark.skipif(shutil.which("pg_restore") is None, reason="needs the PostgreSQL client tools")
def test_postgresql_backup_restores_into_an_empty_database(postgres_url: str, tmp_path: Path) -> None:
    db = open_with_samples(postgres_url)
    doc = db.documents.list()[0]
    ids = {db.annotations.add(AnnotationDraft(doc.id, i, i + 3, actor="NATO"), by="alice").id for i in range(5)}
    db.close()
    out = tmp_path / "team.dump"
    assert _backup(postgres_url, out) == 0
    for restored_url in postgres_database():
        done = subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", "--dbname",
                               make_url(restored_url).database or "", str(out)],
                              env=libpq_environment(make_url(restored_url)), capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        restored = open_database(restored_url)
        try:
            assert {a.id for a in restored.annotations.for_document(doc.id)} == ids
            _log_matches_table(restored)
            with restored.sessions.read() as s:
                assert s.scalar(select(func.count()).select_from(Event)) > len(ids)
        finally:
            restored.close()
