"""The attribution finder's rules, one example (or more) each, and the negatives that must not fire."""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from storage import ActorRecord, SuggestionInput, run_suggesters
from storage.suggestions import SUGGESTERS

SCHEME = ("factual", "evaluative", "predictive", "policy", "accusation", "denial")
ACTORS = (
    ActorRecord(1, "Sergei Lavrov", "person", ("Lavrov",)),
    ActorRecord(2, "Vladimir Putin", "person", ("Putin",)),
    ActorRecord(3, "Russia", "state", ("Moscow",)),
    ActorRecord(4, "Alexander Lavrentiev", "person", ("Lavrentiev",)),
    ActorRecord(5, "Blue Harbour Logistics", "organisation", ()),
    ActorRecord(6, "Daniel Okafor", "person", ("Okafor",)),
    ActorRecord(7, "Syrian opposition", "organisation", ("opposition",)),
)


@dataclass(frozen=True)
class Found:
    content: str
    source: str | None
    cue: str | None
    claim_type: str | None
    actor: str | None
    rule: str


def find(text: str, actors: tuple[ActorRecord, ...] = ACTORS, claim_types: tuple[str, ...] = SCHEME) -> list[Found]:
    proposals = SUGGESTERS["attribution"].suggest(SuggestionInput("d", text, actors, (), claim_types))
    assert all(p.kind == "claim" and p.suggester == "attribution" for p in proposals)
    return [Found(text[p.start:p.end], text[p.source.start:p.source.end] if p.source else None,
                  text[p.cue.start:p.cue.end] if p.cue else None, p.claim_type, p.actor, p.rule) for p in proposals]


def one(text: str, **kw) -> Found:  # type: ignore[no-untyped-def]
    found = find(text, **kw)
    assert len(found) == 1, found
    return found[0]


# -- direct quotes ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("open_mark, close_mark", [("“", "”"), ('"', '"'), ("‘", "’"), ("«", "»"), ("„", "“"),
                                                    ("'", "'")])
def test_d1_speaker_after_the_quote_in_every_common_mark(open_mark: str, close_mark: str) -> None:
    f = one(f"{open_mark}The talks have failed,{close_mark} Lavrov said.")
    assert (f.content, f.source, f.cue, f.actor) == ("The talks have failed", "Lavrov", "said", "Sergei Lavrov")
    assert f.rule.startswith("D1")


def test_d1_inverted_speaker_with_apposition() -> None:
    f = one("“Russia will ask the UN to lead,” said its envoy, Alexander Lavrentiev, on Tuesday.")
    assert f.content == "Russia will ask the UN to lead"
    assert f.cue == "said" and f.actor == "Alexander Lavrentiev" and f.claim_type == "predictive"


def test_d1_question_and_told_reporters() -> None:
    f = one("“Who benefits from this delay?” Okafor told reporters.")
    assert (f.content, f.source, f.cue, f.actor) == ("Who benefits from this delay?", "Okafor", "told",
                                                     "Daniel Okafor")


def test_d2_speaker_before_with_colon_that_or_nothing() -> None:
    for text in ("Putin said: “Today all the conditions are in place.”",
                 "Putin said that “today all the conditions are in place.”",
                 "Putin said “today all the conditions are in place.”"):
        f = one(text)
        assert f.source == "Putin" and f.cue == "said" and f.actor == "Vladimir Putin", text
        assert f.content.lower() == "today all the conditions are in place", text


def test_d2_colon_alone_after_a_name() -> None:
    f = one("Lavrov: “We will not leave the talks.”")
    assert (f.source, f.cue, f.content, f.claim_type) == ("Lavrov", ":", "We will not leave the talks", "predictive")


def test_d3_continuation_keeps_the_speaker() -> None:
    found = find("“Sochi is an attempt to create a rival platform,” said Lavrov. “Its goal is to reinforce Assad.”")
    assert [(f.content, f.source, f.rule[:2]) for f in found] == [
        ("Sochi is an attempt to create a rival platform", "Lavrov", "D1"),
        ("Its goal is to reinforce Assad", "Lavrov", "D3")]


def test_d4_quoted_judgement() -> None:
    f = one("Lavrov called the decision “deeply disappointing” on Monday.")
    assert (f.content, f.source, f.cue, f.claim_type) == ("deeply disappointing", "Lavrov", "called", "evaluative")


# -- reported speech -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, content, cue, claim_type", [
    ("Lavrov said the talks had failed.", "the talks had failed", "said", "factual"),
    ("Lavrov said that the talks had failed.", "the talks had failed", "said", "factual"),
    ("Lavrov says the talks will fail.", "the talks will fail", "says", "predictive"),
    ("Lavrov said on Tuesday that the talks had failed.", "the talks had failed", "said", "factual"),
    ("Lavrov told reporters the talks had failed.", "the talks had failed", "told", "factual"),
    ("Lavrov told reporters that the talks had failed.", "the talks had failed", "told", "factual"),
    ("Lavrov accused Washington of sabotaging the talks.", "Washington of sabotaging the talks", "accused",
     "accusation"),
    ("Lavrov denied that Moscow had armed the rebels.", "Moscow had armed the rebels", "denied", "denial"),
    ("Lavrov has repeatedly denied any role in the attack.", "any role in the attack", "denied", "denial"),
    ("Lavrov warned that sanctions would hurt Europe.", "sanctions would hurt Europe", "warned", "predictive"),
    ("Lavrov called for an immediate ceasefire in the north.", "an immediate ceasefire in the north",
     "called for", "policy"),
    ("Lavrov urged the council to act.", "the council to act", "urged", "policy"),
    ("Lavrov said the council should act now.", "the council should act now", "said", "policy"),
    ("Lavrov vowed to stay in the talks.", "to stay in the talks", "vowed", "policy"),
])
def test_r1_reported_speech_and_its_claim_type(text: str, content: str, cue: str, claim_type: str) -> None:
    f = one(text)
    assert (f.content, f.cue, f.claim_type, f.actor) == (content, cue, claim_type, "Sergei Lavrov")
    assert f.source == "Lavrov"


def test_r1_subject_is_the_noun_phrase_before_the_verb() -> None:
    f = one("The Kremlin invited 1,600 Syrians but the main opposition faction said it would not attend.")
    assert (f.source, f.content, f.actor) == ("the main opposition faction", "it would not attend",
                                              "Syrian opposition")


def test_r1_weak_verb_needs_that() -> None:
    assert find("Lavrov added five points to the plan.") == []
    assert one("Lavrov added that the plan was dead.").content == "the plan was dead"


def test_r1_content_ends_before_a_new_clause_and_r4_takes_the_rest() -> None:
    found = find("Lavrov said the talks had failed, adding that Moscow would try again.")
    assert [(f.content, f.cue, f.source) for f in found] == [("the talks had failed", "said", "Lavrov"),
                                                             ("Moscow would try again", "adding", "Lavrov")]


def test_a_line_break_ends_the_content() -> None:
    found = find("  • Kremlin admits no breakthrough expected on a political solution\n"
                 "  • Goal of the meeting is to reinforce the regime, analyst says\nPhotographer: A. N. Other")
    assert [(f.source, f.cue, f.content) for f in found] == [
        ("Kremlin", "admits", "no breakthrough expected on a political solution"),
        ("analyst", "says", "Goal of the meeting is to reinforce the regime")]


def test_r2_inverted_reported_speech() -> None:
    for text, source in (("The talks have failed, Lavrov said.", "Lavrov"),
                         ("The talks have failed, said Lavrov.", "Lavrov"),
                         ("The talks have failed, Lavrov said on Tuesday.", "Lavrov"),
                         ("Russia will ask the UN to lead, said its envoy, Alexander Lavrentiev.",
                          "its envoy, Alexander Lavrentiev")):
        f = one(text)
        assert f.source == source and f.rule.startswith("R2"), text
        assert f.content in ("The talks have failed", "Russia will ask the UN to lead"), text


def test_r2_does_not_swallow_a_fronted_adverb() -> None:
    f = one("Yesterday, Lavrov said the talks had failed.")
    assert (f.source, f.content) == ("Lavrov", "the talks had failed")


def test_r3_according_to() -> None:
    first = one("According to court filings, the bid was submitted three days late.")
    assert (first.source, first.cue, first.content) == ("court filings", "According to",
                                                        "the bid was submitted three days late")
    last = one("The bid was submitted three days late, according to court filings.")
    assert (last.source, last.content) == ("court filings", "The bid was submitted three days late")
    inside = one("They met to present a plan -- which would devolve powers according to media reports.")
    assert (inside.source, inside.content) == ("media reports", "which would devolve powers")


def test_r4_participle_after_a_comma() -> None:
    f = one("Blue Harbour Logistics disputes that figure, saying it leaves out overtime.")
    assert (f.source, f.cue, f.content, f.actor) == ("Blue Harbour Logistics", "saying", "it leaves out overtime",
                                                     "Blue Harbour Logistics")


def test_coordinated_verbs_share_the_speaker() -> None:
    found = find("Lavrov said Moscow was disappointed and warned the ruling could disrupt trade.")
    assert [(f.content, f.cue, f.actor) for f in found] == [
        ("Moscow was disappointed", "said", "Sergei Lavrov"),
        ("the ruling could disrupt trade", "warned", "Sergei Lavrov")]


def test_and_before_a_weak_verb_stays_in_the_content() -> None:
    f = one("Lavrov said Moscow was ready and would announce new talks soon.")
    assert f.content == "Moscow was ready and would announce new talks soon"


def test_non_restrictive_relative_clause_is_a_claim_of_the_antecedent() -> None:
    f = one("Fighting resumed in the north, near the border with Russia, which has vowed to defend its allies.")
    assert (f.source, f.content, f.actor) == ("Russia", "to defend its allies", "Russia")


def test_relative_clause_between_subject_and_verb_is_skipped() -> None:
    f = one("Lavrov, who arrived late because the flight was delayed, said the talks had failed.")
    assert (f.source, f.content) == ("Lavrov", "the talks had failed")


# -- negatives -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "The so-called “experts” were not consulted.",                 # scare quotes
    "So-called “market correction mechanisms” were debated.",
    "He read “War and Peace” twice last summer.",                 # a title
    "Critics praised the documentary “The Long Road Home” at the festival.",
    "The Courier's series \"Harbour of Secrets\" first reported the breach in March.",
    "The man who said the talks had failed left early.",          # restrictive relative clause
    "A report that said the plan was illegal was withdrawn.",
    "He is said to be unwell.",                                   # passive
    "She declined to say whether the mayor was a suspect.",
    "The said treaty was never ratified.",                        # "said" as an adjective
    "He was told the plan had failed.",
    "Putin Declares Victory as Rivals Claim Fraud",               # a headline
    "Japan has pledged $40 million to the fund.",                 # a pledge of money is no statement
    "Donors sent the money promised at the summit.",
])
def test_negatives_do_not_fire(text: str) -> None:
    assert find(text) == []


def test_restrictive_relative_clause_decision_keeps_the_main_claim() -> None:
    # "the man who said …" names who is meant; only the main clause's attribution is proposed.
    f = one("Lavrov said the man who said it had lied.")
    assert (f.source, f.content) == ("Lavrov", "the man who said it had lied")


def test_quote_in_a_scare_sense_inside_reported_speech_is_one_claim() -> None:
    f = one("Lavrov said the so-called “experts” were wrong.")
    assert f.content == "the so-called “experts” were wrong" and f.rule.startswith("R1")


# -- offsets, actors, claim types ----------------------------------------------------------------------------

def test_offsets_are_code_points_after_non_bmp_characters() -> None:
    text = "👍🏽 🇫🇷 𝔘𝔫𝔦 — “The talks have failed,” Lavrov said."
    [p] = SUGGESTERS["attribution"].suggest(SuggestionInput("d", text, ACTORS, (), SCHEME))
    assert text[p.start:p.end] == "The talks have failed"
    assert p.start == text.index("The talks")  # str indices are code points; UTF-16 would be larger
    assert text[p.source.start:p.source.end] == "Lavrov" and text[p.cue.start:p.cue.end] == "said"


def test_pronoun_resolves_to_the_only_person_named_before_it() -> None:
    f = find("Lavrov arrived on Monday. “We are ready,” he said.")[0]
    assert (f.source, f.actor) == ("he", "Sergei Lavrov")


def test_pronoun_with_two_people_before_it_stays_unresolved() -> None:
    f = find("Lavrov met Putin on Monday. “We are ready,” he said.")[0]
    assert (f.source, f.actor) == ("he", None)


def test_pronoun_does_not_resolve_to_an_organisation() -> None:
    f = find("Blue Harbour Logistics issued a statement. “We are ready,” she said.")[0]
    assert f.actor is None


def test_possessor_is_not_the_speaker_unless_a_spokesman_speaks_for_them() -> None:
    assert one("Okafor's daughter said the mayor would resign.").actor is None
    assert one("Okafor's spokesman said the mayor would cooperate.").actor == "Daniel Okafor"


def test_actor_names_match_whole_words_and_case() -> None:
    assert one("Lavrovsky said the talks had failed.").actor is None
    assert one("LAVROV said the talks had failed.").actor is None  # case-aware: the alias is "Lavrov"


def test_claim_type_follows_the_scheme() -> None:
    assert one("Lavrov denied the charge.", claim_types=("factual", "denial")).claim_type == "denial"
    assert one("Lavrov denied the charge.", claim_types=("factual", "other")).claim_type == "factual"
    assert one("Lavrov denied the charge.", claim_types=("yes", "no")).claim_type is None


def test_registry_is_optional_and_run_suggesters_merges_in_text_order() -> None:
    text = "Lavrov said the talks had failed. Putin warned that the war would go on."
    item = SuggestionInput("d", text, (), (), SCHEME)
    assert [p.actor for p in SUGGESTERS["attribution"].suggest(item)] == [None, None]
    both = run_suggesters(SuggestionInput("d", text, ACTORS, (), SCHEME), ["attribution", "actor_mentions"])
    assert [(p.kind, text[p.start:p.end]) for p in both] == [
        ("mention", "Lavrov"), ("claim", "the talks had failed"), ("mention", "Putin"),
        ("claim", "the war would go on")]


def test_batch_gives_what_one_by_one_gives() -> None:
    texts = ["Lavrov said the talks had failed.", "“No,” said Putin.", "Nothing here.", ""]
    items = [SuggestionInput(str(i), t, ACTORS, (), SCHEME) for i, t in enumerate(texts)]
    finder = SUGGESTERS["attribution"]
    assert finder.suggest_many(items) == [finder.suggest(i) for i in items]
