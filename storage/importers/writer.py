"""Stores parsed documents inside the import's one transaction, never twice: texts are matched by sha256
and annotations by id (spans from doccano or Prodigy get an id derived from what they say)."""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from storage import actors as actor_registry
from storage.annotation_rows import new_annotation_row
from storage.audit import imported_span_snapshot, imported_spans_snapshot, record_event
from storage.documents import annotator_row
from storage.errors import InputError, StancemarkError
from storage.importers.bulk import insert_rows
from storage.importers.gold_import import write_gold
from storage.importers.incoming import IncomingAnnotation, IncomingDocument, ImportSummary
from storage.tables import Actor, ActorAlias, Annotation, Document, DocumentStatus, Event, LabelScheme, utcnow
from storage.records import KINDS, LINK_FIELDS, LINK_KINDS
from storage.scheme import SchemeLabels, add_labels, current_labels
from storage.text import document_id_for, text_sha256

_BATCH = 5_000
_IN_CHUNK = 500


def derived_annotation_id(sha: str, annotator: str, a: IncomingAnnotation) -> str:
    """The same span with the same labels by the same person in the same text always gets the same id."""
    key = f"{sha}|{annotator}|{a.start}|{a.end}|{a.stance}|{a.actor}|{a.claim_type}|{a.target}"
    if a.kind != "claim":  # claims keep the ids they had before mentions and cues existed
        key += f"|{a.kind}"
    h = hashlib.blake2b(key.encode("utf-8"), digest_size=16).hexdigest()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _chunks(items: list[Any]) -> Iterable[list[Any]]:
    for i in range(0, len(items), _IN_CHUNK):
        yield items[i:i + _IN_CHUNK]


class ImportWriter:
    def __init__(self, session: Session, default_annotator: str, summary: ImportSummary) -> None:
        self.s = session
        self.default_annotator = default_annotator
        self.summary = summary
        self.now = utcnow()
        self._labels_of: dict[int, SchemeLabels | None] = {}
        self._actor_names: dict[int, str | None] = {}

    def write(self, docs: list[IncomingDocument], on_written: Callable[[], None]) -> None:
        self._extend_scheme(docs)
        self.labels = current_labels(self.s)
        self.version = self.labels.version
        annotator_ids = self._annotators(docs)
        actor_ids = self._actors(docs)
        doc_ids = self._document_ids(docs)
        ann_ids = self._annotation_ids(docs)
        existing = {k for k, _ in self._pairs(Annotation.id, Annotation.id, [i for ids in ann_ids for i in ids])}
        doc_rows: list[dict[str, Any]] = []
        ann_rows: list[dict[str, Any]] = []
        events: list[dict[str, Any]] = []
        statuses: list[tuple[str, str, str, datetime | None]] = []
        for doc, (doc_id, is_new), ids in zip(docs, doc_ids, ann_ids):
            if is_new:
                doc_rows.append(dict(id=doc_id, title=doc.title, source=doc.source, text=doc.text,
                                     text_length=len(doc.text), sha256=text_sha256(doc.text), meta=doc.meta,
                                     created_at=doc.created_at or self.now))
                self.summary.documents_added += 1
            else:
                self.summary.documents_skipped += 1
            added: list[str] = []
            spans: list[list[Any]] = []
            written: list[tuple[dict[str, Any], list[Any]]] = []
            attribution = self._attribution(doc, ids)
            for ann, ann_id, (links, actor, target) in zip(doc.annotations, ids, attribution):
                if ann_id in existing:
                    self.summary.annotations_skipped += 1
                    continue
                existing.add(ann_id)
                name = ann.annotator or self.default_annotator
                self.labels.check(ann.stance, ann.claim_type)  # the scheme was extended by every new label
                created = ann.created_at or self.now
                row = new_annotation_row(ann, doc.text, id=ann_id, document_id=doc_id, annotator_id=annotator_ids[name],
                                         kind=ann.kind, actor_id=actor_ids.get(actor) if actor else None,
                                         target=target, scheme_version=self._version_for(ann), links=links,
                                         created_at=created, updated_at=ann.updated_at or created,
                                         revision=ann.revision, deleted_at=ann.deleted_at)
                written.append((row, imported_span_snapshot(row, self._canonical(actor_ids, actor))))
                added.append(ann_id)
                self.summary.annotators[name] = self.summary.annotators.get(name, 0) + 1
            # Mentions and cues before the claims that link to them: the link columns are foreign keys.
            written.sort(key=lambda pair: pair[0]["kind"] == "claim")
            ann_rows.extend(row for row, _ in written)
            spans.extend(snapshot for _, snapshot in written)
            if is_new or added:
                # One event per imported document: "this text and these spans came from file:line", with a
                # compact snapshot of every span as imported (columns named once; the quote is the document's
                # text[start:end]), so the log alone can rebuild them (storage/replay.py).
                events.append(dict(at=self.now, annotator_id=None, action="import", entity="document",
                                   entity_id=doc_id, before=None,
                                   after={"title": doc.title, "source": doc.source, "file": doc.path,
                                          "line": doc.line, "new_document": is_new, "annotations": added,
                                          "spans": imported_spans_snapshot(spans)}))
            self.summary.annotations_added += len(added)
            statuses.extend((doc_id, name, status, at) for name, (status, at) in doc.statuses.items())
            if len(ann_rows) >= _BATCH or len(doc_rows) >= 200:
                self._flush(doc_rows, ann_rows, events)
            on_written()
        self._flush(doc_rows, ann_rows, events)
        self._statuses(statuses, annotator_ids)
        write_gold(self.s, [(doc_id, doc) for doc, (doc_id, _) in zip(docs, doc_ids) if doc.gold or doc.review],
                   self.now)

    # -- preparing -----------------------------------------------------------------------------
    def _extend_scheme(self, docs: list[IncomingDocument]) -> None:
        """Labels the scheme does not know yet are added (a new scheme version), never dropped: the
        annotations' and the gold rows' alike."""
        for attribute in ("stance", "claim_type"):
            labels = {getattr(a, attribute) for d in docs for a in (*d.annotations, *d.gold)} - {None}
            if labels:
                _, added = add_labels(self.s, attribute, labels)
                if added:
                    self.summary.labels_added.setdefault(attribute, []).extend(added)

    def _annotators(self, docs: list[IncomingDocument]) -> dict[str, int]:
        roles: dict[str, str] = {}
        for doc in docs:
            roles.update(doc.annotator_roles)
        names = {a.annotator or self.default_annotator for d in docs for a in d.annotations}
        names |= {name for d in docs for name in d.statuses}
        return {name: annotator_row(self.s, name, role=roles.get(name, "annotator")).id for name in sorted(names)}

    def _actors(self, docs: list[IncomingDocument]) -> dict[str, int]:
        for doc in docs:
            for name, (kind, aliases) in doc.actors.items():
                try:
                    [actor_registry.check_name(n) for n in (name, *aliases)]
                except StancemarkError as exc:
                    raise InputError(doc.path, doc.line, str(exc)) from None
                if actor_registry.resolve(self.s, name, create=False) is None:
                    actor = Actor(name=" ".join(name.split()), kind=kind)
                    self.s.add(actor)
                    self.s.flush()
                    kept = [a for a in aliases if actor_registry.resolve(self.s, a, create=False) is None]
                    self.s.add_all(ActorAlias(actor_id=actor.id, alias=alias) for alias in kept)
                    self.s.flush()
                    record_event(self.s, by=None, action="import", entity="actor", entity_id=str(actor.id),
                                 after={"name": actor.name, "kind": kind, "aliases": kept})
        ids: dict[str, int] = {}
        for name in sorted({a.actor for d in docs for a in d.annotations if a.actor}):
            try:
                found = actor_registry.resolve(self.s, name)
            except StancemarkError as exc:  # a name the registry cannot hold (too long): say where it came from
                doc = next(d for d in docs if any(a.actor == name for a in d.annotations))
                raise InputError(doc.path, doc.line, str(exc)) from None
            if found is not None:
                ids[name] = found.id
        return ids

    def _document_ids(self, docs: list[IncomingDocument]) -> list[tuple[str, bool]]:
        """(id, is new) per document: a text already stored (or earlier in this import) keeps its row."""
        shas = [text_sha256(d.text) for d in docs]
        by_sha = dict(self._pairs(Document.sha256, Document.id, shas))
        wanted = [d.id or document_id_for(d.text) for d in docs]
        taken = dict(self._pairs(Document.id, Document.sha256, wanted))
        result = []
        for doc, sha, doc_id in zip(docs, shas, wanted):
            if sha in by_sha:
                result.append((by_sha[sha], False))
                continue
            if taken.get(doc_id, sha) != sha:
                raise InputError(doc.path, doc.line, f"document id {doc_id!r} is already used by a different text")
            by_sha[sha] = taken[doc_id] = doc_id
            result.append((doc_id, True))
        return result

    def _annotation_ids(self, docs: list[IncomingDocument]) -> list[list[str]]:
        out = []
        for doc in docs:
            sha = text_sha256(doc.text)
            out.append([a.id or derived_annotation_id(sha, a.annotator or self.default_annotator, a)
                        for a in doc.annotations])
        return out

    def _pairs(self, key: Any, value: Any, keys: list[str]) -> list[tuple[str, str]]:
        found: list[tuple[str, str]] = []
        for chunk in _chunks(sorted(set(keys))):
            found.extend(self.s.execute(select(key, value).where(key.in_(chunk))).all())
        return found

    # -- writing -------------------------------------------------------------------------------
    def _canonical(self, actor_ids: dict[str, int], name: str | None) -> str | None:
        """The registry's own name for an imported actor name (an alias lands on its actor)."""
        if not name or name not in actor_ids:
            return name
        if actor_ids[name] not in self._actor_names:
            self._actor_names[actor_ids[name]] = self.s.scalar(select(Actor.name).where(Actor.id == actor_ids[name]))
        return self._actor_names[actor_ids[name]]

    def _attribution(self, doc: IncomingDocument,
                     ids: list[str]) -> list[tuple[dict[str, str | None], str | None, str | None]]:
        """Per annotation: its link columns, the actor it takes (its source mention's, else its own) and its
        target (its target mention's actor or words, else its own); a link that breaks the rules is refused."""
        out = []
        for ann in doc.annotations:
            links: dict[str, str | None] = {field: None for field in LINK_FIELDS}
            actor, target = ann.actor, ann.target
            where = f"{ann.where}: " if ann.where else ""
            if ann.kind not in KINDS:
                raise InputError(doc.path, doc.line, f"{where}{ann.kind!r} is not a kind of annotation")
            if ann.links and ann.kind != "claim":
                raise InputError(doc.path, doc.line, f"{where}only a claim links to a source, cue, relay or target")
            for role, index in ann.links.items():
                if role not in LINK_KINDS:
                    raise InputError(doc.path, doc.line, f"{where}{role!r} is not an attribution link")
                if not 0 <= index < len(doc.annotations) or doc.annotations[index] is ann:
                    raise InputError(doc.path, doc.line, f"{where}its {role} is not another span of this document")
                linked = doc.annotations[index]
                if linked.kind != LINK_KINDS[role]:
                    raise InputError(doc.path, doc.line,
                                     f"{where}its {role} must be a {LINK_KINDS[role]}, not a {linked.kind}")
                if (linked.annotator or self.default_annotator) != (ann.annotator or self.default_annotator):
                    raise InputError(doc.path, doc.line, f"{where}its {role} was marked by another annotator")
                links[f"{role}_id"] = ids[index]
                if role == "source" and linked.actor:
                    actor = linked.actor
                if role == "target":
                    target = linked.actor or doc.text[linked.start:linked.end]
            out.append((links, actor, target))
        return out

    def _version_for(self, a: IncomingAnnotation) -> int:
        """The version it was made under if this database has that version and it knows the labels."""
        v = a.scheme_version
        if v is None or v == self.version:
            return self.version
        if v not in self._labels_of:
            row = self.s.get(LabelScheme, v)
            self._labels_of[v] = None if row is None else SchemeLabels.of(v, row.body)
        labels = self._labels_of[v]
        return v if labels is not None and labels.knows(a.stance, a.claim_type) else self.version

    def _flush(self, doc_rows: list[dict[str, Any]], ann_rows: list[dict[str, Any]],
               events: list[dict[str, Any]]) -> None:
        connection = self.s.connection()
        for model, rows in ((Document, doc_rows), (Annotation, ann_rows), (Event, events)):
            insert_rows(connection, cast(Table, model.__table__), rows)
            rows.clear()

    def _statuses(self, statuses: list[tuple[str, str, str, datetime | None]], annotator_ids: dict[str, int]) -> None:
        if not statuses:
            return
        present = {(doc_id, annotator_id) for doc_id, annotator_id in self.s.execute(
            select(DocumentStatus.document_id, DocumentStatus.annotator_id).where(
                DocumentStatus.document_id.in_({d for d, *_ in statuses})))}
        rows = []
        for doc_id, name, status, at in statuses:
            key = (doc_id, annotator_ids[name])
            if key not in present:
                present.add(key)
                rows.append(dict(document_id=doc_id, annotator_id=key[1], status=status, updated_at=at or self.now))
        if rows:
            self.s.execute(insert(DocumentStatus), rows)

