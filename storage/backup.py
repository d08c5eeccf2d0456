"""`stancemark backup OUT`: a consistent copy of a live database, taken while others keep working.

SQLite: the online backup API copies every page in one step under one read transaction, so the copy is one
moment of the database even while another process writes (WAL lets the writer go on meanwhile). PostgreSQL:
`pg_dump` (custom format, restore with `pg_restore`), which reads everything in one snapshot transaction.
Either way the copy is written beside OUT first and renamed into place only when complete and checked."""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from collections.abc import Callable
from typing import TYPE_CHECKING

from sqlalchemy.engine import URL

from storage.errors import StancemarkError
from storage.migrate import backup_sqlite

if TYPE_CHECKING:
    from storage.database import Database


@dataclass(frozen=True)
class BackupResult:
    path: Path
    method: str
    size: int


def backup_database(db: "Database", out: str | Path,
                    progress: Callable[[int, int], None] | None = None) -> BackupResult:
    """`progress(done, total)` after each step: the copy, then (SQLite) the copy's integrity check."""
    target = Path(out).expanduser()
    if target.exists():
        raise StancemarkError(f"{target}: exists already; choose a new name (a backup never overwrites)")
    if not target.parent.is_dir():
        raise StancemarkError(f"{target.parent}: no such folder")
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        if db.is_sqlite:
            method = _sqlite_copy(db, partial, progress or (lambda done, total: None))
        elif db.engine.dialect.name == "postgresql":
            method = _pg_dump(db.engine.url, partial)
            if progress:
                progress(1, 1)
        else:
            raise StancemarkError(f"cannot back up a {db.engine.dialect.name} database")
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return BackupResult(path=target, method=method, size=target.stat().st_size)


def sqlite_integrity(path: str | Path) -> str:
    """SQLite's own check of every page and index: "ok", or the first problem it found."""
    conn = sqlite3.connect(path)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def _sqlite_copy(db: "Database", partial: Path, progress: Callable[[int, int], None]) -> str:
    if not db.engine.url.database:
        raise StancemarkError("an in-memory database has nothing on disk to back up")
    progress(0, 2)
    backup_sqlite(db.engine, partial)
    with sqlite3.connect(partial) as conn:
        conn.execute("PRAGMA journal_mode = DELETE")  # one self-contained file, no -wal beside it
    progress(1, 2)
    verdict = sqlite_integrity(partial)
    progress(2, 2)
    if verdict != "ok":
        raise StancemarkError(f"{partial}: the copy failed its integrity check ({verdict}); nothing was kept")
    return "SQLite online backup"


def libpq_environment(url: URL) -> dict[str, str]:
    """Connection settings for the PostgreSQL client tools, passed as PG* variables (never on a command line,
    where other users could read the password)."""
    env = dict(os.environ)
    for name, value in (("PGHOST", url.host), ("PGPORT", url.port), ("PGUSER", url.username),
                        ("PGPASSWORD", url.password), ("PGDATABASE", url.database)):
        if value is not None:
            env[name] = str(value)
    return env


def _pg_dump(url: URL, partial: Path) -> str:
    tool = shutil.which("pg_dump")
    if tool is None:
        raise StancemarkError("pg_dump was not found: install the PostgreSQL client tools (Debian: "
                              "postgresql-client, the same major version as the server or newer) and try again")
    done = subprocess.run([tool, "--format=custom", "--no-owner", f"--file={partial}"], env=libpq_environment(url),
                          capture_output=True, text=True)
    if done.returncode != 0:
        reason = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise StancemarkError(f"pg_dump failed: {reason}")
    return "pg_dump (custom format; restore with pg_restore)"
