"""The four export shapes, one function each: rows in, JSON-ready dicts out, every quote checked.

Every line can be joined back to Stancemark: the document id, the annotator and their status of the
document travel in the line (doccano: top-level keys, which doccano keeps as metadata; spans: `meta`)."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime, timezone
from typing import Any

from storage.exporters.reading import (
    ACTOR,
    ANNOTATOR,
    CLAIM,
    CREATED,
    DELETED,
    END,
    ID,
    KIND,
    LINK_COLUMNS,
    NOTE,
    QUOTE,
    REVISION,
    STANCE,
    START,
    TARGET,
    UPDATED,
    VERSION,
)
from storage.exporters.relation_formats import prodigy_span, span_label, with_prodigy_relations
from storage.exporters.tally import LABEL_COLUMN, Tally, by_annotator, checked, doccano_overlaps, untouched_document



def iso(value: datetime | None) -> str | None:
    """UTC ISO 8601; SQLite hands back naive times, which storage always writes in UTC."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.isoformat() + "+00:00"  # the same text as attaching UTC first, at half the cost
    return value.astimezone(timezone.utc).isoformat()


def native_line(doc: Any, rows: list[Any], scheme_version: int, roles: dict[str, str],
                actors: dict[str, dict[str, Any]], statuses: dict[str, tuple[str, Any]]) -> dict[str, Any]:
    doc_id, title, source, text, sha, meta, created = doc
    annotations = []
    for r in rows:
        checked(text, r, doc_id)
        entry = {
            "id": r[ID], "annotator": r[ANNOTATOR], "start": r[START], "end": r[END], "quote": r[QUOTE],
            "stance": r[STANCE], "actor": r[ACTOR], "claim_type": r[CLAIM], "target": r[TARGET], "note": r[NOTE],
            "scheme_version": r[VERSION], "revision": r[REVISION], "created_at": iso(r[CREATED]),
            "updated_at": iso(r[UPDATED]), "deleted_at": iso(r[DELETED]),
        }
        entry.update(attribution_fields(r[KIND], {role: r[col] for role, col in LINK_COLUMNS.items()}))
        annotations.append(entry)
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


def attribution_fields(kind: str | None, links: Mapping[str, str | None]) -> dict[str, Any]:
    """`kind` and the stored link ids (`source_id`, ...), only where they say something: a claim without links
    is written exactly as before attribution existed. Links to deleted rows are kept (native carries those)."""
    fields: dict[str, Any] = {}
    if kind and kind != "claim":
        fields["kind"] = kind
    fields.update({f"{role}_id": linked for role, linked in links.items() if linked is not None})
    return fields


def touched_by(rows: list[Any], statuses: dict[str, tuple[str, Any]], selected: frozenset[str],
               status_filter: str | None) -> dict[str, str]:
    """annotator -> their status of the document, for everyone (of the selection) who touched it: who has a
    live span there, or has moved it past "todo" (done with no spans means "read, nothing to tag")."""
    people = {r[ANNOTATOR] for r in rows}
    people.update(name for name, (status, _) in statuses.items() if status != "todo")
    if selected:
        people &= selected
    found = {name: statuses[name][0] if name in statuses else "todo" for name in people}
    if status_filter is not None:
        found = {name: st for name, st in found.items() if st == status_filter}
    return found


def doccano_lines(doc: Any, rows: list[Any], who: dict[str, str], label: str, merge: bool,
                  include_empty: bool, tally: Tally) -> list[dict[str, Any]]:
    """One line per annotator of the document, with the document id, the annotator and their status (doccano
    keeps the extra keys as the example's metadata); `merge`: one line per document, every annotator's spans
    in one list. A document nobody (of the selection) touched only with `include_empty`."""
    doc_id, text = doc[0], doc[3]
    column = LABEL_COLUMN[label]
    untouched = untouched_document(
        doc_id, text, rows, who, include_empty, tally,
        lambda: {"text": text, "label": [], "document_id": doc_id, "annotators": []} if merge
        else {"text": text, "label": [], "document_id": doc_id, "annotator": "", "status": "untouched"})
    if untouched is not None:
        return untouched
    if merge:
        groups = [("", rows)]
    else:
        grouped = by_annotator(rows)
        groups = [(name, grouped.get(name, [])) for name in sorted(who.keys() | grouped.keys())]
    lines = []
    for name, own in groups:
        claims = [r for r in own if r[KIND] in (None, "claim")]
        tally.attribution += len(own) - len(claims)
        labels = [[r[START], r[END], r[column]] for r in claims if r[column] is not None]
        tally.unlabelled += len(claims) - len(labels)
        tally.annotations += len(labels)
        tally.overlapping += doccano_overlaps(labels)
        if merge:
            lines.append({"text": text, "label": labels, "document_id": doc_id,
                          "annotators": sorted(who.keys() | {r[ANNOTATOR] for r in rows})})
        else:
            lines.append({"text": text, "label": labels, "document_id": doc_id, "annotator": name,
                          "status": who.get(name, "todo")})
    return lines


def spans_lines(doc: Any, rows: list[Any], who: dict[str, str], label: str, include_unfinished: bool,
                include_empty: bool, tally: Tally) -> list[dict[str, Any]]:
    """One Prodigy task per annotator of the document. `"answer": "accept"` only where the annotator marked
    the document done; the others are left out, or with `include_unfinished` written as `"answer": "ignore"`
    (what Prodigy's own training and export commands skip), their status in `meta`."""
    doc_id, title, source, text = doc[0], doc[1], doc[2], doc[3]
    column = LABEL_COLUMN[label]
    untouched = untouched_document(
        doc_id, text, rows, who, include_empty, tally,
        lambda: {"text": text, "spans": [],
                 "meta": {"document_id": doc_id, "title": title, "source": source, "annotator": None,
                          "status": "untouched"},
                 "answer": "ignore"})
    if untouched is not None:
        return untouched
    grouped = by_annotator(rows)
    lines = []
    for annotator in sorted(who.keys() | grouped.keys()):
        status = who.get(annotator, "todo")
        own = grouped.get(annotator, [])
        if status != "done" and not include_unfinished:
            tally.unfinished += 1
            continue
        spans = [prodigy_span(r, column) for r in own if span_label(r, column) is not None]
        tally.unlabelled += len(own) - len(spans)
        tally.annotations += len(spans)
        meta = {"document_id": doc_id, "title": title, "source": source, "annotator": annotator, "status": status}
        task = {"text": text, "spans": spans, "meta": meta, "_annotator_id": annotator,
                "answer": "accept" if status == "done" else "ignore"}
        with_prodigy_relations(task, own)
        lines.append(task)
    return lines


def flat_lines(doc: Any, rows: list[Any], statuses: dict[str, tuple[str, Any]],
               kinds: tuple[str, ...] = ("claim",)) -> Iterator[dict[str, Any]]:
    """One line per live annotation of the given kinds (claims unless asked), with its annotator's status of
    the document and its attribution in columns (ATTRIBUTION_COLUMNS: the linked spans' words and offsets)."""
    doc_id, text = doc[0], doc[3]
    by_id = {r[ID]: r for r in rows}
    for r in rows:
        checked(text, r, doc_id)
        if (r[KIND] or "claim") not in kinds:
            continue
        status = statuses.get(r[ANNOTATOR])
        yield {"document_id": doc_id, "id": r[ID], "start": r[START], "end": r[END], "quote": r[QUOTE],
               "stance": r[STANCE], "actor": r[ACTOR], "claim_type": r[CLAIM], "target": r[TARGET],
               "note": r[NOTE], "annotator": r[ANNOTATOR], "status": status[0] if status else "todo",
               "scheme_version": r[VERSION], "revision": r[REVISION], "created_at": iso(r[CREATED]),
               "updated_at": iso(r[UPDATED]), **attribution_columns(r, by_id)}


# The flat and CSV columns that say who holds a claim and where the text says so.
ATTRIBUTION_COLUMNS = ["kind", "source_actor", "source_mention", "source_start", "source_end", "cue", "cue_start",
                       "cue_end", "relay_actor", "relay_mention", "relay_start", "relay_end", "target_mention",
                       "target_start", "target_end"]


def attribution_columns(r: Any, by_id: dict[str, Any]) -> dict[str, Any]:
    """A claim's live links as columns: each linked span's words and offsets, a mention's actor too."""
    out: dict[str, Any] = {name: None for name in ATTRIBUTION_COLUMNS}
    out["kind"] = r[KIND] or "claim"
    for role, column in LINK_COLUMNS.items():
        linked = by_id.get(r[column]) if r[column] is not None else None
        if linked is None:
            continue
        words = "cue" if role == "cue" else f"{role}_mention"
        out[words], out[f"{role}_start"], out[f"{role}_end"] = linked[QUOTE], linked[START], linked[END]
        if f"{role}_actor" in out:
            out[f"{role}_actor"] = linked[ACTOR]
    return out
