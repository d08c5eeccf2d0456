"""The actor registry: canonical names, kinds and aliases; unknown actors are created on first use.

Names are matched as people type them: exact case first, then ignoring case; repeated or surrounding spaces
never matter; an alias stands for its actor and a merged actor for the one it was merged into. The same
`resolve` serves the window, the command line, imports and replay, so a name lands on the same actor
everywhere. Merges and deletions live in storage/actor_merge.py."""
from __future__ import annotations

import builtins
from collections import defaultdict
from typing import Any

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from storage.audit import record_event
from storage.engine import Sessions
from storage.documents import annotator_row
from storage.errors import NotFound, StancemarkError
from storage.tables import Actor, ActorAlias, Annotation, Annotator, Document, Event, GoldAnnotation
from storage.records import ActorPassage, ActorRecord, ActorUsage
from storage.scheme import current_row
from storage.scheme import to_record as scheme_record

MAX_NAME = 300  # the column's length (PostgreSQL enforces it; SQLite would not, so the service does)
MODEL_KINDS = ("person", "organisation", "state", "other")  # the actor table's check constraint
ActorKey = int | str  # an actor's id, or a name or alias that resolves to it


def normalised(name: str) -> str:
    return " ".join(name.split())


def check_name(name: str, what: str = "actor name") -> str:
    """The name as stored, or a one-line refusal (not the driver's error about a too long value)."""
    clean = normalised(name or "")
    if not clean:
        raise StancemarkError(f"an {what} must not be empty")
    if len(clean) > MAX_NAME:
        raise StancemarkError(f"{what} {clean[:40]!r}... is {len(clean)} characters long; at most {MAX_NAME} fit")
    return clean


def _followed(session: Session, actor: Actor | None) -> Actor | None:
    while actor is not None and actor.merged_into_id is not None:
        actor = session.get(Actor, actor.merged_into_id)
    return actor


def find(session: Session, name: str | None) -> Actor | None:
    """The live actor a typed name means: exact name, exact alias, then name or alias ignoring case."""
    clean = normalised(name or "")
    if not clean:
        return None
    actor = session.scalar(select(Actor).where(Actor.name == clean))
    if actor is None:
        actor = session.scalar(select(Actor).join(ActorAlias, ActorAlias.actor_id == Actor.id)
                               .where(ActorAlias.alias == clean))
    if actor is None:
        actor = session.scalar(select(Actor).where(func.lower(Actor.name) == func.lower(clean),
                                                   Actor.merged_into_id.is_(None)).order_by(Actor.id).limit(1))
    if actor is None:
        actor = session.scalar(select(Actor).join(ActorAlias, ActorAlias.actor_id == Actor.id)
                               .where(func.lower(ActorAlias.alias) == func.lower(clean))
                               .order_by(ActorAlias.id).limit(1))
    return _followed(session, actor)


def resolve(session: Session, name: str | None, *, create: bool = True, by: int | None = None,
            kind: str = "other") -> Actor | None:
    """The canonical actor for a name or alias, following merges; creates it when new, logged in the name of
    `by` (the annotator whose change needed it: a team server takes events only in the writer's own name)."""
    if name is None or not name.strip():
        return None
    actor = find(session, name)
    if actor is None and create:
        clean = check_name(name)
        actor = Actor(name=clean, kind=kind)
        session.add(actor)
        session.flush()
        record_event(session, by=by, action="create", entity="actor", entity_id=str(actor.id),
                     after={"name": clean, "kind": kind})
    return actor


def record_of(session: Session, actor: Actor) -> ActorRecord:
    aliases = session.scalars(select(ActorAlias.alias).where(ActorAlias.actor_id == actor.id)
                              .order_by(ActorAlias.alias)).all()
    return ActorRecord(id=actor.id, name=actor.name, kind=actor.kind, aliases=tuple(aliases))


def actor_for(session: Session, key: ActorKey) -> Actor:
    """The live actor an id or a name means, or NotFound."""
    actor = _followed(session, session.get(Actor, key)) if isinstance(key, int) else find(session, key)
    if actor is None:
        raise NotFound(f"no actor {'with id ' + str(key) if isinstance(key, int) else 'named ' + repr(key)}")
    return actor


def check_kind(session: Session, kind: str) -> str:
    row = current_row(session)
    allowed = scheme_record(row.version, row.body).actor_kinds if row is not None else MODEL_KINDS
    allowed = tuple(k for k in allowed if k in MODEL_KINDS)
    if kind not in allowed:
        raise StancemarkError(f"{kind!r} is not an actor kind; choose one of {', '.join(allowed)}")
    return kind


def _taken(session: Session, name: str, actor_id: int | None = None) -> None:
    """Refuses a name already held (exactly) by another actor's name or alias."""
    other = session.scalar(select(Actor).where(Actor.name == name))
    if other is not None and other.id != actor_id:
        raise StancemarkError(f"an actor named {name!r} exists already; merge the two instead")
    alias = session.scalar(select(ActorAlias).where(ActorAlias.alias == name))
    if alias is not None and alias.actor_id != actor_id:
        owner = session.get(Actor, alias.actor_id)
        raise StancemarkError(f"{name!r} is already an alias of {owner.name if owner else 'another actor'!r}")


def former_names(session: Session, actor: Actor) -> set[str]:
    """Names this actor (or one merged into it) once had: the log's snapshots still name them, so they stay
    as aliases (removing one would make `stancemark check` land those annotations on a new actor)."""
    merged_ids = {str(i) for i in session.scalars(select(Actor.id).where(Actor.merged_into_id == actor.id))}
    rows = session.execute(select(Event.entity_id, Event.action, Event.before).where(
        Event.entity == "actor", Event.action.in_(("rename", "merge")),
        Event.entity_id.in_({str(actor.id), *merged_ids}))).all()
    return {(before or {}).get("name", "") for entity_id, action, before in rows
            if (action == "rename") == (entity_id == str(actor.id))}


class ActorService:
    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    # -- reading ---------------------------------------------------------------------------------
    # Annotations below this method write builtins.list: inside the class, `list` names the method.
    def list(self) -> list[ActorRecord]:
        with self._sessions.read() as s:
            aliases = self._aliases(s)
            actors = s.execute(select(Actor.id, Actor.name, Actor.kind).where(Actor.merged_into_id.is_(None))
                               .order_by(Actor.name)).all()
            return [ActorRecord(i, name, kind, tuple(aliases.get(i, ()))) for i, name, kind in actors]

    def get(self, name: ActorKey) -> ActorRecord:
        with self._sessions.read() as s:
            return record_of(s, actor_for(s, name))

    def lookup(self, name: str) -> ActorRecord | None:
        """The actor a typed name resolves to (alias, case and spaces forgiven), or None: nothing is made."""
        with self._sessions.read() as s:
            actor = find(s, name)
            return record_of(s, actor) if actor is not None else None

    @staticmethod
    def _aliases(s: Session) -> dict[int, builtins.list[str]]:
        found: dict[int, builtins.list[str]] = defaultdict(list)
        for actor_id, alias in s.execute(select(ActorAlias.actor_id, ActorAlias.alias).order_by(ActorAlias.alias)):
            found[actor_id].append(alias)
        return found

    def overview(self, filter: str = "") -> builtins.list[ActorUsage]:
        """Every live actor with its use across the corpus, in a few grouped queries (never one per actor)."""
        needle = normalised(filter).lower()
        with self._sessions.read() as s:
            aliases = self._aliases(s)
            uses = {actor_id: (n, docs) for actor_id, n, docs in s.execute(
                select(Annotation.actor_id, func.count(), func.count(func.distinct(Annotation.document_id)))
                .where(Annotation.actor_id.is_not(None), Annotation.deleted_at.is_(None))
                .group_by(Annotation.actor_id))}
            gold = dict(s.execute(select(GoldAnnotation.actor_id, func.count())
                                  .where(GoldAnnotation.actor_id.is_not(None), GoldAnnotation.deleted_at.is_(None))
                                  .group_by(GoldAnnotation.actor_id)).all())
            actors = s.execute(select(Actor.id, Actor.name, Actor.kind).where(Actor.merged_into_id.is_(None))).all()
        out = []
        for actor_id, name, kind in actors:
            names = aliases.get(actor_id, [])
            if needle and needle not in name.lower() and not any(needle in a.lower() for a in names):
                continue
            n, docs = uses.get(actor_id, (0, 0))
            out.append(ActorUsage(actor_id, name, kind, tuple(names), n, docs, gold.get(actor_id, 0)))
        out.sort(key=lambda u: (u.name.lower(), u.name))
        return out

    def passages(self, actor: ActorKey, limit: int | None = None) -> builtins.list[ActorPassage]:
        """Live annotations naming the actor, by document title and offset: where it occurs in the corpus."""
        with self._sessions.read() as s:
            found = actor_for(s, actor)
            query = (select(Annotation.id, Annotation.document_id, Document.title, Annotation.start,
                            Annotation.end, Annotation.quote, Annotator.name, Annotation.kind)
                     .join(Document, Document.id == Annotation.document_id)
                     .join(Annotator, Annotator.id == Annotation.annotator_id)
                     .where(Annotation.actor_id == found.id, Annotation.deleted_at.is_(None))
                     .order_by(Document.title, Annotation.document_id, Annotation.start, Annotation.id))
            if limit is not None:
                query = query.limit(limit)
            return [ActorPassage(*row) for row in s.execute(query)]

    def complete(self, prefix: str, limit: int = 20) -> builtins.list[ActorRecord]:
        """Actors whose name or an alias starts with (then contains) the prefix, case- and space-insensitive."""
        needle = normalised(prefix).lower()
        with self._sessions.read() as s:
            alias_ids = select(ActorAlias.actor_id).where(func.lower(ActorAlias.alias).like(f"%{needle}%"))
            actors = s.scalars(
                select(Actor).where(Actor.merged_into_id.is_(None),
                                    or_(func.lower(Actor.name).like(f"%{needle}%"), Actor.id.in_(alias_ids)))
            ).all()
            records = [record_of(s, a) for a in actors]

        def rank(r: ActorRecord) -> tuple[int, str]:
            names = [r.name.lower(), *(a.lower() for a in r.aliases)]
            exact = any(n == needle for n in names)
            return (0 if exact else 1 if any(n.startswith(needle) for n in names) else 2, r.name.lower())

        return sorted(records, key=rank)[:limit]

    # -- writing ---------------------------------------------------------------------------------
    def _who(self, s: Session, by: str | None) -> int | None:
        return annotator_row(s, by).id if by else None

    def create(self, name: str, kind: str = "other", aliases: tuple[str, ...] = (),
               by: str | None = None) -> ActorRecord:
        with self._sessions.write.begin() as s:
            who = self._who(s, by)
            clean = check_name(name)
            existing = find(s, clean)
            if existing is not None:
                raise StancemarkError(f"an actor named {clean!r} exists already"
                                      + ("" if existing.name == clean else f" ({existing.name!r})"))
            check_kind(s, kind)
            actor = Actor(name=clean, kind=kind)
            s.add(actor)
            s.flush()
            kept = []
            for alias in aliases:
                alias = check_name(alias, "alias")
                _taken(s, alias, actor.id)
                if alias != clean and alias not in kept:
                    s.add(ActorAlias(actor_id=actor.id, alias=alias))
                    kept.append(alias)
            record_event(s, by=who, action="create", entity="actor", entity_id=str(actor.id),
                         after={"name": actor.name, "kind": kind, "aliases": kept})
            s.flush()
            return record_of(s, actor)

    def update(self, name: ActorKey, *, kind: str | None = None, add_aliases: tuple[str, ...] = (),
               by: str | None = None) -> ActorRecord:
        """Kind and aliases in one step (the native import's shape); see set_kind / add_alias."""
        record = self.get(name)
        if kind is not None and kind != record.kind:
            record = self.set_kind(record.id, kind, by=by)
        for alias in add_aliases:
            with self._sessions.read() as s:
                if find(s, alias) is not None:
                    continue
            record = self.add_alias(record.id, alias, by=by)
        return record

    def rename(self, actor: ActorKey, new_name: str, by: str | None) -> ActorRecord:
        """A new name; the old one stays as an alias (what was typed or imported before still lands here)."""
        with self._sessions.write.begin() as s:
            who = self._who(s, by)
            row = actor_for(s, actor)
            new = check_name(new_name)
            old = row.name
            if new == old:
                return record_of(s, row)
            _taken(s, new, row.id)
            s.execute(delete(ActorAlias).where(ActorAlias.actor_id == row.id, ActorAlias.alias == new))
            row.name = new
            s.flush()
            kept = old.lower() != new.lower()  # a case-only fix needs no alias: matching ignores case
            if kept:
                s.add(ActorAlias(actor_id=row.id, alias=old))
            record_event(s, by=who, action="rename", entity="actor", entity_id=str(row.id),
                         before={"name": old}, after={"name": new, "alias_kept": old if kept else None})
            s.flush()
            return record_of(s, row)

    def set_kind(self, actor: ActorKey, kind: str, by: str | None) -> ActorRecord:
        with self._sessions.write.begin() as s:
            who = self._who(s, by)
            row = actor_for(s, actor)
            check_kind(s, kind)
            if row.kind != kind:
                before, row.kind = row.kind, kind
                s.flush()
                record_event(s, by=who, action="kind", entity="actor", entity_id=str(row.id),
                             before={"name": row.name, "kind": before}, after={"name": row.name, "kind": kind})
            return record_of(s, row)

    def add_alias(self, actor: ActorKey, alias: str, by: str | None) -> ActorRecord:
        with self._sessions.write.begin() as s:
            who = self._who(s, by)
            row = actor_for(s, actor)
            clean = check_name(alias, "alias")
            if clean == row.name or clean in record_of(s, row).aliases:
                return record_of(s, row)
            _taken(s, clean, row.id)
            s.add(ActorAlias(actor_id=row.id, alias=clean))
            s.flush()
            record_event(s, by=who, action="alias", entity="actor", entity_id=str(row.id),
                         after={"name": row.name, "alias": clean})
            return record_of(s, row)

    def remove_alias(self, actor: ActorKey, alias: str, by: str | None) -> ActorRecord:
        with self._sessions.write.begin() as s:
            who = self._who(s, by)
            row = actor_for(s, actor)
            clean = normalised(alias)
            found = s.scalar(select(ActorAlias).where(ActorAlias.actor_id == row.id, ActorAlias.alias == clean))
            if found is None:
                raise NotFound(f"{row.name!r} has no alias {clean!r}")
            if clean in former_names(s, row):
                raise StancemarkError(f"{clean!r} is a former name of {row.name!r} that the log still names; "
                                      "it stays as an alias")
            s.delete(found)
            s.flush()
            record_event(s, by=who, action="unalias", entity="actor", entity_id=str(row.id),
                         before={"name": row.name, "alias": clean}, after={"name": row.name})
            return record_of(s, row)


def usage_counts(s: Session, actor_id: int) -> dict[str, Any]:
    """How much refers to one actor, deleted rows included (what delete_unused refuses over)."""
    return {
        "annotations": s.scalar(select(func.count()).select_from(Annotation).where(Annotation.actor_id == actor_id)),
        "gold": s.scalar(select(func.count()).select_from(GoldAnnotation).where(GoldAnnotation.actor_id == actor_id)),
        "merged": s.scalar(select(func.count()).select_from(Actor).where(Actor.merged_into_id == actor_id)),
    }
