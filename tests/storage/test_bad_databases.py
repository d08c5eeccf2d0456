"""Databases that cannot be used: each gives a clear message and leaves the data already there intact."""
from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event, text

from storage import AnnotationDraft, Database, DatabaseUnavailable, open_database, open_with_samples
from storage.engine import make_engine

WORKERS = Path(__file__).parent / "workers"


def _filled(path: str | Path, n: int = 5) -> list[str]:
    """A database with the sample article and `n` annotations; returns their ids."""
    db = open_with_samples(path)
    try:
        doc = db.documents.list()[0]
        return [db.annotations.add(AnnotationDraft(doc.id, i, i + 7, stance="neutral"), by="alice").id
                for i in range(n)]
    finally:
        db.close()


def _contents(path: str | Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of the tables that hold work, read with the plain sqlite3 module."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall()
                for t in ("document", "annotation", "event", "annotator", "setting", "alembic_version")}


def _integrity(path: str | Path) -> str:
    with sqlite3.connect(path) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]


def _without_root_powers(command: list[str]) -> list[str]:
    """Root may write any file whatever its mode; without CAP_DAC_OVERRIDE it obeys the mode like anyone."""
    if os.geteuid() != 0:
        return command
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv (util-linux): cannot make a file read-only for root")
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search", *command]


def test_read_only_file_is_refused_clearly_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "readonly.db"
    _filled(path)
    before = _contents(path)
    path.chmod(0o444)
    tmp_path.chmod(0o555)  # no journal or WAL file may be created beside it either
    try:
        result = subprocess.run(_without_root_powers([sys.executable, str(WORKERS / "try_open.py"), str(path)]),
                                capture_output=True, text=True, timeout=60)
    finally:
        tmp_path.chmod(0o755)
    assert result.stdout.strip() == \
        f"DatabaseUnavailable: {path}: the database file is read-only; nothing was saved", result.stderr
    assert _contents(path) == before


def test_full_disk_refuses_the_write_and_keeps_earlier_work(sqlite_path: str) -> None:
    ids = _filled(sqlite_path)
    db = open_database(sqlite_path)
    try:
        db.engine.dispose()  # every connection from now on meets the size limit below

        @event.listens_for(db.engine, "connect")
        def _small_disk(dbapi_conn: sqlite3.Connection, _record: object) -> None:
            pages = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
            dbapi_conn.execute(f"PRAGMA max_page_count = {pages + 2}")  # SQLITE_FULL, as on a full disk

        doc = db.documents.list()[0]
        added = []
        with pytest.raises(DatabaseUnavailable, match="the disk is full; nothing was saved"):
            for _ in range(500):
                added.append(db.annotations.add(AnnotationDraft(doc.id, 0, 40, note="x" * 2000), by="alice").id)
        assert len(added) < 500
        live = {a.id for a in db.annotations.for_document(doc.id)}
        assert live == set(ids) | set(added)
    finally:
        db.close()
    assert _integrity(sqlite_path) == "ok"


def test_newer_schema_is_refused_and_not_touched(db_url: str) -> None:
    db = open_with_samples(db_url)
    with db.sessions.write.begin() as s:
        s.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    db.close()
    with pytest.raises(DatabaseUnavailable, match=r"written by a newer version of Stancemark \(schema 9999_from"):
        open_with_samples(db_url)
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            assert conn.scalar(text("SELECT version_num FROM alembic_version")) == "9999_from_the_future"
            assert conn.scalar(text("SELECT count(*) FROM document")) == 1
    finally:
        engine.dispose()


def test_file_that_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    junk = b"These are my notes, not a database.\n" * 200
    path.write_bytes(junk)
    with pytest.raises(DatabaseUnavailable, match=re.escape(f"{path}: this file is not a Stancemark database")):
        open_with_samples(path)
    assert path.read_bytes() == junk


def test_other_programs_sqlite_database_is_not_taken_over(tmp_path: Path) -> None:
    path = tmp_path / "contacts.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE contact (name TEXT)")
        conn.execute("INSERT INTO contact VALUES ('Ada')")
    with pytest.raises(DatabaseUnavailable, match=re.escape(f"{path}: this is not a Stancemark database")):
        open_with_samples(path)
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT name FROM sqlite_master").fetchall() == [("contact",)]


@pytest.fixture
def lock_holder(sqlite_path: str) -> Iterator[tuple[str, list[str], subprocess.Popen[str]]]:
    """A filled database and another process holding its write lock (BEGIN EXCLUSIVE) until teardown."""
    ids = _filled(sqlite_path)
    holder = subprocess.Popen([sys.executable, str(WORKERS / "hold_lock.py"), sqlite_path], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    yield sqlite_path, ids, holder
    if holder.poll() is None:
        holder.communicate("", timeout=30)


def test_database_locked_longer_than_the_timeout(lock_holder: tuple[str, list[str], subprocess.Popen[str]]) -> None:
    path, ids, holder = lock_holder
    with pytest.raises(DatabaseUnavailable, match="locked by another program"):
        open_database(path, busy_timeout_ms=300)
    holder.communicate("", timeout=30)
    db = open_database(path)
    try:
        assert {a.id for a in db.annotations.for_document(db.documents.list()[0].id)} == set(ids)
    finally:
        db.close()
    assert _integrity(path) == "ok"


def test_services_report_a_lock_and_work_again_once_it_is_gone(sqlite_path: str) -> None:
    ids = _filled(sqlite_path)
    db: Database = open_database(sqlite_path, busy_timeout_ms=300)
    try:
        doc = db.documents.list()[0]
        holder = subprocess.Popen([sys.executable, str(WORKERS / "hold_lock.py"), sqlite_path],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with pytest.raises(DatabaseUnavailable, match="locked by another program; try again when it is done"):
            db.annotations.add(AnnotationDraft(doc.id, 3, 9), by="alice")
        with pytest.raises(DatabaseUnavailable, match="locked"):
            db.annotations.delete(ids[0], by="alice")
        assert {a.id for a in db.annotations.for_document(doc.id)} == set(ids)  # reading still works
        holder.communicate("", timeout=30)
        again = db.annotations.add(AnnotationDraft(doc.id, 3, 9), by="alice")
        assert {a.id for a in db.annotations.for_document(doc.id)} == set(ids) | {again.id}
    finally:
        db.close()
    assert _integrity(sqlite_path) == "ok"


def test_unreachable_server_is_explained() -> None:
    with pytest.raises(DatabaseUnavailable, match="cannot reach the database server"):
        open_with_samples("postgresql+psycopg://nobody@127.0.0.1:9/stancemark")


def test_connection_lost_mid_change_is_explained_and_the_next_change_works(postgres_url: str) -> None:
    db_url = postgres_url
    db = open_with_samples(db_url)
    doc = db.documents.list()[0]
    kept = db.annotations.add(AnnotationDraft(doc.id, 0, 5), by="alice")
    admin = make_engine(db_url)
    try:
        with pytest.raises(DatabaseUnavailable, match="connection to the database server was lost"):
            with db.sessions.write.begin() as s:
                s.execute(text("UPDATE annotation SET note = 'half done'"))
                with admin.connect() as conn:  # the server ends this session, as a restart would
                    conn.execute(text("SELECT pg_terminate_backend(:pid)"),
                                 {"pid": s.scalar(text("SELECT pg_backend_pid()"))})
                s.execute(text("SELECT 1"))
        again = db.annotations.add(AnnotationDraft(doc.id, 6, 9), by="alice")  # a fresh connection
        assert {a.id: a.note for a in db.annotations.for_document(doc.id)} == {kept.id: "", again.id: ""}
    finally:
        admin.dispose()
        db.close()
