"""Agreement measures against independent references (scikit-learn, NLTK), hand-worked examples and the
degenerate cases. Pure functions: no database needed."""
from __future__ import annotations

import math
import random
from datetime import datetime, timezone
from itertools import count

import pytest
from nltk.metrics.agreement import AnnotationTask
from sklearn.metrics import cohen_kappa_score

from storage.agreement import (
    AGREED, ALPHA, BOUNDARY_ALPHA, DISAGREED, F1_EXACT, F1_OVERLAP, INCOMPLETE, KAPPA, DocumentInput,
    build_units, corpus_report, document_report,
)
from storage.records import AnnotationRecord

NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)
STANCES = ("oppose", "neutral", "support")
_ids = count()


def span(who: str, start: int, end: int, stance: str | None = None, actor: str | None = None,
         claim_type: str | None = None, doc: str = "d1") -> AnnotationRecord:
    return AnnotationRecord(f"{who}-{next(_ids):04d}", doc, who, start, end, "x" * (end - start), stance, actor,
                            claim_type, None, "", 1, 1, NOW, NOW)


def report(spans: list[AnnotationRecord], length: int = 100, participants: tuple[str, ...] = (),
           order: tuple[str, ...] | None = None):
    return document_report(DocumentInput("d1", length, tuple(spans), participants), stance_order=order)


# -- matching -----------------------------------------------------------------------------------------------
def test_matching_is_one_to_one_by_maximum_overlap_not_greedy() -> None:
    # Greedy largest-overlap-first would pair a1-b1 (10) and leave a2 and b2 alone (b2 only touches a1).
    # The optimum pairs a1-b2 (9) and a2-b1 (9): two matches, 18 shared code points.
    a1, a2 = span("a", 0, 10), span("a", 10, 19)
    b1, b2 = span("b", 0, 20), span("b", 0, 9)
    units = build_units("d1", [a1, a2, b1, b2])
    pairs = {frozenset(s.id for s in u.spans) for u in units}
    assert pairs == {frozenset({a1.id, b2.id}), frozenset({a2.id, b1.id})}


def test_exact_boundaries_win_over_larger_overlap_sums_and_unmatched_spans_stay_alone() -> None:
    a1 = span("a", 0, 10)
    b_exact, b_wide = span("b", 0, 10), span("b", 0, 30)
    lonely = span("b", 50, 60)
    units = build_units("d1", [a1, b_exact, b_wide, lonely])
    by_a = next(u for u in units if u.version("a"))
    assert by_a.version("b") == b_exact
    assert [u.status for u in units] == [AGREED, INCOMPLETE, INCOMPLETE]
    assert len(units) == 3 and all(len(u.spans) <= 2 for u in units)


def test_three_annotators_one_span_each_per_unit_and_statuses() -> None:
    spans = [span("a", 0, 10, "support"), span("b", 0, 10, "support"), span("c", 0, 10, "support"),
             span("a", 20, 30, "oppose"), span("b", 21, 30, "oppose"), span("c", 20, 30, "neutral"),
             span("a", 40, 50), span("c", 45, 50)]
    units = build_units("d1", spans)
    assert [u.status for u in units] == [AGREED, DISAGREED, INCOMPLETE]
    assert units[1].differences == ("boundaries", "stance")
    assert units[2].missing == ("b",)
    assert units[1].pair_differs("a", "b") and not units[0].pair_differs("a", "c")


# -- hand-worked example ------------------------------------------------------------------------------------
def hand_example():
    """Two annotators, 50 code points:
    unit 1: both [0,10) support  -> exact match, agree
    unit 2: ann [20,30) oppose, bob [22,30) neutral -> overlap match, disagree
    unit 3: bob alone [40,45)."""
    return [span("ann", 0, 10, "support"), span("bob", 0, 10, "support"), span("ann", 20, 30, "oppose"),
            span("bob", 22, 30, "neutral"), span("bob", 40, 45, "support")]


def test_hand_worked_span_f1_kappa_and_alphas() -> None:
    rep = report(hand_example(), length=50, order=STANCES)
    # F1: 5 spans in all; 1 exact match -> 2/5; 2 overlap matches -> 4/5.
    assert rep.find(F1_EXACT).value == pytest.approx(0.4)
    assert rep.find(F1_OVERLAP).value == pytest.approx(0.8)
    # kappa on stance over the 2 matched units: po = 1/2; pe = (1*1)/4 (support on both sides) -> 1/3.
    kappa = rep.find(KAPPA, "stance")
    assert kappa.value == pytest.approx(1 / 3) and kappa.observed == pytest.approx(0.5) and kappa.items == 2
    # Ordinal alpha: values o,n,s with coincidence totals 1,1,2 (n=4); Do = 2*d(o,n)/4 = 0.5 with
    # d(o,n) = (1+1-1)^2 = 1; De = 2*(1*1*1 + 1*2*6.25 + 1*2*2.25)/(4*3) = 3 -> alpha = 1 - 0.5/3.
    alpha = rep.find(ALPHA, "stance")
    assert alpha.level == "ordinal" and alpha.value == pytest.approx(1 - 0.5 / 3)
    # Evidence lists the units behind the number.
    assert [rep.unit(k).start for k in alpha.agreed] == [0]
    assert [rep.unit(k).start for k in alpha.disagreed] == [20]
    assert [rep.unit(k).start for k in alpha.single] == [40]
    # Boundaries: per code point (no-span, span) counts: 10 x (0,2), 2 x (1,1), 8 x (0,2), 5 x (1,1), 25 x (2,0)
    # Coincidences: o_nn = 50, o_ss = 36, o_ns = o_sn = 7; n_n = 57, n_s = 43, n = 100.
    # alpha = 1 - (n-1) * o_ns / (n_n * n_s) = 1 - 99*7/(57*43).
    assert rep.find(BOUNDARY_ALPHA).value == pytest.approx(1 - 99 * 7 / (57 * 43))


# -- references ---------------------------------------------------------------------------------------------
def labelled_fixture(seed: int, coders: tuple[str, ...], units: int, labels: tuple[str, ...]):
    """Every coder marks the same boundaries on every unit with a random label (so references see full data)."""
    rng = random.Random(seed)
    spans, truth = [], []
    for u in range(units):
        row = []
        for who in coders:
            value = rng.choice(labels)
            spans.append(span(who, u * 10, u * 10 + 5, stance=value, claim_type=rng.choice(("factual", "policy"))))
            row.append(value)
        truth.append(row)
    return spans, truth


@pytest.mark.parametrize("seed", range(6))
def test_pair_kappa_matches_scikit_learn(seed: int) -> None:
    spans, truth = labelled_fixture(seed, ("a", "b"), 25, STANCES)
    rep = report(spans, length=300)
    expected = cohen_kappa_score([r[0] for r in truth], [r[1] for r in truth])
    assert rep.find(KAPPA, "stance", ("a", "b")).value == pytest.approx(expected)


@pytest.mark.parametrize("seed", range(6))
def test_alpha_and_mean_kappa_match_nltk_for_three_coders(seed: int) -> None:
    coders = ("a", "b", "c")
    spans, truth = labelled_fixture(seed, coders, 20, STANCES)
    rep = report(spans, length=300)
    task = AnnotationTask(data=[(c, str(u), row[i]) for u, row in enumerate(truth) for i, c in enumerate(coders)])
    assert rep.find(ALPHA, "stance").value == pytest.approx(task.alpha())
    assert rep.find(KAPPA, "stance").value == pytest.approx(task.kappa())
    for a, b in (("a", "b"), ("a", "c"), ("b", "c")):
        assert rep.find(KAPPA, "stance", (a, b)).value == pytest.approx(task.kappa_pairwise(a, b))


@pytest.mark.parametrize("seed", range(4))
def test_boundary_alpha_matches_nltk_alpha_over_code_points(seed: int) -> None:
    rng = random.Random(seed)
    length, coders = 60, ("a", "b", "c")
    spans = []
    for who in coders:
        at = 0
        while at < length - 4:
            start = at + rng.randrange(0, 8)
            end = min(length, start + rng.randrange(1, 10))
            if start < end:
                spans.append(span(who, start, end))
            at = end + 1
    rep = report(spans, length=length)
    covered = {c: {i for s in spans if s.annotator == c for i in range(s.start, s.end)} for c in coders}
    task = AnnotationTask(data=[(c, str(i), "span" if i in covered[c] else "none")
                                for i in range(length) for c in coders])
    assert rep.find(BOUNDARY_ALPHA).value == pytest.approx(task.alpha())
    assert rep.find(BOUNDARY_ALPHA).items == length


@pytest.mark.parametrize("seed", range(3))
def test_corpus_boundary_alpha_pools_every_documents_code_points(seed: int) -> None:
    """Pooled document by document (as a histogram): the same as NLTK's alpha over all code points at once,
    with documents of different lengths and a different number of coders taking part."""
    rng = random.Random(seed)
    docs, data = [], []
    for doc_id, length, coders in (("d1", 50, ("a", "b", "c")), ("d2", 80, ("a", "b")), ("d3", 30, ("b", "c"))):
        spans = []
        for who in coders:
            for _ in range(4):
                start = rng.randrange(0, length - 10)
                spans.append(span(who, start, start + rng.randrange(1, 10), doc=doc_id))
        docs.append(DocumentInput(doc_id, length, tuple(spans), coders))
        covered = {c: {i for s in spans if s.annotator == c for i in range(s.start, s.end)} for c in coders}
        data += [(c, f"{doc_id}:{i}", "span" if i in covered[c] else "none") for i in range(length) for c in coders]
    found = corpus_report(docs).find(BOUNDARY_ALPHA)
    assert found.value == pytest.approx(AnnotationTask(data=data).alpha())
    assert found.items == 50 + 80 + 30


def test_corpus_pools_units_of_every_document() -> None:
    docs, all_a, all_b = [], [], []
    for n, seed in enumerate((11, 12, 13)):
        spans, truth = labelled_fixture(seed, ("a", "b"), 8, STANCES)
        spans = [span(s.annotator, s.start, s.end, s.stance, doc=f"d{n}") for s in spans]
        docs.append(DocumentInput(f"d{n}", 100, tuple(spans)))
        all_a += [r[0] for r in truth]
        all_b += [r[1] for r in truth]
    rep = corpus_report(docs)
    assert rep.find(KAPPA, "stance").value == pytest.approx(cohen_kappa_score(all_a, all_b))
    assert rep.find(KAPPA, "stance").items == 24 and len(rep.units) == 24


# -- degenerate cases ---------------------------------------------------------------------------------------
def test_one_annotator_gives_none_everywhere_and_units_incomplete() -> None:
    rep = report([span("a", 0, 5, "support"), span("a", 10, 20, "oppose")])
    assert rep.annotators == ("a",)
    assert all(f.value is None and f.reason for f in rep.figures)
    assert all(u.status == INCOMPLETE for u in rep.units)


def test_no_spans_at_all() -> None:
    rep = report([], participants=("a", "b"))
    assert rep.units == ()
    assert all(f.value is None for f in rep.figures)
    assert rep.find(F1_OVERLAP).reason and rep.find(BOUNDARY_ALPHA).reason


def test_perfect_agreement_is_one() -> None:
    spans = [span(w, 0, 10, "support", "X", "factual") for w in "ab"] + \
            [span(w, 20, 30, "oppose", "Y", "policy") for w in "ab"]
    rep = report(spans, length=40)
    for figure in (rep.find(F1_EXACT), rep.find(F1_OVERLAP), rep.find(KAPPA, "stance"),
                   rep.find(ALPHA, "actor"), rep.find(ALPHA, "claim_type"), rep.find(BOUNDARY_ALPHA)):
        assert figure.value == pytest.approx(1.0), figure
        assert not figure.disagreed and not figure.single
    assert all(u.status == AGREED for u in rep.units)


def test_all_one_label_is_undefined_not_nan() -> None:
    spans = [span(w, s, s + 5, "support") for w in "ab" for s in (0, 10, 20)]
    rep = report(spans, length=30)
    for measure in (KAPPA, ALPHA):
        figure = rep.find(measure, "stance")
        assert figure.value is None and "one label" in figure.reason
        assert figure.observed == 1.0 and len(figure.agreed) == 3
    # The references disagree with each other here (sklearn: nan, NLTK: 1): we say "undefined".
    with pytest.warns(UserWarning):
        assert math.isnan(cohen_kappa_score(["support"] * 3, ["support"] * 3))


def test_empty_attribute_values_count_as_not_coded() -> None:
    spans = [span("a", 0, 5, "support"), span("b", 0, 5, None), span("a", 10, 15, "oppose"),
             span("b", 10, 15, "support"), span("a", 20, 25, "neutral"), span("b", 20, 25, "neutral")]
    rep = report(spans, length=30)
    kappa = rep.find(KAPPA, "stance")
    assert kappa.items == 2 and len(kappa.single) == 1
    assert kappa.value == pytest.approx(cohen_kappa_score(["oppose", "neutral"], ["support", "neutral"]))


@pytest.mark.parametrize("seed", range(5))
def test_binary_alpha_from_the_histogram_equals_the_krippendorff_package(seed: int) -> None:
    import krippendorff
    import numpy as np

    from storage.agreement import binary_alpha

    rng = np.random.default_rng(seed)
    coders = rng.integers(1, 5, size=300)  # some units with one coder only: unpairable, left out by both
    spans = rng.binomial(coders, 0.4)
    counts = np.column_stack([coders - spans, spans])
    expected = krippendorff.alpha(value_counts=counts[coders >= 2], level_of_measurement="nominal")
    assert binary_alpha(counts)[0] == pytest.approx(expected)
