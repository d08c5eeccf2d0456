"""Corpus search on both backends: documents (title, text) and annotations (quote, note, target, actor and its
aliases), the filters, prefix matching while typing, deleted annotations left out, offsets exact."""
from __future__ import annotations

from pathlib import Path

import pytest

from storage import AnnotationDraft, Database, SearchFilters, SearchHit, import_paths

TALKS = "Talks in Geneva\n\nLavrov said the talks would resume. NATO denied it. 🎉 Straße closed; Lavrov left."
WHEAT = "Wheat exports\n\nThe ministry expects a record harvest. Kyiv disagreed."


@pytest.fixture
def corpus(db: Database, tmp_path: Path) -> dict[str, str]:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "talks.txt").write_text(TALKS, encoding="utf-8")
    (folder / "wheat.txt").write_text(WHEAT, encoding="utf-8")
    import_paths(db, [folder])
    ids = {d.title: d.id for d in db.documents.list()}
    db.actors.create("Sergei Lavrov", kind="person", aliases=("Lavrov", "Russian FM"))
    return {"talks": ids["Talks in Geneva"], "wheat": ids["Wheat exports"]}


def _text(db: Database, doc_id: str) -> str:
    return db.documents.get(doc_id).text


def _span(db: Database, doc_id: str, phrase: str, nth: int = 0) -> tuple[int, int]:
    text = _text(db, doc_id)
    at = -1
    for _ in range(nth + 1):
        at = text.index(phrase, at + 1)
    return at, at + len(phrase)


def _kinds(hits: list[SearchHit]) -> set[tuple[str, str]]:
    return {(h.kind, h.field) for h in hits}


def test_title_and_text_hits_with_exact_offsets_after_emoji(db: Database, corpus: dict[str, str]) -> None:
    hits = db.search.search("lavrov", SearchFilters(kind="documents"))
    text = _text(db, corpus["talks"])
    spans = [(h.start, h.end) for h in hits if h.field == "text"]
    assert spans == [_span(db, corpus["talks"], "Lavrov", 0), _span(db, corpus["talks"], "Lavrov", 1)]
    assert [text[a:b] for a, b in spans] == ["Lavrov", "Lavrov"]  # the second one lies after 🎉 and ß
    second = hits[-1]
    assert (second.match, second.before.endswith("closed; "), second.after) == ("Lavrov", True, " left.")
    # the text starts with its title line: one title hit, one text hit at the word
    assert [(h.field, h.start, h.end) for h in db.search.search("geneva")] == [("title", 0, 0), ("text", 9, 15)]


def test_casefold_that_changes_length_still_maps_back(db: Database, corpus: dict[str, str]) -> None:
    [hit] = [h for h in db.search.search("straße", SearchFilters(kind="documents")) if h.field == "text"]
    assert _text(db, corpus["talks"])[hit.start:hit.end] == "Straße"


def test_prefix_while_typing_and_all_words_must_match(db: Database, corpus: dict[str, str]) -> None:
    assert {h.document_id for h in db.search.search("Lavr")} == {corpus["talks"]}
    assert {h.document_id for h in db.search.search("kyi")} == {corpus["wheat"]}
    assert db.search.search("lavrov kyiv") == []
    assert db.search.search("avrov") == []  # matches start at a word's beginning
    assert db.search.search('" OR * NEAR(') == []  # query syntax is never interpreted


def test_annotation_fields_actor_alias_and_filters(db: Database, corpus: dict[str, str]) -> None:
    talks = corpus["talks"]
    a, b = _span(db, talks, "NATO denied it.")
    denial = db.annotations.add(AnnotationDraft(talks, a, b, stance="oppose", claim_type="denial",
                                                actor="Sergei Lavrov", target="alliance enlargement",
                                                note="check the transcript"), by="alice")
    a, b = _span(db, corpus["wheat"], "record harvest")
    harvest = db.annotations.add(AnnotationDraft(corpus["wheat"], a, b, stance="support", claim_type="predictive"),
                                 by="bob")
    only = SearchFilters(kind="annotations")

    def ids(query: str, filters: SearchFilters = only) -> list[str | None]:
        return [h.annotation_id for h in db.search.search(query, filters)]

    assert ids("denied") == [denial.id]
    assert [h.field for h in db.search.search("transcr", only)] == ["note"]
    assert [h.field for h in db.search.search("enlarg", only)] == ["target"]
    assert [(h.field, h.match) for h in db.search.search("russian fm", only)] == [("actor", "Russian FM")]
    assert ids("harv") == [harvest.id]
    hit = db.search.search("harvest", only)[0]
    assert (hit.start, hit.end, hit.annotator, hit.stance, hit.claim_type) == (a, b, "bob", "support", "predictive")
    assert ids("denied", SearchFilters(kind="annotations", annotator="bob")) == []
    assert ids("", SearchFilters(annotator="bob")) == [harvest.id]
    assert ids("", SearchFilters(stance="oppose")) == [denial.id]
    assert ids("", SearchFilters(claim_type="predictive")) == [harvest.id]
    assert ids("", SearchFilters(actor="Lavrov")) == [denial.id]  # an alias names the actor too
    assert ids("harvest", SearchFilters(stance="oppose")) == []
    # documents are listed too unless a filter narrows to annotations
    assert _kinds(db.search.search("denied")) == {("document", "text"), ("annotation", "quote")}


def test_deleted_and_edited_annotations(db: Database, corpus: dict[str, str]) -> None:
    talks = corpus["talks"]
    a, b = _span(db, talks, "NATO denied it.")
    ann = db.annotations.add(AnnotationDraft(talks, a, b, note="first thought"), by="alice")
    db.annotations.edit(ann.id, by="alice", note="second opinion")
    only = SearchFilters(kind="annotations")
    assert db.search.search("first", only) == []  # the index followed the edit
    assert [h.annotation_id for h in db.search.search("opinion", only)] == [ann.id]
    db.annotations.delete(ann.id, by="alice")
    assert db.search.search("opinion", only) == []
    assert db.search.search("denied", only) == []
