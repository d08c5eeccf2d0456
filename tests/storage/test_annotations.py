from __future__ import annotations

import pytest

from storage import AnnotationDraft, ConflictError, InvalidSpan, PermissionDenied, StancemarkError


@pytest.fixture
def doc_id(seeded_db) -> str:  # type: ignore[no-untyped-def]
    return seeded_db.documents.list()[0].id


def test_add_records_code_point_offsets_quote_and_scheme_version(seeded_db, doc_id: str) -> None:
    text = seeded_db.documents.get(doc_id).text
    start = text.index("Lavrov")
    ann = seeded_db.annotations.add(
        AnnotationDraft(doc_id, start, start + 6, stance="oppose", actor="Sergei Lavrov", claim_type="factual"),
        by="alice")
    assert (ann.quote, ann.annotator, ann.actor, ann.scheme_version) == ("Lavrov", "alice", "Sergei Lavrov", 1)
    assert seeded_db.annotations.for_document(doc_id) == [ann]


@pytest.mark.parametrize("start,end", [(-1, 3), (5, 5), (9, 4), (0, 10**6)])
def test_bad_spans_are_refused(seeded_db, doc_id: str, start: int, end: int) -> None:
    with pytest.raises(InvalidSpan):
        seeded_db.annotations.add(AnnotationDraft(doc_id, start, end), by="alice")
    assert seeded_db.annotations.count() == 0


def test_unknown_label_is_refused(seeded_db, doc_id: str) -> None:
    with pytest.raises(StancemarkError, match="not a claim type"):
        seeded_db.annotations.add(AnnotationDraft(doc_id, 0, 4, claim_type="gossip"), by="alice")


def test_only_the_owner_may_change_an_annotation(seeded_db, doc_id: str) -> None:
    ann = seeded_db.annotations.add(AnnotationDraft(doc_id, 0, 5, stance="neutral"), by="alice")
    seeded_db.annotators.ensure("bob")
    with pytest.raises(PermissionDenied):
        seeded_db.annotations.edit(ann.id, "bob", stance="support")
    with pytest.raises(PermissionDenied):
        seeded_db.annotations.delete(ann.id, "bob")
    assert seeded_db.annotations.get(ann.id).stance == "neutral"


def test_edit_with_stale_revision_overwrites_nothing(seeded_db, doc_id: str) -> None:
    ann = seeded_db.annotations.add(AnnotationDraft(doc_id, 0, 5, stance="neutral"), by="alice")
    seeded_db.annotations.edit(ann.id, "alice", expected_revision=ann.revision, stance="support")
    with pytest.raises(ConflictError):
        seeded_db.annotations.edit(ann.id, "alice", expected_revision=ann.revision, stance="oppose")
    assert seeded_db.annotations.get(ann.id).stance == "support"


def test_delete_then_readd_same_id_restores_and_logs_every_step(seeded_db, doc_id: str) -> None:
    ann = seeded_db.annotations.add(AnnotationDraft(doc_id, 6, 12, claim_type="policy"), by="alice")
    seeded_db.annotations.edit(ann.id, "alice", end=13)
    seeded_db.annotations.delete(ann.id, "alice")
    assert seeded_db.annotations.for_document(doc_id) == []
    restored = seeded_db.annotations.add(ann.as_draft(), by="alice")
    assert (restored.id, restored.start, restored.end) == (ann.id, 6, 12)
    history = seeded_db.annotations.history(ann.id)
    assert [e.action for e in history] == ["create", "edit", "delete", "restore"]
    assert history[1].before["end"] == 12 and history[1].after["end"] == 13
    assert all(e.annotator == "alice" for e in history)


def test_bulk_add_matches_single_adds(seeded_db, doc_id: str) -> None:
    drafts = [AnnotationDraft(doc_id, i, i + 3, actor="Kremlin", claim_type="factual") for i in range(0, 300, 3)]
    assert seeded_db.annotations.add_many(drafts, by="carol") == 100
    listed = seeded_db.annotations.for_document(doc_id, annotator="carol")
    text = seeded_db.documents.get(doc_id).text
    assert [(a.start, a.quote) for a in listed] == [(d.start, text[d.start:d.end]) for d in drafts]
    assert {a.actor for a in listed} == {"Kremlin"}


def test_actor_aliases_and_merge(seeded_db, doc_id: str) -> None:
    seeded_db.actors.create("Vladimir Putin", kind="person", aliases=("Putin",))
    ann = seeded_db.annotations.add(AnnotationDraft(doc_id, 0, 5, actor="Putin"), by="alice")
    assert ann.actor == "Vladimir Putin"
    seeded_db.annotations.add(AnnotationDraft(doc_id, 10, 15, actor="V. Putin"), by="alice")
    assert [a.name for a in seeded_db.actors.complete("v")][:2] == ["V. Putin", "Vladimir Putin"]
    seeded_db.actors.merge("V. Putin", into="Vladimir Putin", by="alice")
    assert set(seeded_db.actors.get("Vladimir Putin").aliases) == {"Putin", "V. Putin"}
    assert {a.actor for a in seeded_db.annotations.for_document(doc_id)} == {"Vladimir Putin"}
    assert [a.name for a in seeded_db.actors.complete("v. pu")] == ["Vladimir Putin"]


def test_status_and_progress(seeded_db, doc_id: str) -> None:
    assert seeded_db.documents.progress("alice") == (0, 1)
    seeded_db.documents.set_status(doc_id, "done", by="alice")
    assert seeded_db.documents.progress("alice") == (1, 1)
    assert seeded_db.documents.list("alice")[0].status == "done"
    assert seeded_db.documents.list("bob")[0].status == "todo"


def test_latest_event_id_follows_the_log(seeded_db, doc_id: str) -> None:
    start = seeded_db.annotations.latest_event_id()
    ann = seeded_db.annotations.add(AnnotationDraft(doc_id, 0, 5), by="alice")
    latest = seeded_db.annotations.latest_event_id()
    assert latest > start
    assert seeded_db.annotations.changed_since(start) == (latest, {doc_id})
    assert seeded_db.annotations.history(ann.id)[-1].id <= latest


def test_start_before_reads_exactly_the_spans_starting_earlier(seeded_db, doc_id: str) -> None:
    spans = [(0, 4), (3, 40), (10, 12), (11, 30), (25, 26)]
    seeded_db.annotations.add_many([AnnotationDraft(doc_id, s, e) for s, e in spans], by="alice")
    seeded_db.annotations.add(AnnotationDraft(doc_id, 2, 9), by="bob")
    deleted = seeded_db.annotations.add(AnnotationDraft(doc_id, 1, 5), by="alice")
    seeded_db.annotations.delete(deleted.id, by="alice")
    every = seeded_db.annotations.for_document(doc_id, annotator="alice")
    assert len(every) == len(spans) and deleted.id not in {a.id for a in every}
    for limit in (0, 3, 11, 12, 26, 10_000):
        first = seeded_db.annotations.for_document(doc_id, annotator="alice", start_before=limit)
        assert first == [a for a in every if a.start < limit]
    assert [(a.start, a.annotator) for a in seeded_db.annotations.for_document(doc_id, start_before=3)] == \
        [(0, "alice"), (2, "bob")]
