"""--gold exports in the flat, doccano and spans shapes: the dataset's rows are the gold claims; the gold
mentions and cues a claim links to come along as its attribution, never as rows or spans of their own."""
from __future__ import annotations

import io
import json

from storage import Database, export_jsonl

from attribution_samples import QUOTE, relayed


def _gold_lines(db: Database, fmt: str) -> list[dict]:
    out = io.StringIO()
    export_jsonl(db, fmt, out, gold=True)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_gold_exports_hold_claims_with_their_attribution(seeded_db: Database) -> None:
    ids = relayed(seeded_db, by="alice")
    seeded_db.annotators.set_role("rita", "reviewer")
    seeded_db.review.accept(ids["claim"], by="rita")
    seeded_db.review.set_status(ids["doc"], "adjudicated", by="rita")

    (flat,) = _gold_lines(seeded_db, "flat")
    assert (flat["quote"], flat["actor"]) == (QUOTE, "Vladimir Putin")
    assert (flat["source"]["quote"], flat["source"]["actor"]) == ("Putin", "Vladimir Putin")
    assert (flat["relay"]["quote"], flat["relay"]["actor"]) == ("Lavrov", "Sergei Lavrov")
    assert flat["cue"]["quote"] == "said" and flat["target"] is None
    (doccano,) = _gold_lines(seeded_db, "doccano")
    assert [label for *_, label in doccano["label"]] == ["predictive"]
    (spans,) = _gold_lines(seeded_db, "spans")
    assert [s["text"] for s in spans["spans"]] == [QUOTE]
