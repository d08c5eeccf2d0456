"""Corpus agreement document by document: the figures of `corpus_report`, from counts instead of kept units.

`corpus_report` keeps every document's units, each with its records, until the last figure is done: at 10,000
documents and a million annotations that was gigabytes in the worker, and the cycle collector's first full
pass over the finished report froze the window's UI thread for seconds (bench/README.md, "scale"). Here each
document is matched into units, its share of every figure is counted, and its units are dropped before the
next document comes. What stays, per group of annotators (every pair sharing a document, and everyone):
integers (matched and total spans for the F1s, contingency tables for kappa, coincidence counts for alpha, a
histogram of code points for boundary alpha) and one byte per unit the group sees and aspect (agreed,
disagreed, single); the unit keys are one shared table, and a figure's keys refer to it by index (`UnitKeys`).

Alpha comes from the counted coincidences (`measures.alpha_from_coincidences`) instead of the krippendorff
package's call on one row per unit, so the figures equal corpus_report's up to floating-point rounding; every
other number is the same integer arithmetic (tests/storage/test_agreement_corpus.py compares the two)."""
from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import combinations
from typing import Any, cast, overload

import numpy as np

from storage.agreement import measures
from storage.agreement.report import (
    ALPHA, BOUNDARY_ALPHA, CORPUS, F1_CUE, F1_EXACT, F1_OVERLAP, F1_SOURCE, KAPPA, SOURCE_ACTOR, AgreementReport,
    DocumentInput, Evidence, Figure, linked_spans,
)
from storage.agreement.units import Linked, Unit, aspect_value, build_units
from storage.records import ATTRIBUTES, AnnotationRecord

AGREED_CODE, DISAGREED_CODE, SINGLE_CODE = 0, 1, 2
PRESENCE = "presence"  # the aspect of span F1 by overlap: did each of them mark the unit at all
# (aspect, whether agreement needs every coder of the document to have marked the unit), as report._evidence.
EVIDENCE = (("boundaries", True), (PRESENCE, True), *((a, False) for a in ATTRIBUTES), (SOURCE_ACTOR, False),
            ("source", True), ("cue", True))
RATED = ATTRIBUTES + (SOURCE_ACTOR,)  # the aspects with kappa and alpha
SPAN_MEASURES = (F1_EXACT, F1_OVERLAP, F1_SOURCE, F1_CUE)


class UnitKeys(Sequence[str]):
    """The keys of the units behind a figure: indexes into the report's one table of keys. A corpus figure can
    stand on 250,000 units; a tuple of keys per figure and group was millions of references for the cycle
    collector to walk, an index array is one object it never looks into."""

    __slots__ = ("_table", "_at")

    def __init__(self, table: Sequence[str], at: np.ndarray) -> None:
        self._table, self._at = table, at

    def __len__(self) -> int:
        return len(self._at)

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[str, ...]: ...

    def __getitem__(self, index: int | slice) -> str | tuple[str, ...]:
        if isinstance(index, slice):
            return tuple(self._table[i] for i in self._at[index].tolist())
        return self._table[int(self._at[index])]

    def __iter__(self) -> Iterator[str]:
        return (self._table[i] for i in self._at.tolist())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and not isinstance(other, str) and tuple(self) == tuple(other)

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"UnitKeys({len(self)} keys)"


class _Counts:
    """One group's running counts over the documents seen so far."""

    def __init__(self) -> None:
        self.spans = {m: [0, 0] for m in SPAN_MEASURES}  # measure -> [matched, total]
        self.seen = array("i")  # indexes of the units this group saw, in document order
        self.codes = {aspect: array("b") for aspect, _ in EVIDENCE}  # one code per seen unit
        self.items = dict.fromkeys(RATED, 0)  # units with two or more values
        self.observed = {a: [0, 0] for a in RATED}  # [agreeing pairs of values, pairs of values]
        self.coincidences: dict[str, dict[tuple[int, str, str], int]] = {a: {} for a in RATED}
        self.tables: dict[str, Counter[tuple[str, str]]] = {a: Counter() for a in RATED}  # pairs only
        self.boundaries: Counter[tuple[int, int]] = Counter()
        self.code_points = 0


class CorpusFigures:
    """Takes documents one at a time (`add`) and makes the corpus report from the counts (`report`)."""

    def __init__(self, stance_order: Sequence[str] | None = None) -> None:
        self._order = stance_order
        self._keys: list[str] = []
        self._everyone: set[str] = set()
        self._pairs: dict[tuple[str, str], _Counts] = {}
        self._all = _Counts()  # everyone together: the documents with two or more participants

    def add(self, doc: DocumentInput, want_units: bool = True) -> tuple[Unit, ...]:
        """Counts one document and returns its units (the caller may list them; nothing here keeps them).
        Without `want_units`, a document one annotator alone took part in yields its unit keys only."""
        spans: dict[str, list[AnnotationRecord]] = {}
        for r in doc.annotations:
            if r.deleted_at is None and r.kind == "claim":
                spans.setdefault(r.annotator, []).append(r)
        people = tuple(sorted(set(doc.participants) | set(spans)))  # as build_units's participants
        self._everyone.update(people)
        if len(people) < 2 and not want_units:
            # No pair here (with a lone annotator in the corpus, `report` calls these single). One annotator's
            # every claim is a unit of its own; the 2 MB article's 50,000 made into units and sorted by
            # build_units were two sorts of 0.1 s each with the GIL held.
            self._keys += lone_keys(doc.document_id, spans.get(people[0], []) if people else [])
            return ()
        units = build_units(doc.document_id, doc.annotations, doc.participants)
        first = len(self._keys)
        self._keys.extend(u.key for u in units)
        if len(people) < 2:
            return units
        linked: dict[str, Any] = {}
        for u in units:
            linked.update(u.linked)
        groups: list[tuple[tuple[int, ...], _Counts]] = [
            ((i, j), self._pairs.setdefault((people[i], people[j]), _Counts()))
            for i, j in combinations(range(len(people)), 2)]
        groups.append((tuple(range(len(people))), self._all))
        for n, unit in enumerate(units):
            self._count_unit(first + n, unit, people, linked, groups)
        self._count_spans(doc.text_length, people, spans, units, linked, groups)
        return units

    def _count_unit(self, index: int, unit: Unit, people: tuple[str, ...], linked: Linked,
                    groups: list[tuple[tuple[int, ...], _Counts]]) -> None:
        versions = [unit.version(p) for p in people]
        values = {aspect: [None if v is None else True if aspect == PRESENCE else aspect_value(v, aspect, linked)
                           for v in versions] for aspect, _ in EVIDENCE}
        for members, counts in groups:
            present = [k for k in members if versions[k] is not None]
            if not present:
                continue
            counts.seen.append(index)
            for aspect, require_all in EVIDENCE:
                coded = [value for k in present if (value := values[aspect][k]) is not None]
                if len(coded) < 2:
                    counts.codes[aspect].append(SINGLE_CODE)
                elif len(set(coded)) == 1 and not (require_all and len(present) < len(members)):
                    counts.codes[aspect].append(AGREED_CODE)
                else:
                    counts.codes[aspect].append(DISAGREED_CODE)
            for aspect in RATED:
                row = cast("list[str | None]", values[aspect])  # labels and actor names
                rated = [value for k in present if (value := row[k]) is not None]
                if len(rated) >= 2:
                    counts.items[aspect] += 1
                    observed = counts.observed[aspect]
                    observed[0] += sum(c * (c - 1) // 2 for c in Counter(rated).values())
                    observed[1] += len(rated) * (len(rated) - 1) // 2
                    measures.unit_coincidences(rated, counts.coincidences[aspect])
                    if len(members) == 2:
                        counts.tables[aspect][(rated[0], rated[1])] += 1

    def _count_spans(self, length: int, people: tuple[str, ...], spans: dict[str, list[AnnotationRecord]],
                     units: tuple[Unit, ...], linked: Linked, groups: list[tuple[tuple[int, ...], _Counts]]) -> None:
        """Span F1 (exact, overlap, source, cue) per pair, and the code-point histogram of boundary alpha."""
        own = [spans.get(p, []) for p in people]
        bounds = [Counter((s.start, s.end) for s in mine) for mine in own]
        roles = {role: [Counter((s.start, s.end) for s in linked_spans(mine, linked, role)) for mine in own]
                 for role in ("source", "cue")}
        both = Counter((i, j) for u in units for i, j in combinations(range(len(people)), 2)
                       if u.version(people[i]) and u.version(people[j]))
        covered = []
        for mine in own:
            marked = np.zeros(length, dtype=bool)
            for s in mine:
                marked[s.start:s.end] = True
            covered.append(marked)
        everyone = self._all
        for (i, j), counts in groups[:-1]:
            total = len(own[i]) + len(own[j])
            found = {F1_EXACT: (sum((bounds[i] & bounds[j]).values()), total),
                     F1_OVERLAP: (both[(i, j)], total)}
            for measure, role in ((F1_SOURCE, "source"), (F1_CUE, "cue")):
                linked_at = roles[role]
                found[measure] = (sum((linked_at[i] & linked_at[j]).values()),
                                  sum(linked_at[i].values()) + sum(linked_at[j].values()))
            for measure, (matched, spans_in) in found.items():
                for target in (counts.spans[measure], everyone.spans[measure]):
                    target[0] += matched
                    target[1] += spans_in
        if length == 0:
            return
        for members, counts in groups:
            marked = np.zeros(length, dtype=np.int16)
            for k in members:
                marked += covered[k]
            for span_coders, weight in enumerate(np.bincount(marked, minlength=len(members) + 1).tolist()):
                if weight:
                    counts.boundaries[(len(members) - span_coders, span_coders)] += weight
            counts.code_points += length

    def report(self, units: Sequence[Unit] = ()) -> AgreementReport:
        """The corpus report: figures and unit keys, and `units` only if the caller kept them."""
        everyone = tuple(sorted(self._everyone))
        groups: list[tuple[str, ...]] = [p for p in combinations(everyone, 2) if p in self._pairs]
        if everyone not in groups:
            groups.append(everyone)
        keys = tuple(self._keys)
        figures: list[Figure] = []
        for group in groups:
            counts = self._pairs.get((group[0], group[1])) if len(group) == 2 else None
            figures += self._figures(group, counts or (self._all if len(group) >= 2 else self._alone()), keys)
        return AgreementReport(CORPUS, everyone, tuple(units), tuple(figures), {u.key: u for u in units},
                               units_counted=len(keys))

    def _alone(self) -> _Counts:
        """At most one annotator in the whole corpus: every unit is theirs alone."""
        counts = _Counts()
        counts.seen = array("i", range(len(self._keys)))
        counts.codes = {aspect: array("b", [SINGLE_CODE]) * len(self._keys) for aspect, _ in EVIDENCE}
        return counts

    def _figures(self, group: tuple[str, ...], counts: _Counts, keys: tuple[str, ...]) -> list[Figure]:
        seen = np.array(counts.seen, dtype=np.int32)

        def evidence(aspect: str) -> Evidence:
            codes = np.array(counts.codes[aspect], dtype=np.int8)
            return Evidence(agreed=UnitKeys(keys, seen[codes == AGREED_CODE]),
                            disagreed=UnitKeys(keys, seen[codes == DISAGREED_CODE]),
                            single=UnitKeys(keys, seen[codes == SINGLE_CODE]))

        def spans(measure: str, aspect: str) -> Figure:
            matched, total = counts.spans[measure]
            value = measures.f1(matched, total)
            if len(group) < 2:
                value, reason = None, measures.TOO_FEW
            else:
                reason = measures.NO_SPANS if value is None else ""
            return Figure(measure, None, group, CORPUS, value, total, reason=reason, **evidence(aspect))

        out = [spans(F1_EXACT, "boundaries"), spans(F1_OVERLAP, PRESENCE)]
        for attribute in ATTRIBUTES:
            out += self._rated(group, counts, attribute, evidence(attribute))
        if len(group) < 2:
            value, reason = None, measures.TOO_FEW
        else:
            value, reason = measures.binary_alpha_histogram(counts.boundaries)
        out.append(Figure(BOUNDARY_ALPHA, None, group, CORPUS, value, counts.code_points, reason=reason,
                          **evidence("boundaries")))
        out += self._rated(group, counts, SOURCE_ACTOR, evidence(SOURCE_ACTOR))
        return out + [spans(F1_SOURCE, "source"), spans(F1_CUE, "cue")]

    def _rated(self, group: tuple[str, ...], counts: _Counts, attribute: str, evidence: Evidence) -> list[Figure]:
        """Kappa (the mean over pairs, each pair's own table) and alpha (the group's coincidences)."""
        if len(group) < 2:
            return [Figure(KAPPA, attribute, group, CORPUS, None, 0, reason=measures.TOO_FEW, **evidence),
                    Figure(ALPHA, attribute, group, CORPUS, None, 0, level=self._level(attribute),
                           reason=measures.TOO_FEW, **evidence)]
        agree, pairs = counts.observed[attribute]
        observed = agree / pairs if pairs else None
        kappas, reasons = [], []
        for a, b in combinations(group, 2):
            pair = self._pairs.get((a, b))
            value, _, reason = measures.cohen_kappa_table(pair.tables[attribute] if pair else {})
            if value is None:
                reasons.append(reason)
            else:
                kappas.append(value)
        items = counts.items[attribute]
        kappa = Figure(KAPPA, attribute, group, CORPUS, sum(kappas) / len(kappas) if kappas else None, items,
                       observed=observed, reason="" if kappas else reasons[0], **evidence)
        order = self._order if attribute == "stance" else None
        value, reason = measures.alpha_from_coincidences(counts.coincidences[attribute], order)
        return [kappa, Figure(ALPHA, attribute, group, CORPUS, value, items, observed=observed,
                              level=self._level(attribute), reason=reason, **evidence)]

    def _level(self, attribute: str) -> str:
        return "ordinal" if attribute == "stance" and self._order else "nominal"


def lone_keys(document_id: str, claims: Sequence[AnnotationRecord]) -> list[str]:
    """The unit keys of one annotator's claims in build_units's order (start, end, key), sorted by numpy on
    the offsets (no long sort of Python objects with the GIL held); ties are put in key order run by run."""
    if not claims:
        return []
    starts = np.fromiter((c.start for c in claims), np.int64, len(claims))
    ends = np.fromiter((c.end for c in claims), np.int64, len(claims))
    order = np.lexsort((ends, starts)).tolist()
    keys: list[str] = []
    run: list[str] = []
    last: tuple[int, int] | None = None
    for i in order:
        claim = claims[i]
        if (claim.start, claim.end) != last:
            keys += sorted(run)
            run, last = [], (claim.start, claim.end)
        run.append(f"{document_id}/{claim.id}")
    return keys + sorted(run)


def corpus_figures(documents: Iterable[DocumentInput], stance_order: Sequence[str] | None = None,
                   progress: Callable[[int, int], None] | None = None, total: int = 0,
                   each_document: Callable[[tuple[Unit, ...]], None] | None = None) -> AgreementReport:
    """The corpus report of `documents`, read one at a time: figures and unit keys, no units (`report.units`
    is empty; `each_document` sees every document's units before they are dropped). `progress(done, total)`
    every 20 documents, `total` being how many the caller will pass."""
    figures = CorpusFigures(stance_order)
    done = 0
    for done, doc in enumerate(documents, start=1):
        units = figures.add(doc, want_units=each_document is not None)
        if each_document is not None:
            each_document(units)
        if progress is not None and done % 20 == 0:
            progress(done, max(total, done))
    report = figures.report()
    if progress is not None:
        progress(done, max(total, done))
    return report
