"""Kill a writer with SIGKILL at random moments: the file stays sound and every reported commit is there."""
from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import text

from storage import Database, open_database, open_with_samples

WORKER = Path(__file__).parent / "workers" / "crash_writer.py"
ROUNDS = 50
IMPORT_ROUNDS = 4
IMPORT_DOCUMENTS = 3000


def _read_line(proc: subprocess.Popen[str]) -> str:
    line = proc.stdout.readline() if proc.stdout else ""
    if not line:
        raise AssertionError(f"crash worker ended early: {proc.stderr.read() if proc.stderr else ''}")
    return line.strip()


def _one_round(proc: subprocess.Popen[str], delay: float) -> tuple[list[str], int]:
    """Forks a writer, kills it `delay` seconds after its first commit; returns the ids it reported and
    its wait status. Timing from the first commit (not the fork) lands every kill amid writes on both backends,
    however long connecting takes."""
    assert proc.stdin is not None
    proc.stdin.write("fork\n")
    proc.stdin.flush()
    reported: list[str] = []
    pid = None
    while pid is None or not reported:
        line = _read_line(proc)
        if line.startswith("child "):
            pid = int(line.split()[1])
        elif line.startswith("added "):
            reported.append(line.split()[1])
    time.sleep(delay)
    os.kill(pid, signal.SIGKILL)
    while True:
        line = _read_line(proc)
        if line.startswith("added "):
            reported.append(line.split()[1])
        elif line.startswith("reaped "):
            return reported, int(line.split()[2])


def _check_after_kill(checker: Database, round_no: int) -> set[str]:
    """PRAGMA integrity_check on SQLite; returns every annotation id stored."""
    with checker.sessions.read() as s:
        if checker.is_sqlite:
            assert s.execute(text("PRAGMA integrity_check")).all() == [("ok",)], f"round {round_no}"
        return set(s.scalars(text("SELECT id FROM annotation")).all())


def test_sigkill_during_writes_loses_no_committed_annotation(db_url: str) -> None:
    open_with_samples(db_url).close()  # schema and the sample article, before any writer starts
    rng = random.Random(20261128)
    proc = subprocess.Popen([sys.executable, str(WORKER), db_url], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, bufsize=1)
    all_reported: set[str] = set()
    checker = open_database(db_url)
    try:
        assert _read_line(proc) == "ready"
        for round_no in range(ROUNDS):
            reported, status = _one_round(proc, delay=rng.uniform(0.0, 0.03))
            assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, \
                f"round {round_no}: the writer stopped by itself (status {status}), not by the kill"
            missing = set(reported) - _check_after_kill(checker, round_no)
            assert not missing, f"round {round_no}: committed annotations lost: {sorted(missing)[:5]}"
            all_reported |= set(reported)
    finally:
        checker.close()
        if proc.stdin:
            proc.stdin.close()
        proc.wait(timeout=10)
    assert len(all_reported) >= ROUNDS
    db = open_database(db_url)
    try:
        assert db.annotations.count() >= len(all_reported)
        with db.sessions.read() as s:
            events = s.scalar(text("SELECT count(*) FROM event WHERE entity = 'annotation' AND action = 'create'"))
        assert events == db.annotations.count()
    finally:
        db.close()


def _article_file(path: Path, round_no: int, documents: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        for i in range(documents):
            text = f"Round {round_no}, article {i}. The minister said the talks would resume. NATO denied it."
            spans = [{"start": 0, "end": 5, "annotator": "importer", "stance": "neutral"},
                     {"start": 20, "end": 28, "annotator": "importer", "claim_type": "factual"}]
            out.write(json.dumps({"text": text, "title": f"R{round_no}-{i}", "annotations": spans}) + "\n")


def test_sigkill_during_an_import_keeps_all_of_it_or_none(sqlite_path: str, tmp_path: Path) -> None:
    """One import is one transaction: a kill leaves either the whole file or nothing of it."""
    open_with_samples(sqlite_path).close()
    rng = random.Random(7)
    proc = subprocess.Popen([sys.executable, str(WORKER), sqlite_path], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, bufsize=1)
    outcomes = []
    checker = open_database(sqlite_path)
    try:
        assert _read_line(proc) == "ready"
        for round_no in range(IMPORT_ROUNDS):
            source = tmp_path / f"round{round_no}.jsonl"
            _article_file(source, round_no, IMPORT_DOCUMENTS)
            assert proc.stdin is not None
            proc.stdin.write(f"import {source}\n")
            proc.stdin.flush()
            first, second = sorted((_read_line(proc), _read_line(proc)))  # the two processes race to say theirs
            assert second == "importing" and first.startswith("child "), (first, second)
            pid = int(first.split()[1])
            time.sleep(rng.uniform(0.0, 0.3))
            os.kill(pid, signal.SIGKILL)
            status = int(_read_line(proc).split()[2])
            with checker.sessions.read() as s:
                assert s.execute(text("PRAGMA integrity_check")).all() == [("ok",)]
                docs = s.scalar(text("SELECT count(*) FROM document WHERE title LIKE :p"), {"p": f"R{round_no}-%"})
                spans = s.scalar(text("SELECT count(*) FROM annotation JOIN document d ON d.id = document_id "
                                      "WHERE d.title LIKE :p"), {"p": f"R{round_no}-%"})
            assert (docs, spans) in ((0, 0), (IMPORT_DOCUMENTS, 2 * IMPORT_DOCUMENTS)), f"round {round_no}"
            outcomes.append((os.WIFSIGNALED(status), docs))
    finally:
        checker.close()
        if proc.stdin:
            proc.stdin.close()
        proc.wait(timeout=10)
    assert (True, 0) in outcomes, f"no kill landed inside an import: {outcomes}"
