"""The statistics themselves, on plain values: no units, no records, no database.

Undefined results are None, never nan and never an exception; the caller gets a reason string with it.
"""
from __future__ import annotations

from collections import Counter
from typing import Literal, Mapping, Sequence

import numpy as np

NO_ITEMS = "no unit was coded by both"
NO_PAIRABLE = "no unit was coded by two or more annotators"
ONE_LABEL = "only one label occurs, so chance agreement is total and the statistic is undefined"
NO_SPANS = "no spans to compare"
TOO_FEW = "needs at least two annotators"


def f1(matched: int, total_spans: int) -> float | None:
    """Span F1 between annotators: 2 * matched / (spans of all of them); None when nobody marked anything.

    For a pair this is the usual F1 taking either annotator as the reference (it is symmetric)."""
    return None if total_spans == 0 else 2 * matched / total_spans


def cohen_kappa(pairs: Sequence[tuple[str, str]]) -> tuple[float | None, float | None, str]:
    """(kappa, observed agreement, reason) for two coders' labels on the same items (nominal)."""
    return cohen_kappa_table(Counter(pairs))


def cohen_kappa_table(table: Mapping[tuple[str, str], int]) -> tuple[float | None, float | None, str]:
    """`cohen_kappa` from the contingency table: (first coder's label, second's) -> how many items. The corpus
    computation counts these document by document instead of keeping every pair of labels."""
    n = sum(table.values())
    if n == 0:
        return None, None, NO_ITEMS
    observed_hits = sum(w for (a, b), w in table.items() if a == b)
    first: Counter[str] = Counter()
    second: Counter[str] = Counter()
    for (a, b), w in table.items():
        first[a] += w
        second[b] += w
    chance_hits = sum(first[label] * second[label] for label in first)  # expected agreement times n^2
    observed = observed_hits / n
    if chance_hits == n * n:
        return None, observed, ONE_LABEL
    expected = chance_hits / (n * n)
    return (observed - expected) / (1 - expected), observed, ""


def pairwise_observed(rows: Sequence[Sequence[str | None]]) -> float | None:
    """Share of agreeing pairs of values within units (each unit: one value or None per coder)."""
    agree = total = 0
    for row in rows:
        values = [v for v in row if v is not None]
        for i in range(len(values)):
            for j in range(i + 1, len(values)):
                total += 1
                agree += values[i] == values[j]
    return agree / total if total else None


def alpha(rows: Sequence[Sequence[str | None]], order: Sequence[str] | None = None) -> tuple[float | None, str]:
    """Krippendorff's alpha over units (rows: a value or None per coder), via the krippendorff package.

    Nominal unless `order` is given, in which case ordinal with that order of values (values not in it are
    put after it, in sorted order)."""
    pairable = [row for row in rows if sum(v is not None for v in row) >= 2]
    if not pairable:
        return None, NO_PAIRABLE
    present = {v for row in pairable for v in row if v is not None}
    if len(present) < 2:
        return None, ONE_LABEL
    domain = list(order or [])
    domain += sorted({v for row in rows for v in row if v is not None} - set(domain))
    index = {value: float(i) for i, value in enumerate(domain)}
    data = np.array([[np.nan if v is None else index[v] for v in row] for row in pairable]).T
    level: Literal["ordinal", "nominal"] = "ordinal" if order else "nominal"
    import krippendorff  # pulls in numpy/scipy: loaded on first use, not at start-up

    value = krippendorff.alpha(reliability_data=data, value_domain=list(range(len(domain))) if order else None,
                               level_of_measurement=level)
    return float(value), ""


def binary_alpha(counts: np.ndarray) -> tuple[float | None, str]:
    """Nominal alpha for units each coded span/no-span, from `counts`: one row per unit, (coders saying
    no-span, coders saying span); rows with fewer than two coders cannot be paired and are left out.

    Per-character data runs to millions of units but only a handful of distinct rows, so this computes
    Krippendorff's coincidence-matrix formula over the histogram of distinct rows (exact, not an
    approximation) instead of handing millions of rows to the krippendorff package; the tests check it
    against that package and against NLTK."""
    if counts.shape[0] == 0:
        return None, NO_SPANS
    counts = counts[counts.sum(axis=1) >= 2].astype(np.int64)
    if counts.shape[0] == 0:
        return None, TOO_FEW
    base = int(counts.max()) + 1
    codes, weights = np.unique(counts[:, 0] * base + counts[:, 1], return_counts=True)
    return binary_alpha_histogram({(int(c // base), int(c % base)): int(w) for c, w in zip(codes, weights)})


def binary_alpha_histogram(histogram: dict[tuple[int, int], int]) -> tuple[float | None, str]:
    """`binary_alpha` from the histogram of its rows: (coders saying no-span, coders saying span) -> how many
    units have that row. A corpus of tens of millions of code points has a few dozen distinct rows, so the
    caller counts them document by document and never holds one row per code point (gigabytes at 65 million)."""
    found = {row: weight for row, weight in histogram.items() if weight > 0}
    if not found:
        return None, NO_SPANS
    found = {row: weight for row, weight in found.items() if sum(row) >= 2}
    if not found:
        return None, TOO_FEW
    if not any(no for no, _ in found) or not any(yes for _, yes in found):
        return None, ONE_LABEL
    rows = np.array(list(found), dtype=np.float64)
    weights = np.array(list(found.values()), dtype=np.float64)
    share = weights / (rows.sum(axis=1) - 1)  # each distinct row, times how often it occurs, over m_u - 1
    coincidences = np.einsum("u,uc,uk->ck", share, rows, rows) - np.diag(share @ rows)
    totals = coincidences.sum(axis=1)
    n = totals.sum()
    observed = coincidences.sum() - np.trace(coincidences)
    expected = totals.sum() ** 2 - (totals ** 2).sum()
    return float(1 - (n - 1) * observed / expected), ""


Coincidences = Mapping[tuple[int, str, str], int]
"""(values in the unit m_u, value c, value k) -> ordered pairs of a unit's values that are (c, k), summed over
units with m_u values. Integers, so counting document by document gives exactly what counting at once does."""


def unit_coincidences(values: Sequence[str], into: dict[tuple[int, str, str], int]) -> None:
    """Adds one unit's ordered pairs of values (the coded ones, two or more) to a coincidence count."""
    m = len(values)
    if m < 2:
        return
    counts = Counter(values)
    for c, nc in counts.items():
        for k, nk in counts.items():
            pairs = nc * (nk - 1) if c == k else nc * nk
            if pairs:
                into[(m, c, k)] = into.get((m, c, k), 0) + pairs


def alpha_from_coincidences(coincidences: Coincidences,
                            order: Sequence[str] | None = None) -> tuple[float | None, str]:
    """Krippendorff's alpha from counted coincidences (see `Coincidences`): the same figure as `alpha` on the
    units they were counted from (nominal; ordinal with `order` as there), with the package's formula,
    1 - sum(o * d) / sum(e * d) with e = (n_c n_k - [c = k] n_c) / (n - 1), on a values x values matrix,
    never on one row per unit (the krippendorff package holds the GIL for its whole numpy call)."""
    if not coincidences:
        return None, NO_PAIRABLE
    present = {c for _, c, _ in coincidences}
    if len(present) < 2:
        return None, ONE_LABEL
    domain = [v for v in order or () if v in present] + sorted(present - set(order or ()))
    index = {value: i for i, value in enumerate(domain)}
    o = np.zeros((len(domain), len(domain)))
    for (m, c, k), pairs in sorted(coincidences.items()):
        o[index[c], index[k]] += pairs / (m - 1)
    n_v = o.sum(axis=0)
    e = (np.outer(n_v, n_v) - np.diag(n_v)) / (n_v.sum() - 1)
    if order:
        between = np.array([[n_v[min(c, k):max(c, k) + 1].sum() for k in range(len(domain))]
                            for c in range(len(domain))])
        d = (between - (n_v[:, None] + n_v[None, :]) / 2) ** 2
    else:
        d = 1.0 - np.eye(len(domain))
    return float(1 - (o * d).sum() / (e * d).sum()), ""
