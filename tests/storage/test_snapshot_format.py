"""The event snapshots replay depends on: every writer logs one shape, and rows logged in older shapes still
replay (the log of an existing database is never rewritten)."""
from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from storage import AnnotationDraft, Database, open_database
from storage.audit import IMPORTED_SPAN_COLUMNS, SNAPSHOT_FIELDS
from storage.importers import import_paths
from storage.tables import Event
from storage.replay import annotation_table, rebuild_annotations

# The shapes the log has held since revision 0005; changing them would strand every existing database's log.
STORED_FIELDS = ["id", "document_id", "annotator_id", "start", "end", "quote", "stance", "actor", "claim_type",
                 "target", "note", "scheme_version", "revision", "created_at", "updated_at", "deleted_at", "kind",
                 "source_id", "cue_id", "relay_id", "target_id"]
STORED_IMPORT_COLUMNS = ["id", "annotator_id", "start", "end", "stance", "actor", "claim_type", "target", "note",
                         "scheme_version", "revision", "created_at", "updated_at", "deleted_at", "kind", "source_id",
                         "cue_id", "relay_id", "target_id"]


def _events(db: Database, **where: str) -> list[Event]:
    with db.sessions.read() as s:
        query = select(Event).order_by(Event.id)
        for name, value in where.items():
            query = query.where(getattr(Event, name) == value)
        return list(s.scalars(query))


def test_the_single_add_the_bulk_path_and_an_import_log_the_same_snapshot(seeded_db: Database,
                                                                          tmp_path: Path) -> None:
    assert list(SNAPSHOT_FIELDS) == STORED_FIELDS and IMPORTED_SPAN_COLUMNS == STORED_IMPORT_COLUMNS
    doc = seeded_db.documents.list()[0]
    one = seeded_db.annotations.add(AnnotationDraft(doc.id, 0, 4, stance="support", actor="NATO"), by="alice")
    seeded_db.annotations.add_many([AnnotationDraft(doc.id, 5, 9, stance="support", actor="NATO", id="bulk")],
                                   by="alice")
    single, bulk = (e.after for e in _events(seeded_db, entity="annotation", action="create"))
    assert single is not None and bulk is not None
    assert set(single) == set(STORED_FIELDS) and set(bulk) == set(STORED_FIELDS)  # (JSONB keeps no key order)
    differing = {name for name in STORED_FIELDS if single[name] != bulk[name]}
    assert differing <= {"id", "start", "end", "quote", "created_at", "updated_at"}
    assert (single["id"], single["actor"], single["kind"]) == (one.id, "NATO", "claim")

    line = {"text": "The minister said the talks would resume.", "title": "Talks",
            "annotations": [{"start": 4, "end": 12, "annotator": "bob", "stance": "neutral", "actor": "UN"}]}
    (tmp_path / "talks.jsonl").write_text(json.dumps(line) + "\n", encoding="utf-8")
    import_paths(seeded_db, [tmp_path / "talks.jsonl"])
    event = _events(seeded_db, entity="document", action="import")[-1]  # the samples came in by import too
    assert event.after is not None
    spans = event.after["spans"]
    assert spans["columns"] == STORED_IMPORT_COLUMNS
    (span,) = [dict(zip(spans["columns"], values)) for values in spans["rows"]]
    assert (span["start"], span["end"], span["stance"], span["actor"], span["kind"]) == (4, 12, "neutral", "UN",
                                                                                         "claim")


def test_snapshots_written_before_attribution_existed_still_replay(seeded_db: Database, tmp_path: Path) -> None:
    """Before revision 0005 a snapshot had no kind and no links, and an import's columns stopped at deleted_at:
    such rows rebuild as claims without links."""
    doc = seeded_db.documents.list()[0]
    text = seeded_db.documents.get(doc.id).text
    alice = seeded_db.annotators.ensure("alice")
    old = {"id": "old-one", "document_id": doc.id, "annotator_id": alice.id, "start": 0, "end": 4,
           "quote": text[0:4], "stance": "support", "actor": "NATO", "claim_type": None, "target": None,
           "note": "", "scheme_version": 1, "revision": 1, "created_at": "2024-03-01T10:00:00+00:00",
           "updated_at": "2024-03-01T10:00:00+00:00", "deleted_at": None}
    old_columns = STORED_IMPORT_COLUMNS[:STORED_IMPORT_COLUMNS.index("deleted_at") + 1]
    imported = ["old-two", alice.id, 5, 9, None, None, "factual", None, "", 1, 1, "2024-03-01T10:00:00",
                "2024-03-01T10:00:00", None]
    with seeded_db.sessions.write.begin() as s:
        s.add(Event(annotator_id=alice.id, action="create", entity="annotation", entity_id="old-one", after=old))
        s.add(Event(annotator_id=alice.id, action="delete", entity="annotation", entity_id="old-one",
                    after={"deleted_at": "2024-03-02T10:00:00+00:00", "revision": 2}))
        s.add(Event(annotator_id=None, action="import", entity="document", entity_id=doc.id,
                    after={"annotations": ["old-two"], "spans": {"columns": old_columns, "rows": [imported]}}))
    target = open_database(tmp_path / "replayed.db")
    try:
        summary = rebuild_annotations(seeded_db, target)
        table = annotation_table(target)
    finally:
        target.close()
    assert (summary.annotations, summary.deleted) == (2, 1)
    first, second = table["old-one"], table["old-two"]
    assert first[:12] == (doc.id, "alice", 0, 4, text[0:4], "support", "NATO", None, None, "", 1, 2)
    assert first[14] is not None and first[15:] == ("claim", None, None, None, None)
    assert second[:12] == (doc.id, "alice", 5, 9, text[5:9], None, None, "factual", None, "", 1, 1)
    assert second[13].tzinfo is not None and second[14] is None and second[15:] == ("claim", None, None, None, None)
