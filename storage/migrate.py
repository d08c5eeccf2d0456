"""Schema upgrades through Alembic, with a backup copy of a SQLite file taken before any upgrade.

Alembic is imported only when an upgrade is due: opening a database that is already at the newest revision
(every start of the window but the first after an update) reads the revision files' headers and the
`alembic_version` row, which costs a millisecond instead of Alembic's import."""
from __future__ import annotations

import re
import sqlite3
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, inspect, text

from storage.errors import DatabaseUnavailable, StancemarkError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_REVISION = re.compile(r"""^revision(?:: str)? = ["']([^"']+)["']""", re.MULTILINE)
_DOWN = re.compile(r"""^down_revision(?:: [^=]+)? = (?:["']([^"']+)["']|None)""", re.MULTILINE)


def alembic_config() -> "Config":
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


@lru_cache(maxsize=1)
def revision_graph() -> dict[str, str | None]:
    """revision -> the revision it follows, read from the revision files' own headers."""
    graph: dict[str, str | None] = {}
    for path in sorted((MIGRATIONS / "versions").glob("*.py")):
        source = path.read_text(encoding="utf-8")
        revision, down = _REVISION.search(source), _DOWN.search(source)
        if revision and down:
            graph[revision.group(1)] = down.group(1)
    return graph


def head_revision() -> str:
    """The one revision no other follows (a test checks this agrees with Alembic's own answer)."""
    graph = revision_graph()
    heads = set(graph) - {down for down in graph.values() if down}
    if len(heads) != 1:
        raise AssertionError(f"the migrations must form one line, found heads {sorted(heads)}")
    return heads.pop()


def known_revisions() -> set[str]:
    return set(revision_graph())


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return _version_in(conn)


def _version_in(conn: Any) -> str | None:
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def backup_sqlite(engine: Engine, target: Path) -> Path:
    """A consistent copy of a live SQLite database through the online backup API."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if not engine.url.database:  # sqlite:// is in memory; both callers check this first
        raise StancemarkError("an in-memory database has nothing on disk to back up")
    src = sqlite3.connect(engine.url.database)
    try:
        dst = sqlite3.connect(str(target))
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    return target


def _refuse_strangers(engine: Engine, current: str | None, tables: set[str], *, settled: bool = True) -> None:
    """Not ours, or from a newer Stancemark. Unless `settled` (the writer lock is held), tables without a
    revision may be another program creating the schema this very moment: only decide when there is no
    alembic_version table at all."""
    where = engine.url.database if engine.dialect.name == "sqlite" else engine.url.render_as_string()
    if current is None and tables - {"alembic_version"} and (settled or "alembic_version" not in tables):
        raise DatabaseUnavailable(f"{where}: this is not a Stancemark database")
    if current is not None and current not in known_revisions():
        raise DatabaseUnavailable(f"{where}: this database was written by a newer version of Stancemark "
                                  f"(schema {current}); upgrade Stancemark to open it")


def upgrade(engine: Engine, revision: str = "head") -> str | None:
    """Brings the schema to `revision`; returns the path of the backup taken, if any.

    Several programs may open the same old (or new) database at once: the upgrade runs under the writer
    lock (SQLite BEGIN IMMEDIATE, PostgreSQL advisory lock) and looks again once it holds it, so exactly one
    of them upgrades and backs up, and the others find the work done."""
    target = head_revision() if revision == "head" else revision
    current = current_revision(engine)
    _refuse_strangers(engine, current, set(inspect(engine).get_table_names()), settled=False)
    if current == target:
        return None
    from alembic import command

    backup = None
    cfg = alembic_config()
    with engine.execution_options(sqlite_begin="IMMEDIATE", stancemark_writer=True).begin() as conn:
        current = _version_in(conn)
        _refuse_strangers(engine, current, set(inspect(conn).get_table_names()))
        if current == target:
            return None
        if current is not None and engine.dialect.name == "sqlite" and engine.url.database:
            # Taken while this connection holds the write lock: the copy is exactly what gets upgraded.
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
            path = Path(engine.url.database)
            backup = str(backup_sqlite(engine, path.with_name(f"{path.stem}.before-{current}-{stamp}{path.suffix}")))
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
    return backup
