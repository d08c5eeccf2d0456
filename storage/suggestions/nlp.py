"""spaCy's rule-based English (no model download), loaded once and lazily, and the registry's actor matcher.

`import storage` must stay fast, so spaCy is imported inside these functions; the pipeline is built on the
first call and kept. Sentences come from the `sentencizer`, with one addition: a line break always ends a
sentence (a headline, a bullet or a dateline has no full stop). Character offsets of spaCy tokens are Python
string indices, i.e. code points of the stored text."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from storage.records import ActorRecord

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

_PARAGRAPHS = "stancemark_line_breaks"
BATCH_SIZE = 64


@lru_cache(maxsize=1)
def english() -> "Language":
    import spacy
    from spacy.language import Language

    if not Language.has_factory(_PARAGRAPHS):
        Language.component(_PARAGRAPHS, func=_line_breaks)
    nlp = spacy.blank("en")
    nlp.add_pipe(_PARAGRAPHS)
    nlp.add_pipe("sentencizer")  # keeps the starts set before it (overwrite=False)
    return nlp


def _line_breaks(doc: "Doc") -> "Doc":
    for i in range(1, len(doc)):
        before = doc[i - 1]
        if before.is_space and "\n" in before.text or "\n" in before.whitespace_:
            doc[i].is_sent_start = True
    return doc


def parse(text: str) -> "Doc":
    return english()(text)


def parse_many(texts: Iterable[str]) -> Iterator["Doc"]:
    return english().pipe(texts, batch_size=BATCH_SIZE)


@dataclass(frozen=True)
class ActorMention:
    """Tokens [start, end) of the doc naming one registry actor (by its name or one of its aliases)."""

    start: int
    end: int
    actor: ActorRecord


class ActorIndex:
    """Finds the registry's names and aliases as whole tokens, case-aware.

    A name matches as written; one that starts with a lower-case letter ("opposition") also matches with its
    first letter capitalised, as at the start of a sentence. A longer match wins over the ones inside it
    ("Bashar al-Assad" over "Assad"); a span that two actors both claim (a shared alias) names neither."""

    def __init__(self, actors: tuple[ActorRecord, ...]) -> None:
        from spacy.matcher import PhraseMatcher

        nlp = english()
        self.actors = actors
        self._matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self._key_actor: dict[int, int] = {}
        for index, actor in enumerate(actors):
            key = f"actor:{index}"
            forms: set[str] = set()
            for name in (actor.name, *actor.aliases):
                name = " ".join(name.split())
                if not name:
                    continue
                forms.add(name)
                if name[0].islower():
                    forms.add(name[0].upper() + name[1:])
            if forms:
                self._matcher.add(key, [nlp.make_doc(f) for f in sorted(forms)])
                self._key_actor[nlp.vocab.strings[key]] = index

    def mentions(self, doc: "Doc") -> list[ActorMention]:
        by_span: dict[tuple[int, int], set[int]] = {}
        for key, start, end in self._matcher(doc):
            by_span.setdefault((start, end), set()).add(self._key_actor[key])
        spans = sorted(((s, e) for (s, e), owners in by_span.items() if len(owners) == 1),
                       key=lambda se: (se[0] - se[1], se[0]))
        taken: set[int] = set()
        chosen: list[ActorMention] = []
        for s, e in spans:  # longest first
            if taken.isdisjoint(range(s, e)):
                taken.update(range(s, e))
                chosen.append(ActorMention(s, e, self.actors[next(iter(by_span[(s, e)]))]))
        # A shorter match inside a span two actors share is not a mention either.
        ambiguous = [(s, e) for (s, e), owners in by_span.items() if len(owners) > 1]
        chosen = [m for m in chosen if not any(s <= m.start and m.end <= e and (s, e) != (m.start, m.end)
                                               for s, e in ambiguous)]
        return sorted(chosen, key=lambda m: m.start)


@lru_cache(maxsize=8)
def actor_index(actors: tuple[ActorRecord, ...]) -> ActorIndex:
    """One matcher per registry (1,000 articles against one registry build it once)."""
    return ActorIndex(actors)


def char_span(doc: "Doc", start: int, end: int) -> tuple[int, int]:
    """Code-point offsets of tokens [start, end)."""
    last = doc[end - 1]
    return doc[start].idx, last.idx + len(last.text)


