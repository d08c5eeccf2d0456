"""The event log rebuilds the annotation table: random work, replay into an empty database, compare."""
from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from storage import AnnotationDraft, AnnotationRecord, Database, StancemarkError, open_database, open_with_samples
from cli import build_parser, run as run_command
from storage.importers import import_paths
from storage.replay import annotation_table, rebuild_annotations

from throwaway_databases import BACKENDS, postgres_database

ANNOTATORS = ("alice", "bob", "carol")
ACTORS = ("Kremlin", "NATO", "V. Putin", "Vladimir Putin", "UN", None)


@pytest.fixture(params=BACKENDS)
def empty_target(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A second, empty database (no seeds) on each backend, to replay into."""
    if request.param == "sqlite":
        target = open_database(tmp_path / "replayed.db")
        yield target
        target.close()
        return
    for url in postgres_database():
        target = open_database(url)
        yield target
        target.close()


def _import_annotated_article(db: Database, folder: Path) -> None:
    """An import in the native JSONL shape: a new article with two annotations, one of them later edited."""
    text = "Officials said the ceasefire held. Rebels denied it."
    line = {"text": text, "title": "Ceasefire", "annotations": [
        {"start": 0, "end": 9, "annotator": "bob", "stance": "neutral", "actor": "UN"},
        {"start": 35, "end": 41, "annotator": "carol", "claim_type": "denial"}]}
    path = folder / "incoming.jsonl"
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    import_paths(db, [path])


def _random_work(db: Database, rng: random.Random, steps: int) -> None:
    """Adds, edits (spans and labels), deletes, restores, one bulk add and an actor merge midway."""
    doc = next(d for d in db.documents.list() if d.title != "Ceasefire")
    deleted: list[AnnotationRecord] = []
    for step in range(steps):
        who = rng.choice(ANNOTATORS)
        mine = db.annotations.for_document(doc.id, annotator=who)
        roll = rng.random()
        if step == steps // 2:
            db.actors.merge("V. Putin", into="Vladimir Putin", by=who)
        elif step == steps // 3:
            db.annotations.add_many([AnnotationDraft(doc.id, i, i + 4, actor="NATO", claim_type="factual")
                                     for i in range(100, 140, 4)], by=who)
        elif roll < 0.4 or not mine:
            start = rng.randrange(0, doc.length - 1)
            db.annotations.add(AnnotationDraft(doc.id, start, min(doc.length, start + rng.randint(1, 50)),
                                               stance=rng.choice(["oppose", "neutral", "support", None]),
                                               actor=rng.choice(ACTORS), target=rng.choice([None, "NATO"]),
                                               claim_type=rng.choice([None, "factual", "denial"])), by=who)
        elif roll < 0.7:
            target = rng.choice(mine)
            db.annotations.edit(target.id, who, end=min(doc.length, target.end + rng.randint(0, 3)),
                                actor=rng.choice(ACTORS), note=f"step {step}")
        elif roll < 0.88:
            deleted.append(db.annotations.delete(rng.choice(mine).id, who))
        elif deleted:
            gone = deleted.pop(rng.randrange(len(deleted)))
            db.annotations.add(gone.as_draft(), by=gone.annotator)


def test_replaying_the_log_rebuilds_the_annotation_table(db_url: str, empty_target: Database,
                                                         tmp_path: Path) -> None:
    source = open_with_samples(db_url)
    try:
        _import_annotated_article(source, tmp_path)
        imported = [a for d in source.documents.list() for a in source.annotations.for_document(d.id)
                    if a.annotator == "bob"]
        assert len(imported) == 1
        source.annotations.edit(imported[0].id, "bob", stance="oppose")
        _random_work(source, random.Random(5), steps=120)
        original = annotation_table(source)
        summary = rebuild_annotations(source, empty_target)
    finally:
        source.close()
    assert summary.annotations == len(original) > 50
    assert 0 < summary.deleted < summary.annotations
    assert annotation_table(empty_target) == original
    assert {a.actor for a in empty_target.annotations.for_document(empty_target.documents.list()[0].id)} \
        >= {"Vladimir Putin", "NATO"}
    # The rebuilt database is a working one: new work goes on from where the log ended.
    doc = empty_target.documents.list()[0]
    added = empty_target.annotations.add(AnnotationDraft(doc.id, 0, 3, actor="Brand New Actor"), by="dave")
    assert empty_target.annotations.get(added.id).actor == "Brand New Actor"


def test_replay_refuses_a_target_that_has_annotations(seeded_db: Database, tmp_path: Path) -> None:
    doc = seeded_db.documents.list()[0]
    seeded_db.annotations.add(AnnotationDraft(doc.id, 0, 4), by="alice")
    with pytest.raises(StancemarkError, match="already has annotations"):
        rebuild_annotations(seeded_db, seeded_db)
    assert seeded_db.annotations.count() == 1


def test_check_finds_a_change_made_behind_the_log(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    db = open_with_samples(db_url)
    doc = db.documents.list()[0]
    ann = db.annotations.add(AnnotationDraft(doc.id, 0, 5, stance="neutral", actor="NATO"), by="alice")
    db.annotations.edit(ann.id, "alice", end=7)
    db.annotations.delete(db.annotations.add(AnnotationDraft(doc.id, 8, 9), by="bob").id, "bob")

    def check() -> int:
        return run_command(build_parser().parse_args(["--db", db_url, "check"]))

    assert check() == 0
    assert "event log: 2 annotations compared, no difference(s)" in capsys.readouterr().out
    with db.sessions.write.begin() as s:  # someone edits the table directly, writing no event
        s.execute(text("UPDATE annotation SET stance = 'support' WHERE id = :id"), {"id": ann.id})
    db.close()
    assert check() == 1
    out = capsys.readouterr().out
    assert f"{ann.id}: stance is 'support' in the table, 'neutral' by the log" in out
    assert "1 difference(s)" in out
