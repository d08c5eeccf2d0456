"""Prodigy's own example datasets (explosion/prodigy-recipes, example-datasets/*.jsonl), read from
STANCEMARK_PEER_FILES/prodigy when that folder exists; skipped otherwise (third-party files are not committed).

Each file goes in whole: accepted tasks become annotations at the file's own offsets, rejected and ignored
ones are counted exactly as the file has them, and --keep-rejected keeps them apart."""
from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

import pytest

from storage import import_paths

FOLDER = Path(os.environ.get("STANCEMARK_PEER_FILES", "/nonexistent")) / "prodigy"
FILES = sorted(p for p in FOLDER.glob("*.jsonl") if p.stat().st_size) if FOLDER.is_dir() else []


def _tasks(path: Path) -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.skipif(not FILES, reason="no Prodigy example files in $STANCEMARK_PEER_FILES/prodigy")
@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_prodigy_example_dataset_counts_every_answer_and_keeps_accepted_spans_at_their_offsets(db, path: Path) -> None:
    tasks = _tasks(path)
    expected = Counter()
    for task in tasks:
        expected[task.get("answer") or "accept"] += 1
    summary = import_paths(db, [path], label_as="claim_type")
    assert {answer: counts[0] for answer, counts in summary.answers.items()} == \
        {answer: n for answer, n in expected.items()}
    accepted = {}
    for task in tasks:
        if (task.get("answer") or "accept") == "accept":
            accepted.setdefault(task["text"], set()).update(
                (s["start"], s["end"], s["label"].lower()) for s in task.get("spans") or [])
    stored = {}
    for doc in db.documents.list():
        text = db.documents.get(doc.id).text
        spans = {(a.start, a.end, (a.claim_type or "").lower()) for a in db.annotations.for_document(doc.id)}
        for a in db.annotations.for_document(doc.id):
            assert text[a.start:a.end] == a.quote
        stored.setdefault(text, set()).update(spans)
    assert set(stored) == set(accepted)  # rejected and ignored texts did not become documents
    assert stored == accepted
    print(f"{path.name}: {dict(expected)}; {sum(map(len, accepted.values()))} accepted spans stored")


@pytest.mark.skipif(not FILES, reason="no Prodigy example files in $STANCEMARK_PEER_FILES/prodigy")
def test_keep_rejected_stores_negatives_apart(db) -> None:
    path = max(FILES, key=lambda p: sum(t.get("answer") == "reject" for t in _tasks(p)))
    # The same task may be answered twice: a span of one text counts once.
    rejected = {(t["text"], s["start"], s["end"]) for t in _tasks(path) if t.get("answer") == "reject"
                for s in t.get("spans") or []}
    import_paths(db, [path], label_as="claim_type", keep_rejected=True)
    kept = {(db.documents.get(d.id).text, a.start, a.end) for d in db.documents.list()
            for a in db.annotations.for_document(d.id) if a.annotator.endswith(":rejected")}
    assert kept == rejected and len(rejected) > 1000
