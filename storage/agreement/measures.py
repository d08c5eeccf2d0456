"""The statistics themselves, on plain values: no units, no records, no database.

Undefined results are None, never nan and never an exception; the caller gets a reason string with it.
"""
from __future__ import annotations

from collections import Counter
from typing import Literal, Sequence

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
    n = len(pairs)
    if n == 0:
        return None, None, NO_ITEMS
    observed_hits = sum(1 for a, b in pairs if a == b)
    first, second = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
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
    if not counts[:, 0].any() or not counts[:, 1].any():
        return None, ONE_LABEL
    base = int(counts.max()) + 1
    codes, weights = np.unique(counts[:, 0] * base + counts[:, 1], return_counts=True)
    rows = np.column_stack([codes // base, codes % base]).astype(np.float64)
    share = weights / (rows.sum(axis=1) - 1)  # each distinct row, times how often it occurs, over m_u - 1
    coincidences = np.einsum("u,uc,uk->ck", share, rows, rows) - np.diag(share @ rows)
    totals = coincidences.sum(axis=1)
    n = totals.sum()
    observed = coincidences.sum() - np.trace(coincidences)
    expected = totals.sum() ** 2 - (totals ** 2).sum()
    return float(1 - (n - 1) * observed / expected), ""
