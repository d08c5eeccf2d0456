"""The longest UI-thread stall while reads run in the background: a 5 ms QTimer heartbeat, and the largest gap
between two beats, (1) while the review window opens a document with 5,000 units and (2) while the Gold dock
refreshes a document with 50,000 of my annotations. Target: no gap over 50 ms.

    python bench/bench_ui_stall.py [--units 5000] [--annotations 50000] [--repeat 3] [--where]
    (offscreen, SQLite in a temporary directory; the machine's load average is printed beside the figures)

rows:    the heartbeat alone (the machine's noise), the review window opening the document while its corpus
         figures are computed in another job (as right after the window opens), the same once they are in, and
         the Gold dock
stall:   the largest heartbeat gap from the moment the action starts until its result is on screen
slot:    the longest single UI-thread step of the action (starting it, or showing one part of what arrived):
         what the window itself does on the UI thread; the rest of a stall is the pool thread holding the GIL
ready:   from the start of the action until the result is shown (the work done in the pool thread)
--where: at every beat later than 50 ms, the other threads' stacks (sys._current_frames): where the pool thread
         was when the UI thread got the GIL back, i.e. what held it; printed grouped, most frequent first
"""
from __future__ import annotations

import argparse
import collections
import gc
import os
import threading
import traceback
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from gui.gold_dock import GoldDock  # noqa: E402
from gui.review import ReviewWindow  # noqa: E402
from storage import AnnotationDraft, Database, import_paths, open_database  # noqa: E402

BEAT_MS = 5
LATE_MS = 50
WHERE: collections.Counter[str] | None = None  # --where: stacks seen at late beats -> how often
STANCES = ("oppose", "neutral", "support")
WORDS = ("talks", "resume", "minister", "said", "sanctions", "deal", "ceasefire", "envoy")


def long_article(folder: Path, db: Database, passages: int, name: str) -> tuple[str, int]:
    """One article long enough for `passages` 30-character passages 40 characters apart, in paragraphs."""
    rng = random.Random(11)
    paragraphs, length = [], 0
    while length < passages * 40 + 200:
        paragraph = " ".join(rng.choice(WORDS) for _ in range(120))
        paragraphs.append(paragraph)
        length += len(paragraph) + 2
    path = folder / f"{name}.txt"
    path.write_text(f"{name}\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    import_paths(db, [path])
    doc = next(d for d in db.documents.list() if d.title == name)
    return doc.id, len(db.documents.get(doc.id).text)


def mark(db: Database, doc: str, length: int, passages: int, annotators: list[str], jitter: bool) -> None:
    rng = random.Random(5)
    starts = [40 * n for n in range(passages) if 40 * n + 34 < length]
    for who in annotators:
        drafts = []
        for start in starts:
            s = start + (rng.randint(0, 2) if jitter else 0)
            drafts.append(AnnotationDraft(doc, s, s + 30, stance=STANCES[(start // 40 + (rng.random() < 0.2)) % 3]))
        db.annotations.add_many(drafts, by=who)


SLOTS: list[float] = []


def timed_slots() -> None:
    """Records how long each UI-thread step of opening / refreshing takes (SLOTS, ms)."""
    for owner, names in ((ReviewWindow, ("open_document", "_document_read", "_show_units", "_show_figures")),
                         (GoldDock, ("show_document", "_arrived"))):
        for name in names:
            method = getattr(owner, name)

            def step(self, *args, _method=method):  # type: ignore[no-untyped-def]
                started = time.perf_counter()
                try:
                    return _method(self, *args)
                finally:
                    SLOTS.append((time.perf_counter() - started) * 1000)

            setattr(owner, name, step)


def longest_stall(start: Callable[[], None], done: Callable[[], bool], limit_s: float = 300.0) -> tuple[float, float, float]:
    """Runs `start` from the event loop with a heartbeat going; returns (largest gap, time until `done`), ms."""
    beats: list[float] = []
    SLOTS.clear()
    loop = QEventLoop()
    heart = QTimer()
    heart.setInterval(BEAT_MS)
    began = [0.0]

    def beat() -> None:
        beats.append(time.perf_counter())
        if WHERE is not None and began[0] and (beats[-1] - beats[-2]) * 1000 > LATE_MS:
            note_where(beats[-2], beats[-1])
        if began[0] and done():
            loop.quit()

    def go() -> None:
        began[0] = time.perf_counter()
        beats.append(began[0])
        start()

    heart.timeout.connect(beat)
    heart.start()
    QTimer.singleShot(50, go)
    QTimer.singleShot(int(limit_s * 1000), loop.quit)
    loop.exec()
    heart.stop()
    ended = time.perf_counter()
    beats.append(ended)
    after = [b for b in beats if b >= began[0]]
    gaps = [b - a for a, b in zip(after, after[1:])]
    return max(gaps) * 1000, max(SLOTS, default=0.0), (ended - began[0]) * 1000


COLLECTIONS: list[tuple[float, float, int, str]] = []  # --where: collections over 20 ms (ended, ms, generation, thread)
_collection_started: dict[int, float] = {}


def time_collections(phase: str, info: dict[str, int]) -> None:
    """gc.callbacks: how long each collection holds the GIL, and in which thread."""
    ident = threading.get_ident()
    if phase == "start":
        _collection_started[ident] = time.perf_counter()
    elif ident in _collection_started:
        ended = time.perf_counter()
        took = (ended - _collection_started.pop(ident)) * 1000
        if took > 20:
            COLLECTIONS.append((ended, took, info["generation"], threading.current_thread().name))


def note_where(previous: float, late: float) -> None:
    """The innermost frames of every other thread, at a beat that came late (and any collection meanwhile)."""
    assert WHERE is not None
    gap = late - previous
    for ended, took, generation, thread in COLLECTIONS:
        if previous <= ended <= late:
            WHERE[f"{gap * 1000:>5.0f} ms  a collection of generation {generation} in {thread}, {took:.0f} ms"] += 1
    me = threading.get_ident()
    for ident, frame in sys._current_frames().items():
        if ident == me:
            continue
        frames = traceback.extract_stack(frame)[-6:]
        if frames and "wait" in frames[-1].name and "threading" in frames[-1].filename:
            continue  # an idle thread
        where = " < ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in reversed(frames))
        WHERE[f"{gap * 1000:>5.0f} ms  {where}"] += 1


def review_once(db: Database, location: str, doc: str, corpus_done: bool = False) -> tuple[float, float, float]:
    """`corpus_done`: the window's corpus figures (a job of their own, started with the window) are in first,
    so only the document's read runs beside the UI thread."""
    window = ReviewWindow(db, "rita", location=location)
    window.resize(1400, 900)
    window.show()
    other = next(d.id for d in db.documents.list() if d.id != doc)
    window.open_document(other)
    wait(lambda: not window.loading and not (corpus_done and window.corpus.pending))
    result = longest_stall(lambda: window.open_document(doc), lambda: not window.loading and window.text != "")
    window.close()
    window.deleteLater()
    QApplication.processEvents()
    return result


def idle_once() -> tuple[float, float, float]:
    """The machine's own noise: the heartbeat for two seconds with nothing else running in the process."""
    ends = [0.0]
    return longest_stall(lambda: ends.__setitem__(0, time.perf_counter() + 2.0), lambda: time.perf_counter() > ends[0])


def gold_once(db: Database, location: str, doc: str) -> tuple[float, float, float]:
    dock = GoldDock(db, "alice", location=location)
    dock.resize(900, 600)
    dock.show()
    dock.set_on_screen(True)
    wait(lambda: not dock.loading)

    class Document:
        id = doc

    result = longest_stall(lambda: dock.show_document(Document()),
                           lambda: not dock.loading and dock.model.rowCount() > 0)
    dock.close()
    dock.deleteLater()
    QApplication.processEvents()
    return result


def wait(condition: Callable[[], bool], limit_s: float = 300.0) -> None:
    deadline = time.perf_counter() + limit_s
    while not condition() and time.perf_counter() < deadline:
        QApplication.processEvents()
        time.sleep(0.005)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=5000)
    parser.add_argument("--annotations", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--where", action="store_true", help="stacks of the other threads at late beats")
    args = parser.parse_args()
    global WHERE
    WHERE = collections.Counter() if args.where else None
    if args.where:
        gc.callbacks.append(time_collections)
    app = QApplication.instance() or QApplication([])
    timed_slots()
    with tempfile.TemporaryDirectory() as tmp:
        location = str(Path(tmp) / "stall.db")
        db = open_database(location)
        review_doc, length = long_article(Path(tmp), db, args.units, "Review article")
        mark(db, review_doc, length, args.units, ["alice", "bob", "carol"], jitter=True)
        long_article(Path(tmp), db, 10, "Short article")
        gold_doc, length = long_article(Path(tmp), db, args.annotations, "Gold article")
        mark(db, gold_doc, length, args.annotations, ["alice"], jitter=False)
        db.annotators.ensure("rita", role="reviewer")
        units = len(db.review.units(review_doc))
        idles = [idle_once() for _ in range(args.repeat)]
        reviews = [review_once(db, location, review_doc) for _ in range(args.repeat)]
        alone = [review_once(db, location, review_doc, corpus_done=True) for _ in range(args.repeat)]
        golds = [gold_once(db, location, gold_doc) for _ in range(args.repeat)]
        db.close()
    load = os.getloadavg()
    print(f"review: {units} units (3 annotators); gold: {args.annotations} annotations; "
          f"{args.repeat} runs; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print(f"{'action (ms)':<28}{'stall median':>14}{'stall max':>11}{'slot max':>10}{'ready median':>14}")
    for name, runs in (("heartbeat alone (2 s)", idles), ("review opens a document", reviews),
                       ("  with corpus figures done", alone), ("gold dock refreshes", golds)):
        stalls, slots, ready = [r[0] for r in runs], [r[1] for r in runs], [r[2] for r in runs]
        print(f"{name:<28}{statistics.median(stalls):>14.0f}{max(stalls):>11.0f}{max(slots):>10.0f}"
              f"{statistics.median(ready):>14.0f}")
    if WHERE is not None:
        print(f"\nother threads at beats later than {LATE_MS} ms (gap, innermost frame first):")
        for where, _ in sorted(WHERE.items(), key=lambda kv: -float(kv[0].split()[0]))[:25]:
            print(" ", where)
        print(f"collections over 20 ms: {len(COLLECTIONS)}")
        for _, took, generation, thread in sorted(COLLECTIONS, key=lambda c: -c[1])[:10]:
            print(f"  {took:>6.0f} ms  generation {generation}  in {thread}")
    del app


if __name__ == "__main__":
    main()
