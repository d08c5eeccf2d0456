"""Corpus agreement document by document (storage.agreement.corpus) against the whole-corpus computation
(corpus_report, which keeps every unit), and alpha from counted coincidences against the krippendorff package.
Pure functions: no database needed."""
from __future__ import annotations

import math
import random
from datetime import datetime, timezone
from itertools import count

import krippendorff
import numpy as np
import pytest

from storage.agreement import (
    AgreementReport, DocumentInput, Figure, alpha_from_coincidences, build_units, corpus_figures, corpus_report,
)
from storage.agreement.corpus import lone_keys
from storage.agreement.measures import unit_coincidences
from storage.records import AnnotationRecord

NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)
STANCES = ("oppose", "neutral", "support")
ACTORS = ("Kremlin", "Putin", "NATO", "Lavrov")
CLAIM_TYPES = ("factual", "evaluative", "predictive")
_ids = count()


def record(who: str, doc: str, start: int, end: int, kind: str = "claim", **values: object) -> AnnotationRecord:
    return AnnotationRecord(f"{who}-{next(_ids):06d}", doc, who, start, end, "x" * (end - start),
                            values.get("stance"), values.get("actor"), values.get("claim_type"), None, "", 1, 1,
                            NOW, NOW, kind=kind, source_id=values.get("source_id"), cue_id=values.get("cue_id"))


def maybe(rng: random.Random, choices: tuple[str, ...], noise: float, truth: str) -> str | None:
    if rng.random() < 0.1:
        return None
    return rng.choice(choices) if rng.random() < noise else truth


def generated_corpus(seed: int, documents: int, annotators: tuple[str, ...]) -> list[DocumentInput]:
    """Annotators marking about the same passages: jittered boundaries, a passage missed now and then, label
    noise, sources and cues linked to some claims; some documents seen by a subset (one by a single annotator,
    one taken part in without a span), and an empty one."""
    rng = random.Random(seed)
    docs = []
    for n in range(documents):
        doc, length = f"doc{n:04d}", rng.randrange(200, 2000)
        who = annotators if rng.random() < 0.7 else tuple(sorted(rng.sample(annotators, rng.randrange(1, min(3, len(annotators) + 1)))))
        passages = []
        for _ in range(rng.randrange(0, 8)):
            start = rng.randrange(0, length - 60)
            passages.append((start, start + rng.randrange(10, 50), rng.choice(STANCES), rng.choice(ACTORS),
                             rng.choice(CLAIM_TYPES)))
        records: list[AnnotationRecord] = []
        for person in who:
            for start, end, stance, actor, claim_type in passages:
                if rng.random() < 0.15:
                    continue
                if rng.random() < 0.4:
                    start, end = max(0, start + rng.randrange(-5, 6)), end + rng.randrange(-5, 6)
                links: dict[str, str] = {}
                if rng.random() < 0.5 and start >= 12:
                    source = record(person, doc, start - 12, start - 6, kind="mention",
                                    actor=maybe(rng, ACTORS, 0.2, actor))
                    cue = record(person, doc, start - 5 + rng.randrange(0, 2), start - 1, kind="cue")
                    records += [source, cue]
                    links = {"source_id": source.id, "cue_id": cue.id}
                records.append(record(person, doc, start, end, stance=maybe(rng, STANCES, 0.3, stance),
                                      actor=maybe(rng, ACTORS, 0.2, actor),
                                      claim_type=maybe(rng, CLAIM_TYPES, 0.3, claim_type), **links))
        participants = who + (("zoe",) if n % 37 == 5 else ())  # zoe set a status but marked nothing
        docs.append(DocumentInput(doc, 0 if n == 3 else length, tuple(records), tuple(sorted(participants))))
    return docs


def assert_same_figures(streamed: AgreementReport, whole: AgreementReport) -> None:
    assert streamed.annotators == whole.annotators and streamed.scope == whole.scope
    assert streamed.unit_count == len(whole.units) and streamed.units == ()
    assert [(f.measure, f.attribute, f.annotators) for f in streamed.figures] == \
        [(f.measure, f.attribute, f.annotators) for f in whole.figures]
    for mine, theirs in zip(streamed.figures, whole.figures):
        assert_same_figure(mine, theirs)


def assert_same_figure(mine: Figure, theirs: Figure) -> None:
    where = f"{mine.label} {'+'.join(mine.annotators)}"
    if theirs.value is None:
        assert mine.value is None, where
    else:  # alpha is computed another way (coincidences, not the krippendorff package): rounding may differ
        assert mine.value == pytest.approx(theirs.value, rel=1e-9, abs=1e-12), where
    assert (mine.items, mine.level, mine.reason) == (theirs.items, theirs.level, theirs.reason), where
    if theirs.observed is None:
        assert mine.observed is None, where
    else:
        assert mine.observed == pytest.approx(theirs.observed, rel=1e-12), where
    assert (tuple(mine.agreed), tuple(mine.disagreed), tuple(mine.single)) == \
        (theirs.agreed, theirs.disagreed, theirs.single), where


@pytest.mark.parametrize(("seed", "annotators"), [(1, ("ann", "bob", "cat", "dan")), (2, ("ann", "bob")),
                                                  (3, ("ann", "bob", "cat"))])
def test_document_by_document_gives_the_whole_corpus_figures(seed: int, annotators: tuple[str, ...]) -> None:
    docs = generated_corpus(seed, 300, annotators)
    whole = corpus_report(docs, STANCES)
    assert sum(len(f.disagreed) for f in whole.figures) > 1000 and len(whole.units) > 500  # a real test
    streamed = corpus_figures(iter(docs), STANCES)
    assert_same_figures(streamed, whole)
    stance = streamed.find("alpha", "stance")
    assert stance is not None and stance.level == "ordinal" and stance.value is not None


def test_nominal_stance_and_the_units_each_document_hands_out() -> None:
    docs = generated_corpus(4, 120, ("ann", "bob", "cat"))
    listed: list[str] = []
    steps: list[tuple[int, int]] = []
    streamed = corpus_figures(docs, None, progress=lambda done, total: steps.append((done, total)), total=len(docs),
                              each_document=lambda units: listed.extend(u.key for u in units))
    whole = corpus_report(docs, None)
    assert_same_figures(streamed, whole)
    assert listed == [u.key for u in whole.units]
    assert steps[-1] == (120, 120) and steps[0] == (20, 120)


@pytest.mark.parametrize("people", [("ann",), ()])
def test_a_lone_annotator_or_nobody(people: tuple[str, ...]) -> None:
    docs = [d for d in generated_corpus(5, 40, ("ann",)) if people] or [DocumentInput("d", 10, ())]
    assert_same_figures(corpus_figures(docs), corpus_report(docs))


def test_a_lone_annotators_unit_keys_come_in_build_units_order_ties_included() -> None:
    rng = random.Random(9)
    claims = [record("ann", "d", start, start + rng.randrange(1, 4)) for start in
              (rng.randrange(0, 30) for _ in range(400))]
    assert len({(c.start, c.end) for c in claims}) < 200  # many ties on the offsets
    assert lone_keys("d", claims) == [u.key for u in build_units("d", claims)]
    assert lone_keys("d", []) == []


def test_two_annotators_who_never_share_a_document() -> None:
    docs = generated_corpus(6, 30, ("ann",)) + [
        DocumentInput(d.document_id + "b", d.text_length, tuple(record("bob", d.document_id + "b", r.start, r.end)
                                                                  for r in d.annotations if r.kind == "claim"))
        for d in generated_corpus(7, 30, ("ann",))]
    assert_same_figures(corpus_figures(docs), corpus_report(docs))


def test_unit_keys_behave_as_the_tuple_they_stand_for() -> None:
    docs = generated_corpus(8, 60, ("ann", "bob"))
    streamed, whole = corpus_figures(docs), corpus_report(docs)
    mine, theirs = streamed.find("alpha", "stance"), whole.find("alpha", "stance")
    assert mine is not None and theirs is not None and len(theirs.disagreed) > 3
    assert mine.disagreed == theirs.disagreed and list(mine.disagreed) == list(theirs.disagreed)
    assert mine.disagreed[1] == theirs.disagreed[1] and mine.disagreed[-1] == theirs.disagreed[-1]
    assert mine.disagreed[1:3] == theirs.disagreed[1:3] and mine.disagreed != theirs.agreed
    assert hash(mine.disagreed) == hash(tuple(theirs.disagreed))


# -- alpha from coincidences ------------------------------------------------------------------------------------
def reliability_rows(rng: random.Random, units: int, coders: int, values: tuple[str, ...]) -> list[list[str | None]]:
    rows = []
    for _ in range(units):
        truth = rng.choice(values)
        rows.append([None if rng.random() < 0.3 else truth if rng.random() < 0.6 else rng.choice(values)
                     for _ in range(coders)])
    return rows


def counted(rows: list[list[str | None]]) -> dict[tuple[int, str, str], int]:
    found: dict[tuple[int, str, str], int] = {}
    for row in rows:
        unit_coincidences([v for v in row if v is not None], found)
    return found


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("ordinal", [False, True])
def test_alpha_from_coincidences_is_the_krippendorff_packages(seed: int, ordinal: bool) -> None:
    rng = random.Random(seed)
    values = ("oppose", "neutral", "support", "mixed")[: 2 + seed % 3]
    rows = reliability_rows(rng, rng.randrange(5, 400), rng.randrange(2, 6), values)
    index = {v: float(i) for i, v in enumerate(values)}
    data = np.array([[np.nan if v is None else index[v] for v in row] for row in rows]).T
    expected = krippendorff.alpha(reliability_data=data, value_domain=list(range(len(values))),
                                  level_of_measurement="ordinal" if ordinal else "nominal")
    value, reason = alpha_from_coincidences(counted(rows), values if ordinal else None)
    assert reason == "" and value is not None and not math.isnan(value)
    assert value == pytest.approx(float(expected), rel=1e-9, abs=1e-12)


def test_ordinal_values_outside_the_order_come_after_it_sorted() -> None:
    rows = [["oppose", "support"], ["zz", "aa"], ["aa", "support"], ["oppose", "oppose"], ["zz", "zz"]]
    domain = ["oppose", "support", "aa", "zz"]
    index = {v: float(i) for i, v in enumerate(domain)}
    data = np.array([[index[v] for v in row] for row in rows]).T
    expected = krippendorff.alpha(reliability_data=data, value_domain=list(range(4)), level_of_measurement="ordinal")
    assert alpha_from_coincidences(counted(rows), ("oppose", "neutral", "support"))[0] == pytest.approx(expected)


def test_alpha_from_coincidences_when_undefined() -> None:
    assert alpha_from_coincidences({}) == (None, "no unit was coded by two or more annotators")
    assert alpha_from_coincidences(counted([["a", "a"], ["a", None]]))[0] is None
