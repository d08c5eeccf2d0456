"""Who may keep the actor registry clean on a team server (migration 0006), with real login roles: reviewers
rename, set kinds, add and remove aliases, merge (moving colleagues' annotations, which row-level security
alone would forbid), undo a merge and delete unused actors, each logged in their own name; annotators only
create actors on first use. Raw SQL that skips the services is refused by the server itself."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from storage import AnnotationDraft, PermissionDenied, open_database
from storage.replay import differences_from_log

from throwaway_databases import POSTGRES_ADMIN_URL
from team_roles import Team, as_json, build_team


@pytest.fixture(scope="module")
def team() -> Iterator[Team]:
    if not POSTGRES_ADMIN_URL:
        pytest.skip("needs a PostgreSQL test server (STANCEMARK_TEST_POSTGRES, set by .ci/run)")
    yield from build_team(POSTGRES_ADMIN_URL)


def _as(team: Team, who: str) -> Any:
    return open_database(team.as_url(who))


def _actor_events(team: Team, action: str) -> list[tuple[str, str]]:
    with team.admin_connection() as conn:
        return conn.execute("SELECT a.name, e.entity_id FROM event e JOIN annotator a ON a.id = e.annotator_id "
                            "WHERE e.entity = 'actor' AND e.action = %s ORDER BY e.id", (action,)).fetchall()


def test_a_reviewer_merges_colleagues_annotations_and_undoes_it(team: Team) -> None:
    n, doc = team.names, team.ids["doc"]
    for who in ("alice", "bob"):
        db = _as(team, who)
        try:
            db.annotations.add(AnnotationDraft(doc, 20, 25, actor="Sergey Lavrov"), by=n[who])
        finally:
            db.close()
    rita = _as(team, "rita")
    try:
        rita.actors.create("Sergei Lavrov", "person", by=n["rita"])
        change = rita.actors.merge("Sergey Lavrov", "Sergei Lavrov", by=n["rita"])
        assert len(change.annotations) == 2
        used = {p.annotator for p in rita.actors.passages("Sergei Lavrov")}
        assert used == {n["alice"], n["bob"]}
        assert (n["rita"], str(change.source_id)) in _actor_events(team, "merge")
        assert differences_from_log(team.admin)[1] == []
        restored = rita.actors.unmerge(change, by=n["rita"])
        assert restored.name == "Sergey Lavrov"
        assert {p.annotator for p in rita.actors.passages("Sergey Lavrov")} == {n["alice"], n["bob"]}
        assert differences_from_log(team.admin)[1] == []
        renamed = rita.actors.rename("Sergey Lavrov", "S. Lavrov", by=n["rita"])
        assert renamed.aliases == ("Sergey Lavrov",)
        assert rita.actors.set_kind("S. Lavrov", "person", by=n["rita"]).kind == "person"
        assert rita.actors.add_alias("S. Lavrov", "Lavrov S.", by=n["rita"]).aliases == ("Lavrov S.", "Sergey Lavrov")
        assert rita.actors.remove_alias("S. Lavrov", "Lavrov S.", by=n["rita"]).aliases == ("Sergey Lavrov",)
        rita.actors.create("Spare", by=n["rita"])
        assert rita.actors.delete("Spare", by=n["rita"]).name == "Spare"
        assert {a for a, _ in _actor_events(team, "rename")} == {n["rita"]}
    finally:
        rita.close()
    assert differences_from_log(team.admin)[1] == []


def test_an_annotator_may_not_rename_merge_or_delete(team: Team) -> None:
    n = team.names
    bob = _as(team, "bob")
    try:
        bob.annotations.add(AnnotationDraft(team.ids["doc"], 30, 35, actor="Made by bob"), by=n["bob"])
        team.admin.actors.create("Unused by anyone", by=None)
        before = team.dump()
        for step in (lambda: bob.actors.rename("Made by bob", "Renamed", by=n["bob"]),
                     lambda: bob.actors.set_kind("Made by bob", "person", by=n["bob"]),
                     lambda: bob.actors.add_alias("Made by bob", "Bob's", by=n["bob"]),
                     lambda: bob.actors.merge("Made by bob", "NATO", by=n["bob"]),
                     lambda: bob.actors.delete("Unused by anyone", by=n["bob"])):
            with pytest.raises(PermissionDenied):
                step()
        assert team.dump() == before
    finally:
        bob.close()


RAW_ATTACKS = {
    # an annotator logs a registry change the server reserves for reviewers (the row change is refused anyway)
    "annotator logs a rename": ("alice", lambda t: [
        ("INSERT INTO event (at, annotator_id, action, entity, entity_id, after) VALUES (now(), %s, 'rename', "
         "'actor', %s, %s)", (t.ids["alice_id"], str(t.ids["nato"]), as_json({"name": "NATO"})))]),
    "annotator calls the move function": ("alice", lambda t: [
        ("SELECT stancemark_move_actor_uses(%s, %s, ARRAY[%s], ARRAY[]::text[])",
         (t.ids["nato"], t.ids["kremlin"], t.ids["alice_ann"]))]),
    # a reviewer moves annotations without a merge of this transaction
    "reviewer moves uses without a merge": ("rita", lambda t: [
        ("SELECT stancemark_move_actor_uses(%s, %s, ARRAY[%s], ARRAY[]::text[])",
         (t.ids["kremlin"], t.ids["nato"], t.ids["alice_ann"]))]),
    # a reviewer renames with an event that lies about the new name
    "reviewer renames with a lying event": ("rita", lambda t: [
        ("UPDATE actor SET name = 'NATO alliance' WHERE id = %s", (t.ids["nato"],)),
        ("INSERT INTO event (at, annotator_id, action, entity, entity_id, after) VALUES (now(), %s, 'rename', "
         "'actor', %s, %s)", (t.ids["rita_id"], str(t.ids["nato"]), as_json({"name": "Something else"})))]),
    # a reviewer merges but leaves the annotations on the merged actor
    "reviewer merges leaving uses behind": ("rita", lambda t: [
        ("UPDATE actor SET merged_into_id = %s, name = 'Kremlin (merged)' WHERE id = %s",
         (t.ids["nato"], t.ids["kremlin"])),
        ("INSERT INTO event (at, annotator_id, action, entity, entity_id, after) VALUES (now(), %s, 'merge', "
         "'actor', %s, %s)", (t.ids["rita_id"], str(t.ids["kremlin"]),
                              as_json({"name": "Kremlin (merged)", "into_id": t.ids["nato"]})))]),
    "reviewer deletes a used actor with an event": ("rita", lambda t: [
        ("INSERT INTO event (at, annotator_id, action, entity, entity_id, before) VALUES (now(), %s, 'delete', "
         "'actor', %s, %s)", (t.ids["rita_id"], str(t.ids["kremlin"]), as_json({"name": "Kremlin"}))),
        ("DELETE FROM actor WHERE id = %s", (t.ids["kremlin"],))]),
    "reviewer renames without an event": ("rita", lambda t: [
        ("UPDATE actor SET name = 'NATO alliance' WHERE id = %s", (t.ids["nato"],))]),
}


@pytest.mark.parametrize("name", list(RAW_ATTACKS))
def test_raw_registry_changes_that_skip_the_rules_are_refused(team: Team, name: str) -> None:
    who, statements = RAW_ATTACKS[name]
    before = team.dump()
    conn = team.connect(who)
    try:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            with conn.cursor() as cur:
                for sql, params in statements(team):
                    cur.execute(sql, params)
            conn.commit()
    finally:
        conn.rollback()
        conn.close()
    assert team.dump() == before
