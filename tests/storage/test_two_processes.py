"""Two OS processes annotating one SQLite file at the same moment: no "database is locked", no lost row."""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from storage import open_with_samples

PER_PROCESS = 60

# Explicit signals, no sleeps: each worker says "ready" on stdout once its database is open, then blocks on
# stdin until the test has heard both and says "go" to both.
WORKER = textwrap.dedent("""
    import sys
    from storage import AnnotationDraft, open_database

    db_path, who, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    db = open_database(db_path)
    doc = db.documents.list()[0].id
    print("ready", flush=True)
    assert sys.stdin.readline().strip() == "go"
    for i in range(count):
        # A read-then-write transaction each time: the pattern that fails under a plain BEGIN.
        db.annotations.add(AnnotationDraft(doc, i % 50, i % 50 + 5, claim_type="factual"), by=who)
        if i % 10 == 0:
            db.documents.set_status(doc, "in_progress", by=who)
    db.close()
""")


def test_two_processes_add_annotations_at_once_without_errors_or_losses(sqlite_path: str, tmp_path: Path) -> None:
    open_with_samples(sqlite_path).close()  # created and seeded before the race starts
    workers = [subprocess.Popen([sys.executable, "-c", WORKER, sqlite_path, who, str(PER_PROCESS)],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for who in ("alice", "bob")]
    for worker in workers:  # both have opened the database and are waiting
        assert worker.stdout is not None and worker.stdout.readline().strip() == "ready", worker.stderr
    results = [w.communicate("go\n", timeout=120) for w in workers]
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
