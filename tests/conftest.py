"""Shared fixtures. Qt runs offscreen here: without a display pytest would die with exit 134 and no message."""
from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Set by .ci/run after it starts a PostgreSQL server on loopback: postgresql+psycopg://user@127.0.0.1:port/postgres
POSTGRES_ADMIN_URL = os.environ.get("STANCEMARK_TEST_POSTGRES")

BACKENDS = ["sqlite"] + (["postgresql"] if POSTGRES_ADMIN_URL else [])


def _postgres_database() -> Iterator[str]:
    import psycopg
    from sqlalchemy.engine import make_url

    admin = make_url(POSTGRES_ADMIN_URL)
    name = f"sm_test_{uuid.uuid4().hex[:12]}"
    conninfo = dict(host=admin.host, port=admin.port or 5432, user=admin.username, dbname=admin.database,
                    password=admin.password or None)
    with psycopg.connect(**conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(**conninfo, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A new, empty database location on each backend the machine offers."""
    if request.param == "sqlite":
        yield str(tmp_path / "stancemark.db")
    else:
        yield from _postgres_database()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A new, empty PostgreSQL database, for what only a server has (roles, connections); skips without one."""
    if not POSTGRES_ADMIN_URL:
        pytest.skip("needs a PostgreSQL test server (STANCEMARK_TEST_POSTGRES, set by .ci/run)")
    yield from _postgres_database()


@pytest.fixture
def sqlite_path(tmp_path: Path) -> str:
    return str(tmp_path / "stancemark.db")


@pytest.fixture
def db(db_url: str):  # type: ignore[no-untyped-def]
    """An opened database with the default scheme and no seeds."""
    from storage import open_database

    database = open_database(db_url)
    yield database
    database.close()


@pytest.fixture
def seeded_db(db_url: str):  # type: ignore[no-untyped-def]
    """An opened database with the sample articles, as the window's first start leaves it."""
    from storage import open_with_samples

    database = open_with_samples(db_url)
    yield database
    database.close()


@pytest.fixture(scope="session")
def qapp():  # type: ignore[no-untyped-def]
    """pytest-qt's application fixture, replaced by the one the app itself makes: every window test runs in the
    application as the analyst gets it (the Fusion style, the app's font and its style sheet). Otherwise the look
    would depend on which test file ran first in the process (those that start the real `main()` restyle the one
    QApplication), and layout tests would pass or fail by order. Qt is imported here, not above, because only
    tests that ask for qtbot come here: tests/storage stays Qt-free."""
    from gui.app import make_application

    yield make_application([])
