"""Review with attribution: units are claims, gold keeps a claim's source, cue and relay as linked gold rows
through accept, edit, auto-merge, re-decision, undo and redo; agreement on the source actor and span F1 for
source mentions and cues. The relayed message of the sample article, by two annotators. Every backend."""
from __future__ import annotations

from typing import Any

import pytest

from storage import (
    DISAGREED, AgreementReport, AnnotationDraft, Database, Figure, GoldRecord, describe_attribution,
)
from storage.agreement import ALPHA, F1_CUE, F1_SOURCE, KAPPA, SOURCE_ACTOR

from attribution_samples import QUOTE, SENTENCE, check_gold_log, live_gold, relayed, sample, span


@pytest.fixture
def two(seeded_db: Database) -> tuple[Database, dict[str, str], dict[str, str]]:
    """alice and bob mark the relayed message; bob takes "Putin" to name the Kremlin."""
    seeded_db.annotators.ensure("rita", role="reviewer")
    return seeded_db, relayed(seeded_db, "alice"), relayed(seeded_db, "bob", source_actor="Kremlin")


def gold_claim(gold: dict[str, GoldRecord]) -> GoldRecord:
    (claim,) = [g for g in gold.values() if g.kind == "claim"]
    return claim


def test_units_are_claims_with_their_attribution(two) -> None:  # type: ignore[no-untyped-def]
    db, alice, bob = two
    units = [u for u in db.review.units(alice["doc"])]
    assert len(units) == 1  # mentions and cues are not units of their own
    (unit,) = units
    assert {s.id for s in unit.spans} == {alice["claim"], bob["claim"]}
    assert unit.status == DISAGREED
    assert set(unit.differences) == {"actor", "source_actor"}  # same words for source, cue and relay
    roles = unit.attribution(alice["claim"])
    assert {role: r.id for role, r in roles.items()} == {"source": alice["putin"], "cue": alice["said"],
                                                        "relay": alice["lavrov"]}
    assert describe_attribution(roles) == ("Source: 'Putin' → Vladimir Putin · cue: 'said' · "
                                           "relay: 'Lavrov' → Sergei Lavrov")


def test_agreement_on_the_source_actor_lists_the_disagreement(two) -> None:  # type: ignore[no-untyped-def]
    db, alice, bob = two
    report = db.review.agreement(alice["doc"])
    (unit,) = report.units
    kappa = report.find(KAPPA, SOURCE_ACTOR, ("alice", "bob"))
    alpha = report.find(ALPHA, SOURCE_ACTOR, ("alice", "bob"))
    assert kappa is not None and alpha is not None
    assert (kappa.observed, kappa.items, kappa.disagreed, kappa.agreed) == (0.0, 1, (unit.key,), ())
    assert alpha.disagreed == (unit.key,) and alpha.observed == 0.0
    assert [u.key for u in report.units_behind(kappa)] == [unit.key]
    for measure in (F1_SOURCE, F1_CUE):  # the same words: full span agreement, the unit agreed
        figure = report.find(measure, None, ("alice", "bob"))
        assert figure is not None
        assert (figure.value, figure.items, figure.agreed, figure.disagreed) == (1.0, 2, (unit.key,), ())


def test_span_f1_of_cues_counts_a_missing_cue(seeded_db: Database) -> None:
    seeded_db.annotators.ensure("rita", role="reviewer")
    alice = relayed(seeded_db, "alice")
    relayed(seeded_db, "bob", cue=False)
    report = seeded_db.review.agreement(alice["doc"])
    (unit,) = report.units
    cue = report.find(F1_CUE, None, ("alice", "bob"))
    source = report.find(F1_SOURCE, None, ("alice", "bob"))
    assert cue is not None and source is not None
    assert (cue.value, cue.items, cue.single) == (0.0, 1, (unit.key,))  # only alice linked a cue
    assert (source.value, source.agreed) == (1.0, (unit.key,))
    assert "cue" in unit.differences


def existing(report: AgreementReport) -> dict[tuple[Any, ...], Figure]:
    """Every figure there was before attribution, by measure, attribute and annotators."""
    return {(f.measure, f.attribute, f.annotators): f for f in report.figures
            if f.attribute != SOURCE_ACTOR and f.measure not in (F1_SOURCE, F1_CUE)}


def test_mentions_and_cues_leave_every_existing_figure_unchanged(seeded_db: Database) -> None:
    db = seeded_db
    doc, body = sample(db)
    add = db.annotations.add
    claims = {}
    for who, stance in (("alice", "support"), ("bob", "oppose"), ("carol", "support")):
        claims[who] = add(AnnotationDraft(doc, *span(body, QUOTE), stance=stance, actor="Vladimir Putin",
                                          claim_type="predictive"), by=who)
        add(AnnotationDraft(doc, *span(body, "Russia isn’t accepted as a mediator"), stance="oppose"), by=who)
    before, corpus_before = existing(db.review.agreement(doc)), existing(db.review.agreement())
    for who in ("alice", "bob"):
        putin = add(AnnotationDraft(doc, *span(body, "Putin", SENTENCE), kind="mention", actor="Vladimir Putin"),
                    by=who)
        said = add(AnnotationDraft(doc, *span(body, "said", SENTENCE), kind="cue"), by=who)
        add(AnnotationDraft(doc, *span(body, "Lavrov", SENTENCE), kind="mention", actor="Sergei Lavrov"), by=who)
        db.annotations.edit(claims[who].id, who, source_id=putin.id, cue_id=said.id)
    add(AnnotationDraft(doc, *span(body, "Shumilin"), kind="mention", actor="Alexander Shumilin"), by="dan")
    assert existing(db.review.agreement(doc)) == before and len(before) == 4 * 9
    assert existing(db.review.agreement()) == corpus_before
    assert len(db.review.agreement(doc).units) == 2
    assert db.review.participants(doc) == ("alice", "bob", "carol")  # dan marked only a mention


def test_accepting_a_claim_brings_its_mentions_and_cue_into_gold(two) -> None:  # type: ignore[no-untyped-def]
    db, alice, bob = two
    change = db.review.accept(alice["claim"], by="rita", rationale="Putin's own words")
    claim = change.added[0]
    assert claim.kind == "claim" and claim.actor == "Vladimir Putin"
    gold = live_gold(db, alice["doc"])
    assert set(gold) == {g.id for g in change.added} and len(gold) == 4
    linked = {role: gold[i] for role, i in claim.links().items()}
    assert set(linked) == {"source", "cue", "relay"}
    assert (linked["source"].kind, linked["source"].quote, linked["source"].actor) == ("mention", "Putin",
                                                                                       "Vladimir Putin")
    assert (linked["cue"].kind, linked["cue"].quote, linked["cue"].actor) == ("cue", "said", None)
    assert (linked["relay"].kind, linked["relay"].actor) == ("mention", "Sergei Lavrov")
    assert linked["source"].source_annotation_ids == (alice["putin"],)  # bob's names another actor
    assert set(linked["cue"].source_annotation_ids) == {alice["said"], bob["said"]}
    assert all(g.decision == "accepted" and g.reviewer == "rita" for g in gold.values())
    assert all(db.review.history(g)[0].action == "accepted" for g in gold)
    (unit,) = db.review.units(alice["doc"])
    assert unit.gold == claim and {r: g.id for r, g in unit.gold_links.items()} == claim.links()
    check_gold_log(db, list(gold))


def test_revert_takes_the_mentions_back_and_redo_restores_the_links(two) -> None:  # type: ignore[no-untyped-def]
    db, alice, _ = two
    change = db.review.accept(alice["claim"], by="rita")
    links = change.added[0].links()
    reverse = db.review.revert(change, by="rita")
    assert live_gold(db, alice["doc"]) == {}
    assert set(reverse.retracted) == {g.id for g in change.added}
    redo = db.review.revert(reverse, by="rita")
    gold = live_gold(db, alice["doc"])
    assert set(gold) == {g.id for g in change.added} == {g.id for g in redo.added}
    assert gold_claim(gold).links() == links  # retract and restore keep the links
    check_gold_log(db, list(gold))


def test_deciding_again_keeps_shared_rows_and_retracts_the_unused(two) -> None:  # type: ignore[no-untyped-def]
    db, alice, bob = two
    first = db.review.accept(alice["claim"], by="rita")
    first_links = first.added[0].links()
    second = db.review.accept(bob["claim"], by="rita", rationale="the Kremlin speaks")
    gold = live_gold(db, alice["doc"])
    claim = gold_claim(gold)
    assert claim.id == second.added[0].id and claim.actor == "Kremlin"
    assert claim.cue_id == first_links["cue"] and claim.relay_id == first_links["relay"]  # same words, reused
    assert claim.source_id != first_links["source"] and gold[claim.source_id].actor == "Kremlin"
    assert set(second.retracted) == {first.added[0].id, first_links["source"]}
    assert len(gold) == 4
    db.review.revert(second, by="rita")
    gold = live_gold(db, alice["doc"])
    assert gold_claim(gold).id == first.added[0].id and set(gold) == {g.id for g in first.added}
    check_gold_log(db, list(gold) + [g.id for g in second.added])


def test_two_claims_quoting_the_same_source_share_its_gold_mention(seeded_db: Database) -> None:
    db = seeded_db
    db.annotators.ensure("rita", role="reviewer")
    ids = relayed(db, "alice")
    doc, body = sample(db)
    again = db.annotations.add(AnnotationDraft(doc, *span(body, "Russia isn’t accepted as a mediator"),
                                               stance="oppose", source_id=ids["putin"]), by="alice")
    first = db.review.accept(ids["claim"], by="rita")
    second = db.review.accept(again.id, by="rita")
    assert second.added[0].source_id == first.added[0].source_id
    assert len(second.added) == 1  # nothing new to make
    db.review.revert(first, by="rita")  # the shared source stays: the other claim still links it
    gold = live_gold(db, doc)
    assert set(gold) == {second.added[0].id, first.added[0].source_id}
    db.review.revert(second, by="rita")
    assert live_gold(db, doc) == {}


def test_edit_moves_the_actor_to_the_gold_source_and_auto_merge_links(two) -> None:  # type: ignore[no-untyped-def]
    db, alice, _ = two
    change = db.review.edit(alice["claim"], by="rita", actor="Sergei Lavrov")
    claim = change.added[0]
    gold = live_gold(db, alice["doc"])
    assert claim.actor == "Sergei Lavrov" and gold[claim.source_id].actor == "Sergei Lavrov"
    assert claim.relay_id != claim.source_id and gold[claim.relay_id].quote == "Lavrov"
    rejected = db.review.reject(alice["claim"], by="rita")
    assert rejected.added[0].links() == {} and len(rejected.added) == 1
    assert live_gold(db, alice["doc"]).keys() == {rejected.added[0].id}  # the edit's mentions went with it


def test_auto_merge_brings_the_attribution_of_agreed_claims(seeded_db: Database) -> None:
    db = seeded_db
    db.annotators.ensure("rita", role="reviewer")
    alice, bob = relayed(db, "alice"), relayed(db, "bob")
    change = db.review.auto_merge(alice["doc"], by="rita")
    claims = [g for g in change.added if g.kind == "claim"]
    assert len(claims) == 1 and len(change.added) == 4
    gold = live_gold(db, alice["doc"])
    assert set(gold[claims[0].source_id].source_annotation_ids) == {alice["putin"], bob["putin"]}
    assert all(g.decision == "merged" for g in gold.values())
    db.review.revert(change, by="rita")
    assert live_gold(db, alice["doc"]) == {}
