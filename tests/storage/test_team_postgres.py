"""Team mode: each annotator connects as their own PostgreSQL role and the server refuses, by itself,
any change to a colleague's work, even in raw SQL that never passes through Stancemark's services."""
from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from storage import AnnotationDraft, Database, PermissionDenied, StancemarkError, open_database, open_with_samples
from cli import build_parser, run as run_command
from storage.engine import make_engine
from storage.team import add_user, setup_team

@pytest.fixture
def team(postgres_url: str) -> Iterator[tuple[Database, str]]:
    """An admin connection to a new database set up for a team of alice, bob and rita (reviewer)."""
    admin = open_with_samples(postgres_url)
    setup_team(admin)
    add_user(admin, "alice")
    add_user(admin, "bob")
    add_user(admin, "rita", reviewer=True)
    yield admin, postgres_url
    admin.close()


def _as(url: str, role: str) -> str:
    return make_url(url).set(username=role, password=None).render_as_string(hide_password=False)


def test_server_refuses_raw_sql_changes_to_a_colleagues_annotation(team: tuple[Database, str]) -> None:
    admin, url = team
    doc = admin.documents.list()[0]
    bob = open_with_samples(_as(url, "bob"))
    bobs = bob.annotations.add(AnnotationDraft(doc.id, 0, 5, stance="neutral", actor="Kremlin"), by="bob")
    bob.close()

    alice_engine = make_engine(_as(url, "alice"))
    try:
        with alice_engine.begin() as conn:
            assert conn.scalar(text("SELECT current_user")) == "alice"
            changed = conn.execute(text("UPDATE annotation SET stance = 'support', note = 'mine now' "
                                        "WHERE id = :id"), {"id": bobs.id})
            assert changed.rowcount == 0  # row-level security: bob's row is not hers to update
            taken = conn.execute(text("UPDATE annotation SET annotator_id = "
                                      "(SELECT id FROM annotator WHERE name = 'alice') WHERE id = :id"),
                                 {"id": bobs.id})
            assert taken.rowcount == 0
        with pytest.raises(PermissionDenied, match="the server refused"):
            with alice_engine.begin() as conn:
                conn.execute(text("DELETE FROM annotation WHERE id = :id"), {"id": bobs.id})
        with pytest.raises(PermissionDenied, match="the server refused"):
            with alice_engine.begin() as conn:  # an annotation, or an event, in bob's name
                conn.execute(text("INSERT INTO event (at, annotator_id, action, entity, entity_id) VALUES "
                                  "(now(), (SELECT id FROM annotator WHERE name = 'bob'), 'delete', "
                                  "'annotation', :id)"), {"id": bobs.id})
        with pytest.raises(PermissionDenied, match="the server refused"):
            with alice_engine.begin() as conn:  # the log is append-only
                conn.execute(text("UPDATE event SET action = 'nothing'"))
        with pytest.raises(PermissionDenied, match="the server refused"):
            with alice_engine.begin() as conn:  # and the gold layer is for reviewers
                conn.execute(text("UPDATE gold_annotation SET note = 'x'"))
    finally:
        alice_engine.dispose()

    after = admin.annotations.get(bobs.id)
    assert (after.stance, after.note, after.annotator, after.revision) == ("neutral", "", "bob", bobs.revision)
    assert [e.action for e in admin.annotations.history(bobs.id)] == ["create"]


def test_each_annotator_works_normally_through_the_services(team: tuple[Database, str]) -> None:
    admin, url = team
    doc = admin.documents.list()[0]
    alice = open_with_samples(_as(url, "alice"))
    try:
        assert (alice.team_identity(), admin.team_identity()) == ("alice", None)
        mine = alice.annotations.add(AnnotationDraft(doc.id, 10, 20, actor="A new actor"), by="alice")
        edited = alice.annotations.edit(mine.id, "alice", expected_revision=mine.revision, stance="oppose")
        alice.annotations.delete(edited.id, "alice")
        alice.annotations.add(edited.as_draft(), by="alice")  # redo restores
        alice.documents.set_status(doc.id, "done", by="alice")
        # Her own row she may change only with its event: raw SQL without one is refused at commit.
        with pytest.raises(PermissionDenied, match="changed without its event"):
            with alice.engine.begin() as conn:
                conn.execute(text("UPDATE annotation SET note = 'raw' WHERE id = :id"), {"id": mine.id})
        # Working under someone else's name is refused by the server, not only by the app.
        with pytest.raises(StancemarkError):
            alice.annotations.add(AnnotationDraft(doc.id, 0, 4), by="mallory")
    finally:
        alice.close()
    assert admin.annotations.get(mine.id).note == ""
    assert [e.action for e in admin.annotations.history(mine.id)] == ["create", "edit", "delete", "restore"]
    assert admin.documents.status(doc.id, "alice") == "done"
    assert [a.name for a in admin.annotators.list()] == ["alice", "bob", "rita"]


def test_team_setup_needs_postgresql(sqlite_path: str) -> None:
    db = open_database(sqlite_path)
    try:
        with pytest.raises(StancemarkError, match="needs a PostgreSQL server"):
            setup_team(db)
        assert db.team_identity() is None
    finally:
        db.close()


def test_admin_commands_set_up_a_team(team: tuple[Database, str], monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    admin, url = team

    def command(*words: str) -> int:
        return run_command(build_parser().parse_args(["--db", url, *words]))

    assert command("team-setup") == 0  # again: setting up twice changes nothing
    assert "annotation: select, insert, update (own rows only)" in capsys.readouterr().out
    monkeypatch.setenv("ERIN_PASSWORD", "s3cret 'quoted'")
    assert command("add-user", "erin", "--password-env", "ERIN_PASSWORD") == 0
    assert capsys.readouterr().out.strip() == "erin: login role in stancemark_annotator"
    assert command("add-user", "frank", "--password-env", "UNSET_VARIABLE_FOR_TEST") == 1
    assert "UNSET_VARIABLE_FOR_TEST is not set" in capsys.readouterr().err
    with admin.engine.connect() as conn:
        assert conn.scalar(text("SELECT rolpassword IS NOT NULL FROM pg_authid WHERE rolname = 'erin'"))
        assert conn.scalar(text("SELECT count(*) FROM pg_roles WHERE rolname = 'frank'")) == 0
    assert admin.annotators.get("erin").role == "annotator"
    erin = open_with_samples(_as(url, "erin"))
    try:
        assert erin.team_identity() == "erin"
    finally:
        erin.close()
