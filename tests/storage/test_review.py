"""Adjudication into the gold layer: provenance, permissions, auto-merge and undo, review status, agreement
read from the database. Runs on every backend the machine offers."""
from __future__ import annotations

import pytest

from storage import AGREED, DISAGREED, INCOMPLETE, AnnotationDraft, NotFound, PermissionDenied, StancemarkError


@pytest.fixture
def doc_id(seeded_db) -> str:  # type: ignore[no-untyped-def]
    return seeded_db.documents.list()[0].id


@pytest.fixture
def review_setup(seeded_db, doc_id: str):  # type: ignore[no-untyped-def]
    """alice and bob annotate three passages: one agreed, one where the stance differs, one only bob marked."""
    db = seeded_db
    db.annotators.ensure("rita", role="reviewer")
    add = db.annotations.add
    agreed = [add(AnnotationDraft(doc_id, 0, 10, stance="support", actor="Lavrov", claim_type="factual"), by=w)
              for w in ("alice", "bob")]
    differ = [add(AnnotationDraft(doc_id, 20, 30, stance="oppose", claim_type="evaluative"), by="alice"),
              add(AnnotationDraft(doc_id, 20, 30, stance="neutral", claim_type="evaluative"), by="bob")]
    lonely = add(AnnotationDraft(doc_id, 40, 50, stance="support"), by="bob")
    return db, agreed, differ, lonely


def test_units_group_every_annotators_spans_with_status(review_setup, doc_id: str) -> None:
    db, agreed, differ, lonely = review_setup
    units = db.review.units(doc_id)
    assert [u.status for u in units] == [AGREED, DISAGREED, INCOMPLETE]
    assert {s.id for s in units[1].spans} == {a.id for a in differ}
    assert units[1].differences == ("stance",)
    assert db.review.participants(doc_id) == ("alice", "bob")
    assert all(u.gold is None for u in units)


def test_accept_keeps_provenance_and_leaves_originals_alone(review_setup, doc_id: str) -> None:
    db, agreed, differ, lonely = review_setup
    before = db.annotations.for_document(doc_id)
    change = db.review.accept(differ[1].id, by="rita", rationale="the speaker only reports the plan")
    (gold,) = change.added
    assert (gold.decision, gold.stance, gold.reviewer) == ("accepted", "neutral", "rita")
    assert gold.source_annotation_ids == (differ[1].id,)
    assert gold.rationale == "the speaker only reports the plan"
    assert gold.quote == db.documents.get(doc_id).text[20:30]
    assert db.annotations.for_document(doc_id) == before
    assert db.review.units(doc_id)[1].gold == gold
    assert [g for g in db.review.gold(doc_id) if differ[1].id in g.source_annotation_ids] == [gold]
    assert [e.action for e in db.review.history(gold.id)] == ["accepted"]
    assert db.review.status(doc_id).status == "in_review"


def test_accepting_an_agreed_version_names_every_identical_source(review_setup) -> None:
    db, agreed, _, _ = review_setup
    (gold,) = db.review.accept(agreed[0].id, by="rita").added
    assert set(gold.source_annotation_ids) == {a.id for a in agreed}


def test_deciding_again_retracts_the_earlier_gold_and_revert_restores_it(review_setup, doc_id: str) -> None:
    db, _, differ, _ = review_setup
    first = db.review.accept(differ[0].id, by="rita")
    second = db.review.edit(differ[0].id, by="rita", rationale="both half right", stance="neutral", end=28)
    (edited,) = second.added
    assert second.retracted == (first.added[0].id,)
    assert (edited.decision, edited.stance, edited.end) == ("edited", "neutral", 28)
    assert edited.source_annotation_ids[0] == differ[0].id and set(edited.source_annotation_ids) == \
        {a.id for a in differ}
    assert [g.id for g in db.review.gold(doc_id)] == [edited.id]
    reverse = db.review.revert(second, by="rita")
    assert [g.id for g in db.review.gold(doc_id)] == [first.added[0].id]
    db.review.revert(reverse, by="rita")  # redo
    assert [g.id for g in db.review.gold(doc_id)] == [edited.id]


def test_reject_records_the_unit_as_rejected(review_setup, doc_id: str) -> None:
    db, _, _, lonely = review_setup
    (gold,) = db.review.reject(lonely.id, by="rita", rationale="not a claim").added
    assert (gold.decision, gold.start, gold.end, gold.stance) == ("rejected", 40, 50, None)
    assert db.review.gold(doc_id, include_rejected=False) == []


def test_auto_merge_takes_only_fully_agreed_units_and_can_be_undone(review_setup, doc_id: str) -> None:
    db, agreed, _, _ = review_setup
    change = db.review.auto_merge(doc_id, by="rita")
    (merged,) = change.added
    assert merged.decision == "merged" and set(merged.source_annotation_ids) == {a.id for a in agreed}
    assert (merged.stance, merged.actor, merged.claim_type) == ("support", "Lavrov", "factual")
    assert db.review.auto_merge(doc_id, by="rita").added == ()  # already in gold
    db.review.revert(change, by="rita")
    assert db.review.gold(doc_id) == []
    assert db.review.gold(doc_id, include_deleted=True)[0].deleted_at is not None


def test_only_reviewers_adjudicate(review_setup, doc_id: str) -> None:
    db, agreed, differ, _ = review_setup
    for attempt in (lambda: db.review.accept(differ[0].id, by="alice"),
                    lambda: db.review.reject(differ[0].id, by="alice"),
                    lambda: db.review.edit(differ[0].id, by="alice", stance="support"),
                    lambda: db.review.auto_merge(doc_id, by="bob"),
                    lambda: db.review.set_status(doc_id, "adjudicated", by="alice"),
                    lambda: db.review.accept(differ[0].id, by="nobody")):
        with pytest.raises(PermissionDenied):
            attempt()
    assert db.review.gold(doc_id, include_deleted=True) == []
    db.annotators.set_role("alice", "reviewer")
    assert db.review.accept(differ[0].id, by="alice").added[0].reviewer == "alice"


def test_bad_decisions_change_nothing(review_setup, doc_id: str) -> None:
    db, _, differ, _ = review_setup
    with pytest.raises(StancemarkError, match="not a stance"):
        db.review.edit(differ[0].id, by="rita", stance="furious")
    with pytest.raises(StancemarkError):
        db.review.edit(differ[0].id, by="rita", end=10**7)
    with pytest.raises(NotFound):
        db.review.accept("no-such-annotation", by="rita")
    with pytest.raises(StancemarkError, match="review status"):
        db.review.set_status(doc_id, "finished", by="rita")
    assert db.review.gold(doc_id, include_deleted=True) == []


def test_review_status_moves_through_its_states(review_setup, doc_id: str) -> None:
    db, _, _, _ = review_setup
    assert db.review.status(doc_id).status == "not_reviewed"
    record = db.review.set_status(doc_id, "adjudicated", by="rita")
    assert (record.status, record.reviewer) == ("adjudicated", "rita")
    assert db.review.statuses() == {doc_id: "adjudicated"}


def test_agreement_from_the_database_matches_the_units(review_setup, doc_id: str) -> None:
    db, _, _, _ = review_setup
    doc = db.review.agreement(doc_id)
    corpus = db.review.agreement()
    f1 = doc.find("f1_exact", annotators=("alice", "bob"))
    assert f1.value == pytest.approx(2 * 2 / 5)
    assert len(f1.agreed) == 2 and len(f1.single) == 1
    assert doc.find("alpha", "stance").level == "ordinal"
    assert corpus.find("f1_exact").value == f1.value
    assert doc.find("kappa", "stance").items == 2


def test_a_reviewer_who_only_reviews_is_no_participant(review_setup, doc_id: str) -> None:
    db, _, _, _ = review_setup
    db.documents.set_status(doc_id, "in_progress", by="rita")
    db.documents.set_status(doc_id, "done", by="carol")
    assert db.review.participants(doc_id) == ("alice", "bob", "carol")
    assert all(u.status == INCOMPLETE for u in db.review.units(doc_id))
