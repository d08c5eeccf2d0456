"""Importing every supported shape: what lands in the database, and what a second import does not repeat."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from storage import import_paths
from storage.audit import history


def write_jsonl(path: Path, *records: dict) -> Path:  # type: ignore[type-arg]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    """Input files live apart from the database file, which sits in tmp_path."""
    folder = tmp_path / "in"
    folder.mkdir()
    return folder


def only_document(db):  # type: ignore[no-untyped-def]
    (summary,) = db.documents.list()
    return db.documents.get(summary.id)


def test_text_and_markdown_take_their_title_from_the_first_line(db, inbox: Path) -> None:
    (inbox / "a.txt").write_text("\n\n  Minister resigns  \r\nThe minister resigned today.\r\n", encoding="utf-8")
    (inbox / "b.md").write_text("# Talks fail\n\nNo agreement was reached.\n", encoding="utf-8")
    summary = import_paths(db, [inbox])
    assert (summary.files, summary.documents_added) == (2, 2)
    docs = {d.title: db.documents.get(d.id) for d in db.documents.list()}
    assert set(docs) == {"Minister resigns", "Talks fail"}
    assert docs["Minister resigns"].text == "\n\n  Minister resigns  \nThe minister resigned today.\n"


def test_utf8_bom_is_dropped(db, inbox: Path) -> None:
    (inbox / "bom.txt").write_bytes("\ufeffTitle\nbody".encode("utf-8"))
    import_paths(db, [inbox / "bom.txt"])
    assert only_document(db).text == "Title\nbody"


def test_doccano_spans_are_remapped_through_crlf(db, inbox: Path) -> None:
    text = "Line one\r\nThe minister said no.\r\nEnd"
    start = text.index("minister")
    write_jsonl(inbox / "d.jsonl", {"text": text, "label": [[start, start + 8, "accusation"]], "id": 12,
                                       "relations": []})
    import_paths(db, [inbox / "d.jsonl"], annotator="alice")
    doc = only_document(db)
    (ann,) = db.annotations.for_document(doc.id)
    assert (ann.quote, ann.claim_type, ann.annotator) == ("minister", "accusation", "alice")
    assert doc.text[ann.start:ann.end] == "minister" and ann.start == start - 1
    assert doc.meta == {"id": 12, "relations": []}


def test_doccano_entities_and_label_as_actor(db, inbox: Path) -> None:
    write_jsonl(inbox / "e.jsonl", {"text": "Lavrov met Kerry.", "entities": [
        {"id": 1, "label": "Sergei Lavrov", "start_offset": 0, "end_offset": 6}]})
    import_paths(db, [inbox / "e.jsonl"], label_as="actor")
    (ann,) = db.annotations.for_document(only_document(db).id)
    assert (ann.actor, ann.claim_type, ann.annotator) == ("Sergei Lavrov", None, "import")
    assert db.actors.get("Sergei Lavrov").kind == "other"


def test_prodigy_spans_with_annotator_quote_and_meta(db, inbox: Path) -> None:
    write_jsonl(inbox / "p.jsonl", {
        "text": "Officials denied it.", "spans": [{"start": 10, "end": 16, "label": "denial", "text": "denied",
                                              "token_start": 1, "token_end": 1}],
        "meta": {"source": "wire"}, "_annotator_id": "carol", "_input_hash": 5, "answer": "accept"})
    import_paths(db, [inbox / "p.jsonl"], annotator="alice")
    doc = only_document(db)
    (ann,) = db.annotations.for_document(doc.id)
    assert (ann.annotator, ann.quote, ann.claim_type) == ("carol", "denied", "denial")
    assert doc.meta == {"source": "wire", "_input_hash": 5, "answer": "accept"} and doc.source == "wire"


def test_rejected_prodigy_task_is_counted_and_left_out(db, inbox: Path) -> None:
    write_jsonl(inbox / "r.jsonl", {"text": "Nothing here.", "spans": [{"start": 0, "end": 7, "label": "factual"}],
                                       "answer": "reject"})
    summary = import_paths(db, [inbox / "r.jsonl"])
    assert (summary.documents_added, summary.annotations_added) == (0, 0)
    assert summary.answers == {"reject": [1, 1]}
    assert "0 accepted (0 spans), 1 rejected (1 spans), 0 ignored (0 spans)" in "\n".join(summary.lines())


def test_plain_jsonl_with_title_and_meta(db, inbox: Path) -> None:
    write_jsonl(inbox / "plain.jsonl", {"text": "Body text", "title": "Headline", "meta": {"lang": "en"},
                                           "outlet": "Daily"})
    import_paths(db, [inbox / "plain.jsonl"])
    doc = only_document(db)
    assert (doc.title, doc.meta) == ("Headline", {"lang": "en", "outlet": "Daily"})


@pytest.mark.parametrize("label_as,attribute", [("stance", "stance"), ("claim_type", "claim_type")])
def test_unknown_labels_are_added_to_the_scheme_and_reported(db, inbox: Path, label_as: str,
                                                             attribute: str) -> None:
    write_jsonl(inbox / "u.jsonl", {"text": "abc def", "label": [[0, 3, "sceptical"], [4, 7, "sceptical"]]})
    before = db.scheme.current()
    summary = import_paths(db, [inbox / "u.jsonl"], label_as=label_as)
    after = db.scheme.current()
    assert summary.labels_added == {attribute: ["sceptical"]}
    assert after.version == before.version + 1 and "sceptical" in {v.value for v in after.values(attribute)}
    assert any("sceptical" in line for line in summary.lines())
    assert {a.scheme_version for a in db.annotations.for_document(only_document(db).id)} == {after.version}


def test_reimport_duplicates_neither_documents_nor_annotations(db, inbox: Path) -> None:
    write_jsonl(inbox / "d.jsonl", {"text": "abc def", "label": [[0, 3, "factual"]]},
                {"text": "abc def", "label": [[4, 7, "policy"]]})
    first = import_paths(db, [inbox / "d.jsonl"])
    second = import_paths(db, [inbox / "d.jsonl"])
    assert (first.documents_added, first.documents_skipped, first.annotations_added) == (1, 1, 2)
    assert (second.documents_added, second.annotations_added, second.annotations_skipped) == (0, 0, 2)
    assert db.documents.count() == 1 and db.annotations.count() == 2


def test_directory_walk_ignores_unknown_types_and_hidden_files(db, inbox: Path) -> None:
    (inbox / "sub").mkdir()
    (inbox / "sub" / "z.txt").write_text("Zed\n", encoding="utf-8")
    (inbox / "a.txt").write_text("Ay\n", encoding="utf-8")
    (inbox / "photo.png").write_bytes(b"\x89PNG\x00")
    (inbox / ".hidden.txt").write_text("Hidden\n", encoding="utf-8")
    summary = import_paths(db, [inbox])
    assert [d.title for d in db.documents.list()] == ["Ay", "Zed"]
    assert summary.files_ignored == [str(inbox / "photo.png")]


def test_progress_reaches_the_total(db, inbox: Path) -> None:
    for n in range(3):
        (inbox / f"{n}.txt").write_text(f"Article {n}\n", encoding="utf-8")
    calls: list[tuple[int, int]] = []
    import_paths(db, [inbox], progress=lambda done, total: calls.append((done, total)))
    assert calls[-1][0] == calls[-1][1] and [c[0] for c in calls] == sorted(c[0] for c in calls)


def test_html_main_text_and_title_are_extracted_as_plain_text(db, inbox: Path) -> None:
    pytest.importorskip("trafilatura", reason="the installed trafilatura cannot load", exc_type=ImportError)
    (inbox / "page.html").write_text(
        "<html><head><title>Budget row</title></head><body><nav>Home | Sport</nav><article><h1>Budget row</h1>"
        "<p>The finance minister said on Tuesday that the plan would go ahead despite &lt;b&gt;opposition.</p>"
        "<p>Critics called the plan reckless and predicted costs would rise sharply next year.</p>"
        "<script>alert('x')</script></article><footer>Copyright</footer></body></html>", encoding="utf-8")
    import_paths(db, [inbox / "page.html"])
    doc = only_document(db)
    assert doc.title == "Budget row"
    assert "despite <b>opposition." in doc.text and "alert" not in doc.text and "Copyright" not in doc.text


def test_html_keeps_paragraphs_apart_and_the_byline_and_date(db, inbox: Path) -> None:
    pytest.importorskip("trafilatura", reason="the installed trafilatura cannot load", exc_type=ImportError)
    (inbox / "news.html").write_text(
        "<html><head><title>Port strike ends</title><meta name='author' content='Jane Roe'>"
        "<meta property='article:published_time' content='2026-11-30'></head><body><article>"
        "<h1>Port strike ends</h1>"
        "<p>Dock workers voted on Monday to accept the offer after a strike that lasted three weeks.</p>"
        "<p>The union said the agreement protected jobs, while the port authority called it expensive.</p>"
        "</article></body></html>", encoding="utf-8")
    import_paths(db, [inbox / "news.html"])
    doc = only_document(db)
    paragraphs = doc.text.split("\n\n")
    assert paragraphs[0] == "By Jane Roe · 2026-11-30"
    assert [p[:12] for p in paragraphs[1:]] == ["Port strike ", "Dock workers", "The union sa"]
    assert (doc.meta["author"], doc.meta["date"]) == ("Jane Roe", "2026-11-30")


def test_native_actors_arrive_with_kind_aliases_and_an_event(db, inbox: Path) -> None:
    write_jsonl(inbox / "n.jsonl", {"stancemark": 1, "text": "Putin spoke.", "actors": {
        "Vladimir Putin": {"kind": "person", "aliases": ["Putin", "V. Putin"]}}, "annotations": [
        {"annotator": "alice", "start": 0, "end": 5, "quote": "Putin", "actor": "Putin", "stance": "neutral"}]})
    import_paths(db, [inbox / "n.jsonl"])
    actor = db.actors.get("V. Putin")
    assert (actor.name, actor.kind, actor.aliases) == ("Vladimir Putin", "person", ("Putin", "V. Putin"))
    doc = only_document(db)
    (ann,) = db.annotations.for_document(doc.id)
    assert (ann.actor, ann.stance, ann.annotator) == ("Vladimir Putin", "neutral", "alice")
    with db.sessions.read() as s:  # one event per imported document names the annotations it brought
        (event,) = history(s, "document", doc.id)
        (actor_event,) = history(s, "actor", str(actor.id))
    assert (event.action, event.after["annotations"], event.after["line"]) == ("import", [ann.id], 1)
    assert actor_event.after == {"name": "Vladimir Putin", "kind": "person", "aliases": ["Putin", "V. Putin"]}


def test_a_one_paragraph_text_is_titled_by_its_first_sentence_not_all_of_it(db, inbox: Path) -> None:
    text = ("The minister said on Tuesday that the plan would go ahead. Critics called it reckless and said "
            "costs would rise sharply next year, while the opposition promised to fight it in parliament.")
    write_jsonl(inbox / "d.jsonl", {"text": text, "label": [[4, 12, "factual"]]})
    write_jsonl(inbox / "e.jsonl", {"text": "word " * 60, "label": []})
    import_paths(db, [inbox / "d.jsonl", inbox / "e.jsonl"])
    titles = sorted(d.title for d in db.documents.list())
    assert "The minister said on Tuesday that the plan would go ahead." in titles
    [words] = [t for t in titles if t.startswith("word")]
    assert words.endswith("…") and len(words) <= 101
