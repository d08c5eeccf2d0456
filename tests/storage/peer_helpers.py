"""What the peer-format tests compare: every live span of a database as plain tuples."""
from __future__ import annotations

from collections import Counter
from typing import Any


def spans_of(db: Any, fields: tuple[str, ...] = ("start", "end", "quote", "claim_type", "stance", "actor",
                                                  "target", "note", "annotator")) -> Counter[tuple[Any, ...]]:
    found: Counter[tuple[Any, ...]] = Counter()
    for summary in db.documents.list():
        for record in db.annotations.for_document(summary.id):
            found[tuple(None if getattr(record, f) == "" else getattr(record, f) for f in fields)] += 1
    return found


def texts_of(db: Any) -> set[str]:
    return {db.documents.get(s.id).text for s in db.documents.list()}


def add_text(db: Any, folder: Any, text: str) -> str:
    """A document with exactly this text, brought in as a plain JSON line; returns its id."""
    import json

    from storage import import_paths

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"text{len(list(folder.iterdir()))}.jsonl"
    path.write_text(json.dumps({"text": text, "title": "t"}) + "\n", encoding="utf-8")
    import_paths(db, [path])
    return next(s.id for s in db.documents.list() if db.documents.get(s.id).text == text)
