"""Shared fixtures. Qt runs offscreen here: without a display pytest would die with exit 134 and no message."""
from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from throwaway_databases import BACKENDS, POSTGRES_ADMIN_URL, postgres_database

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A new, empty database location on each backend the machine offers."""
    if request.param == "sqlite":
        yield str(tmp_path / "stancemark.db")
    else:
        yield from postgres_database()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A new, empty PostgreSQL database, for what only a server has (roles, connections); skips without one."""
    if not POSTGRES_ADMIN_URL:
        pytest.skip("needs a PostgreSQL test server (STANCEMARK_TEST_POSTGRES, set by .ci/run)")
    yield from postgres_database()


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
