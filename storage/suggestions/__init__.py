"""Suggesters: plain objects behind one interface (text and registry in, proposals out), registered by name.

Qt-free; spaCy is imported only when a suggester first runs, so `import storage` stays fast."""
from __future__ import annotations

from collections.abc import Iterable, Sequence

from storage.errors import NotFound
from storage.suggestions.attribution import AttributionFinder
from storage.suggestions.base import (
    Proposal,
    ProposedSpan,
    Suggester,
    SuggestionInput,
    input_fingerprint,
    live_claims,
)
from storage.suggestions.mentions import ActorMentions
from storage.suggestions.repeat import RepeatLabels, repeat_labels_across

SUGGESTERS: dict[str, Suggester] = {s.name: s for s in (AttributionFinder(), ActorMentions(), RepeatLabels())}


def suggesters_named(names: Iterable[str] | None = None) -> list[Suggester]:
    """The registered suggesters of `names` (all of them, in registry order, for None)."""
    if names is None:
        return list(SUGGESTERS.values())
    wanted = list(dict.fromkeys(names))
    unknown = [n for n in wanted if n not in SUGGESTERS]
    if unknown:
        raise NotFound(f"no suggester named {', '.join(map(repr, unknown))}; "
                         f"known: {', '.join(SUGGESTERS)}")
    return [SUGGESTERS[n] for n in wanted]


def run_suggesters(item: SuggestionInput, names: Iterable[str] | None = None) -> list[Proposal]:
    """Every named suggester's proposals for one text, in text order."""
    proposals = [p for s in suggesters_named(names) for p in s.suggest(item)]
    return sorted(proposals, key=lambda p: (p.start, p.end, p.kind, p.suggester))


def run_suggesters_many(items: Sequence[SuggestionInput],
                        names: Iterable[str] | None = None) -> list[list[Proposal]]:
    """The same for many texts, batched (`suggest_many`, one `nlp.pipe`) where a suggester offers it."""
    results: list[list[Proposal]] = [[] for _ in items]
    for suggester in suggesters_named(names):
        batch = getattr(suggester, "suggest_many", None)
        outputs = batch(items) if batch else [suggester.suggest(i) for i in items]
        for result, out in zip(results, outputs):
            result.extend(out)
    return [sorted(r, key=lambda p: (p.start, p.end, p.kind, p.suggester)) for r in results]


__all__ = [
    "Proposal", "ProposedSpan", "Suggester", "SuggestionInput", "SUGGESTERS", "suggesters_named",
    "run_suggesters", "run_suggesters_many", "input_fingerprint", "live_claims", "repeat_labels_across",
    "AttributionFinder", "ActorMentions", "RepeatLabels",
]
