"""Two OS processes annotating one SQLite file at the same moment: no "database is locked", no lost row."""
from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

from storage import open_with_samples

PER_PROCESS = 60

WORKER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from storage import AnnotationDraft, open_database

    db_path, go, who, count = sys.argv[1], Path(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    db = open_database(db_path)
    doc = db.documents.list()[0].id
    while not go.exists():
        time.sleep(0.005)
    for i in range(count):
        # A read-then-write transaction each time: the pattern that fails under a plain BEGIN.
        db.annotations.add(AnnotationDraft(doc, i % 50, i % 50 + 5, claim_type="factual"), by=who)
        if i % 10 == 0:
            db.documents.set_status(doc, "in_progress", by=who)
    db.close()
""")


def test_two_processes_add_annotations_at_once_without_errors_or_losses(sqlite_path: str, tmp_path: Path) -> None:
    open_with_samples(sqlite_path).close()  # created and seeded before the race starts
    go = tmp_path / "go"
    workers = [subprocess.Popen([sys.executable, "-c", WORKER, sqlite_path, str(go), who, str(PER_PROCESS)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for who in ("alice", "bob")]
    time.sleep(0.5)  # both have opened the database and are waiting
    go.touch()
    results = [w.communicate(timeout=120) for w in workers]
    assert [w.returncode for w in workers] == [0, 0], [err for _, err in results]
    db = open_with_samples(sqlite_path)
    try:
        doc = db.documents.list()[0].id
        for who in ("alice", "bob"):
            mine = db.annotations.for_document(doc, annotator=who)
            assert len(mine) == PER_PROCESS
            assert [e.action for e in db.annotations.history(mine[-1].id)] == ["create"]
    finally:
        db.close()
