"""Where the tests' databases live: the backends this machine offers and a new PostgreSQL database per use.

A plain module, so that tests/conftest.py keeps only fixtures and nothing imports `conftest` by name: pytest
holds one module called `conftest` at a time, and once tests/gui/conftest.py existed, `from conftest import`
in a storage test found that one."""
from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

# Set by .ci/run after it starts a PostgreSQL server on loopback: postgresql+psycopg://user@127.0.0.1:port/postgres
POSTGRES_ADMIN_URL = os.environ.get("STANCEMARK_TEST_POSTGRES")

BACKENDS = ["sqlite"] + (["postgresql"] if POSTGRES_ADMIN_URL else [])


def postgres_database() -> Iterator[str]:
    """Yields the URL of a new, empty PostgreSQL database and drops it afterwards (a generator for fixtures)."""
    import psycopg
    from sqlalchemy.engine import make_url

    assert POSTGRES_ADMIN_URL, "needs a PostgreSQL test server (STANCEMARK_TEST_POSTGRES)"
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
