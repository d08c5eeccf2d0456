"""Actor mentions: every registry name or alias, whole words, case-aware; shared aliases name nobody."""
from __future__ import annotations

from storage import ActorRecord, SuggestionInput
from storage.suggestions import SUGGESTERS

ACTORS = (
    ActorRecord(1, "Bashar al-Assad", "person", ("Assad",)),
    ActorRecord(2, "United States", "state", ("US", "U.S.", "Washington")),
    ActorRecord(3, "Iran", "state", ()),
    ActorRecord(4, "Syrian opposition", "organisation", ("opposition",)),
)


def mentions(text: str, actors: tuple[ActorRecord, ...] = ACTORS) -> list[tuple[str, str | None]]:
    found = SUGGESTERS["actor_mentions"].suggest(SuggestionInput("d", text, actors))
    assert all(p.kind == "mention" and p.source is None and p.cue is None and p.claim_type is None for p in found)
    return [(text[p.start:p.end], p.actor) for p in found]


def test_every_occurrence_of_name_and_alias() -> None:
    text = "Assad met envoys from Washington. Later Bashar al-Assad said the U.S. had no say; Assad left."
    assert mentions(text) == [("Assad", "Bashar al-Assad"), ("Washington", "United States"),
                              ("Bashar al-Assad", "Bashar al-Assad"), ("U.S.", "United States"),
                              ("Assad", "Bashar al-Assad")]


def test_whole_words_only() -> None:
    assert mentions("Iranian officials and Iranians met us in the USA.") == []
    assert mentions("Assadist slogans; the Assads") == []


def test_case_aware() -> None:
    assert mentions("Tell us what the US wants.") == [("US", "United States")]
    assert mentions("IRAN and iran") == []


def test_lower_case_alias_also_matches_at_the_start_of_a_sentence() -> None:
    assert mentions("Opposition leaders met. The opposition left.") == [
        ("Opposition", "Syrian opposition"), ("opposition", "Syrian opposition")]


def test_offsets_are_code_points_after_emoji() -> None:
    text = "🇸🇾👍🏽 Iran"
    [p] = SUGGESTERS["actor_mentions"].suggest(SuggestionInput("d", text, ACTORS))
    assert (p.start, p.end) == (5, 9) and text[p.start:p.end] == "Iran"


def test_alias_two_actors_share_names_neither() -> None:
    actors = (ActorRecord(1, "Ali Khan", "person", ("Khan",)), ActorRecord(2, "Sara Khan", "person", ("Khan",)))
    assert mentions("Khan said no. Ali Khan said yes.", actors) == [("Ali Khan", "Ali Khan")]


def test_no_registry_no_mentions() -> None:
    assert mentions("Assad", ()) == []
