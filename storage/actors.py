"""The actor registry: canonical names, kinds and aliases; unknown actors are created on first use."""
from __future__ import annotations

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from storage.audit import record_event
from storage.db import Sessions
from storage.errors import NotFound, StancemarkError
from storage.models import Actor, ActorAlias, Annotation
from storage.records import ActorRecord


def _record(session: Session, actor: Actor) -> ActorRecord:
    aliases = session.scalars(select(ActorAlias.alias).where(ActorAlias.actor_id == actor.id)
                              .order_by(ActorAlias.alias)).all()
    return ActorRecord(id=actor.id, name=actor.name, kind=actor.kind, aliases=tuple(aliases))


def resolve(session: Session, name: str | None, *, create: bool = True, by: int | None = None) -> Actor | None:
    """The canonical actor for a name or alias, following merges; creates it when new, logged in the name of
    `by` (the annotator whose change needed it: a team server takes events only in the writer's own name)."""
    if name is None or not name.strip():
        return None
    name = " ".join(name.split())
    actor = session.scalar(select(Actor).where(Actor.name == name))
    if actor is None:
        actor = session.scalar(select(Actor).join(ActorAlias, ActorAlias.actor_id == Actor.id)
                               .where(ActorAlias.alias == name))
    if actor is None:
        if not create:
            return None
        actor = Actor(name=name, kind="other")
        session.add(actor)
        session.flush()
        record_event(session, by=by, action="create", entity="actor", entity_id=str(actor.id),
                     after={"name": name, "kind": "other"})
    while actor.merged_into_id is not None:
        actor = session.get(Actor, actor.merged_into_id)
    return actor


class ActorService:
    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    def list(self) -> list[ActorRecord]:
        with self._sessions.read() as s:
            actors = s.scalars(select(Actor).where(Actor.merged_into_id.is_(None)).order_by(Actor.name)).all()
            return [_record(s, a) for a in actors]

    def get(self, name: str) -> ActorRecord:
        with self._sessions.read() as s:
            actor = resolve(s, name, create=False)
            if actor is None:
                raise NotFound(f"no actor named {name!r}")
            return _record(s, actor)

    def complete(self, prefix: str, limit: int = 20) -> list[ActorRecord]:
        """Actors whose name or an alias starts with (then contains) the prefix, case-insensitive."""
        needle = prefix.strip().lower()
        with self._sessions.read() as s:
            alias_ids = select(ActorAlias.actor_id).where(func.lower(ActorAlias.alias).like(f"%{needle}%"))
            actors = s.scalars(
                select(Actor).where(Actor.merged_into_id.is_(None),
                                    or_(func.lower(Actor.name).like(f"%{needle}%"), Actor.id.in_(alias_ids)))
            ).all()
            records = [_record(s, a) for a in actors]

        def rank(r: ActorRecord) -> tuple[int, str]:
            names = [r.name.lower(), *(a.lower() for a in r.aliases)]
            return (0 if any(n.startswith(needle) for n in names) else 1, r.name.lower())

        return sorted(records, key=rank)[:limit]

    def create(self, name: str, kind: str = "other", aliases: tuple[str, ...] = ()) -> ActorRecord:
        with self._sessions.write.begin() as s:
            if resolve(s, name, create=False) is not None:
                raise StancemarkError(f"an actor named {name!r} exists already")
            actor = Actor(name=" ".join(name.split()), kind=kind)
            s.add(actor)
            s.flush()
            for alias in aliases:
                s.add(ActorAlias(actor_id=actor.id, alias=alias))
            record_event(s, by=None, action="create", entity="actor", entity_id=str(actor.id),
                         after={"name": actor.name, "kind": kind, "aliases": list(aliases)})
            s.flush()
            return _record(s, actor)

    def update(self, name: str, *, kind: str | None = None, add_aliases: tuple[str, ...] = ()) -> ActorRecord:
        with self._sessions.write.begin() as s:
            actor = resolve(s, name, create=False)
            if actor is None:
                raise NotFound(f"no actor named {name!r}")
            before = _record(s, actor)
            if kind is not None:
                actor.kind = kind
            for alias in add_aliases:
                if resolve(s, alias, create=False) is None:
                    s.add(ActorAlias(actor_id=actor.id, alias=alias))
            s.flush()
            after = _record(s, actor)
            record_event(s, by=None, action="edit", entity="actor", entity_id=str(actor.id),
                         before={"kind": before.kind, "aliases": list(before.aliases)},
                         after={"kind": after.kind, "aliases": list(after.aliases)})
            return after

    def merge(self, source: str, into: str) -> ActorRecord:
        """Folds `source` into `into`: its name becomes an alias and its annotations move."""
        with self._sessions.write.begin() as s:
            src, dst = resolve(s, source, create=False), resolve(s, into, create=False)
            if src is None or dst is None:
                raise NotFound(f"no actor named {source if src is None else into!r}")
            if src.id == dst.id:
                raise StancemarkError(f"{source!r} and {into!r} are the same actor already")
            s.execute(update(ActorAlias).where(ActorAlias.actor_id == src.id).values(actor_id=dst.id))
            s.execute(update(Annotation).where(Annotation.actor_id == src.id).values(actor_id=dst.id))
            src.merged_into_id = dst.id
            old_name = src.name
            src.name = f"{old_name} (merged #{src.id})"
            s.flush()
            s.add(ActorAlias(actor_id=dst.id, alias=old_name))
            record_event(s, by=None, action="merge", entity="actor", entity_id=str(src.id),
                         before={"name": old_name}, after={"merged_into": dst.name})
            s.flush()
            return _record(s, dst)
