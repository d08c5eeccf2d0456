"""Undo steps of attribution: link a claim to its source, cue, relay or target, and delete a mention with the
claims that use it. Like gui.undo_commands, each is committed by the service before it is pushed.

A link made with a new mention or cue is ONE step: undo unlinks the claim and removes the new span, redo makes
both again (re-adding one's own deleted id restores that row, so ids never change and colleagues' windows and
the event log see the same annotations come back)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from storage import AnnotationChange, AnnotationDraft, AnnotationRecord

from gui.change_bus import ChangeBus, OpChanges
from gui.undo_commands import StorageCommand, _short, present

if TYPE_CHECKING:
    from storage import Database

# What a claim takes from its mentions (the service keeps them in step): undo must put them back too.
FOLLOWING = ("actor", "target")


def link_field(role: str) -> str:
    return f"{role}_id"


class LinkAnnotation(StorageCommand):
    """Sets one link of a claim (source, cue, relay or target), making the linked span first when it is new."""

    def __init__(self, db: Database, annotator: str, bus: ChangeBus, role: str, before: AnnotationRecord,
                 after: AnnotationRecord, made: AnnotationRecord | None) -> None:
        linked = made.quote if made is not None else ""
        super().__init__(f"Link {role} “{_short(linked or after.quote)}”", db, annotator, bus, bus)
        self.role, self.before, self.after, self.made = role, before, after, made

    @classmethod
    def perform(cls, db: Database, annotator: str, bus: ChangeBus, claim: AnnotationRecord, role: str,
                linked_id: str | None = None,
                new_span: AnnotationDraft | None = None) -> tuple["LinkAnnotation", OpChanges]:
        """Links `claim` to `linked_id`, or to `new_span` stored in the same transaction (one write, and if the
        link is refused nothing of it is stored)."""
        after, made = db.annotations.link(claim.id, role, annotator, linked_id=linked_id, new_span=new_span,
                                          expected_revision=claim.revision)
        shown = (made, after) if made is not None else (after,)
        return cls(db, annotator, bus, role, claim, after, made), present(*shown)

    def apply(self) -> OpChanges:
        linked = None if self.made is not None else getattr(self.after, link_field(self.role))
        self.after, made = self._db.annotations.link(
            self.before.id, self.role, self._annotator, linked_id=linked,
            new_span=self.made.as_draft() if self.made is not None else None)
        if made is not None:
            self.made = made
            return present(made, self.after)
        return present(self.after)

    def revert(self) -> OpChanges:
        field = link_field(self.role)
        restored = self._db.annotations.edit(self.before.id, self._annotator, **{
            field: getattr(self.before, field), **{k: getattr(self.before, k) for k in FOLLOWING}})
        gone = (self._db.annotations.delete(self.made.id, by=self._annotator),) if self.made is not None else ()
        return OpChanges(annotations=AnnotationChange(present=(restored,), removed=gone))


class DeleteWithClaims(StorageCommand):
    """Deletes a mention or cue and the claims that use it; undo brings all of them back in one step."""

    def __init__(self, db: Database, annotator: str, bus: ChangeBus, record: AnnotationRecord,
                 claims: list[AnnotationRecord]) -> None:
        super().__init__(f"Delete {record.kind} “{_short(record.quote)}” and {len(claims)} "
                         f"claim{'s' if len(claims) != 1 else ''}", db, annotator, bus, bus)
        self.record, self.claims = record, list(claims)

    @classmethod
    def perform(cls, db: Database, annotator: str, bus: ChangeBus, record: AnnotationRecord,
                claims: list[AnnotationRecord]) -> tuple["DeleteWithClaims", OpChanges]:
        command = cls(db, annotator, bus, record, claims)
        return command, command._remove()

    def _remove(self) -> OpChanges:
        # claims first: no live claim ever links to a deleted span while this runs
        gone = [self._db.annotations.delete(claim.id, by=self._annotator) for claim in self.claims]
        gone.append(self._db.annotations.delete(self.record.id, by=self._annotator))
        return OpChanges(annotations=AnnotationChange(removed=tuple(gone)))

    def apply(self) -> OpChanges:
        return self._remove()

    def revert(self) -> OpChanges:
        self.record = self._db.annotations.add(self.record.as_draft(), by=self._annotator)
        self.claims = [self._db.annotations.add(claim.as_draft(), by=self._annotator) for claim in self.claims]
        return present(self.record, *self.claims, focus=self.record.id)
