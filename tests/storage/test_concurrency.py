"""Four processes annotate the same documents at once: no error reaches anyone, the log and the table agree."""
from __future__ import annotations

import threading
from collections import Counter
from pathlib import Path
from typing import Any

from sqlalchemy import event, select

from storage import AnnotationDraft, ConflictError, Database, open_with_samples
from storage.importers import import_paths
from storage.tables import Actor, Annotation, Annotator, Event

from workers.together import run_together

WORKER = Path(__file__).parent / "workers" / "concurrent_editor.py"
NAMES = ("alice", "bob", "carol", "dave")
SECONDS = 3.0

# Fields of the event snapshot that must equal the row; timestamps are compared separately as instants.
FIELDS = ("document_id", "annotator_id", "start", "end", "quote", "stance", "claim_type", "target", "note",
          "scheme_version", "revision")


def _run_editors(db_url: str) -> list[dict]:
    return run_together(WORKER, [[db_url, name, str(SECONDS), str(seed)] for seed, name in enumerate(NAMES)])


def test_four_processes_lose_nothing_and_log_everything(db_url: str, tmp_path: Path) -> None:
    db = open_with_samples(db_url)
    for i in range(2):
        article = tmp_path / f"article{i}.txt"
        article.write_text(f"Second article {i}\n\n" + "The minister said the talks would resume. " * 20,
                           encoding="utf-8")
    import_paths(db, [tmp_path])
    for name in NAMES:
        db.annotators.ensure(name)
    assert len(db.documents.list()) == 3

    reports = _run_editors(db_url)
    for report in reports:
        assert report["errors"] == [], f"{report['name']}: {report['errors'][0]}"
        assert report["counts"]["add"] > 0, reports

    with db.sessions.read() as s:
        rows = {a.id: a for a in s.scalars(select(Annotation))}
        events = s.scalars(select(Event).where(Event.entity == "annotation").order_by(Event.id)).all()
        actor_names = dict(s.execute(select(Actor.id, Actor.name)).all())
        annotator_ids = dict(s.execute(select(Annotator.name, Annotator.id)).all())
    latest = {e.entity_id: e for e in events}
    assert set(latest) == set(rows), "an annotation without events, or events for a missing annotation"
    for ann_id, row in rows.items():
        snap = latest[ann_id].after
        assert {f: snap[f] for f in FIELDS} == {f: getattr(row, f) for f in FIELDS}, ann_id
        assert snap["actor"] == (actor_names[row.actor_id] if row.actor_id else None), ann_id
        assert (snap["deleted_at"] is None) == (row.deleted_at is None), ann_id
        assert latest[ann_id].annotator_id == row.annotator_id

    actions = Counter(e.action for e in events)
    assert actions["create"] == len(rows)
    live = sum(1 for r in rows.values() if r.deleted_at is None)
    assert actions["create"] - actions["delete"] + actions["restore"] == live
    total = Counter()
    for report in reports:
        total.update(report["counts"])
        mine = [r for r in rows.values() if r.annotator_id == annotator_ids[report["name"]]]
        assert len(mine) == report["counts"]["add"], report["name"]  # every add that returned is stored
    assert (actions["create"], actions["edit"], actions["delete"], actions["restore"]) == \
        (total["add"], total["edit"], total["delete"], total["restore"])
    assert total["edit"] > 0 and total["delete"] > 0, reports
    assert db.annotations.count() == live
    db.close()


def test_a_poller_sees_every_change_even_when_commits_overtake(db_url: str, tmp_path: Path) -> None:
    """A slow writer draws its event id first; a quick colleague writes meanwhile. Writers commit one at a time
    in id order (BEGIN IMMEDIATE on SQLite, the writer lock on PostgreSQL), so a poller that remembers the
    newest id it saw never passes over the slow writer's change."""
    slow, quick, poller = (open_with_samples(db_url) for _ in range(3))
    (tmp_path / "other.txt").write_text("Another article.\n\nNATO said the exercise was routine.", encoding="utf-8")
    import_paths(slow, [tmp_path / "other.txt"])
    first, second = (d.id for d in slow.documents.list())
    slow.annotators.ensure("alice")
    seen_up_to, _ = poller.annotations.changed_since(0)
    holding, release = threading.Event(), threading.Event()

    def slow_writer() -> None:
        with slow.sessions.write.begin() as s:
            who = s.scalar(select(Annotator.id).where(Annotator.name == "alice"))
            s.add(Annotation(id="slow-one", document_id=first, annotator_id=who, start=0, end=7, quote="Another",
                             stance=None, actor_id=None, claim_type=None, target=None, scheme_version=1))
            s.flush()
            s.add(Event(annotator_id=who, action="create", entity="annotation", entity_id="slow-one"))
            s.flush()
            holding.set()
            release.wait(timeout=30)

    def quick_writer() -> None:
        quick.annotations.add(AnnotationDraft(second, 0, 5), by="bob")

    @event.listens_for(quick.engine, "before_cursor_execute")
    def _at_writer_lock(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        # The statement a writer waits in while another holds the lock (SQLite's BEGIN IMMEDIATE, PostgreSQL's
        # advisory lock): sent, so the quick writer is queued behind the slow one, and cannot commit before it.
        if statement.startswith("BEGIN IMMEDIATE") or "pg_advisory_xact_lock" in statement:
            quick_at_lock.set()

    quick_at_lock = threading.Event()
    threads = [threading.Thread(target=slow_writer), threading.Thread(target=quick_writer)]
    threads[0].start()
    assert holding.wait(timeout=30)
    threads[1].start()
    assert quick_at_lock.wait(timeout=30)  # the quick writer waits for the slow one...
    seen: set[str] = set()
    seen_up_to, changed = poller.annotations.changed_since(seen_up_to)
    seen |= changed
    release.set()
    for thread in threads:
        thread.join(timeout=30)
    seen_up_to, changed = poller.annotations.changed_since(seen_up_to)
    seen |= changed
    for db in (slow, quick, poller):
        db.close()
    assert seen == {first, second}


def test_two_windows_editing_the_same_annotation_at_once_never_overwrite(db_url: str) -> None:
    """The same analyst in two windows saves two different edits of one revision at the same instant:
    exactly one is kept, the other is told of the conflict, and the log shows one edit."""
    first, second = open_with_samples(db_url), open_with_samples(db_url)
    doc = first.documents.list()[0]
    ann = first.annotations.add(AnnotationDraft(doc.id, 0, 5, stance="neutral"), by="alice")
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def save(db: Database, stance: str) -> None:
        barrier.wait()
        try:
            db.annotations.edit(ann.id, "alice", expected_revision=ann.revision, stance=stance)
            outcomes[stance] = "saved"
        except ConflictError:
            outcomes[stance] = "conflict"

    threads = [threading.Thread(target=save, args=(first, "support")),
               threading.Thread(target=save, args=(second, "oppose"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    kept = first.annotations.get(ann.id)
    history = [e.action for e in first.annotations.history(ann.id)]
    first.close()
    second.close()
    assert sorted(outcomes.values()) == ["conflict", "saved"]
    assert outcomes[kept.stance or ""] == "saved" and kept.revision == ann.revision + 1
    assert history == ["create", "edit"]
