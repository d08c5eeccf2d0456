"""`add-user` and `team-setup` are safe by construction: hostile names are either created exactly as typed or
refused in one line with nothing changed, and a password reaches the server (and its log) only as a
SCRAM-SHA-256 verifier computed on the client."""
from __future__ import annotations

import base64
import hashlib
import hmac
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

from cli import build_parser, run as run_command
from storage import Database, open_database, open_with_samples
from storage.team import drop_user, setup_team


@pytest.fixture
def admin(postgres_url: str) -> Iterator[Database]:
    db = open_with_samples(postgres_url)
    setup_team(db)
    yield db
    db.close()


def _command(url: str, *words: str) -> int:
    return run_command(build_parser().parse_args(["--db", url, *words]))


def _admin_conn(url: str) -> psycopg.Connection:  # type: ignore[type-arg]
    u = make_url(url)
    return psycopg.connect(host=u.host, port=u.port, dbname=u.database, user=u.username, autocommit=True)


def _role(url: str, name: str) -> tuple[bool, str | None] | None:
    with _admin_conn(url) as conn:
        row = conn.execute("SELECT rolcanlogin, rolpassword FROM pg_authid WHERE rolname = %s", (name,)).fetchone()
    return (row[0], row[1]) if row else None


def _scram_matches(verifier: str, password: str) -> bool:
    """Recomputes the stored key of a SCRAM-SHA-256 verifier (RFC 5802) from the password."""
    method, rest = verifier.split("$", 1)
    iterations_salt, keys = rest.split("$")
    iterations, salt = iterations_salt.split(":")
    stored_key = keys.split(":")[0]
    salted = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), base64.b64decode(salt), int(iterations))
    client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
    return method == "SCRAM-SHA-256" and base64.b64encode(hashlib.sha256(client_key).digest()).decode() == stored_key


HOSTILE_BUT_VALID = ["o'brien", 'x"y; DROP TABLE event; --', "$$; DROP TABLE event; $$", "a$$b", "Zoë Ünal"]


@pytest.mark.parametrize("shape", HOSTILE_BUT_VALID)
def test_a_hostile_but_valid_name_becomes_exactly_that_role(admin: Database, shape: str,
                                                            monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    name = f"{shape} {uuid.uuid4().hex[:6]}"
    password = "p'w\" $$ \\ ; DROP ROLE postgres; -- ü"
    monkeypatch.setenv("SM_TEST_PASSWORD", password)
    url = admin.location
    try:
        assert _command(url, "add-user", name, "--password-env", "SM_TEST_PASSWORD") == 0
        assert capsys.readouterr().out.strip() == f"{name}: login role in stancemark_annotator"
        login, verifier = _role(url, name) or (False, None)
        assert login and verifier and _scram_matches(verifier, password)
        assert admin.annotators.get(name).role == "annotator"
        member = open_database(make_url(url).set(username=name).render_as_string(hide_password=False))
        try:
            assert member.team_identity() == name
        finally:
            member.close()
        assert admin.annotations.latest_event_id() > 0  # the log is still there, whatever the name said
    finally:
        drop_user(admin, name)


def _refusals(admin_name: str) -> list[tuple[str, str]]:
    return [
        ("é" * 32, "at most 63 bytes"),  # 64 bytes in UTF-8, though 32 characters
        ("x" * 64, "at most 63 bytes"),
        ("stancemark_reviewer", "group roles"),
        ("stancemark_annotator", "group roles"),
        ("pg_monitor", "reserved"),
        ("public", "reserved"),
        (admin_name, "administrator's own role"),
        (" padded", "surrounding"),
        ("two  spaces", "doubled"),
        ("line\nbreak", "doubled"),
        ("bell\x07", "control"),
        ("", "empty"),
    ]


def test_unusable_names_are_refused_in_one_line_with_nothing_changed(
        admin: Database, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    url = admin.location
    monkeypatch.setenv("SM_TEST_PASSWORD", "secret")
    before = [a.name for a in admin.annotators.list()]
    admin_name = make_url(url).username or ""
    refusals = _refusals(admin_name)
    # Every role a refused name could have made or changed, as typed and as trimmed or with its spaces joined.
    # Not the whole cluster: tests in the other worker make and drop roles of their own meanwhile.
    touchable = sorted({form for name, _ in refusals for form in (name, name.strip(), " ".join(name.split()))})
    roles = "SELECT rolname, rolcanlogin, rolpassword FROM pg_authid WHERE rolname = ANY(%s) ORDER BY 1"
    with _admin_conn(url) as conn:
        roles_before = conn.execute(roles, (touchable,)).fetchall()
    for name, reason in refusals:
        assert _command(url, "add-user", name, "--password-env", "SM_TEST_PASSWORD") == 1, name
        captured = capsys.readouterr()
        assert reason in captured.err and captured.err.count("\n") == 1 and not captured.out, (name, captured)
    with _admin_conn(url) as conn:
        assert conn.execute(roles, (touchable,)).fetchall() == roles_before
    assert [a.name for a in admin.annotators.list()] == before


def test_team_setup_makes_a_group_role_turned_login_a_group_again(admin: Database) -> None:
    url = admin.location
    with _admin_conn(url) as conn:
        conn.execute("ALTER ROLE stancemark_reviewer LOGIN")
    setup_team(admin)
    assert _role(url, "stancemark_reviewer") == (False, None)
    assert _role(url, "stancemark_annotator") == (False, None)


def _server_log(url: str) -> Path:
    configured = os.environ.get("STANCEMARK_TEST_POSTGRES_LOG")
    if configured:
        return Path(configured)
    with _admin_conn(url) as conn:
        return Path(conn.execute("SHOW data_directory").fetchone()[0]) / "server.log"  # type: ignore[index]


def test_no_password_reaches_the_server_log(admin: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    url = admin.location
    log = _server_log(url)
    if not os.access(log, os.R_OK):
        pytest.skip(f"cannot read the server log {log} (set STANCEMARK_TEST_POSTGRES_LOG)")
    database = make_url(url).database
    with _admin_conn(url) as conn:  # every statement on this database logged, for new sessions
        conn.execute(f'ALTER DATABASE "{database}" SET log_statement = \'all\'')
    admin.engine.dispose()
    start = log.stat().st_size
    password = f"plain-{uuid.uuid4().hex}"
    name = f"sm_logged_{uuid.uuid4().hex[:8]}"
    monkeypatch.setenv("SM_TEST_PASSWORD", password)
    try:
        assert _command(url, "add-user", name, "--password-env", "SM_TEST_PASSWORD") == 0
        assert _command(url, "add-user", name, "--reviewer", "--password-env", "SM_TEST_PASSWORD") == 0  # again
        with log.open("rb") as handle:
            handle.seek(start)
            written = handle.read().decode("utf-8", "replace")
        assert f'CREATE ROLE "{name}" LOGIN' in written  # the statements were logged...
        assert f"ALTER ROLE \"{name}\" PASSWORD 'SCRAM-SHA-256$" in written
        assert password not in written  # ...and the password never was
    finally:
        drop_user(admin, name)
