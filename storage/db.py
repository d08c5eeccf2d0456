"""Engines and sessions: SQLite pragmas, BEGIN IMMEDIATE for writers, migrations on open."""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from storage.paths import default_database_path

BUSY_TIMEOUT_MS = 15_000


def database_url(path_or_url: str | Path | None) -> str:
    """A plain path means SQLite; anything with '://' is a SQLAlchemy URL (PostgreSQL for teams)."""
    if path_or_url is None or str(path_or_url) == "":
        path_or_url = default_database_path()
    text = str(path_or_url)
    if "://" in text:
        url = make_url(text)
        if url.drivername in ("postgresql", "postgres"):
            url = url.set(drivername="postgresql+psycopg")
        return url.render_as_string(hide_password=False)
    if text == ":memory:":
        return "sqlite://"
    return f"sqlite:///{Path(text).expanduser().resolve()}"


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def _install_sqlite_pragmas(engine: Engine) -> None:
    # The driver's own transaction handling is switched off so that we issue BEGIN ourselves:
    # writers need BEGIN IMMEDIATE, or a read-then-write fails at once with "database is locked".
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys = ON")
        if engine.url.database:
            cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = FULL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


def make_engine(path_or_url: str | Path | None, **kwargs: Any) -> Engine:
    url = database_url(path_or_url)
    if url.startswith("sqlite"):
        if url != "sqlite://":
            Path(make_url(url).database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000}, **kwargs)
        _install_sqlite_pragmas(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


@dataclass(frozen=True)
class Sessions:
    """Two session factories over one engine: readers begin DEFERRED, writers IMMEDIATE (SQLite)."""

    engine: Engine
    read: sessionmaker[Session]
    write: sessionmaker[Session]

    @classmethod
    def over(cls, engine: Engine) -> "Sessions":
        writer_engine = engine.execution_options(sqlite_begin="IMMEDIATE") if is_sqlite(engine) else engine
        return cls(
            engine=engine,
            read=sessionmaker(engine, expire_on_commit=False),
            write=sessionmaker(writer_engine, expire_on_commit=False),
        )
