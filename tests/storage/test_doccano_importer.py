"""doccano's own import code reads our doccano export and keeps every span.

Set DOCCANO_BACKEND to the `backend` folder of a doccano checkout. Its import pipeline (reader, JSONL parser,
example and label makers, the overlap cleaning of a sequence-labelling project) runs as it is; only the
Django models it would save into are replaced by plain records, and the parsers of other formats' libraries
(chardet, pyexcel, seqeval) by empty modules. Skipped without the checkout."""
from __future__ import annotations

import json
import os
import sys
import types
from pathlib import Path
from typing import Any

import pytest

from storage import AnnotationDraft, export_jsonl, import_paths

BACKEND = os.environ.get("DOCCANO_BACKEND")
pytestmark = pytest.mark.skipif(not BACKEND or not Path(BACKEND, "data_import", "pipeline").is_dir(),
                                reason="DOCCANO_BACKEND (a doccano checkout's backend folder) is not set")
TEXT = "Sergei Lavrov said the talks would fail. John Kerry disagreed, calling it premature."


class _Record:
    """Stands in for a Django model: keeps what it was built with."""

    def __init__(self, **fields: Any) -> None:
        self.__dict__.update(fields)


def _doccano_pipeline() -> types.SimpleNamespace:
    pytest.importorskip("pandas")
    pytest.importorskip("pydantic")
    stubs = {"examples.models": ["Example"], "label_types.models": ["LabelType", "CategoryType", "SpanType",
                                                                     "RelationType"],
             "labels.models": ["Label", "Category", "Span", "Relation", "TextLabel"],
             "projects.models": ["Project", "ProjectType"], "chardet": ["UniversalDetector"],
             "pyexcel": [], "pyexcel.exceptions": [], "seqeval": [],
             "seqeval.scheme": ["BILOU", "IOB2", "IOBES", "IOE2", "Tokens"]}
    for name, classes in stubs.items():
        if name not in sys.modules:
            module = types.ModuleType(name)
            for cls in classes:
                setattr(module, cls, type(cls, (_Record,), {}))
            sys.modules[name] = module
            if "." in name:
                sys.modules.setdefault(name.split(".")[0], types.ModuleType(name.split(".")[0]))
    sys.path.insert(0, str(BACKEND))
    from data_import.pipeline.data import TextData
    from data_import.pipeline.label import SpanLabel
    from data_import.pipeline.labels import Spans
    from data_import.pipeline.makers import ExampleMaker, LabelMaker
    from data_import.pipeline.parsers import JSONLParser
    from data_import.pipeline.readers import FileName, Reader

    return types.SimpleNamespace(TextData=TextData, SpanLabel=SpanLabel, Spans=Spans, ExampleMaker=ExampleMaker,
                                 LabelMaker=LabelMaker, JSONLParser=JSONLParser, FileName=FileName, Reader=Reader)


def doccano_import(path: Path, allow_overlapping: bool = False) -> list[tuple[dict[str, Any], list[tuple[int, int, str]]]]:
    """What a doccano sequence-labelling project holds after importing `path`: (example meta, spans)."""
    d = _doccano_pipeline()
    project = _Record(allow_overlapping=allow_overlapping)
    reader = d.Reader([d.FileName(full_path=str(path), generated_name=path.name, upload_name=path.name)],
                      d.JSONLParser(encoding="utf_8"))
    examples = d.ExampleMaker(project=project, data_class=d.TextData, column_data="text", exclude_columns=["label"])
    labels = d.LabelMaker(column="label", label_class=d.SpanLabel)
    held = []
    for frame in reader.batch(1000):
        made = examples.make(frame)
        spans = d.Spans(labels.make(frame), types=None)
        spans.clean(project)
        for example in made:
            own = sorted((s.start_offset, s.end_offset, s.label) for s in spans.labels if s.example_uuid == example.uuid)
            held.append((example.meta, own))
    assert not examples.errors and not labels.errors and not reader.errors
    return held


def test_doccanos_importer_keeps_every_span_of_every_annotator(db, tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"text": TEXT, "title": "Talks"}) + "\n", encoding="utf-8")
    import_paths(db, [source])
    (doc,) = [d.id for d in db.documents.list()]
    spans = {"alice": [("Sergei Lavrov", "evaluative"), ("the talks would fail", "predictive")],
             "bob": [("Sergei Lavrov said", "factual"), ("John Kerry", "evaluative")],
             "carol": [("Lavrov said the talks", "factual"), ("premature", "evaluative")]}
    for who, quotes in spans.items():
        for quote, label in quotes:
            start = TEXT.index(quote)
            db.annotations.add(AnnotationDraft(doc, start, start + len(quote), claim_type=label), by=who)
    db.documents.set_status(doc, "done", by="alice")
    export_jsonl(db, "doccano", tmp_path / "per_annotator.jsonl")
    held = doccano_import(tmp_path / "per_annotator.jsonl")
    expected = {who: sorted((TEXT.index(q), TEXT.index(q) + len(q), label) for q, label in quotes)
                for who, quotes in spans.items()}
    assert {meta["annotator"]: kept for meta, kept in held} == expected  # 6 of 6 spans
    assert all(meta["document_id"] == doc for meta, _ in held)
    assert {meta["annotator"]: meta["status"] for meta, _ in held} == {"alice": "done", "bob": "todo",
                                                                        "carol": "todo"}
    export_jsonl(db, "doccano", tmp_path / "merged.jsonl", merge=True)
    ((_, kept),) = doccano_import(tmp_path / "merged.jsonl")
    assert len(kept) < 6  # the reason --merge warns
    ((_, everything),) = doccano_import(tmp_path / "merged.jsonl", allow_overlapping=True)
    assert len(everything) == 6
