"""Gold beside my annotations: the query the Gold dock runs in the background, Qt-free, frozen records."""
from __future__ import annotations

import dataclasses

import pytest

from storage import Database, GoldBesideMine, gold_beside_mine
from review_samples import adjudicated
from storage.gold_beside import NOT_REVIEWED, OTHER_VERSION


def test_each_of_my_annotations_comes_with_the_decision_on_its_passage(seeded_db: Database) -> None:
    doc = adjudicated(seeded_db)
    rows = gold_beside_mine(seeded_db, doc, "alice")
    assert [(r.mine.start, r.mine.end) for r in rows] == [(20, 30), (60, 70), (90, 95)]  # text order
    assert [r.verdict for r in rows] == ["accepted", OTHER_VERSION, NOT_REVIEWED]
    assert rows[0].drew_on_mine and rows[0].gold is not None and rows[0].gold.rationale == "the quote is hostile to the plan"
    assert not rows[1].drew_on_mine and rows[1].gold is not None and (rows[1].gold.start, rows[1].gold.end) == (60, 72)
    assert rows[2].gold is None and all(r.mine.annotator == "alice" for r in rows)


def test_the_records_are_frozen_and_a_rejection_shows(seeded_db: Database) -> None:
    doc = adjudicated(seeded_db)
    first = gold_beside_mine(seeded_db, doc, "alice")[0]
    assert isinstance(first, GoldBesideMine)
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.gold = None  # type: ignore[misc]
    seeded_db.review.reject(first.mine.id, by="rita", rationale="a headline")
    again = gold_beside_mine(seeded_db, doc, "alice")[0]
    assert again.verdict == "rejected" and again.gold is not None and again.gold.rationale == "a headline"


def test_someone_who_marked_nothing_gets_no_rows(seeded_db: Database) -> None:
    doc = adjudicated(seeded_db)
    assert gold_beside_mine(seeded_db, doc, "rita") == []
    assert [r.mine.annotator for r in gold_beside_mine(seeded_db, doc, "bob")] == ["bob", "bob"]
