"""Suggestions on a team server, with real login roles: anyone may run the suggesters and store what they
propose; each analyst's decisions (and the provenance of what they accepted) are theirs alone."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from storage import open_database

from throwaway_databases import POSTGRES_ADMIN_URL
from team_roles import Team, build_team


@pytest.fixture(scope="module")
def team() -> Iterator[Team]:
    if not POSTGRES_ADMIN_URL:
        pytest.skip("needs a PostgreSQL test server (STANCEMARK_TEST_POSTGRES, set by .ci/run)")
    yield from build_team(POSTGRES_ADMIN_URL)


@pytest.fixture(scope="module")
def decided(team: Team) -> dict[str, Any]:
    """alice runs the suggesters and accepts one; bob rejects another, through the services as themselves."""
    doc = team.ids["other_doc"]  # "The ministry denied the report on Tuesday."
    n = team.names
    out: dict[str, Any] = {"doc": doc}
    alice = open_database(team.as_url("alice"))
    try:
        assert alice.suggestions.run([doc], by=n["alice"]).computed == 3
        [claim] = [s for s in alice.suggestions.for_document(doc, n["alice"]) if s.kind == "claim"]
        accepted = alice.suggestions.accept(claim.id, n["alice"], {"stance": "oppose"})
        out["claim"], out["made"] = claim.id, [r.id for r in accepted.records]
    finally:
        alice.close()
    bob = open_database(team.as_url("bob"))
    try:
        assert bob.suggestions.run([doc], by=n["bob"]).reused == 2  # alice's stored proposals serve bob too
        bob.suggestions.reject(out["claim"], n["bob"])
        assert bob.suggestions.for_document(doc, n["bob"]) == []
    finally:
        bob.close()
    return out


def test_each_member_runs_and_decides_in_their_own_name(team: Team, decided: dict[str, Any]) -> None:
    assert team.admin.suggestions.origin(decided["made"][-1]) == decided["claim"]
    [negative] = team.admin.suggestions.rejected()
    assert negative["rejected_by"] == team.names["bob"]
    alice = open_database(team.as_url("alice"))
    try:  # alice may undo her own accept
        removed = alice.suggestions.revert([decided["claim"]], team.names["alice"])
        assert {r.id for r in removed} == set(decided["made"])
        again = alice.suggestions.accept(decided["claim"], team.names["alice"])
        assert len(again.records) == 3
    finally:
        alice.close()


ATTACKS = {
    "a decision in bob's name": ("INSERT INTO suggestion_decision (suggestion_id, annotator_id, decision, "
                                 "annotation_ids, decided_at) VALUES (%(claim)s, %(bob_id)s, 'accepted', '[]', now())"),
    "provenance for bob's annotation": ("INSERT INTO suggestion_origin (annotation_id, suggestion_id, annotator_id,"
                                        " role) VALUES (%(bob_ann)s, %(claim)s, %(alice_id)s, 'claim')"),
    "moving a proposed span": "UPDATE suggestion SET start = 0 WHERE id = %(claim)s",
    "relabelling a proposal": "UPDATE suggestion SET claim_type = 'factual' WHERE id = %(claim)s",
    "a run in bob's name": "UPDATE suggestion_run SET ran_by = %(bob_id)s",
}


@pytest.mark.parametrize("name", list(ATTACKS))
def test_the_server_refuses(team: Team, decided: dict[str, Any], name: str) -> None:
    params = {**team.ids, **decided}
    with team.connect("alice") as conn:
        with pytest.raises(psycopg.Error) as refused:
            conn.execute(ATTACKS[name], params)
    assert refused.value.sqlstate == "42501"


def test_nobody_removes_another_analysts_decision(team: Team, decided: dict[str, Any]) -> None:
    with team.connect("alice") as conn:
        gone = conn.execute("DELETE FROM suggestion_decision WHERE annotator_id = %s", (team.ids["bob_id"],))
        assert gone.rowcount == 0
    assert [n["rejected_by"] for n in team.admin.suggestions.rejected()] == [team.names["bob"]]
