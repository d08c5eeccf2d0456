"""Agreement speed on a synthetic corpus; prints a table (no database: the pure functions alone).

    python bench/bench_agreement.py [--documents N] [--annotators N] [--spans N] [--length CHARS] [--repeat N]

units:    build_units for every document (matching: Hungarian assignment per annotator)
document: document_report for one document (all figures, every pair and all together)
corpus:   corpus_report over every document (pooled figures incl. per-character boundary alpha)
"""
from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import datetime, timezone

from storage.agreement import DocumentInput, build_units, corpus_report, document_report
from storage.records import AnnotationRecord

STANCES = ("oppose", "neutral", "support")
CLAIMS = ("factual", "evaluative", "predictive", "policy", "accusation", "denial")
NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)


def make_document(rng: random.Random, n: int, annotators: int, spans: int, length: int) -> DocumentInput:
    """Every annotator marks roughly the same passages, with jittered boundaries, misses and label noise."""
    doc_id = f"doc{n:05d}"
    records = []
    passages = sorted(rng.sample(range(0, length - 60, 20), spans))
    for a in range(annotators):
        for p, start in enumerate(passages):
            if rng.random() < 0.1:
                continue
            s = max(0, start + rng.randint(-3, 3))
            e = min(length, start + 30 + rng.randint(-3, 3))
            records.append(AnnotationRecord(
                f"{doc_id}-{a}-{p}", doc_id, f"annotator{a}", s, e, "x" * (e - s),
                STANCES[(p + (rng.random() < 0.2)) % 3], f"actor{p % 7}", CLAIMS[(p + (rng.random() < 0.3)) % 6],
                None, "", 1, 1, NOW, NOW))
    return DocumentInput(doc_id, length, tuple(records), tuple(f"annotator{a}" for a in range(annotators)))


def timed(step, repeat: int) -> float:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(repeat):
        t = time.perf_counter()
        step()
        samples.append((time.perf_counter() - t) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=200)
    parser.add_argument("--annotators", type=int, default=3)
    parser.add_argument("--spans", type=int, default=40, help="passages per document")
    parser.add_argument("--length", type=int, default=5000, help="characters per document")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rng = random.Random(7)
    docs = [make_document(rng, n, args.annotators, args.spans, args.length) for n in range(args.documents)]
    total_spans = sum(len(d.annotations) for d in docs)
    order = STANCES
    rows = [
        ("units (all documents)", timed(lambda: [build_units(d.document_id, d.annotations, d.participants)
                                                 for d in docs], args.repeat)),
        ("document report (one)", timed(lambda: document_report(docs[0], order), args.repeat)),
        ("corpus report", timed(lambda: corpus_report(docs, order), args.repeat)),
    ]
    print(f"{args.documents} documents x {args.length} characters, {args.annotators} annotators, "
          f"{total_spans} spans; median of {args.repeat}")
    print(f"{'step':<24} {'ms':>10}")
    print(f"{'-' * 24} {'-' * 10}")
    for name, ms in rows:
        print(f"{name:<24} {ms:>10.1f}")


if __name__ == "__main__":
    main()
