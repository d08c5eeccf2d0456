"""Actor mentions: every occurrence of a registered actor's name or alias (whole tokens, case-aware)."""
from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from storage.suggestions.base import Proposal, SuggestionInput
from storage.suggestions.nlp import actor_index, char_span, parse, parse_many

if TYPE_CHECKING:
    from spacy.tokens import Doc


class ActorMentions:
    """Proposes each registry name or alias found in the text as a plain mention of that actor.

    Matching is on whole spaCy tokens, so "Iran" is not found in "Iranian" nor "US" in "us" or "USA"; see
    `nlp.ActorIndex` for the case rule and for aliases two actors share (those name neither)."""

    name = "actor_mentions"
    version = "1"
    uses = frozenset({"text", "actors"})

    def suggest(self, item: SuggestionInput) -> list[Proposal]:
        return self._proposals(parse(item.text), item)

    def suggest_many(self, items: Iterable[SuggestionInput]) -> list[list[Proposal]]:
        items = list(items)
        return [self._proposals(doc, item) for doc, item in zip(parse_many(i.text for i in items), items)]

    def _proposals(self, doc: Doc, item: SuggestionInput) -> list[Proposal]:
        if not item.actors:
            return []
        out = []
        for mention in actor_index(item.actors).mentions(doc):
            start, end = char_span(doc, mention.start, mention.end)
            out.append(Proposal(kind="mention", start=start, end=end, claim_type=None, actor=mention.actor.name,
                                source=None, cue=None, suggester=self.name, version=self.version,
                                rule="registry name or alias"))
        return out
