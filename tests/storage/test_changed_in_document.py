"""changed_in_document: what a window needs to apply colleagues' changes without re-reading a document."""
from __future__ import annotations

from storage import AnnotationDraft


def test_returns_only_what_changed_in_the_window_of_events(seeded_db) -> None:  # type: ignore[no-untyped-def]
    db = seeded_db
    doc_id = db.documents.list()[0].id
    untouched = db.annotations.add(AnnotationDraft(doc_id, 0, 5), by="alice")
    mark, _ = db.annotations.changed_since(0)
    edited = db.annotations.add(AnnotationDraft(doc_id, 10, 20), by="bob")
    edited = db.annotations.edit(edited.id, "bob", claim_type="policy")
    deleted = db.annotations.add(AnnotationDraft(doc_id, 30, 40), by="alice")
    db.annotations.delete(deleted.id, "alice")
    upto, _ = db.annotations.changed_since(mark)
    late = db.annotations.add(AnnotationDraft(doc_id, 50, 60), by="bob")

    changed = db.annotations.changed_in_document(doc_id, mark, upto)
    assert [(a.id, a.claim_type, a.deleted_at is not None) for a in changed] == \
        [(edited.id, "policy", False), (deleted.id, None, True)]
    assert untouched.id not in {a.id for a in db.annotations.changed_in_document(doc_id, mark)}
    assert late.id in {a.id for a in db.annotations.changed_in_document(doc_id, mark)}
    assert db.annotations.changed_in_document("no-such-document", 0) == []
