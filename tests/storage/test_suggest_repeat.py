"""Repeat labels: what the analyst tagged, found again word for word, proposed with the same labels."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

from storage import AnnotationRecord, SuggestionInput, repeat_labels_across
from storage.suggestions import SUGGESTERS

T0 = datetime(2026, 12, 1, tzinfo=timezone.utc)


def tagged(document_id: str, text: str, passage: str, nth: int = 0, **labels) -> AnnotationRecord:  # type: ignore[no-untyped-def]
    start = -1
    for _ in range(nth + 1):
        start = text.index(passage, start + 1)
    values = {"stance": "oppose", "actor": "Sergei Lavrov", "claim_type": "accusation", **labels}
    return AnnotationRecord(id=f"{document_id}:{start}", document_id=document_id, annotator="ana", start=start,
                            end=start + len(passage), quote=passage, target=None, note="", scheme_version=1,
                            revision=1, created_at=T0, updated_at=T0, **values)


def repeats(item: SuggestionInput) -> list[tuple[int, int, str | None, str | None, str | None]]:
    return [(p.start, p.end, p.claim_type, p.actor, p.stance) for p in SUGGESTERS["repeat_labels"].suggest(item)]


TEXT = ("The West is waging a hybrid war. Lavrov repeated it: the West is waging a hybrid war. "
        "Again: the West is waging a hybrid war! And the West is waging a hybrid warfare campaign.")


def test_identical_passages_elsewhere_get_the_same_labels() -> None:
    first = tagged("d", TEXT, "West is waging a hybrid war")
    item = SuggestionInput("d", TEXT, (), (first,))
    spots = [i for i in range(len(TEXT)) if TEXT.startswith("West is waging a hybrid war", i)]
    assert repeats(item) == [(s, s + 27, "accusation", "Sergei Lavrov", "oppose") for s in spots[1:3]]
    # the fourth is inside "hybrid warfare": not the same words


def test_not_where_the_analyst_already_has_one() -> None:
    first = tagged("d", TEXT, "West is waging a hybrid war")
    second = tagged("d", TEXT, "the West is waging a hybrid war", nth=0, claim_type="factual")
    item = SuggestionInput("d", TEXT, (), (first, second))
    starts = [s for s, *_ in repeats(item)]
    assert TEXT.index("Again") < starts[0] and len(starts) == 1


def test_deleted_annotations_and_mentions_are_not_repeated() -> None:
    gone = replace(tagged("d", TEXT, "West is waging a hybrid war"), deleted_at=T0)
    assert repeats(SuggestionInput("d", TEXT, (), (gone,))) == []


def test_latest_edit_wins_when_the_same_words_were_tagged_differently() -> None:
    a = tagged("d", TEXT, "West is waging a hybrid war", claim_type="factual")
    b = replace(tagged("d", TEXT, "West is waging a hybrid war", nth=1, claim_type="evaluative"),
                updated_at=T0 + timedelta(minutes=5))
    assert {c for _, _, c, _, _ in repeats(SuggestionInput("d", TEXT, (), (a, b)))} == {"evaluative"}


def test_across_the_corpus_on_request() -> None:
    other = "Moscow says the West is waging a hybrid war on it."
    # as the service reads them: without the stored quote
    item_a = SuggestionInput("a", TEXT, (), (replace(tagged("a", TEXT, "West is waging a hybrid war"), quote=""),))
    item_b = SuggestionInput("b", other, (), ())
    assert SUGGESTERS["repeat_labels"].suggest(item_b) == []  # within one document: nothing to repeat
    result = repeat_labels_across([item_a, item_b])
    [p] = result["b"]
    assert other[p.start:p.end] == "West is waging a hybrid war" and p.actor == "Sergei Lavrov"
    assert len(result["a"]) == 2
