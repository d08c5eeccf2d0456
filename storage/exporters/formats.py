"""The four export shapes, one function each: rows in, JSON-ready dicts out, every quote checked."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any

from storage.errors import StancemarkError
from storage.exporters.reading import (
    ACTOR,
    ANNOTATOR,
    CLAIM,
    CREATED,
    DELETED,
    END,
    ID,
    NOTE,
    QUOTE,
    REVISION,
    STANCE,
    START,
    TARGET,
    UPDATED,
    VERSION,
)

LABEL_COLUMN = {"stance": STANCE, "claim_type": CLAIM, "actor": ACTOR}


def iso(value: datetime | None) -> str | None:
    """UTC ISO 8601; SQLite hands back naive times, which storage always writes in UTC."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.isoformat() + "+00:00"  # the same text as attaching UTC first, at half the cost
    return value.astimezone(timezone.utc).isoformat()


def checked(text: str, row: Any, doc_id: str) -> None:
    if text[row[START]:row[END]] != row[QUOTE]:
        raise StancemarkError(f"annotation {row[ID]} in document {doc_id}: its stored quote does not match "
                              f"the text at [{row[START]}, {row[END]}); nothing was exported")


def native_line(doc: Any, rows: list[Any], scheme_version: int, roles: dict[str, str],
                actors: dict[str, dict[str, Any]], statuses: dict[str, tuple[str, Any]]) -> dict[str, Any]:
    doc_id, title, source, text, sha, meta, created = doc
    annotations = []
    for r in rows:
        checked(text, r, doc_id)
        annotations.append({
            "id": r[ID], "annotator": r[ANNOTATOR], "start": r[START], "end": r[END], "quote": r[QUOTE],
            "stance": r[STANCE], "actor": r[ACTOR], "claim_type": r[CLAIM], "target": r[TARGET], "note": r[NOTE],
            "scheme_version": r[VERSION], "revision": r[REVISION], "created_at": iso(r[CREATED]),
            "updated_at": iso(r[UPDATED]), "deleted_at": iso(r[DELETED]),
        })
    people = sorted({r[ANNOTATOR] for r in rows} | set(statuses))
    named = sorted({r[ACTOR] for r in rows if r[ACTOR] is not None})
    return {
        "stancemark": 1, "id": doc_id, "title": title, "source": source, "text": text, "sha256": sha,
        "scheme_version": scheme_version, "meta": meta or {}, "created_at": iso(created),
        "annotators": {name: roles.get(name, "annotator") for name in people},
        "actors": {name: actors[name] for name in named if name in actors},
        "status": {name: {"status": st, "updated_at": iso(at)} for name, (st, at) in sorted(statuses.items())},
        "annotations": annotations,
    }


def doccano_line(doc: Any, rows: list[Any], label: str) -> tuple[dict[str, Any], int]:
    """(line, spans left out because they have no value for the label attribute)."""
    doc_id, text = doc[0], doc[3]
    column = LABEL_COLUMN[label]
    labels = []
    for r in rows:
        checked(text, r, doc_id)
        if r[column] is not None:
            labels.append([r[START], r[END], r[column]])
    return {"text": text, "label": labels}, len(rows) - len(labels)


def spans_lines(doc: Any, rows: list[Any], label: str) -> Iterator[tuple[dict[str, Any], int]]:
    """One Prodigy task per annotator of the document (one with no spans if nobody annotated it)."""
    doc_id, title, source, text = doc[0], doc[1], doc[2], doc[3]
    column = LABEL_COLUMN[label]
    meta = {"document_id": doc_id, "title": title, "source": source}
    by_annotator: dict[str, list[Any]] = {}
    for r in rows:
        by_annotator.setdefault(r[ANNOTATOR], []).append(r)
    if not by_annotator:
        yield {"text": text, "spans": [], "meta": meta, "answer": "accept"}, 0
    for annotator, own in sorted(by_annotator.items()):
        spans = []
        for r in own:
            checked(text, r, doc_id)
            if r[column] is not None:
                spans.append({"start": r[START], "end": r[END], "label": r[column], "text": r[QUOTE],
                              "id": r[ID], "stance": r[STANCE], "actor": r[ACTOR], "claim_type": r[CLAIM],
                              "target": r[TARGET], "note": r[NOTE]})
        yield ({"text": text, "spans": spans, "meta": meta, "_annotator_id": annotator, "answer": "accept"},
               len(own) - len(spans))


def flat_lines(doc: Any, rows: list[Any]) -> Iterator[dict[str, Any]]:
    doc_id, text = doc[0], doc[3]
    for r in rows:
        checked(text, r, doc_id)
        yield {"document_id": doc_id, "id": r[ID], "start": r[START], "end": r[END], "quote": r[QUOTE],
               "stance": r[STANCE], "actor": r[ACTOR], "claim_type": r[CLAIM], "target": r[TARGET],
               "note": r[NOTE], "annotator": r[ANNOTATOR], "scheme_version": r[VERSION],
               "revision": r[REVISION], "created_at": iso(r[CREATED]), "updated_at": iso(r[UPDATED])}
