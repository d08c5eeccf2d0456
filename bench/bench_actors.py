"""Actor registry benchmark: 5,000 actors and 200,000 annotations (one actor used 10,000 times), then the
median time of the Actors view's overview (target < 300 ms), of its filtered form, of one actor's passages,
and of a merge of the actor used 10,000 times (target < 1 s) and its undo. `--small` for a quick smoke run.

    .venv/bin/python bench/bench_actors.py [--small] [--runs N] [--db PATH_OR_URL]
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from storage import AnnotationDraft, Database, import_paths, open_database  # noqa: E402

ANNOTATORS = ["alice", "bob", "carol", "dave"]
WORDS = "minister said talks would fail government opposition claimed Kremlin denied reports sanctions".split()
OVERVIEW_MS, MERGE_MS = 300.0, 1000.0
BIG = "Vladimir Putin (variant)"


def build(location: str, folder: Path, n_actors: int, n_annotations: int, big_uses: int, rng: random.Random) -> float:
    started = time.perf_counter()
    n_docs = max(1, n_annotations // 400)
    for n in range(n_docs):
        body = " ".join(rng.choice(WORDS) for _ in range(500))
        (folder / f"a{n:04d}.txt").write_text(f"Article {n}\n\n{body}\n", encoding="utf-8")
    db = open_database(location)
    try:
        import_paths(db, [folder])
        db.actors.create("Vladimir Putin", kind="person", aliases=("Putin",), by="bench")
        docs = [(d.id, d.length) for d in db.documents.list()]
        names = [BIG] + [f"Actor {i}" for i in range(n_actors - 2)]
        drafts: dict[str, list[AnnotationDraft]] = {name: [] for name in ANNOTATORS}
        for i in range(n_annotations):
            doc_id, length = docs[i % len(docs)]
            start = rng.randrange(0, length - 30)
            actor = BIG if i < big_uses else names[1 + i % (len(names) - 1)]
            drafts[ANNOTATORS[i % len(ANNOTATORS)]].append(
                AnnotationDraft(doc_id, start, start + rng.randrange(3, 30), actor=actor))
        for name, batch in drafts.items():
            db.annotations.add_many(batch, by=name)
    finally:
        db.close()
    return time.perf_counter() - started


def timed(step: Callable[[], Any], runs: int) -> tuple[float, float, Any]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = step()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), max(times), result


def report(name: str, median: float, worst: float, target: float | None, note: str = "") -> None:
    verdict = "" if target is None else ("ok" if median < target else "SLOW") + f" (< {target:.0f})"
    print(f"| {name:<34} | {median:>9.1f} | {worst:>8.1f} | {verdict:<13} | {note}")


def measure(db: Database, runs: int) -> None:
    print(f"| {'step':<34} | {'median ms':>9} | {'max ms':>8} | {'target':<13} | note")
    print(f"|{'-' * 36}|{'-' * 11}|{'-' * 10}|{'-' * 15}|------")
    median, worst, rows = timed(db.actors.overview, runs)
    report("overview (every actor, its use)", median, worst, OVERVIEW_MS, f"{len(rows):,} actors")
    median, worst, rows = timed(lambda: db.actors.overview("actor 12"), runs)
    report("overview filtered ('actor 12')", median, worst, OVERVIEW_MS, f"{len(rows):,} actors")
    median, worst, rows = timed(lambda: db.actors.passages(BIG), runs)
    report("passages of the 10,000-use actor", median, worst, None, f"{len(rows):,} passages")
    merges, undos, moved = [], [], 0
    for _ in range(max(1, runs // 2)):
        started = time.perf_counter()
        change = db.actors.merge(BIG, "Vladimir Putin", by="rita")
        merges.append((time.perf_counter() - started) * 1000)
        moved = len(change.annotations)
        started = time.perf_counter()
        db.actors.unmerge(change, by="rita")
        undos.append((time.perf_counter() - started) * 1000)
    report("merge (10,000 uses)", statistics.median(merges), max(merges), MERGE_MS, f"{moved:,} annotations moved")
    report("undo of that merge", statistics.median(undos), max(undos), MERGE_MS, "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="500 actors, 20,000 annotations, 1,000 uses")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--db", help="a SQLite path (kept and reused) or a PostgreSQL URL (an empty database)")
    args = parser.parse_args()
    n_actors, n_annotations, big = (500, 20_000, 1_000) if args.small else (5_000, 200_000, 10_000)
    with tempfile.TemporaryDirectory() as tmp:
        location = args.db or str(Path(tmp) / "bench.db")
        seconds = 0.0
        fresh = "://" in location or not Path(location).exists()
        if fresh:
            seconds = build(location, Path(tmp), n_actors, n_annotations, big, random.Random(7))
        db = open_database(location)
        try:
            backend = "SQLite" if db.is_sqlite else "PostgreSQL"
            print(f"{len(db.actors.list()):,} actors, {db.annotations.count():,} annotations "
                  f"(built in {seconds:.1f} s), {backend}, median of {args.runs} runs\n")
            measure(db, args.runs)
        finally:
            db.close()


if __name__ == "__main__":
    main()
