"""doccano's relation-extraction shape and Prodigy's relations: the relayed case exported in each, the files'
documented shapes, and the way back into a fresh database with the same kinds, spans and links."""
from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from storage import InputError, export_jsonl, import_paths, open_database
from relation_helpers import ME, QUOTE, fresh_url, relayed_claim, structure

FIELDS = ("kind", "start", "end", "quote", "annotator", "actor", "stance", "claim_type")


@pytest.fixture
def fresh(db_url: str, tmp_path: Path) -> Iterator[str]:
    yield from fresh_url(db_url, tmp_path)


def _lines(path: Path) -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def _by_quote(text: str, entities: list[dict], start: str, end: str) -> dict:  # type: ignore[type-arg]
    return {text[e[start]:e[end]]: e for e in entities}


@pytest.mark.parametrize("fmt", ["doccano-relations", "spans"])
def test_links_round_trip_into_a_fresh_database(seeded_db, fresh: str, tmp_path: Path, fmt: str) -> None:
    ids = relayed_claim(seeded_db)
    out = tmp_path / "out.jsonl"
    export_jsonl(seeded_db, fmt, out)
    target = open_database(fresh)
    try:
        import_paths(target, [out], annotator=ME)  # doccano names no annotator a reader takes; spans does
        assert structure(target, fields=FIELDS) == structure(seeded_db, ids["doc"], fields=FIELDS)
        claim = next(a for d in target.documents.list() for a in target.annotations.for_document(d.id)
                     if a.quote == QUOTE)
        assert claim.actor == "Vladimir Putin" and set(claim.links()) == {"source", "cue", "relay"}
    finally:
        target.close()


def test_doccano_relation_line_has_the_documented_shape(seeded_db, tmp_path: Path) -> None:
    ids = relayed_claim(seeded_db)
    out = tmp_path / "rel.jsonl"
    export_jsonl(seeded_db, "doccano-relations", out)
    (line,) = [x for x in _lines(out) if x["document_id"] == ids["doc"]]
    entities = line["entities"]
    assert all({"id", "start_offset", "end_offset", "label"} <= set(e) and isinstance(e["id"], int)
               for e in entities)
    quoted = _by_quote(line["text"], entities, "start_offset", "end_offset")
    assert (quoted["Putin"]["label"], quoted["said"]["label"], quoted[QUOTE]["label"]) == ("mention", "cue",
                                                                                             "predictive")
    named = {(r["type"], r["from_id"], r["to_id"]) for r in line["relations"]}
    claim = quoted[QUOTE]["id"]
    assert {("source", claim, quoted["Putin"]["id"]), ("cue", claim, quoted["said"]["id"]),
            ("relay", claim, quoted["Lavrov"]["id"])} <= named
    assert all(set(r) == {"id", "from_id", "to_id", "type"} for r in line["relations"])


def test_prodigy_task_has_relations_with_head_and_child_spans(seeded_db, tmp_path: Path) -> None:
    spacy = pytest.importorskip("spacy")
    ids = relayed_claim(seeded_db)
    out = tmp_path / "spans.jsonl"
    export_jsonl(seeded_db, "spans", out)
    (task,) = [x for x in _lines(out) if x["meta"]["document_id"] == ids["doc"]]
    doc = spacy.blank("en")(task["text"])
    for span in task["spans"]:  # every span on spaCy's token boundaries, and its token indices are spaCy's
        found = doc.char_span(span["start"], span["end"])
        assert found is not None, span
        assert (found.start, found.end - 1) == (span["token_start"], span["token_end"])
    by_start = {s["start"]: s for s in task["spans"]}
    roles = {}
    for relation in task["relations"]:
        head, child = relation["head_span"], relation["child_span"]
        assert relation["head"] == head["token_end"] and relation["child"] == child["token_end"]
        assert by_start[head["start"]]["text"] == QUOTE or relation["label"] in ("source", "cue", "target")
        if by_start[head["start"]]["text"] == QUOTE:
            roles[relation["label"]] = by_start[child["start"]]["text"]
    assert roles == {"source": "Putin", "cue": "said", "relay": "Lavrov"}
    assert all(t["text"] == task["text"][t["start"]:t["end"]] for t in task["tokens"])


def test_doccano_sequence_shape_leaves_mentions_out_and_says_so(seeded_db, tmp_path: Path) -> None:
    relayed_claim(seeded_db)
    summary = export_jsonl(seeded_db, "doccano", tmp_path / "seq.jsonl")
    labels = [label for line in _lines(tmp_path / "seq.jsonl") for label in line["label"]]
    assert sorted(x[2] for x in labels) == ["accusation", "predictive"]
    assert any("6 mentions and cues were left out" in n for n in summary.lines_text())


RE_LINE = {"text": "Moscow denied it, said Peskov.",
           "entities": [{"id": 10, "start_offset": 0, "end_offset": 16, "label": "CLAIM"},
                        {"id": 11, "start_offset": 18, "end_offset": 22, "label": "CUE"},
                        {"id": 12, "start_offset": 23, "end_offset": 29, "label": "PER"}],
           "relations": [{"id": 0, "from_id": 10, "to_id": 12, "type": "saidBy"},
                         {"id": 1, "from_id": 10, "to_id": 11, "type": "Cue"}]}


def test_a_foreign_doccano_relation_file_imports_with_a_relation_map(db, tmp_path: Path) -> None:
    path = tmp_path / "project.jsonl"
    path.write_text(json.dumps(RE_LINE) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=rf"^{path}:1: relation types with no attribution role: saidBy"):
        import_paths(db, [path])
    assert db.documents.list() == []
    import_paths(db, [path], relation_map={"saidBy": "source"})
    (doc,) = db.documents.list()
    records = {r.quote: r for r in db.annotations.for_document(doc.id)}
    claim = records["Moscow denied it"]
    assert (claim.kind, claim.claim_type) == ("claim", "CLAIM")
    assert (records["Peskov"].kind, records["Peskov"].note, records["said"].kind) == ("mention", "label: PER", "cue")
    assert claim.links() == {"source": records["Peskov"].id, "cue": records["said"].id}


@pytest.mark.parametrize("relations, reason", [
    ([{"from_id": 10, "to_id": 99, "type": "source"}], "relation 1: 'to_id' 99 is not the id of an entity"),
    ([{"from_id": 12, "to_id": 10, "type": "source"}, {"from_id": 10, "to_id": 12, "type": "source"}],
     "is the claim of another relation"),
    ([{"from_id": 10, "to_id": 12, "type": "source"}, {"from_id": 10, "to_id": 11, "type": "source"}],
     "is a cue, not a mention, so it cannot be a source"),
    ([{"from_id": 10, "to_id": 10, "type": "relay"}], "a span cannot be its own relay"),
])
def test_bad_relations_are_refused_by_file_and_line(db, tmp_path: Path, relations: list, reason: str) -> None:  # type: ignore[type-arg]
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps({"text": "first"}) + "\n" + json.dumps({**RE_LINE, "relations": relations}) + "\n",
                    encoding="utf-8")
    with pytest.raises(InputError) as caught:
        import_paths(db, [path])
    assert str(caught.value).startswith(f"{path}:2:") and reason in str(caught.value)
    assert db.documents.list() == []


def test_a_prodigy_relations_task_written_by_hand_imports(db, tmp_path: Path) -> None:
    """Prodigy's rel.manual shape: spans with token positions, relations between them by head/child span."""
    text = "Lavrov said the talks failed."
    spans = [{"start": 0, "end": 6, "token_start": 0, "token_end": 0, "label": "SOURCE"},
             {"start": 7, "end": 11, "token_start": 1, "token_end": 1, "label": "CUE"},
             {"start": 12, "end": 28, "token_start": 2, "token_end": 4, "label": "factual"}]
    relations = [{"head": 4, "child": 0, "label": "source", "head_span": spans[2], "child_span": spans[0]},
                 {"head": 4, "child": 1, "label": "cue", "head_span": spans[2], "child_span": spans[1]}]
    path = tmp_path / "rel.jsonl"
    path.write_text(json.dumps({"text": text, "spans": spans, "relations": relations, "answer": "accept"}) + "\n",
                    encoding="utf-8")
    import_paths(db, [path])
    (doc,) = db.documents.list()
    records = {r.quote: r for r in db.annotations.for_document(doc.id)}
    assert records["the talks failed"].links() == {"source": records["Lavrov"].id, "cue": records["said"].id}
    assert (records["Lavrov"].kind, records["Lavrov"].note) == ("mention", "label: SOURCE")
    assert (records["said"].kind, records["said"].note) == ("cue", "")  # "CUE" names the kind itself


def test_the_import_preview_lists_relation_types_and_their_roles(db, tmp_path: Path) -> None:
    from storage import preview_import

    path = tmp_path / "project.jsonl"
    path.write_text(json.dumps(RE_LINE) + "\n", encoding="utf-8")
    assert preview_import(db, [path]).relation_types == (("Cue", 1, "cue"), ("saidBy", 1, None))
    mapped = preview_import(db, [path], relation_map={"saidBy": "source"})
    assert mapped.relation_types == (("Cue", 1, "cue"), ("saidBy", 1, "source"))
    assert "CUE" not in {found.label for found in mapped.labels}  # the cue's label names its kind
    assert db.documents.list() == []
