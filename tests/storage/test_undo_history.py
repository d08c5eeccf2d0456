"""The undo history a restart offers: this analyst's latest changes on this database, read from the log alone."""
from __future__ import annotations

from storage import AnnotationDraft, AnnotationRecord, Database, undoable_changes


def row(record: AnnotationRecord | None) -> tuple[object, ...]:
    """What undo writes back and checks (SQLite hands back naive instants, the log UTC ones)."""
    assert record is not None
    return (record.as_draft(), record.annotator, record.quote, record.revision, record.deleted_at is None)


def test_an_analysts_own_changes_come_back_oldest_first_as_they_were(seeded_db: Database) -> None:
    doc = seeded_db.documents.list()[0].id
    add, edit, delete = seeded_db.annotations.add, seeded_db.annotations.edit, seeded_db.annotations.delete
    made = add(AnnotationDraft(doc, 0, 6, claim_type="factual", actor="Sergei Lavrov"), by="alice")
    add(AnnotationDraft(doc, 10, 20, claim_type="factual"), by="bob")  # someone else's: not alice's history
    changed = edit(made.id, "alice", claim_type="denial", end=8)
    gone = delete(made.id, "alice")

    changes = undoable_changes(seeded_db, "alice")
    assert [(c.action, c.after.id) for c in changes] == [("add", made.id), ("edit", made.id), ("delete", made.id)]
    assert row(changes[0].after) == row(made)
    assert (row(changes[1].before), row(changes[1].after), changes[1].keys) == (row(made), row(changed), ("claim_type", "end"))
    assert (row(changes[2].before), row(changes[2].after)) == (row(changed), row(gone))
    assert [c.action for c in undoable_changes(seeded_db, "bob")] == ["add"]
    assert undoable_changes(seeded_db, "carol") == []


def test_the_history_is_bounded_to_the_latest_changes(seeded_db: Database) -> None:
    doc = seeded_db.documents.list()[0].id
    made = seeded_db.annotations.add(AnnotationDraft(doc, 0, 6, claim_type="factual"), by="alice")
    for claim_type in ("denial", "factual", "denial"):
        seeded_db.annotations.edit(made.id, "alice", claim_type=claim_type)
    latest = undoable_changes(seeded_db, "alice", limit=2)
    assert [(c.before.claim_type if c.before else None, c.after.claim_type) for c in latest] == \
        [("denial", "factual"), ("factual", "denial")]


def test_it_stops_at_a_change_one_undo_step_cannot_reverse(seeded_db: Database) -> None:
    """A link is set with its own command family; the history offered ends just after it, without holes."""
    doc = seeded_db.documents.list()[0].id
    claim = seeded_db.annotations.add(AnnotationDraft(doc, 20, 40, claim_type="factual"), by="alice")
    seeded_db.annotations.link(claim.id, "source", "alice", new_span=AnnotationDraft(doc, 0, 6, kind="mention"))
    later = seeded_db.annotations.add(AnnotationDraft(doc, 50, 60, claim_type="factual"), by="alice")
    assert [(c.action, c.after.id) for c in undoable_changes(seeded_db, "alice")] == [("add", later.id)]


def test_each_database_has_its_own_history(seeded_db: Database, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from storage import open_with_samples

    doc = seeded_db.documents.list()[0].id
    seeded_db.annotations.add(AnnotationDraft(doc, 0, 6, claim_type="factual"), by="alice")
    other = open_with_samples(str(tmp_path / "other.db"))
    try:
        assert undoable_changes(other, "alice") == []
    finally:
        other.close()
