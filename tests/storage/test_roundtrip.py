"""Property: whatever the text (emoji, ZWJ, flags, CRLF, lone CR, combining marks, RTL, U+2028) and wherever
the spans, importing in each JSON Lines shape and exporting in each format keeps every span on the same
characters."""
from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storage import export_jsonl, import_paths
from storage.text import document_id_for

ATOMS = ["a", "b", " ", "word", "👍🏽", "👨\u200d👩\u200d👧", "🇩🇪", "\r\n", "\r", "\n", "e\u0301", "مرحبا", "שלום",
         "\t", "\u00a0", "\u2028", "\u2029", "\x85", "\ufeff"]
CLAIMS = ["factual", "evaluative", "predictive", "policy", "accusation", "denial"]
SHAPES = ["native", "doccano", "prodigy", "plain"]
_counter = itertools.count()


def expected_offset(raw: str, offset: int, is_start: bool) -> int:
    """Written out longhand, apart from OffsetMap: each CRLF before the offset loses one code point;
    a start between CR and LF moves onto the collapsed newline."""
    if is_start and 0 < offset < len(raw) and raw[offset - 1] == "\r" and raw[offset] == "\n":
        offset -= 1
    removed = sum(1 for j in range(1, offset) if raw[j] == "\n" and raw[j - 1] == "\r")
    return offset - removed


def normalised(raw: str) -> str:
    return raw.replace("\r\n", "\n").replace("\r", "\n")


@st.composite
def texts_with_spans(draw: st.DrawFn) -> tuple[str, list[tuple[int, int, str]]]:
    raw = "A" + "".join(draw(st.lists(st.sampled_from(ATOMS), min_size=1, max_size=25)))
    bounds = st.tuples(st.integers(0, len(raw) - 1), st.integers(1, len(raw))).filter(lambda p: p[0] < p[1])
    pairs = draw(st.lists(bounds, max_size=6, unique=True))
    return raw, [(s, e, draw(st.sampled_from(CLAIMS))) for s, e in pairs]


def line_for(shape: str, raw: str, spans: list[tuple[int, int, str]], who: str) -> dict:  # type: ignore[type-arg]
    if shape == "native":
        return {"stancemark": 1, "title": "t", "text": raw, "annotations": [
            {"annotator": who, "start": s, "end": e, "quote": raw[s:e], "claim_type": c} for s, e, c in spans]}
    if shape == "doccano":
        return {"text": raw, "label": [[s, e, c] for s, e, c in spans], "_annotator_id": who}
    if shape == "prodigy":
        return {"text": raw, "spans": [{"start": s, "end": e, "label": c, "text": raw[s:e]} for s, e, c in spans],
                "_annotator_id": who}
    return {"text": raw, "title": "t"}


@pytest.mark.parametrize("shape", SHAPES)
def test_spans_cover_the_same_characters_through_import_and_every_export(db, tmp_path: Path, shape: str) -> None:
    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(texts_with_spans())
    def check(case: tuple[str, list[tuple[int, int, str]]]) -> None:
        raw, spans = case
        if shape == "plain":
            spans = []
        who = f"p{next(_counter)}"
        source = tmp_path / f"{who}.jsonl"
        source.write_text(json.dumps(line_for(shape, raw, spans, who), ensure_ascii=False) + "\n", encoding="utf-8")
        import_paths(db, [source])
        db.annotators.ensure(who)  # an annotator with no spans here is still a valid filter
        text = normalised(raw)
        doc_id = document_id_for(text)
        expected = set()
        for s, e, c in spans:
            mapped = (expected_offset(raw, s, True), expected_offset(raw, e, False), c)
            assert text[mapped[0]:mapped[1]] == normalised(raw[s:e])  # same characters, CR now LF
            expected.add(mapped)
        out = {}
        for fmt in ("native", "doccano", "spans", "flat"):
            # Every document, finished or not, touched or not: the property is about offsets.
            options = {"include_empty": True} | ({"include_unfinished": True} if fmt == "spans" else {})
            export_jsonl(db, fmt, tmp_path / f"{fmt}.jsonl", document_ids=[doc_id],
                         annotators=[who], **options)
            out[fmt] = [json.loads(x) for x in (tmp_path / f"{fmt}.jsonl").read_text(encoding="utf-8").split("\n") if x]
        (native,) = out["native"]
        assert native["text"] == text
        assert {(a["start"], a["end"], a["claim_type"]) for a in native["annotations"]} == expected
        assert all(text[a["start"]:a["end"]] == a["quote"] for a in native["annotations"])
        (doccano,) = out["doccano"]
        assert doccano["text"] == text and {tuple(x) for x in doccano["label"]} == expected
        tasks = out["spans"]
        assert all(t["text"] == text for t in tasks)
        assert {(x["start"], x["end"], x["label"]) for t in tasks for x in t["spans"]} == expected
        assert all(text[x["start"]:x["end"]] == x["text"] for t in tasks for x in t["spans"])
        assert {(r["start"], r["end"], r["claim_type"]) for r in out["flat"]} == expected
        assert all(text[r["start"]:r["end"]] == r["quote"] for r in out["flat"])

    check()
