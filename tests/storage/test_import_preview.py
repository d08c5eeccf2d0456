"""The import's preview step and label mapping: single labels go where the user says, near-duplicates land
on existing values, nothing is written before the import, and unused labels can be removed."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from storage import StancemarkError, import_paths, preview_import
from storage.audit import history
from storage.tables import Event


def write_jsonl(path: Path, *records: dict) -> Path:  # type: ignore[type-arg]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def event_count(db) -> int:  # type: ignore[no-untyped-def]
    with db.sessions.read() as s:
        return s.scalar(select(func.count()).select_from(Event))


@pytest.fixture
def stance_file(tmp_path: Path) -> Path:
    """A doccano file labelled with stances and one near-duplicate of an existing claim type."""
    text = "They support it, oppose that, stay neutral and deny the rest."
    spans = [[text.index(w), text.index(w) + len(w), label] for w, label in
             [("support", "support"), ("oppose", "oppose"), ("neutral", "neutral"), ("deny", "Denial ")]]
    return write_jsonl(tmp_path / "stances.jsonl", {"text": text, "label": spans, "_annotator_id": "zoe"},
                       {"text": "A second text, no spans.", "label": []})


def test_preview_reports_labels_matches_and_annotators_and_writes_nothing(db, stance_file: Path) -> None:
    scheme_before, events_before = db.scheme.current(), event_count(db)
    preview = preview_import(db, [stance_file])
    assert (preview.documents, preview.documents_present, preview.spans) == (2, 0, 4)
    assert preview.shapes == (("doccano", 2),)
    assert preview.annotators == ("zoe",)
    found = {f.label: f for f in preview.labels}
    assert set(found) == {"support", "oppose", "neutral", "Denial"}
    assert all(f.single and not f.is_new for f in found.values())
    assert [(found[s].attribute, found[s].value) for s in ("support", "oppose", "neutral")] == [
        ("stance", "support"), ("stance", "oppose"), ("stance", "neutral")]
    assert (found["Denial"].attribute, found["Denial"].value) == ("claim_type", "denial")
    assert db.documents.count() == 0 and db.scheme.current() == scheme_before and event_count(db) == events_before


def test_mapping_lands_on_existing_values_instead_of_adding_near_duplicates(db, stance_file: Path) -> None:
    before = db.scheme.current()
    preview = preview_import(db, [stance_file])
    summary = import_paths(db, [stance_file], label_map=preview.proposed_map())
    assert summary.labels_added == {}
    assert db.scheme.current().version == before.version
    annotations = [a for d in db.documents.list() for a in db.annotations.for_document(d.id)]
    assert sorted((a.quote, a.stance, a.claim_type, a.annotator) for a in annotations) == [
        ("deny", None, "denial", "zoe"), ("neutral", "neutral", None, "zoe"),
        ("oppose", "oppose", None, "zoe"), ("support", "support", None, "zoe")]


def test_without_a_mapping_the_old_behaviour_adds_the_labels_as_claim_types(db, stance_file: Path) -> None:
    summary = import_paths(db, [stance_file])
    assert summary.labels_added == {"claim_type": ["Denial", "neutral", "oppose", "support"]}


def test_a_label_can_be_skipped_or_sent_to_the_actor_registry_and_as_annotator_wins(db, stance_file: Path) -> None:
    label_map = {"support": None, "oppose": ("actor", "Opposition"), "neutral": ("stance", "neutral"),
                 "Denial": ("claim_type", "rebuttal")}
    summary = import_paths(db, [stance_file], label_map=label_map, as_annotator="  bob ")
    assert summary.spans_skipped_by_label == 1 and summary.labels_added == {"claim_type": ["rebuttal"]}
    assert any("skipped" in line for line in summary.lines())
    annotations = [a for d in db.documents.list() for a in db.annotations.for_document(d.id)]
    assert sorted((a.quote, a.stance, a.actor, a.claim_type, a.annotator) for a in annotations) == [
        ("deny", None, None, "rebuttal", "bob"), ("neutral", "neutral", None, None, "bob"),
        ("oppose", None, "Opposition", None, "bob")]
    new = next(v for v in db.scheme.current().claim_types if v.value == "rebuttal")
    assert new.shortcut == "7"  # a new label gets a key nothing else has (1-6 are taken)


def test_a_bad_mapping_is_refused_before_anything_is_written(db, stance_file: Path) -> None:
    with pytest.raises(StancemarkError, match="attribute must be one of"):
        import_paths(db, [stance_file], label_map={"support": ("colour", "red")})
    assert db.documents.count() == 0


def test_preview_sees_existing_actors_and_documents_already_present(db, tmp_path: Path) -> None:
    db.actors.create("Sergei Lavrov", aliases=("Lavrov",))
    first = write_jsonl(tmp_path / "a.jsonl", {"text": "Lavrov spoke.", "label": [[0, 6, "LAVROV"]]})
    preview = preview_import(db, [first], label_as="actor")
    (found,) = preview.labels
    assert (found.attribute, found.value, found.is_new) == ("actor", "Sergei Lavrov", False)
    assert preview.documents_present == 0 and "Sergei Lavrov" in preview.existing_values("actor")
    import_paths(db, [first], label_map=preview.proposed_map())
    (doc,) = db.documents.list()
    assert [a.actor for a in db.annotations.for_document(doc.id)] == ["Sergei Lavrov"]
    assert [a.name for a in db.actors.list()] == ["Sergei Lavrov"]  # no "LAVROV" beside it
    assert preview_import(db, [first]).documents_present == 1


def test_preview_refuses_bad_files_as_the_import_does(db, tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "ok"}\n{"text": \n', encoding="utf-8")
    with pytest.raises(StancemarkError, match="bad.jsonl"):
        preview_import(db, [bad])


def test_an_unused_label_is_removed_and_logged_a_used_one_is_refused(db, stance_file: Path) -> None:
    import_paths(db, [stance_file], label_map={"Denial": ("claim_type", "denial")})
    with pytest.raises(StancemarkError, match=r"cannot remove claim type 'denial': 1 annotation uses it"):
        db.scheme.remove_label("claim_type", "denial")
    before = db.scheme.current()
    after = db.scheme.remove_label("claim_type", "policy", by="alice")
    assert after.version == before.version + 1 and "policy" not in {v.value for v in after.claim_types}
    assert db.scheme.current() == after and "policy" in {v.value for v in db.scheme.get(before.version).claim_types}
    with db.sessions.read() as s:
        (event,) = history(s, "scheme", str(after.version))
    assert (event.action, event.before["value"]["value"]) == ("remove_label", "policy")
    uses = {(u.attribute, u.value): u for u in db.scheme.usage()}
    assert uses[("claim_type", "denial")].annotations == 1 and ("claim_type", "policy") not in uses


def test_a_label_on_a_deleted_annotation_is_still_in_use(db, tmp_path: Path) -> None:
    import_paths(db, [write_jsonl(tmp_path / "p.jsonl", {"text": "abc def", "label": [[0, 3, "policy"]]})])
    (doc,) = db.documents.list()
    (ann,) = db.annotations.for_document(doc.id)
    db.annotations.delete(ann.id, "import")
    with pytest.raises(StancemarkError, match="1 annotation uses it"):
        db.scheme.remove_label("claim_type", "policy")
