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
    refuse_unstorable,
    text_of,
    title_from_body,
)
from storage.importers.incoming import IncomingAnnotation, IncomingDocument
from storage.importers.links import kind_field, kind_from_label
from storage.importers.native import native_document
from storage.importers.relations_jsonl import doccano_relations, prodigy_relations
from storage.records import ATTRIBUTES
from storage.text import OffsetMap

# Attributes a Prodigy span may carry besides its label (Stancemark's `spans` export writes them).
SPAN_ATTRIBUTES = ("stance", "actor", "claim_type", "target", "note")
# Prodigy marks what the annotator did with the task; only accepted ones (or lines without an answer) are
# annotations. Rejected and ignored tasks are counted, and kept only when asked (importers/run_import.py).
PRODIGY_ANSWERS = ("accept", "reject", "ignore")
# Where a Prodigy task names its annotator, in the order looked at.
PRODIGY_ANNOTATOR_KEYS = ("_annotator_id", "_session_id")


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
            raise where.error(_not_an_object(obj))
        if "\\u" in line:  # NUL and lone surrogates can only arrive as JSON escapes (the raw bytes are checked)
            refuse_unstorable(obj, where)
        docs.append(parse_line(obj, where, label_as))
    return docs


def _not_an_object(obj: Any) -> str:
    if isinstance(obj, list) and obj and isinstance(obj[0], dict) and isinstance(obj[0].get("data"), dict):
        return ("expected a JSON object, not list: this line looks like a whole Label Studio JSON export (an "
                "array of tasks), which this reader does not take; it reads one JSON object per line")
    return f"expected a JSON object, not {type(obj).__name__}"


def shape_of(obj: dict[str, Any]) -> str:
    if "stancemark" in obj:
        return "native"
    if isinstance(obj.get("data"), dict) and ("annotations" in obj or "predictions" in obj):
        return "label_studio"
    if "annotations" in obj:
        return "native"
    if "spans" in obj or "answer" in obj:
        return "prodigy"
    if "label" in obj or "entities" in obj:
        return "doccano"
    return "plain"


def refuse_unreadable_shape(obj: dict[str, Any], shape: str, where: Where) -> None:
    """Lines of a shape we recognise but do not import are refused by name, not as a puzzling field error."""
    label = obj.get("label")
    if shape == "label_studio":
        raise where.error("looks like a Label Studio task ('data' with 'annotations' or 'predictions'), which "
                          "this reader does not take as JSON Lines; it reads Stancemark native, doccano, "
                          "Prodigy/spaCy and plain {\"text\": ...} lines")
    if isinstance(label, str) and shape in ("prodigy", "doccano"):
        raise where.error(f"a Prodigy textcat line: 'label' is a string ({label!r}, a category for the whole text), "
                          "not spans; Stancemark imports span annotations ('spans' or [start, end, label] lists)")
    if shape == "doccano" and isinstance(label, list) and label and all(isinstance(x, str) for x in label):
        raise where.error("a doccano text-classification line: 'label' is a list of category names, not "
                          "[start, end, \"LABEL\"] spans; Stancemark imports span annotations only")


def prodigy_answer(obj: dict[str, Any], where: Where) -> str | None:
    answer = obj.get("answer")
    if answer is not None and answer not in PRODIGY_ANSWERS:
        raise where.error(f"'answer' must be one of {', '.join(PRODIGY_ANSWERS)}, not {json.dumps(answer)[:40]}")
    return answer


def file_annotator(obj: dict[str, Any], where: Where) -> str | None:
    for key in PRODIGY_ANNOTATOR_KEYS:
        name = optional_str(obj, key, where)
        if name and name.strip():
            return name.strip()
    return None


def parse_line(obj: dict[str, Any], where: Where, label_as: str) -> IncomingDocument:
    shape = shape_of(obj)
    refuse_unreadable_shape(obj, shape, where)
    if shape == "native":
        native = native_document(obj, where)
        native.shape = shape
        return native
    raw = text_of(obj, where)
    offsets = OffsetMap(raw)
    annotator = file_annotator(obj, where)
    consumed = {"text", "title", "meta", "_annotator_id"}
    annotations: list[IncomingAnnotation] = []
    relations: list[tuple[int, int, str, str]] = []
    answer = None
    if shape == "prodigy":
        consumed.add("spans")  # "answer" stays in the metadata
        answer = prodigy_answer(obj, where)
        annotations = _prodigy_spans(obj.get("spans", []), raw, offsets, label_as, where)
        if "relations" in obj:
            consumed.add("relations")
            relations = prodigy_relations(obj.get("spans", []), obj["relations"], where)
    elif shape == "doccano":
        key = "label" if "label" in obj else "entities"
        consumed.add(key)
        annotations = _doccano_spans(obj[key], raw, offsets, label_as, where)
        if "relations" in obj and key == "entities":  # the older [start, end, label] lists have no ids
            consumed.add("relations")
            relations = doccano_relations(obj[key], obj["relations"], where)
    for annotation in annotations:
        annotation.annotator = annotator
    meta = dict(optional_object(obj, "meta", where))
    meta.update({k: v for k, v in obj.items() if k not in consumed})
    title = optional_str(obj, "title", where) or (meta.get("title") if isinstance(meta.get("title"), str) else None)
    source = meta.get("source") or meta.get("url")
    return IncomingDocument(
        path=where.path, line=where.line, text=offsets.text,
        title=(title or title_from_body(offsets.text, "untitled"))[:300],
        source=source if isinstance(source, str) else f"{where.path}:{where.line}", meta=meta,
        annotations=annotations, shape=shape, answer=answer, relations=relations,
    )


def _labelled(start: int, end: int, label: str, label_as: str, what: str) -> IncomingAnnotation:
    assert label_as in ATTRIBUTES
    return IncomingAnnotation(start=start, end=end, annotator=None, where=what, label=label).fill({label_as: label})


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
        annotation = _labelled(s, e, label, label_as, what)
        if isinstance(entry, dict):  # Stancemark's relation export carries its own fields beside doccano's
            own_span_fields(annotation, entry, label_as, where, what, id_key="stancemark_id")
        kind_from_label(annotation, label)
        found.append(annotation)
    return found


def own_span_fields(annotation: IncomingAnnotation, span: dict[str, Any], label_as: str, where: Where, what: str,
                    id_key: str = "id") -> None:
    for attribute in SPAN_ATTRIBUTES:
        if attribute != label_as and span.get(attribute) is not None:
            setattr(annotation, attribute, optional_str(span, attribute, where, f"{what}: "))
    annotation.id = optional_str(span, id_key, where, f"{what}: ")
    if annotation.id is not None and not 0 < len(annotation.id) <= 36:
        raise where.error(f"{what}: '{id_key}' must be 1 to 36 characters")
    if "kind" in span:
        annotation.kind = kind_field(span, where, what)


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
        own_span_fields(annotation, span, label_as, where, what)
        kind_from_label(annotation, label)
        found.append(annotation)
    return found
