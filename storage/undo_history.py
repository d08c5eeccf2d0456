"""An analyst's own recent annotation changes, read back from the event log: what undo offers after a restart.

Each logged create, restore, delete or plain edit becomes a frozen `LoggedChange` holding the record before and
after, decoded by the snapshot codec (storage/audit.py), the same codec replay uses. Reading stops, going back in
time, at the first event of this analyst that one single-step undo could not reverse faithfully (a link change,
an attributed claim made with its links, an actor or status change): what is offered is an unbroken run of the
analyst's latest actions, never a history with holes in it."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from storage.audit import logged_annotation
from storage.records import EDITABLE, LINK_FIELDS, AnnotationRecord
from storage.tables import Annotator, Event

if TYPE_CHECKING:
    from storage.database import Database

# What an add and a restore have in common: the annotation is present afterwards.
_ADDS = ("create", "restore")


@dataclass(frozen=True)
class LoggedChange:
    """One logged action: "add" (after holds the record made or restored), "delete" (before holds the record
    deleted, after the deleted row) or "edit" (`keys` the fields it changed)."""

    event_id: int
    action: str
    before: AnnotationRecord | None
    after: AnnotationRecord
    keys: tuple[str, ...] = ()


def _record(snapshot: dict[str, Any], annotator: str) -> AnnotationRecord:
    values = logged_annotation(snapshot)
    values.pop("annotator_id")
    return AnnotationRecord(id=snapshot["id"], annotator=annotator, **values)


def _changed_keys(before: dict[str, Any], after: dict[str, Any]) -> tuple[str, ...]:
    return tuple(sorted(k for k in (*EDITABLE, *LINK_FIELDS) if before.get(k) != after.get(k)))


def _undoable(event: Event, annotator: str) -> LoggedChange | None:
    """The change as one undo step, or None when one step could not undo it alone."""
    if event.entity != "annotation" or not event.after or "start" not in event.after:
        return None
    after = _record(event.after, annotator)
    if event.action in _ADDS:
        # A claim made with its links came from a suggestion or a link gesture, whose undo takes more rows.
        if event.action == "create" and after.links():
            return None
        return LoggedChange(event.id, "add", None, after)
    if not event.before or "start" not in event.before:
        return None
    before = _record(event.before, annotator)
    if event.action == "delete":
        return LoggedChange(event.id, "delete", before, after)
    if event.action == "edit":
        keys = _changed_keys(event.before, event.after)
        if keys and not set(keys) & set(LINK_FIELDS):
            return LoggedChange(event.id, "edit", before, after, keys)
    return None


def undoable_changes(db: Database, annotator: str, limit: int = 100) -> list[LoggedChange]:
    """This analyst's latest `limit` undoable changes on this database, oldest first (the order to push them)."""
    with db.sessions.read() as s:
        events = s.scalars(select(Event).join(Annotator, Annotator.id == Event.annotator_id)
                           .where(Annotator.name == annotator.strip()).order_by(Event.id.desc())
                           .limit(limit)).all()
        found: list[LoggedChange] = []
        for event in events:
            change = _undoable(event, annotator.strip())
            if change is None:
                break
            found.append(change)
    return found[::-1]
