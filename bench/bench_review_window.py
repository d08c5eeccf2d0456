"""Opening review mode on a real corpus: how long the UI thread is held, and when the corpus figures arrive.

    python bench/bench_review_window.py [--documents N] [--annotators N] [--spans N] [--repeat N]
    (offscreen, SQLite in a temporary directory)

open (UI thread): ReviewWindow built and shown with its first document -> the window answers again
corpus ready:     from the start of opening until the background worker's corpus figures are on screen
corpus inline:    db.review.agreement() on the calling thread (what opening used to wait for)
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from gui.review import ReviewWindow  # noqa: E402
from storage import AnnotationDraft, Database, import_paths, open_database  # noqa: E402

STANCES = ("oppose", "neutral", "support")
CLAIMS = ("factual", "evaluative", "predictive", "policy", "accusation", "denial")


def build_corpus(folder: Path, db: Database, documents: int, annotators: int, spans: int) -> None:
    """Every annotator marks roughly the same passages, with jittered boundaries, misses and label noise."""
    rng = random.Random(7)
    articles = folder / "articles"
    articles.mkdir()
    for n in range(documents):
        words = " ".join(rng.choice(("talks", "resume", "minister", "said", "sanctions", "deal")) for _ in range(900))
        (articles / f"a{n:04d}.txt").write_text(f"Article {n}\n\n{words}\n", encoding="utf-8")
    import_paths(db, [articles])
    docs = [(d.id, len(db.documents.get(d.id).text)) for d in db.documents.list()]
    for a in range(annotators):
        drafts = []
        for doc_id, length in docs:
            for start in sorted(rng.sample(range(0, length - 60, 20), spans)):
                if rng.random() < 0.1:
                    continue
                s, e = max(0, start + rng.randint(-3, 3)), min(length, start + 30 + rng.randint(-3, 3))
                drafts.append(AnnotationDraft(doc_id, s, e, stance=STANCES[(start + (rng.random() < 0.2)) % 3],
                                              claim_type=CLAIMS[(start + (rng.random() < 0.3)) % 6]))
        db.annotations.add_many(drafts, by=f"annotator{a}")


def open_once(db: Database, location: str) -> tuple[float, float]:
    started = time.perf_counter()
    window = ReviewWindow(db, "rita", location=location)
    window.show()
    QApplication.processEvents()
    held = time.perf_counter() - started
    loop = QEventLoop()
    window.corpus.sig_ready.connect(lambda _: loop.quit())
    window.corpus.sig_failed.connect(lambda _: loop.quit())
    QTimer.singleShot(120_000, loop.quit)
    if window.corpus.pending or window.corpus.report is None:
        loop.exec()
    ready = time.perf_counter() - started
    window.close()
    window.deleteLater()
    QApplication.processEvents()
    return held * 1000, ready * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=200)
    parser.add_argument("--annotators", type=int, default=3)
    parser.add_argument("--spans", type=int, default=40, help="passages per document")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        location = str(Path(tmp) / "review.db")
        db = open_database(location)
        build_corpus(Path(tmp), db, args.documents, args.annotators, args.spans)
        db.annotators.ensure("rita", role="reviewer")
        runs = [open_once(db, location) for _ in range(args.repeat)]
        inline = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            db.review.agreement()
            inline.append((time.perf_counter() - t) * 1000)
        db.close()
    print(f"{args.documents} documents x {args.annotators} annotators x {args.spans} passages, "
          f"median of {args.repeat} (ms)")
    print(f"{'step':<20}{'median':>10}{'max':>10}")
    for name, values in (("open (UI thread)", [r[0] for r in runs]), ("corpus ready", [r[1] for r in runs]),
                         ("corpus inline", inline)):
        print(f"{name:<20}{statistics.median(values):>10.0f}{max(values):>10.0f}")
    del app


if __name__ == "__main__":
    main()
