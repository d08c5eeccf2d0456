"""Engines and sessions: SQLite pragmas, BEGIN IMMEDIATE for writers, migrations on open."""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError
from sqlalchemy.orm import Session, sessionmaker

from storage.errors import DatabaseUnavailable, PermissionDenied, StancemarkError
from storage.paths import default_database_path

BUSY_TIMEOUT_MS = 15_000
# PostgreSQL: writers take this transaction-level advisory lock first, so they commit one at a time, in the
# order their event ids were drawn. Without it a poller (changed_since) could pass over an event whose
# smaller id committed after a larger one, and a colleague's change would never appear.
WRITER_LOCK_KEY = 0x5374616E  # "Stan"


SUPPORTED_DRIVERS = ("sqlite", "sqlite+pysqlite", "postgresql", "postgres", "postgresql+psycopg",
                     "postgresql+psycopg2")
SUPPORTED_URLS = "a SQLite file (a path, or sqlite:///PATH) or PostgreSQL (postgresql://USER@HOST/DB)"


def database_url(path_or_url: str | Path | None) -> str:
    """A plain path means SQLite; anything with '://' is a SQLAlchemy URL (PostgreSQL for teams)."""
    if path_or_url is None or str(path_or_url) == "":
        path_or_url = default_database_path()
    text = str(path_or_url)
    if "://" in text:
        try:
            url = make_url(text)
        except ArgumentError:
            raise DatabaseUnavailable(f"{text}: not a database URL; Stancemark opens {SUPPORTED_URLS}") from None
        if url.drivername not in SUPPORTED_DRIVERS:
            raise DatabaseUnavailable(f"{url.render_as_string(hide_password=True)}: {url.drivername!r} databases are "
                                      f"not supported; Stancemark opens {SUPPORTED_URLS}")
        if url.drivername in ("postgresql", "postgres"):
            url = url.set(drivername="postgresql+psycopg")
        return url.render_as_string(hide_password=False)
    if text == ":memory:":
        return "sqlite://"
    return f"sqlite:///{Path(text).expanduser().resolve()}"


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def explain_driver_error(exc: BaseException, where: str) -> StancemarkError | None:
    """A message an analyst can act on for the driver errors people meet; None for anything else."""
    text = str(getattr(exc, "orig", exc))
    first_line = text.splitlines()[0] if text else type(exc).__name__
    if "file is not a database" in text or "file is encrypted" in text:
        return DatabaseUnavailable(f"{where}: this file is not a Stancemark database")
    if "database is locked" in text or "database table is locked" in text:
        return DatabaseUnavailable(f"{where}: the database is locked by another program; "
                                   "try again when it is done")
    if "readonly" in text or "read-only" in text:
        return DatabaseUnavailable(f"{where}: the database file is read-only; nothing was saved")
    if "disk is full" in text or "No space left" in text or "disk full" in text:
        return DatabaseUnavailable(f"{where}: the disk is full; nothing was saved")
    if "unable to open" in text:
        return DatabaseUnavailable(f"{where}: cannot open the database file")
    if "disk I/O error" in text:
        return DatabaseUnavailable(f"{where}: the disk reported an error; nothing was saved")
    sqlstate = getattr(getattr(exc, "orig", exc), "sqlstate", None)
    if sqlstate == "55P03":  # lock_timeout: another session held the writer lock too long
        return DatabaseUnavailable(f"{where}: the database is busy with someone else's long change; "
                                   "try again when it is done")
    if sqlstate == "42501":  # PostgreSQL insufficient_privilege, including row-level security refusals
        return PermissionDenied(f"{where}: the server refused: {first_line}")
    if (sqlstate or "").startswith(("57P", "08")) or "server closed the connection" in text \
            or "terminating connection" in text:
        return DatabaseUnavailable(f"{where}: the connection to the database server was lost; "
                                   "the unfinished change was not saved; try again")
    if "connection failed" in text or "Connection refused" in text or "could not connect" in text:
        return DatabaseUnavailable(f"{where}: cannot reach the database server ({first_line})")
    return None


def _install_error_translation(engine: Engine) -> None:
    """Every driver error that a person can act on becomes a StancemarkError, whichever service met it."""
    where = (engine.url.database or ":memory:") if engine.dialect.name == "sqlite" \
        else engine.url.render_as_string(hide_password=True)

    @event.listens_for(engine, "handle_error")
    def _translate(ctx: Any) -> BaseException | None:
        if ctx.is_pre_ping:
            return None
        return explain_driver_error(ctx.original_exception, where)


def _install_sqlite_pragmas(engine: Engine, busy_timeout_ms: int) -> None:
    # The driver's own transaction handling is switched off so that we issue BEGIN ourselves:
    # writers need BEGIN IMMEDIATE, or a read-then-write fails at once with "database is locked".
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {busy_timeout_ms}")
        cur.execute("PRAGMA foreign_keys = ON")
        if engine.url.database:
            cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = FULL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


def _install_postgres_writer_order(engine: Engine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        if conn.get_execution_options().get("stancemark_writer"):
            conn.exec_driver_sql(f"SET LOCAL lock_timeout = {int(busy_timeout_ms)}")
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITER_LOCK_KEY})")


def make_engine(path_or_url: str | Path | None, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS,
                **kwargs: Any) -> Engine:
    """`busy_timeout_ms`: how long a SQLite writer waits for another program's lock before giving up."""
    url = database_url(path_or_url)
    if url.startswith("sqlite"):
        file = sqlite_file(url)
        if file is not None:
            _check_folder(file)
        engine = create_engine(url, connect_args={"timeout": busy_timeout_ms / 1000}, **kwargs)
        _install_sqlite_pragmas(engine, busy_timeout_ms)
    else:
        try:
            engine = create_engine(url, pool_pre_ping=True, **kwargs)
        except (ImportError, NoSuchModuleError) as exc:
            shown = make_url(url).render_as_string(hide_password=True)
            raise DatabaseUnavailable(f"{shown}: the database driver is not installed ({exc})") from None
        if engine.dialect.name == "postgresql":
            _install_postgres_writer_order(engine, busy_timeout_ms)
    _install_error_translation(engine)
    return engine


def sqlite_file(url: str) -> Path | None:
    """The file a SQLite URL names (None in memory). With `uri=true` the database part is itself a SQLite
    URI, `file:PATH?mode=ro`, whose path is the file; it is not a folder named `file:` to create."""
    parsed = make_url(url)
    database = parsed.database or ""
    if not database or database == ":memory:":
        return None
    if str(parsed.query.get("uri", "")).lower() in ("true", "1", "yes") or database.startswith("file:"):
        if not database.startswith("file:"):
            return Path(database)
        uri = urlsplit(database)
        if dict(parse_qsl(uri.query)).get("mode") == "memory" or not uri.path:
            return None
        return Path(unquote(uri.path))
    return Path(database)


def _check_folder(file: Path) -> None:
    """Only the default database's own folder is made on demand; a mistyped --db must not create folders."""
    folder = file.parent
    if folder.is_dir():
        return
    if file.resolve() == default_database_path().resolve():
        folder.mkdir(parents=True, exist_ok=True)
        return
    what = "is not a folder" if folder.exists() else "does not exist"
    raise DatabaseUnavailable(f"{file}: cannot create the database there: the folder {folder} {what}; "
                              "create it first or choose another path")


@dataclass(frozen=True)
class Sessions:
    """Two session factories over one engine: readers begin DEFERRED, writers IMMEDIATE (SQLite) or take
    the writer lock (PostgreSQL), so writers commit one at a time."""

    engine: Engine
    read: sessionmaker[Session]
    write: sessionmaker[Session]

    @classmethod
    def over(cls, engine: Engine) -> "Sessions":
        writer_engine = engine.execution_options(sqlite_begin="IMMEDIATE") if is_sqlite(engine) \
            else engine.execution_options(stancemark_writer=True)
        return cls(
            engine=engine,
            read=sessionmaker(engine, expire_on_commit=False),
            write=sessionmaker(writer_engine, expire_on_commit=False),
        )
