"""Corpus search benchmark: 1,000 generated articles and 100,000 annotations in a SQLite file, then the median
time of typical queries (a word, a prefix while typing, two words, an actor alias, a note, filters) against
the 200 ms target. `--small` for a quick smoke run.

    .venv/bin/python bench/bench_search.py [--small] [--runs N] [--db PATH]
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from storage import AnnotationDraft, SearchFilters, import_paths, open_database  # noqa: E402

WORDS = ("minister said talks would fail government opposition claimed Kremlin denied reports sanctions "
         "économie Zürich naïve — “quoted” 👍 peace deal vote parliament rejected proposal Lavrov Geneva "
         "ceasefire harvest wheat exports pipeline inflation").split()
NOTES = ("check the transcript", "ambiguous speaker", "quote from wire copy", "", "", "")
CLAIMS = ["factual", "evaluative", "predictive", "policy", "accusation", "denial"]
STANCES = ["oppose", "neutral", "support"]
ANNOTATORS = ["alice", "bob", "carol", "dave"]
TARGET_MS = 200.0
QUERIES: list[tuple[str, str, SearchFilters]] = [
    ("one word", "ceasefire", SearchFilters()),
    ("prefix while typing", "Lavr", SearchFilters()),
    ("two-letter prefix", "pi", SearchFilters()),
    ("two words", "Kremlin denied", SearchFilters()),
    ("actor alias", "Russian FM", SearchFilters(kind="annotations")),
    ("note", "transcript", SearchFilters(kind="annotations")),
    ("word + annotator + stance", "sanctions", SearchFilters(annotator="bob", stance="oppose")),
    ("filters only (claim type)", "", SearchFilters(claim_type="denial")),
    ("no match", "zzyzx", SearchFilters()),
]


def article(rng: random.Random, n: int, size: int = 3000) -> str:
    words, length = [f"Article {n}: {rng.choice(WORDS)} {rng.choice(WORDS)}", "\n"], 0
    while length < size:
        word = rng.choice(WORDS)
        words.append(word)
        length += len(word) + 1
    return " ".join(words)


def build(path: Path, n_docs: int, n_annotations: int, rng: random.Random) -> float:
    started = time.perf_counter()
    folder = Path(tempfile.mkdtemp(dir=path.parent))
    for n in range(n_docs):
        (folder / f"a{n:04d}.txt").write_text(article(rng, n), encoding="utf-8")
    db = open_database(path)
    try:
        import_paths(db, [folder])
        db.actors.create("Sergei Lavrov", kind="person", aliases=("Lavrov", "Russian FM"))
        for i in range(49):
            db.actors.create(f"Actor {i}")
        docs = [(d.id, d.length) for d in db.documents.list()]
        per_doc = n_annotations // len(docs)
        drafts: dict[str, list[AnnotationDraft]] = {name: [] for name in ANNOTATORS}
        for doc_id, length in docs:
            for i in range(per_doc):
                start = rng.randrange(0, length - 40)
                drafts[ANNOTATORS[i % len(ANNOTATORS)]].append(AnnotationDraft(
                    doc_id, start, start + rng.randrange(5, 40), stance=rng.choice(STANCES),
                    actor=rng.choice(["Sergei Lavrov"] + [f"Actor {k}" for k in range(49)]),
                    claim_type=rng.choice(CLAIMS), target=rng.choice(WORDS), note=rng.choice(NOTES)))
        for name, batch in drafts.items():
            db.annotations.add_many(batch, by=name)
    finally:
        db.close()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="100 documents, 10,000 annotations")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--db", type=Path, help="keep the generated database here and reuse it next time")
    args = parser.parse_args()
    n_docs, n_annotations = (100, 10_000) if args.small else (1_000, 100_000)
    with tempfile.TemporaryDirectory() as tmp:
        path = args.db or Path(tmp) / "bench.db"
        seconds = 0.0
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            seconds = build(path, n_docs, n_annotations, random.Random(7))
        db = open_database(path)
        try:
            print(f"{db.documents.count():,} documents, {db.annotations.count():,} annotations "
                  f"(built in {seconds:.1f} s), SQLite, median of {args.runs} runs\n")
            print(f"{'query':<28} {'text':<16} {'hits':>5} {'median ms':>10} {'max ms':>8}  target")
            for name, query, filters in QUERIES:
                times, hits = [], []
                for _ in range(args.runs):
                    started = time.perf_counter()
                    hits = db.search.search(query, filters)
                    times.append((time.perf_counter() - started) * 1000)
                median = statistics.median(times)
                verdict = "ok" if median < TARGET_MS else "SLOW"
                print(f"{name:<28} {query!r:<16} {len(hits):>5} {median:>10.1f} {max(times):>8.1f}  "
                      f"{verdict} (< {TARGET_MS:.0f})")
        finally:
            db.close()


if __name__ == "__main__":
    main()
