"""doccano's relation-extraction import reads Stancemark's relation export, and doccano's own relation example
files import into Stancemark with their relations.

DOCCANO_BACKEND is the `backend` folder of a doccano checkout: its import pipeline runs as it is (reader, JSONL
parser, example maker, the span and relation label makers and their pydantic models, the overlap cleaning, and
the relation's lookup of its two spans by entity id), with only the Django models replaced, as in
test_doccano_importer.py. Skipped without the checkout."""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from storage import InputError, export_jsonl, import_paths
from relation_helpers import QUOTE, relayed_claim

BACKEND = os.environ.get("DOCCANO_BACKEND")
pytestmark = pytest.mark.skipif(not BACKEND or not Path(BACKEND, "data_import", "pipeline").is_dir(),
                                reason="DOCCANO_BACKEND (a doccano checkout's backend folder) is not set")
EXAMPLES = ["data_import/pipeline/examples/relation_extraction/example.jsonl",
            "data_import/tests/data/relation_extraction/example.jsonl",
            "data_export/pipeline/examples/relation_extraction/example.jsonl"]


def doccano_relation_import(path: Path, allow_overlapping: bool = False) -> list[dict[str, Any]]:
    """What a doccano relation-extraction project holds after importing `path`, as its RelationExtractionDataset
    builds it: per example its meta, spans (start, end, label) and relations (type, from span, to span)."""
    from test_doccano_importer import _doccano_pipeline, _Record

    d = _doccano_pipeline()
    from data_import.pipeline.label import RelationLabel
    from data_import.pipeline.labels import Relations

    project = _Record(allow_overlapping=allow_overlapping)
    reader = d.Reader([d.FileName(full_path=str(path), generated_name=path.name, upload_name=path.name)],
                      d.JSONLParser(encoding="utf_8"))
    examples = d.ExampleMaker(project=project, data_class=d.TextData, column_data="text",
                              exclude_columns=["entities", "relations"])
    span_maker = d.LabelMaker(column="entities", label_class=d.SpanLabel)
    relation_maker = d.LabelMaker(column="relations", label_class=RelationLabel)
    held = []
    for frame in reader.batch(1000):
        made = examples.make(frame)
        spans = d.Spans(span_maker.make(frame), types=None)
        spans.clean(project)
        relations = Relations(relation_maker.make(frame), types=None)
        relations.clean(project)
        # Spans.id_to_span keys each span by (the file's entity id, example uuid), as doccano's save does.
        id_to_span = {(s.id, str(s.example_uuid)): s for s in spans.labels}
        for example in made:
            own = [s for s in spans.labels if s.example_uuid == example.uuid]
            links = []
            for r in relations.labels:
                if r.example_uuid != example.uuid:
                    continue
                stored = r.create(None, example, {r.type: r.type}, id_to_span=id_to_span)  # KeyError: dangling
                links.append((stored.type, stored.from_id.start_offset, stored.to_id.start_offset))
            held.append({"meta": example.meta, "spans": sorted((s.start_offset, s.end_offset, s.label) for s in own),
                         "relations": sorted(links), "text": example.text})
    assert not examples.errors and not span_maker.errors and not relation_maker.errors and not reader.errors
    return held


def test_doccanos_relation_import_reads_every_entity_and_relation_of_our_export(seeded_db, tmp_path: Path) -> None:
    ids = relayed_claim(seeded_db)
    out = tmp_path / "relations.jsonl"
    export_jsonl(seeded_db, "doccano-relations", out)
    written = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    held = doccano_relation_import(out)
    assert len(held) == len(written)
    (ours,) = [h for h in held if h["meta"]["document_id"] == ids["doc"]]
    (line,) = [w for w in written if w["document_id"] == ids["doc"]]
    assert len(ours["spans"]) == len(line["entities"]) == 8 and len(ours["relations"]) == len(line["relations"]) == 6
    text = ours["text"]
    start = {text[s:e]: s for s, e, _ in ours["spans"]}
    assert {("source", start[QUOTE], start["Putin"]), ("cue", start[QUOTE], start["said"]),
            ("relay", start[QUOTE], start["Lavrov"])} <= set(ours["relations"])


def _examples() -> list[Path]:
    return [Path(BACKEND or "", p) for p in EXAMPLES if Path(BACKEND or "", p).is_file()]


def _as_json_lines(path: Path, tmp_path: Path) -> Path:
    """doccano's export example is one record pretty-printed over many lines; its importer and ours read one
    record per line, so that one is written compactly first (nothing else is changed)."""
    content = path.read_text(encoding="utf-8")
    try:
        records = [json.loads(x) for x in content.splitlines() if x.strip()]
    except json.JSONDecodeError:
        records = [json.loads(content)]
    target = tmp_path / f"{len(list(tmp_path.iterdir()))}_{path.name}"
    target.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return target


def test_doccanos_own_relation_examples_import_with_their_relations(db, tmp_path: Path) -> None:
    files = _examples()
    assert files, "no relation example files under DOCCANO_BACKEND"
    for n, original in enumerate(files):
        path = _as_json_lines(original, tmp_path)
        held = doccano_relation_import(path)  # what doccano itself makes of the file
        # Types foundedAt and foundedBy name no attribution role: refused by name, nothing stored.
        with pytest.raises(InputError, match="relation types with no attribution role: foundedAt, foundedBy"):
            import_paths(db, [path])
        # Google has two founders; a claim has one source, so mapping foundedBy to source is refused too.
        with pytest.raises(InputError, match="has two sources"):
            import_paths(db, [path], relation_map={"foundedBy": "source", "foundedAt": "target"})
        assert db.documents.list() == [] or n
        import_paths(db, [path], relation_map={"foundedAt": "target", "foundedBy": None})
    (doc,) = db.documents.list()  # the three files hold the same text
    records = {r.quote: r for r in db.annotations.for_document(doc.id)}
    assert len(records) == len(held[0]["spans"]) == 4
    google, date = records["Google"], records["September 4, 1998"]
    assert (google.kind, google.claim_type, google.links()) == ("claim", "ORG", {"target": date.id})
    assert (date.kind, date.note, google.target) == ("mention", "label: DATE", "September 4, 1998")
    assert {records["Larry Page"].claim_type, records["Sergey Brin"].claim_type} == {"PERSON"}
    assert [t for t, *_ in held[0]["relations"]] == ["foundedAt", "foundedBy", "foundedBy"]
    print(f"doccano relation examples read: {', '.join(str(f) for f in files)}; doccano holds "
          f"{len(held[0]['spans'])} spans and {len(held[0]['relations'])} relations per file")
