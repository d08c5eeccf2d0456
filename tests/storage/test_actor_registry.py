"""The actor registry kept clean (issue 11): matching, overview, rename, kinds, aliases, merge and its undo,
delete, passages; every change in the writer's own name; the log still rebuilds the table. Both backends."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from storage import AnnotationDraft, NotFound, StancemarkError, import_paths
from storage.tables import Actor, Annotator, Event
from storage.replay import differences_from_log


@pytest.fixture
def doc_ids(db, tmp_path: Path) -> list[str]:  # type: ignore[no-untyped-def]
    body = "Putin said on Monday that the talks go on. Lavrov agreed with him. " * 3
    for name, title in (("a.txt", "Ceasefire talks"), ("b.txt", "Summit")):
        (tmp_path / name).write_text(f"{title}\n\n{title}: {body}\n", encoding="utf-8")
    import_paths(db, [tmp_path / "a.txt", tmp_path / "b.txt"])
    by_title = {d.title: d.id for d in db.documents.list()}
    return [by_title["Ceasefire talks"], by_title["Summit"]]


def _events(db, action: str) -> list[tuple[str | None, dict]]:  # type: ignore[no-untyped-def]
    with db.sessions.read() as s:
        rows = s.execute(select(Annotator.name, Event.after).outerjoin(Annotator, Annotator.id == Event.annotator_id)
                         .where(Event.entity == "actor", Event.action == action).order_by(Event.id)).all()
    return [(name, after) for name, after in rows]


def test_resolve_ignores_case_and_spaces_prefers_exact_and_follows_aliases(db, doc_ids) -> None:
    db.actors.create("Vladimir Putin", "person", ("Putin",), by="alice")
    db.actors.create("NATO", "organisation", by="alice")
    with pytest.raises(StancemarkError, match="exists already"):
        db.actors.create("nato", by="alice")
    with db.sessions.write.begin() as s:  # two actors differing in case only, as older databases may hold
        s.add(Actor(name="nato", kind="other"))
    add = db.annotations.add
    assert add(AnnotationDraft(doc_ids[0], 0, 5, actor="  vladimir   PUTIN "), by="alice").actor == "Vladimir Putin"
    assert add(AnnotationDraft(doc_ids[0], 0, 5, actor="putin"), by="alice").actor == "Vladimir Putin"
    assert add(AnnotationDraft(doc_ids[0], 0, 5, actor="NATO"), by="alice").actor == "NATO"  # exact case first
    assert add(AnnotationDraft(doc_ids[0], 0, 5, actor="nato"), by="alice").actor == "nato"
    assert [a.name for a in db.actors.list()] == ["NATO", "Vladimir Putin", "nato"]
    assert db.actors.lookup("PUTIN").name == "Vladimir Putin"
    assert db.actors.lookup("Alexander Sh") is None


def test_a_name_over_300_characters_is_refused_in_one_line(db, doc_ids) -> None:
    long = "A" * 301
    with pytest.raises(StancemarkError, match="301 characters long; at most 300"):
        db.annotations.add(AnnotationDraft(doc_ids[0], 0, 5, actor=long), by="alice")
    with pytest.raises(StancemarkError, match="at most 300"):
        db.actors.create(long, by="alice")
    db.actors.create("Short", by="alice")
    with pytest.raises(StancemarkError, match="at most 300"):
        db.actors.rename("Short", long, by="alice")
    with pytest.raises(StancemarkError, match="at most 300"):
        db.actors.add_alias("Short", long, by="alice")
    assert [a.name for a in db.actors.list()] == ["Short"]


def test_importing_an_alias_lands_on_its_actor(db, doc_ids, tmp_path: Path) -> None:
    db.actors.create("Vladimir Putin", "person", ("Putin",), by="alice")
    text = "Putin said the talks go on."
    source = tmp_path / "spans.jsonl"
    source.write_text(json.dumps({"text": text, "label": [[0, 5, "PUTIN"]]}) + "\n", encoding="utf-8")
    import_paths(db, [source], label_as="actor")
    doc = next(d for d in db.documents.list() if d.title.startswith("Putin said"))
    [ann] = db.annotations.for_document(doc.id)
    assert ann.actor == "Vladimir Putin"
    assert [a.name for a in db.actors.list()] == ["Vladimir Putin"]
    assert differences_from_log(db)[1] == []


def test_overview_counts_annotations_documents_and_gold_and_filters(db, doc_ids) -> None:
    db.actors.create("Sergei Lavrov", "person", ("Lavrov",), by="alice")
    db.actors.create("Unused", by="alice")
    for doc in doc_ids:
        db.annotations.add(AnnotationDraft(doc, 0, 5, actor="Lavrov"), by="alice")
        db.annotations.add(AnnotationDraft(doc, 6, 10, actor="Sergei Lavrov"), by="bob")
    gone = db.annotations.add(AnnotationDraft(doc_ids[0], 11, 15, actor="Lavrov"), by="alice")
    db.annotations.delete(gone.id, "alice")
    db.annotators.ensure("rita", role="reviewer")
    db.annotators.set_role("rita", "reviewer")
    bob = db.annotations.for_document(doc_ids[0], annotator="bob")[0]
    db.review.accept(bob.id, by="rita")
    usage = {u.name: u for u in db.actors.overview()}
    assert (usage["Sergei Lavrov"].annotations, usage["Sergei Lavrov"].documents, usage["Sergei Lavrov"].gold) \
        == (4, 2, 1)
    assert usage["Sergei Lavrov"].aliases == ("Lavrov",) and usage["Sergei Lavrov"].kind == "person"
    assert (usage["Unused"].annotations, usage["Unused"].documents) == (0, 0)
    assert [u.name for u in db.actors.overview("  lav ")] == ["Sergei Lavrov"]  # by alias, any case
    assert [u.name for u in db.actors.overview("unu")] == ["Unused"]


def test_rename_keeps_the_old_name_as_alias_and_logs_the_writer(db, doc_ids) -> None:
    db.annotations.add(AnnotationDraft(doc_ids[0], 0, 5, actor="Alexander Sh"), by="alice")
    renamed = db.actors.rename("Alexander Sh", "Alexander Shumilin", by="rita")
    assert renamed.name == "Alexander Shumilin" and renamed.aliases == ("Alexander Sh",)
    assert db.annotations.for_document(doc_ids[0])[0].actor == "Alexander Shumilin"
    assert _events(db, "rename")[-1][0] == "rita"
    with pytest.raises(StancemarkError, match="cannot|former name"):
        db.actors.remove_alias("Alexander Shumilin", "Alexander Sh", by="rita")
    db.actors.create("Other", by="rita")
    with pytest.raises(StancemarkError, match="exists already"):
        db.actors.rename("Other", "Alexander Shumilin", by="rita")
    with pytest.raises(StancemarkError, match="alias of"):
        db.actors.rename("Other", "Alexander Sh", by="rita")
    assert differences_from_log(db)[1] == []


def test_kind_and_aliases_are_set_and_logged_in_the_writers_name(db) -> None:
    db.actors.create("Kremlin", by="alice")
    assert db.actors.set_kind("Kremlin", "state", by="rita").kind == "state"
    with pytest.raises(StancemarkError, match="not an actor kind"):
        db.actors.set_kind("Kremlin", "planet", by="rita")
    assert db.actors.add_alias("Kremlin", "the  Kremlin", by="rita").aliases == ("the Kremlin",)
    assert db.actors.lookup("THE KREMLIN").name == "Kremlin"
    db.actors.create("NATO", by="alice")
    with pytest.raises(StancemarkError, match="alias of"):
        db.actors.add_alias("NATO", "the Kremlin", by="rita")
    assert db.actors.remove_alias("Kremlin", "the Kremlin", by="rita").aliases == ()
    with pytest.raises(NotFound):
        db.actors.remove_alias("Kremlin", "the Kremlin", by="rita")
    assert [who for who, _ in _events(db, "kind")] == ["rita"]
    assert [who for who, _ in _events(db, "alias")] == ["rita"]
    assert [who for who, _ in _events(db, "unalias")] == ["rita"]
    updated = db.actors.update("NATO", kind="organisation", add_aliases=("North Atlantic Alliance",), by="rita")
    assert updated.kind == "organisation" and _events(db, "kind")[-1][0] == "rita"


def test_merge_moves_everything_and_unmerge_puts_back_exactly_that(db, doc_ids) -> None:
    db.actors.create("Vladimir Putin", "person", ("Putin",), by="alice")
    db.actors.create("V. Putin", "person", ("President Putin",), by="alice")
    kept = db.annotations.add(AnnotationDraft(doc_ids[0], 0, 5, actor="Vladimir Putin"), by="alice")
    moved = [db.annotations.add(AnnotationDraft(d, 0, 5, actor="V. Putin"), by=who)
             for d in doc_ids for who in ("alice", "bob")]
    gone = db.annotations.add(AnnotationDraft(doc_ids[1], 6, 9, actor="V. Putin"), by="bob")
    db.annotations.delete(gone.id, "bob")
    db.annotators.ensure("rita", role="reviewer")
    db.annotators.set_role("rita", "reviewer")
    gold = db.review.accept(moved[1].id, by="rita").added[0]

    change = db.actors.merge("V. Putin", "Vladimir Putin", by="rita")
    assert set(change.annotations) == {a.id for a in moved} | {gone.id}
    assert change.gold == (gold.id,) and len(change.aliases) == 1
    putin = db.actors.get("Vladimir Putin")
    assert set(putin.aliases) == {"Putin", "V. Putin", "President Putin"}
    for doc in doc_ids:
        assert {a.actor for a in db.annotations.for_document(doc, include_deleted=True)} == {"Vladimir Putin"}
    assert db.review.gold(doc_ids[0])[0].actor == "Vladimir Putin"
    assert [u.name for u in db.actors.overview()] == ["Vladimir Putin"]
    assert db.actors.lookup("President Putin").name == "Vladimir Putin"
    who, after = _events(db, "merge")[-1]
    assert who == "rita" and set(after["annotations"]) == set(change.annotations)
    assert differences_from_log(db)[1] == []

    restored = db.actors.unmerge(change, by="rita")
    assert restored.name == "V. Putin" and restored.aliases == ("President Putin",)
    assert db.actors.get("Vladimir Putin").aliases == ("Putin",)
    assert db.annotations.get(kept.id).actor == "Vladimir Putin"
    assert {db.annotations.get(a.id).actor for a in moved} | {db.annotations.get(gone.id).actor} == {"V. Putin"}
    assert db.review.gold(doc_ids[0])[0].actor == "V. Putin"
    assert _events(db, "unmerge")[-1][0] == "rita"
    assert differences_from_log(db)[1] == []
    with pytest.raises(StancemarkError, match="no longer merged"):
        db.actors.revert(change, by="rita")


def test_unmerge_leaves_on_the_target_what_was_edited_since(db, doc_ids) -> None:
    """The log's newest snapshot of an annotation edited after the merge names the target: it stays there."""
    a = db.annotations.add(AnnotationDraft(doc_ids[0], 0, 5, actor="Moscow"), by="alice")
    b = db.annotations.add(AnnotationDraft(doc_ids[0], 6, 9, actor="Moscow"), by="alice")
    db.actors.create("Kremlin", by="alice")
    change = db.actors.merge("Moscow", "Kremlin", by="alice")
    db.annotations.edit(b.id, "alice", note="looked again")
    db.actors.unmerge(change, by="alice")
    assert (db.annotations.get(a.id).actor, db.annotations.get(b.id).actor) == ("Moscow", "Kremlin")
    assert differences_from_log(db)[1] == []


def test_merge_of_an_actor_into_itself_or_an_unknown_is_refused(db) -> None:
    db.actors.create("Kremlin", "state", ("Moscow",), by="alice")
    with pytest.raises(StancemarkError, match="same actor"):
        db.actors.merge("Moscow", "Kremlin", by="alice")
    with pytest.raises(NotFound):
        db.actors.merge("Nobody", "Kremlin", by="alice")


def test_delete_only_what_nothing_uses_not_even_a_deleted_annotation(db, doc_ids) -> None:
    db.actors.create("Unused", "person", ("Nobody at all",), by="alice")
    ann = db.annotations.add(AnnotationDraft(doc_ids[0], 0, 5, actor="Used once"), by="alice")
    db.annotations.delete(ann.id, "alice")
    with pytest.raises(StancemarkError, match="still used .*1 annotation"):
        db.actors.delete("Used once", by="alice")
    assert db.actors.delete("Unused", by="alice").name == "Unused"
    assert [a.name for a in db.actors.list()] == ["Used once"]
    assert db.actors.lookup("Nobody at all") is None
    assert _events(db, "delete")[-1] == ("alice", None)
    db.annotations.add(ann.as_draft(), by="alice")  # undo of the delete still finds its actor
    assert db.annotations.get(ann.id).actor == "Used once"


def test_passages_list_live_uses_across_documents(db, doc_ids) -> None:
    first = db.annotations.add(AnnotationDraft(doc_ids[0], 0, 5, actor="Putin"), by="alice")
    second = db.annotations.add(AnnotationDraft(doc_ids[1], 44, 51, actor=" putin"), by="bob")
    gone = db.annotations.add(AnnotationDraft(doc_ids[1], 0, 5, actor="Putin"), by="bob")
    db.annotations.delete(gone.id, "bob")
    passages = db.actors.passages("Putin")
    assert [(p.annotation_id, p.title, p.annotator, p.quote) for p in passages] == [
        (first.id, "Ceasefire talks", "alice", "Cease"), (second.id, "Summit", "bob", second.quote)]
    assert (passages[1].document_id, passages[1].start, passages[1].end) == (doc_ids[1], 44, 51)


def test_importing_an_actor_name_over_300_characters_names_the_file_and_line(db, tmp_path: Path) -> None:
    source = tmp_path / "long.jsonl"
    lines = [{"text": "Fine text.", "label": [[0, 4, "Fine"]]},
             {"text": "Putin said the talks go on.", "label": [[0, 5, "P" * 301]]}]
    source.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    with pytest.raises(StancemarkError, match=r"long\.jsonl:2: actor name 'P+'\.\.\. is 301 characters long"):
        import_paths(db, [source], label_as="actor")
    assert db.documents.list() == [] and db.actors.list() == []


def test_a_merge_moves_mentions_and_the_claims_that_take_their_actor(db, doc_ids) -> None:
    doc = doc_ids[0]
    mention = db.annotations.add(AnnotationDraft(doc, 0, 5, kind="mention", actor="V. Putin"), by="alice")
    claim = db.annotations.add(AnnotationDraft(doc, 11, 20, claim_type="factual", source_id=mention.id),
                               by="alice")
    assert db.annotations.get(claim.id).actor == "V. Putin"
    db.actors.create("Vladimir Putin", "person", by="alice")
    change = db.actors.merge("V. Putin", "Vladimir Putin", by="rita")
    assert set(change.annotations) == {mention.id, claim.id}
    assert {db.annotations.get(i).actor for i in (mention.id, claim.id)} == {"Vladimir Putin"}
    assert [p.kind for p in db.actors.passages("Vladimir Putin")] == ["mention", "claim"]
    assert differences_from_log(db)[1] == []
    db.actors.unmerge(change, by="rita")
    assert {db.annotations.get(i).actor for i in (mention.id, claim.id)} == {"V. Putin"}
    assert differences_from_log(db)[1] == []
