"""The interval-swept matching (storage.unit_matching) against a straightforward reference: the whole
document's all-pairs weight matrix solved as one optimal assignment (the matching storage used before, with its
tie rule). On random overlapping spans of several annotators, with ties, nested and identical spans, both give
the same units; the tie rule itself is checked against every possible assignment of small matrices."""
from __future__ import annotations

import random
from datetime import datetime, timezone

import numpy as np
import pytest
import itertools

from storage.agreement import build_units
from storage.records import AnnotationRecord
from storage.unit_matching import assign_to_units, first_optimal_assignment, overlaps

NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)


def span(n: int, who: str, start: int, end: int) -> AnnotationRecord:
    return AnnotationRecord(f"{who}-{n:05d}", "d1", who, start, end, "x" * (end - start), None, None, None, None,
                            "", 1, 1, NOW, NOW)


def reference_assign(spans: list[AnnotationRecord], clusters: list[list[AnnotationRecord]]) -> None:
    """Every span against every unit: shared code points and exact matches summed per unit, one assignment."""
    if not clusters:
        clusters.extend([s] for s in spans)
        return
    shared = np.zeros((len(spans), len(clusters)), dtype=np.int64)
    exact = np.zeros_like(shared)
    for i, s in enumerate(spans):
        for j, cluster in enumerate(clusters):
            for m in cluster:
                shared[i, j] += max(0, min(s.end, m.end) - max(s.start, m.start))
                exact[i, j] |= m.start == s.start and m.end == s.end
    weight = exact * (int(shared.max()) * len(spans) + 1) + shared
    placed = set()
    for i, j in first_optimal_assignment(weight).items():
        clusters[j].append(spans[i])
        placed.add(i)
    clusters.extend([spans[i]] for i in range(len(spans)) if i not in placed)


def random_spans(rng: random.Random, annotators: int, per_annotator: int, length: int) -> list[AnnotationRecord]:
    spans, n = [], 0
    anchors = [rng.randrange(0, length - 20) for _ in range(per_annotator)]
    for who in "abcd"[:annotators]:
        for anchor in anchors:
            if rng.random() < 0.15:
                continue  # this annotator skipped the passage
            start = max(0, anchor + rng.choice((0, 0, 0, -2, -1, 1, 3)))
            end = start + rng.choice((5, 8, 10, 10, 12, 20))
            spans.append(span(n, who, start, end))
            n += 1
            if rng.random() < 0.1:  # a second, nested or neighbouring span by the same annotator
                spans.append(span(n, who, start + rng.randint(0, 4), end + rng.randint(-3, 6)))
                n += 1
    return [s for s in spans if s.end > s.start]


def sequential(assign, spans: list[AnnotationRecord]) -> list[list[str]]:  # type: ignore[no-untyped-def]
    clusters: list[list[AnnotationRecord]] = []
    for who in sorted({s.annotator for s in spans}):
        assign(sorted((s for s in spans if s.annotator == who), key=lambda r: (r.start, r.end, r.id)), clusters)
    return [[s.id for s in c] for c in clusters]


@pytest.mark.parametrize("seed", range(40))
def test_swept_matching_gives_the_units_of_the_all_pairs_assignment(seed: int) -> None:
    rng = random.Random(seed)
    spans = random_spans(rng, annotators=rng.randint(2, 4), per_annotator=rng.randint(5, 60),
                         length=rng.choice((80, 300, 2000)))
    assert sequential(assign_to_units, spans) == sequential(reference_assign, spans)


def test_overlap_edges_are_exactly_the_pairs_sharing_a_code_point() -> None:
    rng = random.Random(3)
    spans = random_spans(rng, annotators=1, per_annotator=80, length=400)
    units = [[s] for s in random_spans(rng, annotators=1, per_annotator=80, length=400)]
    found = {(i, j) for i, j, _, _ in overlaps(spans, units)}
    expected = {(i, j) for i, s in enumerate(spans) for j, (u,) in enumerate(units)
                if min(s.end, u.end) > max(s.start, u.start)}
    assert found == expected and found


def test_touching_spans_share_nothing_and_stay_apart() -> None:
    a, b = span(1, "a", 0, 10), span(2, "b", 10, 20)
    units = build_units("d1", [a, b])
    assert [[s.id for s in u.spans] for u in units] == [[a.id], [b.id]]


def brute_force_first_optimum(weight: np.ndarray) -> dict[int, int]:
    """Every assignment of rows to distinct columns or to nothing; the best total, then the earliest columns."""
    rows, cols = weight.shape
    best: tuple[int, tuple[int, ...]] | None = None
    for choice in itertools.product(range(cols + 1), repeat=rows):  # cols stands for "left out"
        taken = [c for c in choice if c < cols]
        if len(taken) != len(set(taken)) or any(c < cols and weight[r, c] <= 0 for r, c in enumerate(choice)):
            continue
        total = sum(int(weight[r, c]) for r, c in enumerate(choice) if c < cols)
        if best is None or (-total, choice) < (-best[0], best[1]):
            best = (total, choice)
    assert best is not None
    return {r: c for r, c in enumerate(best[1]) if c < cols}


@pytest.mark.parametrize("seed", range(60))
def test_the_tie_rule_picks_the_first_of_the_best_assignments(seed: int) -> None:
    rng = np.random.default_rng(seed)
    weight = rng.choice([0, 0, 1, 2, 3], size=(rng.integers(1, 5), rng.integers(1, 5)))
    assert first_optimal_assignment(weight) == brute_force_first_optimum(weight)
