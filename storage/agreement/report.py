"""Agreement figures for a document or the corpus, each with the units behind it.

Choices, so the numbers can be read:
- Who takes part in a document: the annotators passed as participants (the database layer passes those with a
  live span there or a status other than "todo"), plus anyone with a span there.
- Groups: every pair of annotators sharing a document, and "all" (every annotator in scope).
- Span F1: 2 x matched / (spans of both), pooled over documents (and, for "all", over every pair).
  Exact: one-to-one on identical boundaries. Overlap: pairs sharing a unit (see units.py for the matching).
- Cohen's kappa (nominal) per attribute over the units both annotators coded with a value (an empty value is
  "not coded"); for "all" the mean of the defined pairwise kappas (Light's kappa, as NLTK's AnnotationTask.kappa).
- Krippendorff's alpha per attribute over units, an empty value being missing; ordinal for stance when the
  scheme marks stance ordinal (the scheme's order of values), nominal otherwise.
- Boundaries alpha (our "unitized alpha"): every code point of a document is a unit, labelled span / no-span by
  each annotator taking part there (inside any of their spans or not); nominal alpha over those code points,
  pooled over documents. It is the character-level reading of Krippendorff's u-alpha, not his exact formula.
- Only claims count for all of the above: mentions and cues are never units and never spans of these figures.
- Attribution (PARC 3.0), on the same claim units: source actor kappa and alpha as for the other attributes (the
  actor of the claim's live source mention; no source mention, or one naming no actor, is "not coded"); and
  span F1 for source mentions and for cues, exact boundaries, one-to-one, over the mentions used as a source
  (cues used as a cue) by each annotator's live claims, pooled like the other span F1. Their units: agreed when
  every version links one with the same words, disagreed when the words differ, single when fewer than two
  versions link one.
- Undefined values are None with a reason (no spans, one annotator, a single label throughout).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any, Callable, Iterable, Sequence, TypedDict

import numpy as np

from storage.agreement import measures
from storage.agreement.units import Linked, Unit, aspect_value, build_units, linked_records
from storage.records import ATTRIBUTES, AnnotationRecord

F1_EXACT, F1_OVERLAP, KAPPA, ALPHA, BOUNDARY_ALPHA = "f1_exact", "f1_overlap", "kappa", "alpha", "boundary_alpha"
F1_SOURCE, F1_CUE = "f1_source", "f1_cue"
MEASURES = (F1_EXACT, F1_OVERLAP, KAPPA, ALPHA, BOUNDARY_ALPHA, F1_SOURCE, F1_CUE)
SOURCE_ACTOR = "source_actor"  # the attribute figure of the claim's source mention's actor
ATTRIBUTE_MEASURES = (KAPPA, ALPHA)
CORPUS = "corpus"


@dataclass(frozen=True)
class DocumentInput:
    """What the figures need of one document: its length, its annotations and who took part."""

    document_id: str
    text_length: int
    annotations: tuple[AnnotationRecord, ...]
    participants: tuple[str, ...] = ()


@dataclass(frozen=True)
class Figure:
    """One number and the units behind it (unit keys: agreed, disagreed, marked by one annotator alone)."""

    measure: str
    attribute: str | None
    annotators: tuple[str, ...]
    scope: str
    value: float | None
    items: int
    observed: float | None = None
    level: str = "nominal"
    reason: str = ""
    agreed: Sequence[str] = ()
    disagreed: Sequence[str] = ()
    single: Sequence[str] = ()

    @property
    def is_pair(self) -> bool:
        return len(self.annotators) == 2

    @property
    def label(self) -> str:
        return self.measure if self.attribute is None else f"{self.measure}:{self.attribute}"


@dataclass(frozen=True)
class AgreementReport:
    scope: str
    annotators: tuple[str, ...]
    units: tuple[Unit, ...]
    figures: tuple[Figure, ...]
    _by_key: dict[str, Unit] = field(default_factory=dict, compare=False, repr=False)
    units_counted: int | None = None  # set when `units` is left empty (corpus figures, see corpus.py)

    @property
    def unit_count(self) -> int:
        """How many units the figures cover, whether or not the report keeps them."""
        return len(self.units) if self.units_counted is None else self.units_counted

    @property
    def pairs(self) -> tuple[tuple[str, str], ...]:
        return tuple(dict.fromkeys((f.annotators[0], f.annotators[1]) for f in self.figures if f.is_pair))

    def unit(self, key: str) -> Unit:
        return self._by_key[key]

    def find(self, measure: str, attribute: str | None = None,
             annotators: Sequence[str] | None = None) -> Figure | None:
        """The figure for a measure/attribute and a pair (any order) or, by default, everyone."""
        wanted = tuple(sorted(annotators)) if annotators is not None else self.annotators
        for f in self.figures:
            if f.measure == measure and f.attribute == attribute and f.annotators == wanted:
                return f
        return None

    def units_behind(self, figure: Figure, which: Iterable[str] = ("disagreed", "single")) -> list[Unit]:
        keys = [k for part in which for k in getattr(figure, part)]
        return [self._by_key[k] for k in keys]


def document_report(doc: DocumentInput, stance_order: Sequence[str] | None = None) -> AgreementReport:
    return _report(doc.document_id, [doc], stance_order)


def corpus_report(docs: Sequence[DocumentInput], stance_order: Sequence[str] | None = None,
                  progress: Callable[[int, int], None] | None = None) -> AgreementReport:
    """`progress(done, total)`: a step per document matched into units, then one per group of annotators."""
    return _report(CORPUS, docs, stance_order, progress)


# -- assembling --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Doc:
    length: int
    participants: tuple[str, ...]
    units: tuple[Unit, ...]
    spans: dict[str, list[AnnotationRecord]]
    linked: Linked = field(default_factory=dict)


def _prepare(doc: DocumentInput) -> _Doc:
    units = build_units(doc.document_id, doc.annotations, doc.participants)
    spans: dict[str, list[AnnotationRecord]] = {}
    for r in doc.annotations:
        if r.deleted_at is None and r.kind == "claim":
            spans.setdefault(r.annotator, []).append(r)
    participants = units[0].participants if units else tuple(sorted(set(doc.participants) | set(spans)))
    return _Doc(doc.text_length, participants, units, spans, linked_records(doc.annotations))


def _report(scope: str, inputs: Sequence[DocumentInput], stance_order: Sequence[str] | None,
            progress: Callable[[int, int], None] | None = None) -> AgreementReport:
    report = progress or (lambda done, total: None)
    docs = []
    for n, d in enumerate(inputs, start=1):
        docs.append(_prepare(d))
        if n % 20 == 0:
            report(n, len(inputs) + 1)
    everyone = tuple(sorted({p for d in docs for p in d.participants}))
    groups: list[tuple[str, ...]] = [p for p in combinations(everyone, 2)
                                     if any(set(p) <= set(d.participants) for d in docs)]
    if everyone not in groups:
        groups.append(everyone)
    figures = []
    for n, group in enumerate(groups, start=1):
        figures += _group_figures(scope, group, docs, stance_order)
        report(len(docs) + n, len(docs) + len(groups))
    units = tuple(u for d in docs for u in d.units)
    _release(docs)
    return AgreementReport(scope, everyone, units, tuple(figures), {u.key: u for u in units})


def _release(items: list[Any]) -> None:
    """Drops a large list one item at a time. Freed all at once, a corpus's working data is one long
    deallocation with the GIL held (0.7 s at 150,000 annotations), which froze the UI thread while the window
    computed agreement in a worker; between items the interpreter can hand the GIL over."""
    while items:
        items.pop()


def _coders(group: tuple[str, ...], doc: _Doc) -> tuple[str, ...]:
    return tuple(a for a in group if a in doc.participants)


@dataclass(frozen=True)
class _Seen:
    """A unit as one group sees it: how many of the group took part there, and each member's version."""

    unit: Unit
    coders: int
    versions: tuple[AnnotationRecord | None, ...]  # one per group member, None where they marked nothing


class Evidence(TypedDict):
    """The unit keys behind a figure, as Figure's fields of the same names."""

    agreed: Sequence[str]
    disagreed: Sequence[str]
    single: Sequence[str]


def _group_figures(scope: str, group: tuple[str, ...], docs: list[_Doc],
                   stance_order: Sequence[str] | None) -> list[Figure]:
    in_scope = [(d, _coders(group, d)) for d in docs]
    in_scope = [(d, c) for d, c in in_scope if len(c) >= 2 or (len(group) < 2 and c)]
    seen = []
    for doc, coders in in_scope:
        for unit in doc.units:
            versions = tuple(unit.version(a) for a in group)
            if any(versions):
                seen.append(_Seen(unit, len(coders), versions))
    boundaries = _evidence(seen, "boundaries", require_all=True)
    out = [_f1(scope, group, in_scope, boundaries, exact=True),
           _f1(scope, group, in_scope, _evidence(seen, None, require_all=True), exact=False)]
    for attribute in ATTRIBUTES:
        rows = [[v.attribute(attribute) if v else None for v in s.versions] for s in seen]
        evidence = _evidence(seen, attribute, require_all=False)
        observed = measures.pairwise_observed(rows)
        order = stance_order if attribute == "stance" else None
        out.append(_kappa(scope, group, rows, attribute, observed, evidence))
        out.append(_alpha(scope, group, rows, attribute, order, observed, evidence))
    out.append(_boundary_alpha(scope, group, in_scope, boundaries))
    out += _attribution_figures(scope, group, in_scope, seen)
    _release(seen)
    return out


def _attribution_figures(scope: str, group: tuple[str, ...], in_scope: list[tuple[_Doc, tuple[str, ...]]],
                         seen: list[_Seen]) -> list[Figure]:
    """Source actor (kappa, alpha) and span F1 of source mentions and cues, on the claim units."""
    linked: dict[str, dict[str, AnnotationRecord]] = {}
    for doc, _ in in_scope:
        linked.update({k: dict(v) for k, v in doc.linked.items()})
    rows = [[_source_actor(v, linked) for v in s.versions] for s in seen]
    evidence = _evidence(seen, SOURCE_ACTOR, require_all=False, linked=linked)
    observed = measures.pairwise_observed(rows)
    out = [_kappa(scope, group, rows, SOURCE_ACTOR, observed, evidence),
           _alpha(scope, group, rows, SOURCE_ACTOR, None, observed, evidence)]
    for measure, role in ((F1_SOURCE, "source"), (F1_CUE, "cue")):
        evidence = _evidence(seen, role, require_all=True, linked=linked)
        out.append(_linked_f1(scope, group, in_scope, measure, role, evidence))
    return out


def _source_actor(version: AnnotationRecord | None, linked: Linked) -> str | None:
    source = linked.get(version.id, {}).get("source") if version is not None else None
    return source.actor if source is not None else None


def _linked_spans(doc: _Doc, annotator: str, role: str) -> list[AnnotationRecord]:
    """The mentions (or cues) one annotator's live claims link in a role, each once."""
    return linked_spans(doc.spans.get(annotator, []), doc.linked, role)


def linked_spans(claims: Iterable[AnnotationRecord], linked_to: Linked, role: str) -> list[AnnotationRecord]:
    """The mentions (or cues) these claims link in a role, each once."""
    found: dict[str, AnnotationRecord] = {}
    for claim in claims:
        linked = linked_to.get(claim.id, {}).get(role)
        if linked is not None:
            found[linked.id] = linked
    return list(found.values())


def _linked_f1(scope: str, group: tuple[str, ...], in_scope: list[tuple[_Doc, tuple[str, ...]]], measure: str,
               role: str, evidence: Evidence) -> Figure:
    matched = total = 0
    for doc, coders in in_scope:
        for a, b in combinations(coders, 2):
            spans_a, spans_b = _linked_spans(doc, a, role), _linked_spans(doc, b, role)
            total += len(spans_a) + len(spans_b)
            both = Counter((s.start, s.end) for s in spans_a) & Counter((s.start, s.end) for s in spans_b)
            matched += sum(both.values())
    value = measures.f1(matched, total)
    if len(group) < 2:
        value, reason = None, measures.TOO_FEW
    else:
        reason = measures.NO_SPANS if value is None else ""
    return Figure(measure, None, group, scope, value, total, reason=reason, **evidence)


def _evidence(seen: list[_Seen], aspect: str | None, require_all: bool, linked: Linked | None = None) -> Evidence:
    """Sorts units into agreed / disagreed / single for one aspect (None: presence only)."""
    sorted_keys: dict[str, list[str]] = {"agreed": [], "disagreed": [], "single": []}
    for s in seen:
        present = [v for v in s.versions if v is not None]
        values = [aspect_value(v, aspect, linked) if aspect else True for v in present]
        coded = [v for v in values if v is not None]
        if len(coded) < 2:
            sorted_keys["single"].append(s.unit.key)
        elif len(set(coded)) == 1 and not (require_all and len(present) < s.coders):
            sorted_keys["agreed"].append(s.unit.key)
        else:
            sorted_keys["disagreed"].append(s.unit.key)
    return Evidence(agreed=tuple(sorted_keys["agreed"]), disagreed=tuple(sorted_keys["disagreed"]),
                    single=tuple(sorted_keys["single"]))


def _f1(scope: str, group: tuple[str, ...], in_scope: list[tuple[_Doc, tuple[str, ...]]], evidence: Evidence,
        exact: bool) -> Figure:
    matched = total = 0
    for doc, coders in in_scope:
        for a, b in combinations(coders, 2):
            spans_a, spans_b = doc.spans.get(a, []), doc.spans.get(b, [])
            total += len(spans_a) + len(spans_b)
            if exact:
                both = Counter((s.start, s.end) for s in spans_a) & Counter((s.start, s.end) for s in spans_b)
                matched += sum(both.values())
            else:
                matched += sum(1 for u in doc.units if u.version(a) and u.version(b))
    value = measures.f1(matched, total)
    if len(group) < 2:
        value, reason = None, measures.TOO_FEW
    else:
        reason = measures.NO_SPANS if value is None else ""
    return Figure(F1_EXACT if exact else F1_OVERLAP, None, group, scope, value, total, reason=reason, **evidence)


def _kappa(scope: str, group: tuple[str, ...], rows: list[list[str | None]], attribute: str,
           observed: float | None, evidence: Evidence) -> Figure:
    if len(group) < 2:
        return Figure(KAPPA, attribute, group, scope, None, 0, reason=measures.TOO_FEW, **evidence)
    kappas, reasons = [], []
    items = sum(1 for r in rows if sum(v is not None for v in r) >= 2)  # units, as for alpha
    for i, j in combinations(range(len(group)), 2):
        pairs = [(a, b) for r in rows if (a := r[i]) is not None and (b := r[j]) is not None]
        value, _, reason = measures.cohen_kappa(pairs)
        if value is None:
            reasons.append(reason)
        else:
            kappas.append(value)
    value = sum(kappas) / len(kappas) if kappas else None
    return Figure(KAPPA, attribute, group, scope, value, items, observed=observed,
                  reason="" if kappas else reasons[0], **evidence)


def _alpha(scope: str, group: tuple[str, ...], rows: list[list[str | None]], attribute: str,
           order: Sequence[str] | None, observed: float | None, evidence: Evidence) -> Figure:
    items = sum(1 for r in rows if sum(v is not None for v in r) >= 2)
    value, reason = measures.alpha(rows, order) if len(group) >= 2 else (None, measures.TOO_FEW)
    return Figure(ALPHA, attribute, group, scope, value, items, observed=observed,
                  level="ordinal" if order else "nominal", reason=reason, **evidence)


def _boundary_alpha(scope: str, group: tuple[str, ...], in_scope: list[tuple[_Doc, tuple[str, ...]]],
                    evidence: Evidence) -> Figure:
    """Pooled over documents as a histogram of (coders saying no-span, coders saying span) per code point:
    one small array per document at a time, never one row per code point of the whole corpus (at 10,000
    documents that was 65 million rows, gigabytes of memory and seconds of numpy holding the GIL)."""
    histogram: Counter[tuple[int, int]] = Counter()
    items = 0
    for doc, coders in in_scope:
        if len(coders) < 2 or doc.length == 0:
            continue
        marked = np.zeros(doc.length, dtype=np.int16)
        for a in coders:
            covered = np.zeros(doc.length, dtype=bool)
            for span in doc.spans.get(a, []):
                covered[span.start:span.end] = True
            marked += covered
        for span_coders, weight in enumerate(np.bincount(marked, minlength=len(coders) + 1).tolist()):
            if weight:
                histogram[(len(coders) - span_coders, span_coders)] += weight
        items += doc.length
    if len(group) < 2:
        value, reason = None, measures.TOO_FEW
    else:
        value, reason = measures.binary_alpha_histogram(histogram)
    return Figure(BOUNDARY_ALPHA, None, group, scope, value, items, reason=reason, **evidence)
