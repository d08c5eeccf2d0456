"""Suggestions are re-run only when the text, the registry (names, aliases) or the suggester's version change;
the analyst's annotations matter only to repeat labels."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone

from storage import ActorRecord, AnnotationRecord, SuggestionInput, input_fingerprint, open_database
from storage.suggestions import SUGGESTERS, RepeatLabels

ACTORS = (ActorRecord(1, "Sergei Lavrov", "person", ("Lavrov",)), ActorRecord(2, "Russia", "state", ()))
ITEM = SuggestionInput("d", "Lavrov said the talks had failed.", ACTORS, (), ("factual",))
T0 = datetime(2026, 12, 1, tzinfo=timezone.utc)


def note(item: SuggestionInput) -> AnnotationRecord:
    return AnnotationRecord("a1", "d", "ana", 0, 6, "Lavrov", None, "Sergei Lavrov", "factual", None, "", 1, 1, T0, T0)


def test_same_input_same_fingerprint_for_every_suggester() -> None:
    for suggester in SUGGESTERS.values():
        copy = SuggestionInput("d", str(ITEM.text), tuple(reversed(ACTORS)), (), ("factual",))
        assert input_fingerprint(ITEM, suggester) == input_fingerprint(copy, suggester)  # order-free registry


def test_alias_added_changes_it_for_the_registry_readers() -> None:
    with_alias = replace(ITEM, actors=(replace(ACTORS[0], aliases=("Lavrov", "Russian FM")), ACTORS[1]))
    for name in ("attribution", "actor_mentions"):
        assert input_fingerprint(ITEM, SUGGESTERS[name]) != input_fingerprint(with_alias, SUGGESTERS[name])
    assert input_fingerprint(ITEM, SUGGESTERS["repeat_labels"]) == input_fingerprint(with_alias,
                                                                                     SUGGESTERS["repeat_labels"])


def test_text_and_version_change_it() -> None:
    finder = SUGGESTERS["attribution"]
    assert input_fingerprint(ITEM, finder) != input_fingerprint(replace(ITEM, text=ITEM.text + " "), finder)

    class Newer(RepeatLabels):
        version = "2"

    assert input_fingerprint(ITEM, RepeatLabels()) != input_fingerprint(ITEM, Newer())


def test_annotations_matter_only_to_repeat_labels() -> None:
    annotated = replace(ITEM, annotations=(note(ITEM),))
    assert input_fingerprint(ITEM, SUGGESTERS["repeat_labels"]) != input_fingerprint(annotated,
                                                                                     SUGGESTERS["repeat_labels"])
    for name in ("attribution", "actor_mentions"):
        assert input_fingerprint(ITEM, SUGGESTERS[name]) == input_fingerprint(annotated, SUGGESTERS[name])
    deleted = replace(ITEM, annotations=(replace(note(ITEM), deleted_at=T0),))
    assert input_fingerprint(ITEM, SUGGESTERS["repeat_labels"]) == input_fingerprint(deleted,
                                                                                     SUGGESTERS["repeat_labels"])


def test_registry_from_the_database_alias_added_and_not_otherwise(db_url: str) -> None:
    db = open_database(db_url)
    try:
        db.actors.create("Sergei Lavrov", "person", ("Lavrov",))
        finder = SUGGESTERS["attribution"]

        def fingerprint() -> str:
            return input_fingerprint(SuggestionInput("d", ITEM.text, tuple(db.actors.list()), (), ("factual",)),
                                     finder)

        before = fingerprint()
        assert fingerprint() == before  # read again, nothing changed
        db.actors.update("Sergei Lavrov", add_aliases=("Russian FM",))
        after = fingerprint()
        assert after != before
        assert fingerprint() == after
    finally:
        db.close()
