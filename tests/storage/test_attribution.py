"""Attribution on annotation rows: a claim linked to its source mention, cue, relay and target mention, on
SQLite and PostgreSQL, through the one write path (add, edit, delete, add_many) and the event log."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from storage import (AnnotationDraft, Database, PermissionDenied, StancemarkError, import_paths, live_links,
                     open_with_samples)
from storage.replay import differences_from_log
from storage.team import add_user, setup_team

ME, OTHER = "ana", "ben"


def _sample(db: Database) -> tuple[str, str]:
    """The sample article about the Sochi talks: (document id, text)."""
    doc = next(d for d in db.documents.list() if "Syria Peace Talks" in d.title)
    return doc.id, db.documents.get(doc.id).text


def _another_document(db: Database, tmp_path: Path) -> str:
    article = tmp_path / "other.txt"
    article.write_text("Other talks\n\nNATO denied it.\n", encoding="utf-8")
    import_paths(db, [article])
    return next(d.id for d in db.documents.list() if d.title == "Other talks")


def _span(text_: str, words: str, after: str = "") -> tuple[int, int]:
    start = text_.index(words, text_.index(after) if after else 0)
    return start, start + len(words)


def _relayed_claim(db: Database, by: str = ME) -> dict[str, str]:
    """'In a message to the participants, read by Lavrov, Putin said that “today all the conditions ...”':
    content the quotation, source Putin, cue "said", relay Lavrov."""
    doc, body = _sample(db)
    sentence = "In a message to the participants"
    putin = db.annotations.add(AnnotationDraft(doc, *_span(body, "Putin", sentence), kind="mention",
                                               actor="Vladimir Putin"), by=by)
    lavrov = db.annotations.add(AnnotationDraft(doc, *_span(body, "Lavrov", sentence), kind="mention",
                                                actor="Sergei Lavrov"), by=by)
    said = db.annotations.add(AnnotationDraft(doc, *_span(body, "said", sentence), kind="cue"), by=by)
    quote = "“today all the conditions are in place to turn this tragic page in Syria’s history.”"
    claim = db.annotations.add(AnnotationDraft(doc, *_span(body, quote), stance="support", claim_type="predictive",
                                               source_id=putin.id, cue_id=said.id, relay_id=lavrov.id), by=by)
    return {"doc": doc, "putin": putin.id, "lavrov": lavrov.id, "said": said.id, "claim": claim.id}


def test_the_relayed_message_keeps_source_cue_and_relay(seeded_db: Database) -> None:
    ids = _relayed_claim(seeded_db)
    claim = seeded_db.annotations.get(ids["claim"])
    assert claim.kind == "claim"
    assert claim.links() == {"source": ids["putin"], "cue": ids["said"], "relay": ids["lavrov"]}
    assert claim.actor == "Vladimir Putin"  # the claim's actor follows its source mention
    mentions = {a.id: a for a in seeded_db.annotations.for_document(ids["doc"])}
    assert (mentions[ids["putin"]].kind, mentions[ids["putin"]].quote) == ("mention", "Putin")
    assert (mentions[ids["said"]].kind, mentions[ids["said"]].quote) == ("cue", "said")
    assert live_links(mentions.values()) == {ids["claim"]: claim.links()}
    assert differences_from_log(seeded_db)[1] == []


def test_changing_the_source_mentions_actor_moves_the_claims_actor(seeded_db: Database) -> None:
    ids = _relayed_claim(seeded_db)
    before = seeded_db.annotations.get(ids["claim"])
    seeded_db.annotations.edit(ids["putin"], ME, actor="The Kremlin")
    after = seeded_db.annotations.get(ids["claim"])
    assert (after.actor, after.revision) == ("The Kremlin", before.revision + 1)
    assert [e.action for e in seeded_db.annotations.history(ids["claim"])] == ["create", "edit"]
    assert [c.id for c in seeded_db.annotations.linked_claims(ids["putin"])] == [ids["claim"]]
    assert [c.id for c in seeded_db.annotations.linked_claims(ids["said"])] == [ids["claim"]]
    assert differences_from_log(seeded_db)[1] == []


def test_a_target_mention_gives_the_claim_its_target(seeded_db: Database) -> None:
    doc, body = _sample(seeded_db)
    sentence = "The Syrian leader’s opponents accuse him"
    assad = seeded_db.annotations.add(AnnotationDraft(doc, *_span(body, "him", sentence), kind="mention"), by=ME)
    opponents = seeded_db.annotations.add(AnnotationDraft(doc, *_span(body, "The Syrian leader’s opponents"),
                                                          kind="mention", actor="Syrian opposition"), by=ME)
    accuse = seeded_db.annotations.add(AnnotationDraft(doc, *_span(body, "accuse", sentence), kind="cue"), by=ME)
    claim = seeded_db.annotations.add(AnnotationDraft(
        doc, *_span(body, "killing hundreds of thousands of civilians"), stance="oppose", claim_type="accusation",
        source_id=opponents.id, cue_id=accuse.id, target_id=assad.id), by=ME)
    assert (claim.actor, claim.target) == ("Syrian opposition", "him")  # no actor yet: the mention's words
    seeded_db.annotations.edit(assad.id, ME, actor="Bashar al-Assad")
    assert seeded_db.annotations.get(claim.id).target == "Bashar al-Assad"


@pytest.mark.parametrize("case", ["cue as source", "mention as cue", "another's mention", "other document",
                                  "links on a mention", "stance on a cue", "own link", "unknown id", "bad kind"])
def test_links_that_break_the_rules_are_refused(seeded_db: Database, case: str, tmp_path: Path) -> None:
    ids = _relayed_claim(seeded_db)
    doc, body = _sample(seeded_db)
    theirs = seeded_db.annotations.add(AnnotationDraft(doc, 0, 5, kind="mention"), by=OTHER)
    other_doc = _another_document(seeded_db, tmp_path)
    elsewhere = seeded_db.annotations.add(AnnotationDraft(other_doc, 0, 5, kind="mention"), by=ME)
    claim = AnnotationDraft(doc, 10, 20, claim_type="factual")
    draft = {
        "cue as source": AnnotationDraft(doc, 10, 20, source_id=ids["said"]),
        "mention as cue": AnnotationDraft(doc, 10, 20, cue_id=ids["putin"]),
        "another's mention": AnnotationDraft(doc, 10, 20, source_id=theirs.id),
        "other document": AnnotationDraft(doc, 10, 20, source_id=elsewhere.id),
        "links on a mention": AnnotationDraft(doc, 10, 20, kind="mention", source_id=ids["putin"]),
        "stance on a cue": AnnotationDraft(doc, 10, 20, kind="cue", stance="support"),
        "own link": AnnotationDraft(doc, 10, 20, id=claim.id, source_id=claim.id),
        "unknown id": AnnotationDraft(doc, 10, 20, relay_id="no-such-annotation"),
        "bad kind": AnnotationDraft(doc, 10, 20, kind="quote"),
    }[case]
    count = len(seeded_db.annotations.for_document(doc))
    with pytest.raises(StancemarkError):
        seeded_db.annotations.add(draft, by=ME)
    with pytest.raises(StancemarkError):
        seeded_db.annotations.add_many([draft], by=ME)
    assert len(seeded_db.annotations.for_document(doc)) == count
    if case in ("cue as source", "another's mention", "unknown id"):  # the same rules for an edit
        field = "relay_id" if case == "unknown id" else "source_id"
        with pytest.raises(StancemarkError):
            seeded_db.annotations.edit(ids["claim"], ME, **{field: getattr(draft, field)})


def test_a_deleted_mention_is_no_link_until_undo_brings_it_back(seeded_db: Database) -> None:
    ids = _relayed_claim(seeded_db)
    records = seeded_db.annotations.for_document(ids["doc"])
    putin = next(r for r in records if r.id == ids["putin"])
    seeded_db.annotations.delete(ids["putin"], ME)
    live = seeded_db.annotations.for_document(ids["doc"])
    assert live_links(live)[ids["claim"]] == {"cue": ids["said"], "relay": ids["lavrov"]}
    # The claim stays editable with its dormant link, and keeps the actor it had.
    edited = seeded_db.annotations.edit(ids["claim"], ME, stance="neutral")
    assert (edited.source_id, edited.actor) == (ids["putin"], "Vladimir Putin")
    # A new link to the deleted mention is refused; undo (re-adding it) makes the stored one live again.
    with pytest.raises(StancemarkError, match="deleted"):
        seeded_db.annotations.edit(ids["claim"], ME, target_id=ids["putin"])
    seeded_db.annotations.add(putin.as_draft(), by=ME)
    assert live_links(seeded_db.annotations.for_document(ids["doc"]))[ids["claim"]]["source"] == ids["putin"]
    assert differences_from_log(seeded_db)[1] == []


def test_undoing_a_deleted_claim_restores_its_links(seeded_db: Database) -> None:
    ids = _relayed_claim(seeded_db)
    claim = seeded_db.annotations.get(ids["claim"])
    seeded_db.annotations.delete(claim.id, ME)
    seeded_db.annotations.delete(ids["lavrov"], ME)  # its relay goes too; undo brings the claim back first
    restored = seeded_db.annotations.add(claim.as_draft(), by=ME)
    assert restored.links() == claim.links()
    seeded_db.annotations.delete(claim.id, ME)
    with pytest.raises(StancemarkError, match="is a claim, not a mention"):
        seeded_db.annotations.add(AnnotationDraft(claim.document_id, 0, 3, id=claim.id, kind="mention"), by=ME)


def test_the_bulk_path_links_within_one_call_and_checks_labels(seeded_db: Database) -> None:
    doc, body = _sample(seeded_db)
    shumilin = AnnotationDraft(doc, *_span(body, "Alexander Shumilin"), kind="mention", actor="Alexander Shumilin")
    said = AnnotationDraft(doc, *_span(body, "said", "rival platform"), kind="cue")
    claim = AnnotationDraft(doc, *_span(body, "Russia isn’t accepted as a mediator"), stance="oppose",
                            claim_type="factual", source_id=shumilin.id, cue_id=said.id)
    assert seeded_db.annotations.add_many([shumilin, said, claim], by=ME) == 3
    stored = seeded_db.annotations.get(claim.id)
    assert (stored.actor, stored.links()) == ("Alexander Shumilin", {"source": shumilin.id, "cue": said.id})
    with pytest.raises(StancemarkError, match="not a stance"):
        seeded_db.annotations.add_many([AnnotationDraft(doc, 0, 4, stance="adores")], by=ME)
    assert differences_from_log(seeded_db)[1] == []


@pytest.fixture
def team(postgres_url: str) -> Iterator[tuple[Database, str]]:
    admin = open_with_samples(postgres_url)
    setup_team(admin)
    add_user(admin, ME)
    add_user(admin, OTHER)
    yield admin, postgres_url
    admin.close()


def _as(url: str, role: str) -> str:
    return make_url(url).set(username=role, password=None).render_as_string(hide_password=False)


def test_a_team_member_links_through_the_services_and_not_behind_them(team: tuple[Database, str]) -> None:
    admin, url = team
    ben = open_with_samples(_as(url, OTHER))
    doc, _ = _sample(admin)
    bens = ben.annotations.add(AnnotationDraft(doc, 0, 5, kind="mention", actor="Kremlin"), by=OTHER)
    ben.close()
    ana = open_with_samples(_as(url, ME))
    try:
        ids = _relayed_claim(ana)
        ana.annotations.edit(ids["putin"], ME, actor="The Kremlin")
        assert ana.annotations.get(ids["claim"]).actor == "The Kremlin"
        # Behind the services, even with an event that describes the row, a link to a colleague's mention is
        # refused by the server.
        with pytest.raises(PermissionDenied, match="the server refused"):
            with ana.engine.begin() as conn:
                conn.execute(text("UPDATE annotation SET source_id = :theirs WHERE id = :id"),
                             {"theirs": bens.id, "id": ids["claim"]})
    finally:
        ana.close()
    assert admin.annotations.get(ids["claim"]).source_id == ids["putin"]
    assert differences_from_log(admin)[1] == []


def test_linking_a_new_mention_is_one_write_and_a_refused_link_stores_nothing(seeded_db: Database) -> None:
    doc, body = _sample(seeded_db)
    claim = seeded_db.annotations.add(AnnotationDraft(doc, *_span(body, "Its goal is to reinforce Assad’s position"),
                                                      claim_type="evaluative"), by=ME)
    events = len(seeded_db.annotations.history(claim.id))
    shumilin = AnnotationDraft(doc, *_span(body, "Alexander Shumilin"), kind="mention", actor="Alexander Shumilin")
    linked, made = seeded_db.annotations.link(claim.id, "source", ME, new_span=shumilin,
                                              expected_revision=claim.revision)
    assert made is not None and (made.kind, made.quote) == ("mention", "Alexander Shumilin")
    assert (linked.source_id, linked.actor) == (made.id, "Alexander Shumilin")
    assert len(seeded_db.annotations.history(claim.id)) == events + 1
    # A cue offered as a relay is refused, and the cue made for it is not left behind.
    count = len(seeded_db.annotations.for_document(doc))
    with pytest.raises(StancemarkError, match="must be a mention"):
        seeded_db.annotations.link(claim.id, "relay", ME,
                                   new_span=AnnotationDraft(doc, *_span(body, "said", "rival platform"), kind="cue"))
    assert len(seeded_db.annotations.for_document(doc)) == count
    assert differences_from_log(seeded_db)[1] == []
