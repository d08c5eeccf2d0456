"""Units: the spans of several annotators matched into "the same passage", one span per annotator at most.

Matching (documented, because every agreement figure depends on it):

1. Spans are compared per document, annotators taken in name order.
2. The first annotator's spans each open a unit.
3. Each further annotator's spans are assigned one-to-one to the existing units by an optimal assignment
   (Hungarian, scipy's linear_sum_assignment) that maximises, lexicographically, first the number of spans
   placed on a unit holding a span with identical boundaries (exact matches always win), then the total
   number of code points shared with the unit's spans. A span sharing no code point with any unit, or left
   over, opens a new unit. Between equally good assignments, the earliest span gets the earliest unit it can
   (units numbered in the order they were opened). storage.unit_matching computes it in sweeps, a passage
   group at a time.

With two annotators this is exactly the maximum-overlap one-to-one matching between their spans (exact
matches first); with more it is the sequential generalisation of it, so a pair's matches are the units holding
a span of both. Labels play no part in matching: units are label-free, attributes are compared afterwards.

Only claims make units: mentions and cues are parts of a claim's attribution (PARC 3.0's source and cue), so
they are compared through the claims that link them (aspects source_actor, source, cue, relay), never matched
on their own. A link to a deleted (or unknown) row counts as no link.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import Iterable, Mapping, Sequence

from storage.records import AGREED, ATTRIBUTES, DISAGREED, INCOMPLETE, AnnotationRecord
from storage.records import UNIT_STATUSES as UNIT_STATUSES  # storage.agreement re-exports it from here
from storage.unit_matching import assign_to_units

Linked = Mapping[str, Mapping[str, AnnotationRecord]]  # claim id -> {role: the live mention or cue it links}

# What two versions of a unit can differ in: boundaries, the measured attributes, and the free-text target.
# Link aspects: the source mention's actor, the source mention's words, the cue's words, the relay (words, actor).
LINK_ASPECTS = ("source_actor", "source", "cue", "relay")
ASPECTS = ("boundaries",) + ATTRIBUTES + ("target",) + LINK_ASPECTS


def _target(record: AnnotationRecord) -> str:
    return (record.target or "").strip()


def linked_records(annotations: Iterable[AnnotationRecord]) -> dict[str, dict[str, AnnotationRecord]]:
    """claim id -> {role: linked record}, for the live claims' links to live mentions and cues among these."""
    live = {r.id: r for r in annotations if r.deleted_at is None}
    found: dict[str, dict[str, AnnotationRecord]] = {}
    for r in live.values():
        if r.kind != "claim":
            continue
        roles = {role: live[i] for role, i in r.links().items() if i in live and live[i].kind != "claim"}
        if roles:
            found[r.id] = roles
    return found


def aspect_value(record: AnnotationRecord, aspect: str, linked: Linked | None = None) -> object:
    """One version's value for an aspect; a link aspect without a live link is None (not coded)."""
    if aspect == "boundaries":
        return (record.start, record.end)
    if aspect == "target":
        return _target(record)
    if aspect in LINK_ASPECTS:
        roles = (linked or {}).get(record.id, {})
        mention = roles.get("source" if aspect == "source_actor" else aspect)
        if mention is None:
            return None
        if aspect == "source_actor":
            return mention.actor
        if aspect == "relay":
            return (mention.start, mention.end, mention.actor)
        return (mention.start, mention.end)
    return record.attribute(aspect)


def differing_aspects(records: Sequence[AnnotationRecord], linked: Linked | None = None) -> tuple[str, ...]:
    """The aspects on which the given versions do not all agree."""
    return tuple(a for a in ASPECTS if len({aspect_value(r, a, linked) for r in records}) > 1)


@dataclass(frozen=True)
class Unit:
    """One passage as several annotators marked it. `participants` are the document's annotators."""

    document_id: str
    spans: tuple[AnnotationRecord, ...]
    participants: tuple[str, ...]
    linked: Linked = field(default_factory=dict, compare=False, repr=False)

    def attribution(self, annotation_id: str) -> Mapping[str, AnnotationRecord]:
        """{role: live mention or cue} of one version (empty when it links none)."""
        return self.linked.get(annotation_id, {})

    # Cached: the figures ask these of every unit many times over (frozen dataclasses allow cached_property).
    @cached_property
    def key(self) -> str:
        """Stable while the unit's spans stay: each annotation belongs to exactly one unit."""
        return f"{self.document_id}/{min(s.id for s in self.spans)}"

    @cached_property
    def start(self) -> int:
        return min(s.start for s in self.spans)

    @cached_property
    def end(self) -> int:
        return max(s.end for s in self.spans)

    @cached_property
    def annotators(self) -> tuple[str, ...]:
        return tuple(s.annotator for s in self.spans)

    @cached_property
    def _by_annotator(self) -> dict[str, AnnotationRecord]:
        return {s.annotator: s for s in self.spans}

    @property
    def missing(self) -> tuple[str, ...]:
        present = set(self.annotators)
        return tuple(p for p in self.participants if p not in present)

    def version(self, annotator: str) -> AnnotationRecord | None:
        return self._by_annotator.get(annotator)

    @property
    def differences(self) -> tuple[str, ...]:
        """Aspects the present versions differ on, plus "missing" when a participant marked nothing here."""
        found = differing_aspects(self.spans, self.linked)
        return found + (("missing",) if self.missing else ())

    @property
    def status(self) -> str:
        """incomplete: fewer than two participants, or one of them marked nothing here;
        agreed: every participant marked identical boundaries with identical stance, actor, claim type,
        target, source, cue and relay; disagreed: otherwise."""
        if len(self.participants) < 2 or self.missing:
            return INCOMPLETE
        return AGREED if not differing_aspects(self.spans, self.linked) else DISAGREED

    def pair_differences(self, a: str, b: str) -> tuple[str, ...]:
        """What annotators a and b disagree on here: ("missing",) when one of them marked nothing."""
        va, vb = self.version(a), self.version(b)
        if va is None and vb is None:
            return ()
        if va is None or vb is None:
            return ("missing",)
        return differing_aspects((va, vb), self.linked)

    def pair_differs(self, a: str, b: str) -> bool:
        return bool(self.pair_differences(a, b))


def build_units(document_id: str, annotations: Iterable[AnnotationRecord],
                participants: Iterable[str] = ()) -> tuple[Unit, ...]:
    """Groups one document's live claims into units (see the module docstring for the matching); its mentions
    and cues come along as the claims' attribution."""
    records = list(annotations)
    by_annotator: dict[str, list[AnnotationRecord]] = defaultdict(list)
    for record in records:
        if record.document_id != document_id:
            raise ValueError(f"annotation {record.id} belongs to document {record.document_id}, not {document_id}")
        if record.deleted_at is None and record.kind == "claim":
            by_annotator[record.annotator].append(record)
    linked = linked_records(records)
    everyone = tuple(sorted(set(participants) | set(by_annotator)))
    clusters: list[list[AnnotationRecord]] = []
    for name in sorted(by_annotator):
        spans = sorted(by_annotator[name], key=lambda r: (r.start, r.end, r.id))
        assign_to_units(spans, clusters)
    units = [Unit(document_id, tuple(c), everyone,
                  {r.id: linked[r.id] for r in c if r.id in linked}) for c in clusters]
    return tuple(sorted(units, key=lambda u: (u.start, u.end, u.key)))

