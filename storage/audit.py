"""The event log: every change writes who, when, what before and after, in its own transaction.

An annotation's snapshot is written here and read back here (storage/replay.py rebuilds the table from it):
a dict of SNAPSHOT_FIELDS for one change, or, in an import's one event per document, a list per span in the
order of IMPORTED_SPAN_COLUMNS. The stored shapes are the ones the log has always held; `logged_annotation`
also reads snapshots written before attribution existed (revision 0005)."""
from __future__ import annotations

import functools
import operator
from collections.abc import Iterator, Mapping
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.tables import Annotation, Annotator, Event
from storage.records import EventRecord

SNAPSHOT_FIELDS = ("id", "document_id", "annotator_id", "start", "end", "quote", "stance", "actor", "claim_type",
                   "target", "note", "scheme_version", "revision", "created_at", "updated_at", "deleted_at", "kind",
                   "source_id", "cue_id", "relay_id", "target_id")
# An import's spans leave out what its document event already holds: the document, and the quote (the text's
# [start:end]).
IMPORTED_SPAN_COLUMNS = [name for name in SNAPSHOT_FIELDS if name not in ("document_id", "quote")]
# The row's own fields, which every full snapshot carries (a snapshot lacking them only marks a deletion).
LOGGED_ROW_FIELDS = ("document_id", "annotator_id", "start", "end", "quote", "stance", "claim_type", "target",
                     "note", "scheme_version", "revision")
# Snapshots written before revision 0005 have no attribution: those rows are claims without links.
_ATTRIBUTION_DEFAULTS = {"kind": "claim", "source_id": None, "cue_id": None, "relay_id": None, "target_id": None}


@functools.lru_cache(maxsize=256)
def _iso(moment: datetime) -> str:
    """Most spans of one bulk write share one instant: formatted once, not once per span."""
    return moment.isoformat()


# Positions in SNAPSHOT_FIELDS, so that a bulk write of 100,000 spans encodes each in a few C calls.
_ROW_KEYS = tuple(name for name in SNAPSHOT_FIELDS if name != "actor")
_ITEMS, _ATTRIBUTES = operator.itemgetter(*_ROW_KEYS), operator.attrgetter(*_ROW_KEYS)
_ACTOR_AT, _KIND_AT = SNAPSHOT_FIELDS.index("actor"), SNAPSHOT_FIELDS.index("kind")
_TIMES_AT = tuple(SNAPSHOT_FIELDS.index(name) for name in ("created_at", "updated_at", "deleted_at"))
_IMPORTED = operator.itemgetter(*(SNAPSHOT_FIELDS.index(name) for name in IMPORTED_SPAN_COLUMNS))


def _encoded(row: Mapping[str, Any] | Annotation, actor: str | None) -> list[Any]:
    """The snapshot's values in SNAPSHOT_FIELDS order: times as ISO strings, a kind always named."""
    values = list(_ITEMS(row) if isinstance(row, Mapping) else _ATTRIBUTES(row))
    values.insert(_ACTOR_AT, actor)
    for at in _TIMES_AT:
        if values[at] is not None:
            values[at] = _iso(values[at])
    values[_KIND_AT] = values[_KIND_AT] or "claim"
    return values


def annotation_snapshot(row: Mapping[str, Any] | Annotation, actor_name: str | None) -> dict[str, Any]:
    """Everything needed to rebuild the row from the log alone: from an ORM row or a row's column values (the
    bulk paths), with the actor by name (the registry may merge it later; replay resolves the name)."""
    return dict(zip(SNAPSHOT_FIELDS, _encoded(row, actor_name)))


def imported_span_snapshot(row: Mapping[str, Any], actor_name: str | None) -> list[Any]:
    """One span of an import event: the snapshot's values in IMPORTED_SPAN_COLUMNS order."""
    return list(_IMPORTED(_encoded(row, actor_name)))


def imported_spans_snapshot(rows: list[list[Any]]) -> dict[str, Any]:
    """The "spans" entry of an import event: columns named once, then one list per span."""
    return {"columns": IMPORTED_SPAN_COLUMNS, "rows": rows}


def _instant(value: str | None) -> datetime | None:
    """Snapshot times are ISO strings; SQLite hands back naive UTC, so a naive one is UTC."""
    if value is None:
        return None
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def logged_annotation(snapshot: Mapping[str, Any]) -> dict[str, Any]:
    """A full snapshot read back as the row's column values (times as instants, links defaulted for the old
    shape), with `actor` still a name for the caller to resolve instead of `actor_id`."""
    values = {name: snapshot[name] for name in LOGGED_ROW_FIELDS}
    values.update({name: snapshot.get(name, default) for name, default in _ATTRIBUTION_DEFAULTS.items()})
    values.update(actor=snapshot.get("actor"), created_at=_instant(snapshot["created_at"]),
                  updated_at=_instant(snapshot["updated_at"]), deleted_at=_instant(snapshot.get("deleted_at")))
    return values


def logged_deletion(snapshot: Mapping[str, Any]) -> tuple[datetime | None, int] | None:
    """(deleted at, revision) of a snapshot that carries only the deletion, else None (a full snapshot)."""
    if set(LOGGED_ROW_FIELDS) <= set(snapshot):
        return None
    return _instant(snapshot["deleted_at"]), snapshot["revision"]


def imported_spans(after: Mapping[str, Any], document_id: str, text: str) -> Iterator[dict[str, Any]]:
    """The full snapshots of an import event's spans, each with its document and its quote put back."""
    spans = after.get("spans") or {"columns": [], "rows": []}
    for values in spans["rows"]:
        snapshot = dict(zip(spans["columns"], values))
        snapshot.update(document_id=document_id, quote=text[snapshot["start"]:snapshot["end"]])
        yield snapshot


def record_event(
    session: Session, *, by: int | None, action: str, entity: str, entity_id: str,
    before: dict[str, Any] | None = None, after: dict[str, Any] | None = None,
) -> None:
    session.add(Event(annotator_id=by, action=action, entity=entity, entity_id=str(entity_id),
                      before=before, after=after))


def history(session: Session, entity: str, entity_id: str) -> list[EventRecord]:
    rows = session.execute(
        select(Event, Annotator.name)
        .outerjoin(Annotator, Annotator.id == Event.annotator_id)
        .where(Event.entity == entity, Event.entity_id == entity_id)
        .order_by(Event.id)
    ).all()
    return [
        EventRecord(id=e.id, at=e.at, annotator=name, action=e.action, entity=e.entity,
                    entity_id=e.entity_id, before=e.before, after=e.after)
        for e, name in rows
    ]
