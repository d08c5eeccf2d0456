"""Annotation service: one short write transaction per user action, each with its event row."""
from __future__ import annotations

import functools
import threading
from contextlib import nullcontext
from collections.abc import Callable
from dataclasses import fields, replace
from typing import Any, Iterable, TypeVar, Unpack

from sqlalchemy import Select, func, insert, select
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from storage import actors as actor_registry
from storage.annotation_rows import annotation_values, new_annotation_row
from storage.audit import annotation_snapshot, history, record_event
from storage.engine import Sessions
from storage.documents import annotator_row
from storage.errors import ConflictError, InvalidSpan, NotFound, PermissionDenied, StancemarkError
from storage.tables import Actor, Annotation, Annotator, Document, Event, utcnow
from storage.attribution import (
    LinkCheck,
    LinkedSpan,
    actor_name,
    check_attribution,
    follow_mention,
    linking_claim_ids,
    stored_span,
)
from storage.records import EDITABLE, LINK_FIELDS, LINK_ROLES, AnnotationDraft, AnnotationRecord, EventRecord
from storage.scheme import current_labels

RACE_ATTEMPTS = 3
TEXTS_KEPT = 8  # document texts remembered by sha256 (see _document_text)
RETRYABLE_SQLSTATES = {"40001", "40P01"}  # PostgreSQL: serialization failure, deadlock detected

Method = TypeVar("Method", bound=Callable[..., Any])


def retried_on_race(method: Method) -> Method:
    """Two colleagues may create the same new actor (or annotator) at the same instant on PostgreSQL:
    the loser's unique-key error only means "try again", and the second try finds the row the other made.
    The same holds for a deadlock the server broke by cancelling this transaction."""
    @functools.wraps(method)
    def attempt(*args: Any, **kwargs: Any) -> Any:
        for tries_left in range(RACE_ATTEMPTS - 1, -1, -1):
            try:
                return method(*args, **kwargs)
            except DBAPIError as exc:
                retryable = isinstance(exc, IntegrityError) or \
                    getattr(exc.orig, "sqlstate", None) in RETRYABLE_SQLSTATES
                if not retryable or not tries_left:
                    raise
        raise AssertionError("unreachable")
    return attempt  # type: ignore[return-value]


def check_span(text: str, start: int, end: int, where: str = "") -> None:
    if not (isinstance(start, int) and isinstance(end, int)):
        raise InvalidSpan(f"{where}span offsets must be whole numbers, got {start!r}, {end!r}")
    if start < 0:
        raise InvalidSpan(f"{where}span [{start}, {end}) starts before the text")
    if end > len(text):
        raise InvalidSpan(f"{where}span [{start}, {end}) runs past the end of the text ({len(text)} characters)")
    if start >= end:
        raise InvalidSpan(f"{where}span [{start}, {end}) is empty or reversed")


def record_query() -> Select[Unpack[tuple[Any, ...]]]:
    """Columns, not entities: export and listing speed depend on it."""
    return (
        select(Annotation.id, Annotation.document_id, Annotator.name, Annotation.start, Annotation.end,
               Annotation.quote, Annotation.stance, Actor.name, Annotation.claim_type, Annotation.target,
               Annotation.note, Annotation.scheme_version, Annotation.revision, Annotation.created_at,
               Annotation.updated_at, Annotation.deleted_at, Annotation.kind, Annotation.source_id,
               Annotation.cue_id, Annotation.relay_id, Annotation.target_id)
        .join(Annotator, Annotator.id == Annotation.annotator_id)
        .outerjoin(Actor, Actor.id == Annotation.actor_id)
    )


def _labelled_record_columns() -> list[Any]:
    """record_query's columns keyed by record field (Annotator.name is "annotator", Actor.name "actor")."""
    return [column.label(name) for column, name in zip(record_query().selected_columns, _RECORD_FIELDS)]


def _actor_name(s: Session, row: Annotation) -> str | None:
    """The snapshot keeps the actor's name: the log alone must be enough to rebuild the row."""
    return actor_name(s, row.actor_id) if row.actor_id else None


# The window polls for events after the last one it saw: a handful, found by a primary-key range. With a plain
# `entity = 'annotation'` SQLite prefers the entity index and walks every annotation event ever written (4 ms
# a poll at 100,000 events, growing); wrapped in coalesce() the condition is only checked on the range's rows.
_annotation_events = func.coalesce(Event.entity, "") == "annotation"


def _links_of(draft: AnnotationDraft) -> dict[str, str | None]:
    return {name: getattr(draft, name) for name in LINK_FIELDS}


def to_record(row: Any) -> AnnotationRecord:
    return AnnotationRecord(*row)


_RECORD_FIELDS = tuple(f.name for f in fields(AnnotationRecord))
_QUOTE_AT = _RECORD_FIELDS.index("quote")


def records_quoting(rows: Iterable[Any], text: str, document_id: str, annotator: str | None) -> list[AnnotationRecord]:
    """Records for one document, built without the dataclass __init__ and with quotes cut from its text.

    A 2 MB article with 50,000 spans opens in the window at once only this way: reading 50,000 stored quotes
    and running 50,000 frozen __init__ calls cost more than the rest of the open together. The stored quote
    always equals text[start:end] (the service writes it so and the text never changes once annotated).
    Rows leave out what is the same in all of them (see `for_document`): the document, and the annotator when
    one was asked for; they are (id, [annotator,] start, end, then the fields after the quote)."""
    new, names = object.__new__, _RECORD_FIELDS
    out: list[AnnotationRecord] = []
    append = out.append
    named = annotator is None
    for row in rows:
        if named:
            ident, name, start, end, *rest = row
        else:
            ident, start, end, *rest = row
            name = annotator
        record = new(AnnotationRecord)
        record.__dict__.update(zip(names, (ident, document_id, name, start, end, text[start:end], *rest)))
        append(record)
    return out


class AnnotationService:
    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions
        self._texts: dict[str, str] = {}
        self._texts_lock = threading.Lock()

    # -- reading ---------------------------------------------------------------------------------
    def get(self, annotation_id: str) -> AnnotationRecord:
        with self._sessions.read() as s:
            row = s.execute(record_query().where(Annotation.id == annotation_id)).first()
            if row is None:
                raise NotFound(f"no annotation with id {annotation_id!r}")
            return to_record(row)

    def for_document(self, document_id: str, annotator: str | None = None,
                     include_deleted: bool = False, start_before: int | None = None) -> list[AnnotationRecord]:
        """The document's annotations in text order; with `start_before`, only those starting before that
        offset: every span that overlaps the text up to there (the window's first screen) and no other."""
        # Neither the stored quote nor what every row shares (document, the one annotator): 15% less to read.
        left_out = {"quote", "document_id"} | ({"annotator"} if annotator is not None else set())
        query = record_query().with_only_columns(
            *(c for c in _labelled_record_columns() if c.key not in left_out), maintain_column_froms=True,
        ).where(Annotation.document_id == document_id)
        if annotator is not None:
            query = query.where(Annotator.name == annotator)
        if not include_deleted:
            query = query.where(Annotation.deleted_at.is_(None))
        if start_before is not None:
            query = query.where(Annotation.start < start_before)
        with self._sessions.read() as s:
            try:
                text = self._document_text(s, document_id)  # the copy adds use: 2 MB not read again
            except NotFound:
                return []
            rows = s.connection().execute(query.order_by(Annotation.start, Annotation.end, Annotation.id))
            return records_quoting(rows, text, document_id, annotator)

    def count(self) -> int:
        with self._sessions.read() as s:
            return s.scalar(select(func.count()).select_from(Annotation).where(Annotation.deleted_at.is_(None))) or 0

    def history(self, annotation_id: str) -> list[EventRecord]:
        with self._sessions.read() as s:
            return history(s, "annotation", annotation_id)

    def latest_event_id(self) -> int:
        """Where a window starts watching for colleagues' changes (the log's newest id, or 0)."""
        with self._sessions.read() as s:
            return s.scalar(select(func.max(Event.id))) or 0

    def changed_since(self, event_id: int) -> tuple[int, set[str]]:
        """(latest event id, ids of documents whose annotations changed after `event_id`): for live refresh."""
        with self._sessions.read() as s:
            latest = s.scalar(select(func.max(Event.id))) or 0
            if latest <= event_id:
                return latest, set()
            ids = s.scalars(select(Annotation.document_id).join(Event, Event.entity_id == Annotation.id)
                            .where(Event.id > event_id, _annotation_events)).all()
            return latest, set(ids)

    def changed_in_document(self, document_id: str, after_event: int,
                            up_to_event: int | None = None) -> list[AnnotationRecord]:
        """The current state (deleted ones included) of this document's annotations that events in
        (`after_event`, `up_to_event`] touched: the window applies colleagues' changes without re-reading
        every annotation of a long document."""
        touched = select(Event.entity_id).where(_annotation_events, Event.id > after_event)
        if up_to_event is not None:
            touched = touched.where(Event.id <= up_to_event)
        # coalesce() keeps SQLite off the document index (all 50,000 rows of a long document, 17 ms a poll):
        # the few touched ids, looked up by primary key, are the short way.
        query = record_query().where(func.coalesce(Annotation.document_id, "") == document_id,
                                     Annotation.id.in_(touched))
        with self._sessions.read() as s:
            return [to_record(r) for r in s.execute(query.order_by(Annotation.start, Annotation.end, Annotation.id))]

    # -- writing ---------------------------------------------------------------------------------
    def _document_text(self, s: Session, document_id: str) -> str:
        """The text a span indexes. Texts never change once annotated, so a copy keyed by the text's own
        sha256 is always right, and an add on a 2 MB article need not read 2 MB from the database each time."""
        sha = s.scalar(select(Document.sha256).where(Document.id == document_id))
        if sha is None:
            raise NotFound(f"no document with id {document_id!r}")
        with self._texts_lock:
            text = self._texts.get(sha)
        if text is None:
            text = s.scalar(select(Document.text).where(Document.id == document_id)) or ""
            with self._texts_lock:
                if len(self._texts) >= TEXTS_KEPT:
                    self._texts.pop(next(iter(self._texts)))
                self._texts[sha] = text
        return text

    def _validated(self, s: Session, draft: AnnotationDraft, annotator_id: int,
                   stored: Annotation | None = None) -> tuple[str, int, LinkCheck]:
        """(the document's text, the scheme version, what the claim takes from its mentions) once the span,
        labels and links are known to be valid. Links `stored` already has are not checked again."""
        text = self._document_text(s, draft.document_id)
        check_span(text, draft.start, draft.end)
        labels = current_labels(s)
        labels.check(draft.stance, draft.claim_type)
        unchanged = {f: getattr(stored, f) for f in LINK_FIELDS} if stored is not None else None
        links = check_attribution(s, draft, annotator_id, unchanged=unchanged)
        return text, labels.version, links

    @retried_on_race
    def add(self, draft: AnnotationDraft, by: str) -> AnnotationRecord:
        """Creates the annotation; re-adding a deleted id of one's own restores it (redo after undo)."""
        with self._sessions.write.begin() as s:
            return self._add_in(s, draft, by)

    def _add_in(self, s: Session, draft: AnnotationDraft, by: str) -> AnnotationRecord:
        who = annotator_row(s, by)
        row = s.get(Annotation, draft.id)
        restoring = row is not None and row.deleted_at is not None and row.annotator_id == who.id
        if row is not None and restoring and (row.kind or "claim") != draft.kind:
            raise StancemarkError(f"annotation {draft.id!r} is a {row.kind}, not a {draft.kind}")
        text, version, links = self._validated(s, draft, who.id, stored=row if restoring else None)
        actor = actor_registry.resolve(s, draft.actor, by=who.id)
        actor_id = links.actor_id if links.actor_id is not None else (actor.id if actor else None)
        if actor_id is not None and (actor is None or actor.id != actor_id):
            actor = s.get(Actor, actor_id)
        values = annotation_values(draft, text, actor_id=actor_id, target=links.target or draft.target,
                                   scheme_version=version, links=_links_of(draft))
        if row is None:
            row = Annotation(id=draft.id, document_id=draft.document_id, annotator_id=who.id, kind=draft.kind,
                             **values)
            s.add(row)
            s.flush()
            record_event(s, by=who.id, action="create", entity="annotation", entity_id=row.id,
                         after=annotation_snapshot(row, actor.name if actor else None))
        elif restoring and row.document_id == draft.document_id:
            before = annotation_snapshot(row, _actor_name(s, row))
            for key, value in values.items():
                setattr(row, key, value)
            row.deleted_at, row.updated_at, row.revision = None, utcnow(), row.revision + 1
            s.flush()
            record_event(s, by=who.id, action="restore", entity="annotation", entity_id=row.id,
                         before=before, after=annotation_snapshot(row, actor.name if actor else None))
            follow_mention(s, row)
        else:
            raise StancemarkError(f"an annotation with id {draft.id!r} exists already")
        s.flush()
        return to_record(s.execute(record_query().where(Annotation.id == row.id)).one())

    @retried_on_race
    def edit(self, annotation_id: str, by: str, expected_revision: int | None = None,
             **changes: Any) -> AnnotationRecord:
        """Changes attributes or boundaries of one's own annotation.

        With `expected_revision`, refuses if someone changed it since (no silent overwrite)."""
        unknown = set(changes) - {*EDITABLE, *LINK_FIELDS}
        if unknown:
            raise StancemarkError(f"cannot edit {', '.join(sorted(unknown))}")
        with self._sessions.write.begin() as s:
            return self._edit_in(s, annotation_id, by, expected_revision, changes)

    def _edit_in(self, s: Session, annotation_id: str, by: str, expected_revision: int | None,
                 changes: dict[str, Any]) -> AnnotationRecord:
        row = self._own_live_row(s, annotation_id, by)
        if expected_revision is not None and row.revision != expected_revision:
            raise ConflictError("this annotation was changed elsewhere since you opened it; "
                                "reload to see the new version")
        current = to_record(s.execute(record_query().where(Annotation.id == row.id)).one())
        draft = replace(current.as_draft(), **changes)
        text, version, links = self._validated(s, draft, row.annotator_id, stored=row)
        actor = actor_registry.resolve(s, draft.actor, by=row.annotator_id)
        if links.actor_id is not None and (actor is None or actor.id != links.actor_id):
            actor = s.get(Actor, links.actor_id)
        before = annotation_snapshot(row, current.actor)
        values = annotation_values(draft, text, actor_id=actor.id if actor else None,
                                   target=links.target or draft.target, scheme_version=version,
                                   links=_links_of(draft))
        for key, value in values.items():
            setattr(row, key, value)
        row.updated_at, row.revision = utcnow(), row.revision + 1
        s.flush()
        record_event(s, by=row.annotator_id, action="edit", entity="annotation", entity_id=row.id,
                     before=before, after=annotation_snapshot(row, actor.name if actor else None))
        follow_mention(s, row)
        return to_record(s.execute(record_query().where(Annotation.id == row.id)).one())

    @retried_on_race
    def link(self, claim_id: str, role: str, by: str, *, linked_id: str | None = None,
             new_span: AnnotationDraft | None = None,
             expected_revision: int | None = None) -> tuple[AnnotationRecord, AnnotationRecord | None]:
        """Sets one link of a claim (source, cue, relay or target), to `linked_id` or to `new_span` made in the
        same transaction: (the claim as now stored, the span made or None). One write, like one add, and
        nothing half-done if the link is refused."""
        if role not in LINK_ROLES:
            raise StancemarkError(f"{role!r} is not an attribution link (one of {', '.join(LINK_ROLES)})")
        with self._sessions.write.begin() as s:
            made = self._add_in(s, new_span, by) if new_span is not None else None
            target = made.id if made is not None else linked_id
            claim = self._edit_in(s, claim_id, by, expected_revision, {f"{role}_id": target})
            return claim, made

    def linked_claims(self, annotation_id: str) -> list[AnnotationRecord]:
        """The live claims that use this mention or cue: asked before deleting it, refreshed after editing it."""
        with self._sessions.read() as s:
            ids = linking_claim_ids(s, annotation_id)
            if not ids:
                return []
            query = record_query().where(Annotation.id.in_(ids)).order_by(Annotation.start, Annotation.id)
            return [to_record(r) for r in s.execute(query)]

    def delete(self, annotation_id: str, by: str, session: Session | None = None) -> AnnotationRecord:
        """Soft delete: the row stays (for undo and the record), marked with when it was removed. With
        `session`, inside the caller's transaction."""
        with self._sessions.write.begin() if session is None else nullcontext(session) as s:
            row = self._own_live_row(s, annotation_id, by)
            actor_name = _actor_name(s, row)
            before = annotation_snapshot(row, actor_name)
            row.deleted_at, row.revision = utcnow(), row.revision + 1
            s.flush()
            record_event(s, by=row.annotator_id, action="delete", entity="annotation", entity_id=row.id,
                         before=before, after=annotation_snapshot(row, actor_name))
            return to_record(s.execute(record_query().where(Annotation.id == row.id)).one())

    def _own_live_row(self, s: Session, annotation_id: str, by: str) -> Annotation:
        # FOR UPDATE (PostgreSQL; SQLite's BEGIN IMMEDIATE already serialises writers): a second session
        # editing the same row waits here and then sees the new revision, so it cannot overwrite unseen work.
        row = s.get(Annotation, annotation_id, with_for_update=True)
        if row is None or row.deleted_at is not None:
            raise NotFound(f"no annotation with id {annotation_id!r}")
        who = s.scalar(select(Annotator).where(Annotator.name == by.strip()))
        if who is None or row.annotator_id != who.id:
            owner = s.get(Annotator, row.annotator_id)
            raise PermissionDenied(f"{by} may not change {owner.name if owner else 'another'}'s annotation")
        return row

    def add_many(self, drafts: Iterable[AnnotationDraft], by: str, batch: int = 5_000,
                 session: Session | None = None) -> int:
        """The bulk path (accepting many suggestions, benchmarks and test set-ups; an import has its own writer,
        storage/importers/writer.py, for rows that keep their ids, times and revisions): executemany inserts,
        events written alongside, each draft checked by the same rules as `add` (span, labels, kind and links;
        a link may point at a draft earlier in the same call). With `session`, inside the caller's transaction
        (accepting a suggestion records its decision in the same one)."""
        count = 0
        with self._sessions.write.begin() if session is None else nullcontext(session) as s:
            who = annotator_row(s, by)
            labels = current_labels(s)
            texts: dict[str, str] = {}
            actor_ids: dict[str, int | None] = {}
            names: dict[int, str | None] = {}
            pending: dict[str, LinkedSpan] = {}
            stored = stored_span(s)
            rows: list[dict[str, Any]] = []
            events: list[dict[str, Any]] = []
            now = utcnow()

            def flush() -> None:
                if rows:
                    s.execute(insert(Annotation), rows)
                    s.execute(insert(Event), events)
                    rows.clear()
                    events.clear()

            def find(annotation_id: str) -> LinkedSpan | None:
                return pending.get(annotation_id) or stored(annotation_id)

            for d in drafts:
                if d.document_id not in texts:
                    doc = s.get(Document, d.document_id)
                    if doc is None:
                        raise NotFound(f"no document with id {d.document_id!r}")
                    texts[d.document_id] = doc.text
                text = texts[d.document_id]
                check_span(text, d.start, d.end)
                labels.check(d.stance, d.claim_type)
                links = check_attribution(s, d, who.id, find=find)
                if d.actor and d.actor not in actor_ids:
                    found = actor_registry.resolve(s, d.actor, by=who.id)
                    actor_ids[d.actor] = found.id if found else None
                actor_id = links.actor_id if links.actor_id is not None else (
                    actor_ids.get(d.actor) if d.actor else None)
                row = new_annotation_row(d, text, id=d.id, document_id=d.document_id, annotator_id=who.id,
                                         kind=d.kind, actor_id=actor_id, target=links.target or d.target,
                                         scheme_version=labels.version, links=_links_of(d), created_at=now,
                                         updated_at=now)
                pending[d.id] = LinkedSpan(d.kind, d.document_id, who.id, True, actor_id, row["quote"])
                rows.append(row)
                if actor_id is not None and actor_id not in names:
                    names[actor_id] = actor_name(s, actor_id)
                logged_actor = names.get(actor_id) if actor_id is not None else None  # canonical, as `add` logs
                events.append(dict(at=now, annotator_id=who.id, action="create", entity="annotation",
                                   entity_id=d.id, before=None, after=annotation_snapshot(row, logged_actor)))
                count += 1
                if len(rows) >= batch:
                    flush()
            flush()
        return count

