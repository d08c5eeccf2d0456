"""Label Studio JSON out: one task per document (`data.text`, `data.document_id`), one annotation per annotator
with `completed_by` in the object form Label Studio's own exports use ({"email": the annotator's name}), one
region per span: a `labels` result per labelled field (`from_name` = claim_type / stance / actor, `to_name` =
text) and a `textarea` result for target and note, all sharing the region's id. A mention or cue is a region
with a `labels` result from the `kind` control (Mention or Cue); each attribution link a `relation` result
(`from_id` the claim's region, `to_id` its mention's or cue's, `direction` right, `labels` [the role]).
A labelling config that takes it back is in docs/labelstudio_config.xml."""
from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from storage.exporters.formats import checked, iso
from storage.exporters.links import KIND_TYPES, is_claim, kind_of, row_links
from storage.exporters.output import atomic_text_output
from storage.exporters.peer import PeerExportSummary, by_annotator
from storage.exporters.reading import ACTOR, CLAIM, CREATED, END, ID, NOTE, QUOTE, STANCE, START, TARGET, UPDATED

FIELDS = (("claim_type", CLAIM), ("stance", STANCE), ("actor", ACTOR))
TEXTS = (("target", TARGET), ("note", NOTE))


def write(documents: Iterable[tuple[Any, list[Any]]], out: str | Path, label: str,
          summary: PeerExportSummary) -> None:
    encoder = json.JSONEncoder(ensure_ascii=False, indent=None)
    with atomic_text_output(out) as stream:
        stream.write("[")
        for n, (doc, rows) in enumerate(documents):
            stream.write(",\n" if n else "\n")
            stream.write(encoder.encode(task(doc, rows, summary)))
        stream.write("\n]\n")


def task(doc: Any, rows: list[Any], summary: PeerExportSummary) -> dict[str, Any]:
    doc_id, title, source, text = doc[0], doc[1], doc[2], doc[3]
    annotations = []
    for annotator, own in by_annotator(rows).items():
        results: list[dict[str, Any]] = []
        regions: set[str] = set()
        for r in own:
            checked(text, r, doc_id)
            region = r[ID][:36]
            base = {"start": r[START], "end": r[END], "text": r[QUOTE]}
            labelled = [(name, r[col]) for name, col in FIELDS if r[col] is not None]
            if not is_claim(r):
                labelled.insert(0, ("kind", KIND_TYPES[kind_of(r)]))
            if not labelled:
                summary.leave_out("no label, stance, claim type or actor (Label Studio needs a label)")
                continue
            for name, value in labelled:
                results.append({"id": region, "from_name": name, "to_name": "text", "type": "labels",
                                "origin": "manual", "value": {**base, "labels": [value]}})
            for name, col in TEXTS:
                if r[col]:
                    results.append({"id": region, "from_name": name, "to_name": "text", "type": "textarea",
                                    "origin": "manual", "value": {**base, "text": [r[col]]}})
            summary.annotations += 1
            regions.add(r[ID])
        for claim, role, linked in row_links(own, regions):
            results.append({"type": "relation", "from_id": claim[ID][:36], "to_id": linked[ID][:36],
                            "direction": "right", "labels": [role]})
        annotations.append({"completed_by": {"email": annotator}, "result": results, "was_cancelled": False,
                            "ground_truth": False, "created_at": iso(min((r[CREATED] for r in own), default=None)),
                            "updated_at": iso(max((r[UPDATED] for r in own), default=None))})
    return {"data": {"text": text, "document_id": doc_id, "title": title, "source": source},
            "annotations": annotations, "predictions": []}
