"""Gold links on a team server: a reviewer login role takes a relayed claim into gold with its mentions and cue,
undoes and redoes it through the services, and the server's checks on the gold layer (its events must describe
kind and links; a decision is never rewritten) hold throughout."""
from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from storage import Database, PermissionDenied, open_database, open_with_samples
from storage.team import add_user, drop_user, setup_team

from attribution_samples import check_gold_log, live_gold, relayed


@pytest.fixture
def team(postgres_url: str) -> Iterator[tuple[Database, str, dict[str, str]]]:
    tag = uuid.uuid4().hex[:8]
    names = {who: f"sm_{who}_{tag}" for who in ("alice", "bob", "rita")}
    admin = open_with_samples(postgres_url)
    setup_team(admin)
    for who, role in names.items():
        add_user(admin, role, reviewer=who == "rita")
    try:
        yield admin, postgres_url, names
    finally:
        admin.close()
        cleanup = open_database(postgres_url)
        try:
            for role in names.values():
                drop_user(cleanup, role)
        finally:
            cleanup.close()


def _as(url: str, role: str) -> str:
    return make_url(url).set(username=role, password=None).render_as_string(hide_password=False)


def test_a_reviewer_takes_a_linked_claim_into_gold_on_the_server(team) -> None:  # type: ignore[no-untyped-def]
    admin, url, names = team
    ids = {}
    for who, actor in (("alice", "Vladimir Putin"), ("bob", "Kremlin")):
        db = open_database(_as(url, names[who]))
        try:
            ids[who] = relayed(db, names[who], source_actor=actor)
        finally:
            db.close()
    rita = open_database(_as(url, names["rita"]))
    try:
        change = rita.review.accept(ids["alice"]["claim"], by=names["rita"], rationale="his own words")
        assert len(change.added) == 4
        again = rita.review.accept(ids["bob"]["claim"], by=names["rita"])  # decide again: shared rows stay
        back = rita.review.revert(again, by=names["rita"])
        reverse = rita.review.revert(change, by=names["rita"])
        assert live_gold(rita, ids["alice"]["doc"]) == {}
        rita.review.revert(reverse, by=names["rita"])
        gold = live_gold(rita, ids["alice"]["doc"])
        assert set(gold) == {g.id for g in change.added}
        claim = gold[change.added[0].id]
        assert gold[claim.source_id].actor == "Vladimir Putin" and gold[claim.cue_id].quote == "said"
        # Behind the services a reviewer may not re-point a gold link: gold decisions are never rewritten.
        with pytest.raises(PermissionDenied, match="the server refused"):
            with rita.engine.begin() as conn:
                conn.execute(text("UPDATE gold_annotation SET relay_id = NULL WHERE id = :id"), {"id": claim.id})
    finally:
        rita.close()
    assert {g.id for g in back.added} >= {change.added[0].id}  # undoing the second decision restored the first
    stored = {g.id: g for g in admin.review.gold(ids["alice"]["doc"])}
    assert stored == gold
    check_gold_log(admin, [g.id for g in change.added + again.added])
