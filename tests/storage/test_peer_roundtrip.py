"""Property: for every peer format, export then import (or read back by the real consumer) gives the same
spans, labels and annotators, as far as the format carries them."""
from __future__ import annotations

import tempfile
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storage import AnnotationDraft, export_jsonl, import_paths, open_database
from peer_helpers import add_text, spans_of

WORDS = st.sampled_from(["Moscow", "denied", "naïve", "Zürich", "talks", "fail", "über", "peace"])
LABELS = st.sampled_from(["denial", "factual", "policy"])
STANCES = st.sampled_from([None, "oppose", "support"])
ACTORS = st.sampled_from([None, "Sergei Lavrov", "EU"])
NOTES = st.sampled_from(["", "checked", "two words"])
ANNOTATORS = ("ana", "ben")


@st.composite
def collections(draw):  # type: ignore[no-untyped-def]
    """A text of lines of words (single spaces, so CoNLL's rebuilt text is the same) and, per annotator,
    non-overlapping spans of whole words inside one line (what BIO can hold)."""
    lines = draw(st.lists(st.lists(WORDS, min_size=1, max_size=6), min_size=1, max_size=4))
    text = "\n".join(" ".join(words) for words in lines)
    starts, position = [], 0
    for words in lines:
        row = []
        for word in words:
            row.append((position, position + len(word)))
            position += len(word) + 1
        starts.append(row)
    spans = []
    for annotator in ANNOTATORS:
        for row in starts:
            i = 0
            while i < len(row):
                if draw(st.booleans()):
                    j = draw(st.integers(i, len(row) - 1))
                    spans.append((annotator, row[i][0], row[j][1], draw(LABELS), draw(STANCES), draw(ACTORS),
                                  draw(NOTES)))
                    i = j + 1
                else:
                    i += 1
    return text, spans


def _filled(folder: Path, text: str, spans: list) -> object:  # type: ignore[type-arg]
    db = open_database(str(folder / "source.db"))
    doc_id = add_text(db, folder / "src", text)
    for annotator in ANNOTATORS:
        db.annotations.add_many([AnnotationDraft(doc_id, s, e, claim_type=c, stance=st_, actor=a, note=n)
                                 for who, s, e, c, st_, a, n in spans if who == annotator], by=annotator)
    return db


FULL = ("start", "end", "quote", "claim_type", "stance", "actor", "note", "annotator")
SETTINGS = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(collections())
def test_brat_and_label_studio_round_trip_every_field(case) -> None:  # type: ignore[no-untyped-def]
    text, spans = case
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = _filled(folder, text, spans)
        expected = spans_of(db, FULL)
        export_jsonl(db, "brat", folder / "brat")
        export_jsonl(db, "labelstudio", folder / "ls.json")
        db.close()
        from_brat = open_database(str(folder / "brat.db"))
        for annotator in ANNOTATORS:  # brat has no annotator field: one collection per annotator
            if (folder / "brat" / annotator).is_dir():
                import_paths(from_brat, [folder / "brat" / annotator], annotator=annotator)
        assert spans_of(from_brat, FULL) == expected
        from_brat.close()
        from_ls = open_database(str(folder / "ls.db"))
        import_paths(from_ls, [folder / "ls.json"])
        assert spans_of(from_ls, FULL) == expected
        from_ls.close()


@SETTINGS
@given(collections())
def test_conll_round_trips_spans_labels_and_annotators(case) -> None:  # type: ignore[no-untyped-def]
    text, spans = case
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = _filled(folder, text, spans)
        carried = ("start", "end", "quote", "claim_type", "annotator")
        expected = spans_of(db, carried)
        summary = export_jsonl(db, "conll", folder / "out.conll")
        db.close()
        assert summary.left_out == {}
        back = open_database(str(folder / "back.db"))
        if spans:  # a document nobody annotated writes no block
            import_paths(back, [folder / "out.conll"])
        assert spans_of(back, carried) == expected
        back.close()


@SETTINGS
@given(collections())
def test_csv_and_docbin_are_read_back_by_pandas_and_spacy(case) -> None:  # type: ignore[no-untyped-def]
    import pandas
    import spacy
    from spacy.tokens import DocBin

    text, spans = case
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = _filled(folder, text, spans)
        expected = spans_of(db, ("start", "end", "claim_type", "annotator"))
        export_jsonl(db, "csv", folder / "out.csv")
        export_jsonl(db, "docbin", folder / "out.spacy")
        db.close()
        frame = pandas.read_csv(folder / "out.csv", keep_default_na=False)
        assert Counter(zip(frame["start"], frame["end"], frame["claim_type"], frame["annotator"])) == expected
        got: Counter = Counter()  # type: ignore[type-arg]
        for doc in DocBin().from_disk(folder / "out.spacy").get_docs(spacy.blank("en").vocab):
            assert doc.text == text
            got.update((s.start_char, s.end_char, s.label_, doc.user_data["annotator"]) for s in doc.spans["sc"])
        assert got == expected
