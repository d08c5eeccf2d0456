"""Merging, un-merging and deleting actors: the registry changes that touch other people's annotations.

A merge records, by id, every annotation, gold row and alias it moved (in its event and in the returned
ActorMerge), so undo puts back exactly those. On PostgreSQL the moves go through the server function
`stancemark_move_actor_uses` (migration 0006): row-level security keeps a reviewer off colleagues'
annotations, and the function, which runs as the table owner, moves them only for a reviewer or the
administrator and only as a merge or its undo allows."""
from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import delete, select, text, update
from sqlalchemy.orm import Session

from storage.actors import ActorKey, ActorService, actor_for, find, record_of, usage_counts
from storage.audit import record_event
from storage.errors import StancemarkError
from storage.tables import Actor, ActorAlias, Annotation, Event, GoldAnnotation
from storage.records import ActorMerge, ActorRecord

CHUNK = 500  # ids per IN list


def _chunks(ids: Sequence[str]) -> Iterable[list[str]]:
    for i in range(0, len(ids), CHUNK):
        yield list(ids[i:i + CHUNK])


def _move_uses(s: Session, from_id: int, to_id: int, annotations: Sequence[str], gold: Sequence[str]) -> None:
    """Points the listed annotation and gold rows that name `from_id` at `to_id`."""
    if s.get_bind().dialect.name == "postgresql":
        s.execute(text("SELECT stancemark_move_actor_uses(:f, :t, :a, :g)"),
                  {"f": from_id, "t": to_id, "a": list(annotations), "g": list(gold)})
        return
    for model, ids in ((Annotation, annotations), (GoldAnnotation, gold)):
        for chunk in _chunks(ids):
            s.execute(update(model).where(model.id.in_(chunk), model.actor_id == from_id).values(actor_id=to_id))


def merge(s: Session, src: Actor, dst: Actor, by: int | None) -> ActorMerge:
    if src.id == dst.id:
        raise StancemarkError(f"{src.name!r} and {dst.name!r} are the same actor already")
    annotations = tuple(s.scalars(select(Annotation.id).where(Annotation.actor_id == src.id).order_by(Annotation.id)))
    gold = tuple(s.scalars(select(GoldAnnotation.id).where(GoldAnnotation.actor_id == src.id)
                           .order_by(GoldAnnotation.id)))
    aliases = tuple(s.scalars(select(ActorAlias.id).where(ActorAlias.actor_id == src.id).order_by(ActorAlias.id)))
    old_name = src.name
    # The source is marked merged first: the server lets uses move only off an actor merged into the target.
    src.merged_into_id = dst.id
    src.name = f"{old_name} (merged #{src.id})"
    s.flush()
    _move_uses(s, src.id, dst.id, annotations, gold)
    if aliases:
        s.execute(update(ActorAlias).where(ActorAlias.id.in_(aliases)).values(actor_id=dst.id))
    name_alias = ActorAlias(actor_id=dst.id, alias=old_name)
    s.add(name_alias)
    s.flush()
    record_event(s, by=by, action="merge", entity="actor", entity_id=str(src.id),
                 before={"name": old_name, "kind": src.kind},
                 after={"name": src.name, "merged_into": dst.name, "into_id": dst.id,
                        "annotations": list(annotations), "gold": list(gold), "aliases": list(aliases),
                        "name_alias_id": name_alias.id})
    s.flush()
    return ActorMerge(source_id=src.id, into_id=dst.id, source_name=old_name, into_name=dst.name,
                      annotations=annotations, gold=gold, aliases=aliases, name_alias_id=name_alias.id)


def _merge_event_id(s: Session, change: ActorMerge) -> int:
    rows = s.execute(select(Event.id, Event.after).where(Event.entity == "actor", Event.action == "merge",
                                                         Event.entity_id == str(change.source_id))
                     .order_by(Event.id.desc())).all()
    for event_id, after in rows:
        if (after or {}).get("into_id") == change.into_id:
            return int(event_id)
    raise StancemarkError(f"no merge of {change.source_name!r} into {change.into_name!r} in the log to undo")


def _untouched_since(s: Session, ids: Sequence[str], event_id: int) -> list[str]:
    """The ids with no annotation event after `event_id`: their last snapshot still names the source actor's
    old name, so moving them back keeps the table as the log rebuilds it."""
    touched: set[str] = set()
    for chunk in _chunks(ids):
        touched.update(s.scalars(select(Event.entity_id).where(Event.entity == "annotation", Event.id > event_id,
                                                               Event.entity_id.in_(chunk))))
    return [i for i in ids if i not in touched]


def unmerge(s: Session, change: ActorMerge, by: int | None) -> ActorRecord:
    src, dst = s.get(Actor, change.source_id), s.get(Actor, change.into_id)
    if src is None or dst is None or src.merged_into_id != dst.id:
        raise StancemarkError(f"{change.source_name!r} is no longer merged into {change.into_name!r}; "
                              "nothing to undo")
    merge_event = _merge_event_id(s, change)
    if change.name_alias_id is not None:
        s.execute(delete(ActorAlias).where(ActorAlias.id == change.name_alias_id,
                                           ActorAlias.alias == change.source_name))
    s.flush()
    holder = find(s, change.source_name)
    if holder is not None and holder.name == change.source_name:
        raise StancemarkError(f"an actor named {change.source_name!r} exists again; cannot undo the merge")
    merged_name = src.name
    src.name, src.merged_into_id = change.source_name, None
    s.flush()
    annotations = _untouched_since(s, change.annotations, merge_event)
    gold = list(change.gold)
    _move_uses(s, dst.id, src.id, annotations, gold)
    if change.aliases:
        s.execute(update(ActorAlias).where(ActorAlias.id.in_(change.aliases), ActorAlias.actor_id == dst.id)
                  .values(actor_id=src.id))
    s.flush()
    record_event(s, by=by, action="unmerge", entity="actor", entity_id=str(src.id),
                 before={"name": merged_name, "merged_into": dst.name},
                 after={"name": src.name, "from": dst.name, "from_id": dst.id, "merge_event": merge_event,
                        "annotations": annotations, "gold": gold, "aliases": list(change.aliases),
                        "kept": sorted(set(change.annotations) - set(annotations))})
    s.flush()
    return record_of(s, src)


def delete_unused(s: Session, actor: Actor, by: int | None) -> ActorRecord:
    uses = usage_counts(s, actor.id)
    if any(uses.values()):
        what = ", ".join(f"{n} {label}" for label, n in (("annotation(s), deleted ones included", uses["annotations"]),
                                                         ("gold row(s)", uses["gold"]),
                                                         ("merged actor(s)", uses["merged"])) if n)
        raise StancemarkError(f"{actor.name!r} is still used ({what}); merge it into another actor instead")
    record = record_of(s, actor)
    s.execute(delete(ActorAlias).where(ActorAlias.actor_id == actor.id))
    s.delete(actor)
    s.flush()
    record_event(s, by=by, action="delete", entity="actor", entity_id=str(record.id),
                 before={"name": record.name, "kind": record.kind, "aliases": list(record.aliases)})
    return record


class ActorRegistry(ActorService):
    """The registry as the database hands it out (`db.actors`): ActorService's reading and naming, with the
    merges and deletions of this module. Here rather than in actors.py, so that neither module imports the other
    back."""

    def merge(self, source: ActorKey, into: ActorKey, by: str | None) -> ActorMerge:
        """Folds `source` into `into`: its name becomes an alias; its annotations (mentions, deleted ones,
        gold) and aliases move. The returned change is what `unmerge` puts back."""
        with self._sessions.write.begin() as s:
            return merge(s, actor_for(s, source), actor_for(s, into), self._who(s, by))

    def unmerge(self, change: ActorMerge, by: str | None) -> ActorRecord:
        """Undoes a merge: the source actor returns with its name, and what moved goes back."""
        with self._sessions.write.begin() as s:
            return unmerge(s, change, self._who(s, by))

    revert = unmerge

    def delete(self, actor: ActorKey, by: str | None) -> ActorRecord:
        """Removes an actor nothing uses (no annotation, not even a deleted one undo could restore; no gold)."""
        with self._sessions.write.begin() as s:
            return delete_unused(s, actor_for(s, actor), self._who(s, by))
