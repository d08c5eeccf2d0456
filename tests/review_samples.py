"""A small adjudicated document shared by the storage and window tests of gold beside my annotations."""
from __future__ import annotations

from storage import AnnotationDraft, Database


def adjudicated(db: Database) -> str:
    """alice and bob disagree on two passages; rita takes alice's version of one, bob's of the other."""
    doc = db.documents.list()[0].id
    db.annotators.ensure("rita", role="reviewer")
    add = db.annotations.add
    mine = add(AnnotationDraft(doc, 20, 30, stance="oppose", claim_type="factual"), by="alice")
    add(AnnotationDraft(doc, 20, 30, stance="neutral", claim_type="factual"), by="bob")
    add(AnnotationDraft(doc, 60, 70, stance="support"), by="alice")
    bobs = add(AnnotationDraft(doc, 60, 72, stance="oppose"), by="bob")
    add(AnnotationDraft(doc, 90, 95, stance="support"), by="alice")  # nobody decided on this one yet
    db.review.accept(mine.id, by="rita", rationale="the quote is hostile to the plan")
    db.review.accept(bobs.id, by="rita", rationale="reported speech, not endorsed")
    return doc
