"""Stored suggestions: run and re-run by fingerprint, accept (with links and provenance), reject, accept all,
revert; and nothing of them in exports or agreement until a person accepts one."""
from __future__ import annotations

import io
from pathlib import Path

import pytest

from storage import AnnotationDraft, Database, StancemarkError, export_jsonl

from suggestion_helpers import article


def _claim(db: Database, doc: str, by: str, quote: str):  # type: ignore[no-untyped-def]
    [found] = [s for s in db.suggestions.for_document(doc, by) if s.kind == "claim" and s.quote == quote]
    return found


def test_run_stores_and_reruns_only_when_the_fingerprint_changes(db: Database, tmp_path: Path) -> None:
    doc = article(db, tmp_path)
    first = db.suggestions.run([doc], by="alice")
    assert (first.computed, first.reused) == (3, 0) and first.added > 0
    ids = {s.id for s in db.suggestions.for_document(doc, "alice")}
    again = db.suggestions.run([doc], by="alice")
    assert (again.computed, again.reused, again.added, again.retired) == (0, 3, 0, 0)
    # Tagging a passage changes only what the repeat-label suggester reads.
    db.annotations.add(AnnotationDraft(doc, 49, 83, claim_type="factual"), by="alice")
    tagged = db.suggestions.run([doc], by="alice")
    assert (tagged.computed, tagged.reused) == (1, 2)
    # The registry gains an alias: the finder and the mention suggester run again; unchanged proposals keep ids.
    holding = _claim(db, doc, "alice", "the ceasefire was holding")
    assert holding.actor is None
    db.actors.update("Sergei Lavrov", add_aliases=("the minister",))
    alias = db.suggestions.run([doc], by="alice")
    assert (alias.computed, alias.reused) == (2, 1)
    now = db.suggestions.for_document(doc, "alice")
    assert _claim(db, doc, "alice", "the ceasefire was holding").actor == "Sergei Lavrov"
    assert any(s.kind == "mention" and s.quote == "the minister" for s in now)
    kept = _claim(db, doc, "alice", "We will not leave the region")
    assert kept.id in ids and kept.fingerprint != holding.fingerprint
    assert all(s.text_sha256 == kept.text_sha256 and s.version for s in now)


def test_accept_with_a_changed_label_makes_linked_annotations_with_provenance(db: Database, tmp_path: Path) -> None:
    doc = article(db, tmp_path)
    db.suggestions.run([doc], by="alice")
    denial = _claim(db, doc, "alice", "the report on Tuesday")
    assert (denial.claim_type, denial.actor) == ("denial", "NATO")
    accepted = db.suggestions.accept(denial.id, "alice", {"stance": "oppose", "claim_type": "accusation"})
    source, cue, claim = accepted.records
    assert (source.kind, source.quote, source.actor) == ("mention", "NATO", "NATO")
    assert (cue.kind, cue.quote) == ("cue", "denied")
    assert (claim.kind, claim.quote, claim.claim_type, claim.stance, claim.actor) == \
        ("claim", "the report on Tuesday", "accusation", "oppose", "NATO")
    assert (claim.source_id, claim.cue_id) == (source.id, cue.id)
    assert db.annotations.for_document(doc, "alice") == sorted(accepted.records, key=lambda r: (r.start, r.end, r.id))
    assert {db.suggestions.origin(r.id) for r in accepted.records} == {denial.id}
    pending = db.suggestions.for_document(doc, "alice")
    assert denial.id not in {s.id for s in pending}
    assert not any(s.kind == "mention" and s.quote == "NATO" for s in pending)  # tagged now: not proposed twice
    assert denial.id in {s.id for s in db.suggestions.for_document(doc, "bob")}  # bob decides for himself
    with pytest.raises(StancemarkError):
        db.suggestions.accept(denial.id, "alice")
    # Undo: the three annotations go (soft, logged) and the suggestion is pending again.
    removed = db.suggestions.revert([denial.id], "alice")
    assert {r.id for r in removed} == {r.id for r in accepted.records} and all(r.deleted_at for r in removed)
    assert db.annotations.for_document(doc, "alice") == []
    assert db.suggestions.origin(claim.id) is None
    assert denial.id in {s.id for s in db.suggestions.for_document(doc, "alice")}


def test_accepting_links_an_existing_mention_instead_of_a_second_one(db: Database, tmp_path: Path) -> None:
    doc = article(db, tmp_path)
    db.suggestions.run([doc], by="alice")
    kremlin = db.annotations.add(AnnotationDraft(doc, 17, 28, kind="mention", actor="Kremlin"), by="alice")
    accepted = db.suggestions.accept(_claim(db, doc, "alice", "the talks would continue next week").id, "alice")
    cue, claim = accepted.records
    assert (cue.kind, claim.source_id, claim.actor) == ("cue", kremlin.id, "Kremlin")


def test_reject_hides_it_for_that_analyst_and_is_kept_as_a_negative_example(db: Database, tmp_path: Path) -> None:
    doc = article(db, tmp_path)
    db.suggestions.run([doc], by="alice")
    wrong = _claim(db, doc, "alice", "the ceasefire was holding")
    db.suggestions.reject(wrong.id, "alice")
    assert wrong.id not in {s.id for s in db.suggestions.for_document(doc, "alice")}
    assert wrong.id in {s.id for s in db.suggestions.for_document(doc, "bob")}
    assert db.annotations.for_document(doc, "alice") == []
    [negative] = db.suggestions.rejected(by="alice")
    assert (negative["quote"], negative["rejected_by"], negative["label"]) == \
        ("the ceasefire was holding", "alice", "rejected")
    assert negative["cue"]["quote"] == "said"
    # A re-run that proposes it again keeps the rejection.
    db.actors.update("NATO", add_aliases=("the alliance",))
    db.suggestions.run([doc], by="alice")
    assert wrong.id not in {s.id for s in db.suggestions.for_document(doc, "alice")}
    db.suggestions.revert([wrong.id], "alice")
    assert wrong.id in {s.id for s in db.suggestions.for_document(doc, "alice")}
    assert db.suggestions.rejected() == []


def test_accept_all_is_one_step_and_reverts_as_one(db: Database, tmp_path: Path) -> None:
    doc = article(db, tmp_path)
    db.suggestions.run([doc], by="alice")
    pending = db.suggestions.for_document(doc, "alice")
    claims = [s for s in pending if s.kind == "claim"]
    done = db.suggestions.accept_all(doc, "alice")
    made = db.annotations.for_document(doc, "alice")
    assert db.suggestions.for_document(doc, "alice") == []
    assert sorted(r.quote for r in made if r.kind == "claim") == sorted(s.quote for s in claims)
    mentions = [r for r in made if r.kind == "mention"]
    assert len({(m.start, m.end) for m in mentions}) == len(mentions)  # a mention suggestion joins its claim
    db.suggestions.revert([a.suggestion_id for a in done], "alice")
    assert db.annotations.for_document(doc, "alice") == []
    assert {s.id for s in db.suggestions.for_document(doc, "alice")} == {s.id for s in pending}


def _export(db: Database) -> dict[str, bytes]:
    """Every format with work not marked done included: what a suggestion could leak into."""
    found = {}
    for fmt, options in (("native", {}), ("flat", {}), ("doccano", {"include_empty": True}),
                         ("spans", {"include_unfinished": True, "include_empty": True})):
        out = io.StringIO()
        export_jsonl(db, fmt, out, **options)  # type: ignore[arg-type]
        found[fmt] = out.getvalue().encode("utf-8")
    return found


def test_exports_and_agreement_unchanged_until_acceptance(db: Database, tmp_path: Path) -> None:
    doc = article(db, tmp_path)
    db.annotations.add(AnnotationDraft(doc, 49, 83, claim_type="factual", stance="neutral"), by="alice")
    db.annotations.add(AnnotationDraft(doc, 49, 83, claim_type="predictive", stance="neutral"), by="bob")
    export_before, agreement_before = _export(db), db.review.agreement(doc)
    units_before = db.review.units(doc)
    db.suggestions.run([doc], by="alice")
    db.suggestions.run([doc], by="bob")
    db.suggestions.reject(_claim(db, doc, "bob", "the report on Tuesday").id, "bob")
    assert _export(db) == export_before
    assert db.review.agreement(doc) == agreement_before and db.review.units(doc) == units_before
    assert db.review.gold(doc) == []
    db.suggestions.accept(_claim(db, doc, "alice", "the report on Tuesday").id, "alice")
    after = _export(db)
    assert all(after[fmt] != export_before[fmt] for fmt in after)
    assert db.review.units(doc) != units_before
