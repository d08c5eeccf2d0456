"""Attacks on a team server by an ordinary annotator and by a reviewer, over a raw psycopg connection (any
client could send these): each must be refused by the server and leave every row, the log, the roles and the
schema exactly as they were; afterwards `stancemark check` finds the log and the table in agreement."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import psycopg
import pytest

from cli import build_parser, run as run_command
from storage.replay import differences_from_log

from throwaway_databases import POSTGRES_ADMIN_URL
from team_roles import Team, as_json, build_team

Statement = str | tuple[str, tuple[Any, ...]]


@dataclass(frozen=True)
class Attack:
    name: str
    who: str  # alice or bob (annotators), rita or rita2 (reviewers)
    statements: Callable[[Team], list[Statement]]
    outcome: str = "refused"  # "refused": the server raises insufficient_privilege; "nothing": 0 rows change


def _edit_with_event(t: Team, ann: str, row_sql: str, **snapshot_changes: Any) -> list[Statement]:
    """A raw edit of one's own row together with an event claiming `snapshot_changes` over the current row."""
    after = {**t.snapshot(ann), **snapshot_changes}
    return [(f"UPDATE annotation SET {row_sql} WHERE id = %s", (ann,)),
            ("INSERT INTO event (at, annotator_id, action, entity, entity_id, after) "
             "VALUES (now(), %s, 'edit', 'annotation', %s, %s)", (t.ids["alice_id"], ann, as_json(after)))]


def _event(t: Team, by: str | None, action: str, entity: str, entity_id: str, after: dict[str, Any]) -> Statement:
    return ("INSERT INTO event (at, annotator_id, action, entity, entity_id, after) VALUES (now(), %s, %s, %s, %s, %s)",
            (t.ids[f"{by}_id"] if by else None, action, entity, entity_id, as_json(after)))


A = Attack
ATTACKS = [
    # -- a colleague's annotation ----------------------------------------------------------------------------
    A("update a colleague's annotation", "alice",
      lambda t: [("UPDATE annotation SET note = 'mine now', stance = 'support' WHERE id = %s", (t.ids["bob_ann"],))],
      "nothing"),
    A("take over a colleague's annotation", "alice",
      lambda t: [("UPDATE annotation SET annotator_id = %s WHERE id = %s", (t.ids["alice_id"], t.ids["bob_ann"]))],
      "nothing"),
    A("delete a colleague's annotation", "alice", lambda t: [("DELETE FROM annotation WHERE id = %s", (t.ids["bob_ann"],))]),
    A("hard-delete one's own annotation", "alice",
      lambda t: [("DELETE FROM annotation WHERE id = %s", (t.ids["alice_ann"],))]),
    A("insert an annotation in a colleague's name", "alice", lambda t: [(
        "INSERT INTO annotation (id, document_id, annotator_id, start, \"end\", quote, note, scheme_version, revision, "
        "created_at, updated_at) SELECT 'forged-1', %s, %s, 0, 3, 'x', '', max(version), 1, now(), now() "
        "FROM label_scheme", (t.ids["doc"], t.ids["bob_id"]))]),
    A("give one's own annotation to a colleague", "alice", lambda t: [
        ("UPDATE annotation SET annotator_id = %s WHERE id = %s", (t.ids["bob_id"], t.ids["alice_ann"]))]),
    # -- changes without their event ------------------------------------------------------------------------
    A("edit one's own annotation without an event", "alice",
      lambda t: [("UPDATE annotation SET note = 'raw' WHERE id = %s", (t.ids["alice_ann"],))]),
    A("insert one's own annotation without an event", "alice", lambda t: [(
        "INSERT INTO annotation (id, document_id, annotator_id, start, \"end\", quote, note, scheme_version, revision, "
        "created_at, updated_at) SELECT 'quiet-1', %s, %s, 0, 3, 'x', '', max(version), 1, now(), now() "
        "FROM label_scheme", (t.ids["doc"], t.ids["alice_id"]))]),
    A("undelete one's own annotation without an event", "alice",
      lambda t: [("UPDATE annotation SET deleted_at = NULL WHERE id = %s", (t.ids["alice_deleted"],))]),
    A("edit with an event that describes another change", "alice",
      lambda t: _edit_with_event(t, t.ids["alice_ann"], "note = 'what I did'", note="what I logged")),
    A("edit with an event missing the snapshot's fields", "alice", lambda t: [
        ("UPDATE annotation SET note = 'n' WHERE id = %s", (t.ids["alice_ann"],)),
        _event(t, "alice", "edit", "annotation", t.ids["alice_ann"], {"note": "n"})]),
    A("edit with a naive timestamp read in another time zone", "alice", lambda t: [
        "SET TIME ZONE 'Asia/Tokyo'",
        *_edit_with_event(t, t.ids["alice_ann"], "updated_at = '2026-01-01 09:00:00'",
                          updated_at="2026-01-01T09:00:00")]),
    A("point one's annotation at a merged actor, logging its name", "alice", lambda t: _edit_with_event(
        t, t.ids["alice_ann"], f"actor_id = {t.ids['moscow']}", actor=_actor_name(t, t.ids["moscow"]))),
    A("delete whose event does not say deleted", "alice", lambda t: [
        ("UPDATE annotation SET deleted_at = now() WHERE id = %s", (t.ids["alice_ann"],)),
        _event(t, "alice", "edit", "annotation", t.ids["alice_ann"], t.snapshot(t.ids["alice_ann"]))]),
    A("checks forced early, change after them", "alice", lambda t: [
        "SET CONSTRAINTS ALL IMMEDIATE",
        ("UPDATE annotation SET note = 'early' WHERE id = %s", (t.ids["alice_ann"],))]),
    # -- forged events ----------------------------------------------------------------------------------------
    A("log a delete in a colleague's name", "alice",
      lambda t: [_event(t, "bob", "delete", "annotation", t.ids["bob_ann"], t.snapshot(t.ids["bob_ann"]))]),
    A("log a 'system' delete with no annotator", "alice",
      lambda t: [_event(t, None, "delete", "annotation", t.ids["bob_ann"], t.snapshot(t.ids["bob_ann"]))]),
    A("log in one's own name a change to a colleague's annotation", "alice",
      lambda t: [_event(t, "alice", "delete", "annotation", t.ids["bob_ann"], t.snapshot(t.ids["bob_ann"]))]),
    A("log a change to one's own annotation that was never made", "alice",
      lambda t: [_event(t, "alice", "edit", "annotation", t.ids["alice_ann"], t.snapshot(t.ids["alice_ann"]))]),
    A("log an import", "alice", lambda t: [_event(t, "alice", "import", "document", t.ids["doc"], {"annotations": []})]),
    A("log an actor creation that never happened", "alice",
      lambda t: [_event(t, "alice", "create", "actor", str(t.ids["nato"]), {"name": "NATO"})]),
    A("write an event with a chosen id", "alice", lambda t: [(
        "INSERT INTO event (id, at, annotator_id, action, entity, entity_id) VALUES (999999999, now(), %s, 'status', "
        "'document', %s)", (t.ids["alice_id"], t.ids["doc"]))]),
    A("move the log's id sequence", "alice", lambda t: ["SELECT setval(pg_get_serial_sequence('event', 'id'), 999999999)"]),
    A("rewrite the log", "alice", lambda t: ["UPDATE event SET action = 'nothing'"]),
    A("delete from the log", "alice", lambda t: ["DELETE FROM event"]),
    A("truncate the log", "alice", lambda t: ["TRUNCATE event"]),
    A("truncate the annotations", "alice", lambda t: ["TRUNCATE annotation CASCADE"]),
    # -- document status ------------------------------------------------------------------------------------
    A("change a colleague's status", "alice", lambda t: [
        ("UPDATE document_status SET status = 'done' WHERE annotator_id = %s", (t.ids["bob_id"],))], "nothing"),
    A("set a status in a colleague's name", "alice", lambda t: [(
        "INSERT INTO document_status (document_id, annotator_id, status, updated_at) VALUES (%s, %s, 'done', now())",
        (t.ids["other_doc"], t.ids["bob_id"]))]),
    A("change one's own status without an event", "alice", lambda t: [
        ("UPDATE document_status SET status = 'done' WHERE annotator_id = %s", (t.ids["alice_id"],))]),
    A("set one's own new status without an event", "alice", lambda t: [(
        "INSERT INTO document_status (document_id, annotator_id, status, updated_at) VALUES (%s, %s, 'done', now())",
        (t.ids["other_doc"], t.ids["alice_id"]))]),
    A("change one's status, logging another", "alice", lambda t: [
        ("UPDATE document_status SET status = 'done' WHERE annotator_id = %s", (t.ids["alice_id"],)),
        _event(t, "alice", "status", "document", t.ids["doc"], {"status": "todo"})]),
    A("log a status change never made", "alice",
      lambda t: [_event(t, "alice", "status", "document", t.ids["doc"], {"status": "done"})]),
    # -- gold and review status by a non-reviewer --------------------------------------------------------------
    A("write gold as an annotator", "alice", lambda t: [(
        "INSERT INTO gold_annotation (id, document_id, start, \"end\", quote, note, decision, source_annotation_ids, "
        "reviewer_id, rationale, scheme_version, created_at, updated_at) SELECT 'g-1', %s, 0, 3, 'x', '', 'accepted', "
        "'[]', %s, '', max(version), now(), now() FROM label_scheme", (t.ids["doc"], t.ids["alice_id"]))]),
    A("retract gold as an annotator", "alice", lambda t: ["UPDATE gold_annotation SET deleted_at = now()"]),
    A("set a review status as an annotator", "alice", lambda t: [(
        "INSERT INTO review_status (document_id, status, reviewer_id, updated_at) VALUES (%s, 'adjudicated', %s, now())",
        (t.ids["other_doc"], t.ids["alice_id"]))]),
    A("change a review status as an annotator", "alice", lambda t: ["UPDATE review_status SET status = 'adjudicated'"]),
    A("log a gold decision as an annotator", "alice",
      lambda t: [_event(t, "alice", "accepted", "gold", t.ids["gold"], {"decision": "accepted"})]),
    # -- the actor registry and the scheme ---------------------------------------------------------------------
    A("add an alias that hijacks a name", "alice", lambda t: [
        ("INSERT INTO actor_alias (actor_id, alias) VALUES (%s, 'Vladimir Putin')", (t.ids["nato"],))]),
    A("move an alias to another actor", "alice", lambda t: [
        ("UPDATE actor_alias SET actor_id = %s WHERE alias = 'the Kremlin'", (t.ids["nato"],))]),
    A("delete an alias", "alice", lambda t: ["DELETE FROM actor_alias"]),
    A("rename an actor", "alice", lambda t: ["UPDATE actor SET name = 'Putin' WHERE name = 'Kremlin'"]),
    A("change an actor's kind as an annotator", "alice", lambda t: ["UPDATE actor SET kind = 'person'"]),
    A("merge actors", "alice", lambda t: [("UPDATE actor SET merged_into_id = %s WHERE id = %s",
                                          (t.ids["nato"], t.ids["kremlin"]))]),
    A("delete an actor", "alice", lambda t: [("DELETE FROM actor WHERE id = %s", (t.ids["nato"],))]),
    A("create an actor that shadows an alias", "alice",
      lambda t: ["INSERT INTO actor (name, kind, created_at) VALUES ('the Kremlin', 'other', now())"]),
    A("create an actor already merged", "alice", lambda t: [(
        "INSERT INTO actor (name, kind, merged_into_id, created_at) VALUES ('Fresh', 'other', %s, now())",
        (t.ids["nato"],))]),
    A("create an actor whose name the app would rewrite", "alice",
      lambda t: ["INSERT INTO actor (name, kind, created_at) VALUES ('Vladimir\u00a0 Putin', 'other', now())"]),
    A("install a label scheme", "alice", lambda t: [
        "INSERT INTO label_scheme (version, body, note, created_at) VALUES (99, '{}', 'mine', now())"]),
    A("edit the label scheme", "alice", lambda t: ["UPDATE label_scheme SET body = '{}'"]),
    A("edit an article's text", "alice", lambda t: ["UPDATE document SET text = 'rewritten'"]),
    A("change a setting", "alice", lambda t: ["UPDATE setting SET value = 'no'"]),
    # -- roles and identity -------------------------------------------------------------------------------------
    A("promote oneself to reviewer in the table", "alice",
      lambda t: [("UPDATE annotator SET role = 'reviewer' WHERE id = %s", (t.ids["alice_id"],))]),
    A("enrol someone else", "alice", lambda t: ["INSERT INTO annotator (name, role, created_at) VALUES ('mallory', "
                                               "'annotator', now())"]),
    A("SET ROLE to the reviewer group", "alice", lambda t: ["SET ROLE stancemark_reviewer"]),
    A("SET ROLE to a colleague", "alice", lambda t: [f'SET ROLE "{t.names["bob"]}"']),
    A("SET ROLE to the own group, then write as it", "alice", lambda t: [
        "SET ROLE stancemark_annotator",
        "INSERT INTO annotator (name, role, created_at) VALUES ('stancemark_annotator', 'annotator', now())"]),
    A("SET SESSION AUTHORIZATION to a colleague", "alice",
      lambda t: [f'SET SESSION AUTHORIZATION "{t.names["bob"]}"']),
    A("grant oneself the reviewer group", "alice", lambda t: [f'GRANT stancemark_reviewer TO "{t.names["alice"]}"']),
    A("make oneself a superuser", "alice", lambda t: [f'ALTER ROLE "{t.names["alice"]}" SUPERUSER']),
    A("give oneself CREATEROLE and BYPASSRLS", "alice",
      lambda t: [f'ALTER ROLE "{t.names["alice"]}" CREATEROLE BYPASSRLS']),
    A("set a colleague's password", "alice", lambda t: [f"ALTER ROLE \"{t.names['bob']}\" PASSWORD 'mine'"]),
    A("create a role", "alice", lambda t: ["CREATE ROLE mallory_sm LOGIN"]),
    A("switch triggers off for the session", "alice", lambda t: ["SET session_replication_role = replica"]),
    A("read password hashes from pg_authid", "alice", lambda t: ["SELECT rolname, rolpassword FROM pg_authid"]),
    A("read password hashes from pg_shadow", "alice", lambda t: ["SELECT usename, passwd FROM pg_shadow"]),
    # -- the schema ------------------------------------------------------------------------------------------
    A("disable the triggers", "alice", lambda t: ["ALTER TABLE annotation DISABLE TRIGGER ALL"]),
    A("disable row-level security", "alice", lambda t: ["ALTER TABLE annotation DISABLE ROW LEVEL SECURITY"]),
    A("drop the log's trigger", "alice", lambda t: ["DROP TRIGGER stancemark_event_written ON event"]),
    A("drop a policy", "alice", lambda t: ["DROP POLICY stancemark_update ON annotation"]),
    A("drop the log", "alice", lambda t: ["DROP TABLE event CASCADE"]),
    A("add a column", "alice", lambda t: ["ALTER TABLE annotation ADD COLUMN mine text"]),
    A("create a table", "alice", lambda t: ["CREATE TABLE public.mine (x int)"]),
    A("create a temporary table that shadows the log", "alice", lambda t: ["CREATE TEMP TABLE event (id int)"]),
    A("create a function", "alice",
      lambda t: ["CREATE FUNCTION public.mine() RETURNS int LANGUAGE sql AS 'SELECT 1'"]),
    A("replace the administrator test", "alice", lambda t: [
        "CREATE OR REPLACE FUNCTION public.stancemark_is_admin() RETURNS boolean LANGUAGE sql AS 'SELECT true'"]),
    A("create a trigger", "alice", lambda t: [
        "CREATE TRIGGER mine BEFORE UPDATE ON annotation FOR EACH ROW EXECUTE FUNCTION stancemark_gold_kept()"]),
    # -- a reviewer ---------------------------------------------------------------------------------------------
    A("reviewer: update an annotator's annotation", "rita",
      lambda t: [("UPDATE annotation SET note = 'fixed' WHERE id = %s", (t.ids["bob_ann"],))], "nothing"),
    A("reviewer: write gold without an event", "rita", lambda t: [(
        "INSERT INTO gold_annotation (id, document_id, start, \"end\", quote, note, decision, source_annotation_ids, "
        "reviewer_id, rationale, scheme_version, created_at, updated_at) SELECT 'g-2', %s, 0, 3, 'x', '', 'accepted', "
        "'[]', %s, '', max(version), now(), now() FROM label_scheme", (t.ids["doc"], t.ids["rita_id"]))]),
    A("reviewer: write gold in another reviewer's name", "rita", lambda t: [(
        "INSERT INTO gold_annotation (id, document_id, start, \"end\", quote, note, decision, source_annotation_ids, "
        "reviewer_id, rationale, scheme_version, created_at, updated_at) SELECT 'g-3', %s, 0, 3, 'x', '', 'accepted', "
        "'[]', %s, '', max(version), now(), now() FROM label_scheme", (t.ids["doc"], t.ids["rita2_id"])),
        _event(t, "rita", "accepted", "gold", "g-3", {"decision": "accepted"})]),
    A("reviewer: rewrite a gold decision", "rita", lambda t: [
        ("UPDATE gold_annotation SET note = 'rewritten', decision = 'edited' WHERE id = %s", (t.ids["gold"],))]),
    A("reviewer: retract gold without an event", "rita", lambda t: [
        ("UPDATE gold_annotation SET deleted_at = now() WHERE id = %s", (t.ids["gold"],))]),
    A("reviewer: delete gold", "rita", lambda t: ["DELETE FROM gold_annotation"]),
    A("reviewer: change a review status without an event", "rita",
      lambda t: ["UPDATE review_status SET status = 'adjudicated'"]),
    A("reviewer: give a review status to another reviewer", "rita", lambda t: [
        ("UPDATE review_status SET reviewer_id = %s, status = 'adjudicated'", (t.ids["rita2_id"],)),
        _event(t, "rita", "review_status", "document", t.ids["doc"], {"status": "adjudicated"})]),
    A("reviewer: log a gold decision never made", "rita",
      lambda t: [_event(t, "rita", "accepted", "gold", "no-such-gold", {"decision": "accepted"})]),
    A("reviewer: rename an actor", "rita", lambda t: ["UPDATE actor SET name = 'Putin' WHERE name = 'Kremlin'"]),
    A("reviewer: merge actors", "rita", lambda t: [("UPDATE actor SET merged_into_id = %s WHERE id = %s",
                                                   (t.ids["nato"], t.ids["kremlin"]))]),
    A("reviewer: delete an actor", "rita", lambda t: [("DELETE FROM actor WHERE id = %s", (t.ids["nato"],))]),
    A("reviewer: alias equal to another actor's name", "rita", lambda t: [
        ("INSERT INTO actor_alias (actor_id, alias) VALUES (%s, 'Kremlin')", (t.ids["nato"],))]),
    A("reviewer: move an alias onto a merged actor", "rita", lambda t: [
        ("UPDATE actor_alias SET actor_id = %s WHERE alias = 'the Kremlin'", (t.ids["moscow"],))]),
    A("reviewer: install a label scheme", "rita", lambda t: [
        "INSERT INTO label_scheme (version, body, note, created_at) VALUES (99, '{}', 'mine', now())"]),
    A("reviewer: promote an annotator", "rita", lambda t: ["UPDATE annotator SET role = 'reviewer'"]),
    A("reviewer: grant the reviewer group", "rita", lambda t: [f'GRANT stancemark_reviewer TO "{t.names["alice"]}"']),
]


def _actor_name(t: Team, actor_id: int) -> str:
    with t.admin_connection() as conn:
        return conn.execute("SELECT name FROM actor WHERE id = %s", (actor_id,)).fetchone()[0]  # type: ignore[index]


@pytest.fixture(scope="module")
def team() -> Iterator[Team]:
    if not POSTGRES_ADMIN_URL:
        pytest.skip("needs a PostgreSQL test server (STANCEMARK_TEST_POSTGRES, set by .ci/run)")
    yield from build_team(POSTGRES_ADMIN_URL)


def test_there_are_at_least_forty_attacks() -> None:
    assert len(ATTACKS) >= 40 and len({a.name for a in ATTACKS}) == len(ATTACKS)
    assert {a.who for a in ATTACKS} == {"alice", "rita"}


@pytest.mark.parametrize("attack", ATTACKS, ids=[a.name for a in ATTACKS])
def test_the_server_refuses(team: Team, attack: Attack) -> None:
    statements = attack.statements(team)
    before = team.dump()
    refused: psycopg.Error | None = None
    changed = 0
    conn = team.connect(attack.who)
    try:
        with conn.cursor() as cur:
            for statement in statements:
                sql, params = statement if isinstance(statement, tuple) else (statement, ())
                cur.execute(sql, params or None)
                changed += max(cur.rowcount, 0) if cur.statusmessage and cur.statusmessage.split()[0] in (
                    "INSERT", "UPDATE", "DELETE") else 0
        conn.commit()
    except psycopg.Error as exc:
        refused = exc
        conn.rollback()
    finally:
        conn.close()
    if attack.outcome == "refused":
        assert refused is not None, f"the server let it through ({changed} rows)"
        assert refused.sqlstate == "42501", f"{refused.sqlstate}: {refused}"
    else:
        assert refused is None and changed == 0
    assert team.dump() == before


def test_check_finds_the_log_and_the_table_in_agreement_after_the_attacks(
        team: Team, capsys: pytest.CaptureFixture[str]) -> None:
    compared, differences = differences_from_log(team.admin)
    assert compared >= 6 and differences == []
    assert run_command(build_parser().parse_args(["--db", team.url, "check"])) == 0
    assert "no difference" in capsys.readouterr().out


def test_an_honest_raw_change_with_its_event_is_accepted(team: Team) -> None:
    """Not every raw write is refused: one that logs itself truthfully goes through, and the log still rebuilds
    the table (the checks verify; they do not merely block)."""
    ann = team.ids["alice_ann"]
    after = {**team.snapshot(ann), "note": "raw but honest"}
    after["revision"] += 1
    with team.connect("alice") as conn:
        conn.execute("UPDATE annotation SET note = 'raw but honest', revision = revision + 1 WHERE id = %s", (ann,))
        conn.execute("INSERT INTO event (at, annotator_id, action, entity, entity_id, after) "
                     "VALUES (now(), %s, 'edit', 'annotation', %s, %s)", (team.ids["alice_id"], ann, as_json(after)))
    assert team.admin.annotations.get(ann).note == "raw but honest"
    assert differences_from_log(team.admin)[1] == []


def test_a_reviewer_may_move_an_alias_an_annotator_may_not(team: Team) -> None:
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        with team.connect("bob") as conn:
            conn.execute("UPDATE actor_alias SET actor_id = %s WHERE alias = 'the Kremlin'", (team.ids["nato"],))
    with team.connect("rita") as conn:
        moved = conn.execute("UPDATE actor_alias SET actor_id = %s WHERE alias = 'the Kremlin'", (team.ids["nato"],))
        assert moved.rowcount == 1
    assert team.admin.actors.get("the Kremlin").name == "NATO"
    assert differences_from_log(team.admin)[1] == []
