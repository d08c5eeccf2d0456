"""Repeat labels: a passage the analyst tagged, found again word for word, proposed with the same labels."""
from __future__ import annotations

from collections.abc import Sequence

from storage.records import AnnotationRecord
from storage.suggestions.base import Proposal, SuggestionInput, live_claims

MIN_CHARS = 3  # "no" or "EU" tagged once is not a passage worth repeating everywhere


def _word_edge(text: str, start: int, end: int) -> bool:
    """The occurrence starts and ends on word edges (not "Putin" inside "Putinism")."""
    left_ok = start == 0 or not (text[start - 1].isalnum() and text[start].isalnum())
    right_ok = end == len(text) or not (text[end].isalnum() and text[end - 1].isalnum())
    return left_ok and right_ok


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _same_passage(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """What the analyst already has there: an annotation covering at least half of the longer of the two."""
    return _overlap(a, b) * 2 >= max(a[1] - a[0], b[1] - b[0])


class RepeatLabels:
    """Within one document; `repeat_across` does the same over several (the corpus, on request).

    The labels of the latest-edited annotation win when the analyst tagged the same words differently.
    Source and cue links are not copied: they point at other words, which the new place does not have."""

    name = "repeat_labels"
    version = "1"
    uses = frozenset({"text", "annotations"})

    def suggest(self, item: SuggestionInput) -> list[Proposal]:
        return self._proposals(item, _tagged_passages(item))

    def _proposals(self, item: SuggestionInput, tagged: Sequence[tuple[str, AnnotationRecord]]) -> list[Proposal]:
        text = item.text
        own = [(a.start, a.end) for a in live_claims(item.annotations)]
        by_passage: dict[str, AnnotationRecord] = {}
        for passage, record in sorted(tagged, key=lambda pr: pr[1].updated_at):
            by_passage[passage] = record
        out: list[Proposal] = []
        taken: list[tuple[int, int]] = []
        for passage, record in sorted(by_passage.items(), key=lambda kv: -len(kv[0])):
            at = text.find(passage)
            while at >= 0:
                span = (at, at + len(passage))
                if _word_edge(text, *span) and not any(_same_passage(span, o) for o in own + taken):
                    taken.append(span)
                    out.append(Proposal(kind="claim", start=span[0], end=span[1], claim_type=record.claim_type,
                                        actor=record.actor, source=None, cue=None, suggester=self.name,
                                        version=self.version, stance=record.stance, rule=f"repeat of {record.id}"))
                at = text.find(passage, at + 1)
        return sorted(out, key=lambda p: (p.start, p.end))

    def repeat_across(self, items: Sequence[SuggestionInput]) -> dict[str, list[Proposal]]:
        """Corpus-wide: every item's tagged passages proposed in every item (document id -> proposals)."""
        tagged = [pair for item in items for pair in _tagged_passages(item)]
        return {item.document_id: self._proposals(item, tagged) for item in items}


def _tagged_passages(item: SuggestionInput) -> list[tuple[str, AnnotationRecord]]:
    """The words of each live claim, cut from the item's own text (records may come without their quote)."""
    pairs = []
    for record in live_claims(item.annotations):
        passage = item.text[record.start:record.end]
        if len(passage.strip()) >= MIN_CHARS and passage == passage.strip():
            pairs.append((passage, record))
    return pairs


def repeat_labels_across(items: Sequence[SuggestionInput]) -> dict[str, list[Proposal]]:
    return RepeatLabels().repeat_across(items)
