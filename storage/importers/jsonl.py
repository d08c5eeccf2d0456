"""JSON Lines in four shapes, told apart line by line: native, doccano, Prodigy/spaCy, plain text."""
from __future__ import annotations

import json
from typing import Any

from storage.importers.fields import (
    Where,
    checked_span,
    label_of,
    optional_object,
    optional_str,
    text_of,
    title_from_body,
)
from storage.importers.incoming import IncomingAnnotation, IncomingDocument
from storage.importers.native import native_document
from storage.records import ATTRIBUTES
from storage.text import OffsetMap

# Attributes a Prodigy span may carry besides its label (Stancemark's `spans` export writes them).
SPAN_ATTRIBUTES = ("stance", "actor", "claim_type", "target", "note")
# Prodigy marks what the annotator did with the task; only accepted tasks bring their spans.
ACCEPTED_ANSWERS = (None, "accept")


def parse_jsonl(path: str, content: str, label_as: str) -> list[IncomingDocument]:
    docs: list[IncomingDocument] = []
    # Only "\n" ends a record: U+2028 and friends may sit inside a JSON string.
    for number, line in enumerate(content.split("\n"), start=1):
        if not line.strip():
            continue
        where = Where(path, number)
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise where.error(f"malformed JSON: {exc.msg} (column {exc.colno})") from None
        except RecursionError:
            raise where.error("malformed JSON: nested too deeply") from None
        if not isinstance(obj, dict):
            raise where.error(f"expected a JSON object, not {type(obj).__name__}")
        docs.append(parse_line(obj, where, label_as))
    return docs


def shape_of(obj: dict[str, Any]) -> str:
    if "stancemark" in obj or "annotations" in obj:
        return "native"
    if "spans" in obj:
        return "prodigy"
    if "label" in obj or "entities" in obj:
        return "doccano"
    return "plain"


def parse_line(obj: dict[str, Any], where: Where, label_as: str) -> IncomingDocument:
    shape = shape_of(obj)
    if shape == "native":
        native = native_document(obj, where)
        native.shape = shape
        return native
    raw = text_of(obj, where)
    offsets = OffsetMap(raw)
    annotator = optional_str(obj, "_annotator_id", where)
    consumed = {"text", "title", "meta", "_annotator_id"}
    annotations: list[IncomingAnnotation] = []
    if shape == "prodigy":
        consumed.add("spans")
        if obj.get("answer") in ACCEPTED_ANSWERS:
            annotations = _prodigy_spans(obj["spans"], raw, offsets, label_as, where)
    elif shape == "doccano":
        key = "label" if "label" in obj else "entities"
        consumed.add(key)
        annotations = _doccano_spans(obj[key], raw, offsets, label_as, where)
    for annotation in annotations:
        annotation.annotator = annotator.strip() if annotator and annotator.strip() else None
    meta = dict(optional_object(obj, "meta", where))
    meta.update({k: v for k, v in obj.items() if k not in consumed})
    title = optional_str(obj, "title", where) or (meta.get("title") if isinstance(meta.get("title"), str) else None)
    source = meta.get("source") or meta.get("url")
    return IncomingDocument(
        path=where.path, line=where.line, text=offsets.text,
        title=(title or title_from_body(offsets.text, "untitled"))[:300],
        source=source if isinstance(source, str) else f"{where.path}:{where.line}", meta=meta,
        annotations=annotations, shape=shape,
    )


def _labelled(start: int, end: int, label: str, label_as: str, what: str) -> IncomingAnnotation:
    assert label_as in ATTRIBUTES
    return IncomingAnnotation(start=start, end=end, annotator=None, where=what, label=label,
                              **{label_as: label})


def _doccano_spans(entries: Any, raw: str, offsets: OffsetMap, label_as: str,
                   where: Where) -> list[IncomingAnnotation]:
    if not isinstance(entries, list):
        raise where.error("'label' must be a list of [start, end, \"LABEL\"]")
    found = []
    for n, entry in enumerate(entries, start=1):
        if isinstance(entry, dict):  # doccano's newer "entities" shape
            start = entry.get("start_offset", entry.get("start"))
            end = entry.get("end_offset", entry.get("end"))
            label = entry.get("label")
        elif isinstance(entry, list) and len(entry) == 3:
            start, end, label = entry
        else:
            raise where.error(f"span {n}: expected [start, end, \"LABEL\"], not {json.dumps(entry)[:60]}")
        what = f"span {n} [{start}, {end})"
        label = label_of(label, what, where)
        s, e = checked_span(offsets, raw, start, end, None, what, where)
        found.append(_labelled(s, e, label, label_as, what))
    return found


def _prodigy_spans(entries: Any, raw: str, offsets: OffsetMap, label_as: str,
                   where: Where) -> list[IncomingAnnotation]:
    if not isinstance(entries, list):
        raise where.error("'spans' must be a list of {\"start\", \"end\", \"label\"}")
    found = []
    for n, span in enumerate(entries, start=1):
        if not isinstance(span, dict):
            raise where.error(f"span {n}: expected an object with start, end and label")
        what = f"span {n} [{span.get('start')}, {span.get('end')})"
        label = label_of(span.get("label"), what, where)
        s, e = checked_span(offsets, raw, span.get("start"), span.get("end"), span.get("text"), what, where)
        annotation = _labelled(s, e, label, label_as, what)
        for attribute in SPAN_ATTRIBUTES:
            if attribute != label_as and span.get(attribute) is not None:
                value = optional_str(span, attribute, where, f"{what}: ")
                setattr(annotation, attribute, value)
        annotation.id = optional_str(span, "id", where, f"{what}: ")
        if annotation.id is not None and not 0 < len(annotation.id) <= 36:
            raise where.error(f"{what}: 'id' must be 1 to 36 characters")
        found.append(annotation)
    return found
