"""One annotator's spans assigned to the units built so far (storage.agreement.units documents the matching).

The assignment is the optimal one over the whole document, but only a span and a unit that share a code point
can be matched, and a placement without shared code points is never kept, so it splits into independent small
problems: the connected groups of the overlap graph (a passage and its neighbours). Those edges are found with
a sweep over the spans and the units' hulls (a unit's spans overlap one another, so its hull is an interval
they cover), and each group is solved on its own with the same weights: exact matches first, then code
points shared. A document of 5,000 units is then a few thousand problems of a handful of spans, not one
5,000 x 5,000 matrix (a minute of Hungarian assignment and all-pairs numpy)."""
from __future__ import annotations

import heapq
from collections import defaultdict
from typing import TYPE_CHECKING, Sequence

import numpy as np

if TYPE_CHECKING:
    from storage.records import AnnotationRecord

Edge = tuple[int, int, int, bool]  # span index, unit index, code points shared with the unit, an exact match


def assign_to_units(spans: Sequence[AnnotationRecord], units: list[list[AnnotationRecord]]) -> None:
    """Appends each span to the unit it is matched with, or opens a unit of its own (in span order)."""
    if not units:
        units.extend([s] for s in spans)
        return
    edges = overlaps(spans, units)
    placed: dict[int, int] = {}
    if edges:
        # Lexicographic: one exact match outweighs any amount of shared code points.
        bonus = max(e[2] for e in edges) * len(spans) + 1
        for group in _groups(edges, len(spans)):
            placed.update(_solve(group, bonus))
    for i, j in sorted(placed.items()):
        units[j].append(spans[i])
    units.extend([s] for i, s in enumerate(spans) if i not in placed)


def overlaps(spans: Sequence[AnnotationRecord], units: Sequence[Sequence[AnnotationRecord]]) -> list[Edge]:
    """Every (span, unit) pair sharing at least one code point, by a sweep in start order."""
    hulls = [(min(m.start for m in u), max(m.end for m in u)) for u in units]
    items = sorted([(s.start, 0, i, s.end) for i, s in enumerate(spans)]
                   + [(start, 1, j, end) for j, (start, end) in enumerate(hulls)])
    open_items: list[tuple[int, int, int]] = []  # (end, kind, index) of what is still open at the sweep line
    alive: tuple[set[int], set[int]] = (set(), set())  # open spans, open units
    edges: list[Edge] = []
    for start, kind, index, end in items:
        while open_items and open_items[0][0] <= start:
            _, gone_kind, gone = heapq.heappop(open_items)
            alive[gone_kind].discard(gone)
        for other in alive[1 - kind]:
            i, j = (index, other) if kind == 0 else (other, index)
            edges.append(_edge(spans[i], i, j, units[j]))
        alive[kind].add(index)
        heapq.heappush(open_items, (end, kind, index))
    return edges


def _edge(span: AnnotationRecord, i: int, j: int, unit: Sequence[AnnotationRecord]) -> Edge:
    shared = sum(max(0, min(span.end, m.end) - max(span.start, m.start)) for m in unit)
    exact = any(m.start == span.start and m.end == span.end for m in unit)
    return i, j, shared, exact


def _groups(edges: list[Edge], span_count: int) -> list[list[Edge]]:
    """The edges split by connected group of spans and units (union-find; units numbered after the spans)."""
    parent: dict[int, int] = {}

    def root(node: int) -> int:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for i, j, _, _ in edges:
        a, b = root(i), root(span_count + j)
        if a != b:
            parent[max(a, b)] = min(a, b)
    grouped: dict[int, list[Edge]] = defaultdict(list)
    for edge in edges:
        grouped[root(edge[0])].append(edge)
    return list(grouped.values())


def _solve(group: list[Edge], bonus: int) -> dict[int, int]:
    """span index -> unit index for one connected group, maximising exact matches, then shared code points."""
    if len(group) == 1:
        i, j, _, _ = group[0]
        return {i: j}
    rows = sorted({e[0] for e in group})
    cols = sorted({e[1] for e in group})
    row_at = {i: n for n, i in enumerate(rows)}
    col_at = {j: n for n, j in enumerate(cols)}
    weight = np.zeros((len(rows), len(cols)), dtype=np.int64)
    for i, j, shared, exact in group:
        weight[row_at[i], col_at[j]] = bonus * exact + shared
    return {rows[r]: cols[c] for r, c in first_optimal_assignment(weight).items()}


def first_optimal_assignment(weight: np.ndarray) -> dict[int, int]:
    """row -> column over the positive weights, of greatest total; among equal totals, the first row gets the
    lowest column it can have, then the second row, and so on (a row left out counts as after every column).
    The solver alone breaks ties by its own search order, which depends on the matrix's shape, so a document
    matched in one piece and in groups would come out differently; this rule gives the same units either way."""
    best = _optimum(weight)
    chosen: dict[int, int] = {}
    free_rows, free_cols = list(range(weight.shape[0])), list(range(weight.shape[1]))
    kept = 0
    while free_rows:
        row = free_rows.pop(0)
        for col in [c for c in free_cols if weight[row, c] > 0]:
            rest = _optimum(weight[np.ix_(free_rows, [c for c in free_cols if c != col])])
            if kept + int(weight[row, col]) + rest == best:
                chosen[row] = col
                kept += int(weight[row, col])
                free_cols.remove(col)
                break
    return chosen


def _optimum(weight: np.ndarray) -> int:
    if weight.size == 0:
        return 0
    from scipy.optimize import linear_sum_assignment  # heavy: loaded on first use, not at start-up

    rows, cols = linear_sum_assignment(weight, maximize=True)
    return int(weight[rows, cols].sum())
