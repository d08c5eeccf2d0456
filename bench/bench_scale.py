"""Scale (issue 9): 10,000 documents and 1,000,000 annotations on SQLite, against the issue's targets.

    python bench/bench_scale.py [--keep DIR] [--rebuild] [--documents N] [--annotations N] [--repeat N]
    (offscreen; the database is built once and kept for the next run: in DIR, or in the temp folder)

The corpus is what the importer writes (native JSONL through `import_paths`, in chunks of 1,000 documents):
4 annotators marking about the same passages of every document (jittered boundaries, misses, label noise,
labels from the default scheme, 40 actors), statuses, documents of 1-40 KB, and one 2 MB article with 50,000
overlapping annotations by the analyst (bench_window's article), counted in the total.

list:      db.documents.list(annotator) (the query the window's document list shows)
list shown: the same query + the window's document list filled + painted (viewport().repaint())
open / loaded: the 2 MB article chosen in the window's list (bench_window's two steps), beside the same article
           in a database that holds it and one short article (built in the same run): the scale must not slow it
agreement: the review window's corpus agreement (gui.review.corpus_agreement, a worker thread) while a 5 ms
           QTimer heartbeat runs on the UI thread: the longest gap between two beats is the longest UI stall;
           then the same beat beside a thread of plain bytecode (the floor the load sets), and the memory
export:    export_jsonl native of the whole corpus against bench_storage's raw sqlite3 + json baseline
           (the same bytes, checked)
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QElapsedTimer, QEventLoop, QSettings, QTimer  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from bench_storage import differences, raw_export  # type: ignore[import-not-found]  # noqa: E402
from bench_window import make_article, timed_open  # type: ignore[import-not-found]  # noqa: E402
from gui.app import make_application, open_window  # noqa: E402
from gui.settings import Settings  # noqa: E402
from storage import export_jsonl, import_paths, open_database  # noqa: E402

ANALYST = "alice"
ANNOTATORS = ("alice", "bob", "carol", "dave")
STANCES = ("oppose", "neutral", "support")
CLAIMS = ("factual", "evaluative", "predictive", "policy", "accusation", "denial")
ACTORS = tuple(f"Actor {n}" for n in range(40))
WORDS = ("the minister said talks would resume after the summit although opposition groups rejected any deal "
         "brokered in Sochi while analysts expect sanctions Kremlin Geneva négociations 🙂 government claimed "
         "denied reports vote parliament proposal ceasefire").split()
BIG_TITLE, BIG_SIZE, BIG_SPANS = "Benchmark article", 2_000_000, 50_000
CHUNK = 1_000
LIST_MS, OPEN_MS, STALL_MS, EXPORT_RATIO, SCALE_RATIO = 200.0, 300.0, 50.0, 1.5, 1.2


# -- the corpus ---------------------------------------------------------------------------------------------
def corpus_text(rng: random.Random, n: int) -> str:
    """1-40 KB, most of them a few KB (news articles), in paragraphs."""
    size = int(min(40_000, max(1_000, rng.lognormvariate(8.4, 0.6))))
    words = rng.choices(WORDS, k=size // 6)
    for i in range(40, len(words), rng.randint(60, 160)):
        words[i] += "\n"
    return f"Article {n}: {words[0]} {words[1]}\n" + " ".join(words)


def passages(rng: random.Random, doc_id: str, length: int, per_annotator: int) -> list[dict[str, Any]]:
    """Every annotator marks roughly the same passages: jittered boundaries, a tenth missed, some labels differ."""
    spans = []
    starts = sorted(rng.sample(range(0, max(1, length - 80)), min(per_annotator, max(1, length - 80))))
    for name in ANNOTATORS:
        for start in starts:
            if rng.random() < 0.1:
                continue
            s, e = max(0, start + rng.randint(-3, 3)), min(length, start + 40 + rng.randint(-3, 3))
            spans.append({"annotator": name, "start": s, "end": e,
                          "stance": STANCES[(start + (rng.random() < 0.2)) % 3],
                          "claim_type": CLAIMS[(start + (rng.random() < 0.3)) % 6],
                          "actor": ACTORS[(start // 7 + (rng.random() < 0.2)) % len(ACTORS)]})
    return spans


def native_line(doc_id: str, title_text: str, spans: list[dict[str, Any]], statuses: dict[str, str]) -> str:
    return json.dumps({"stancemark": 1, "id": doc_id, "text": title_text, "annotations": spans,
                       "actors": {a: {"kind": "organisation", "aliases": []} for a in {s.get("actor") for s in spans} if a},
                       "status": {name: {"status": status} for name, status in statuses.items()}},
                      ensure_ascii=False)


def build(folder: Path, documents: int, annotations: int) -> dict[str, Any]:
    """Writes the native JSONL chunks and imports them; returns what was built and how long it took."""
    rng = random.Random(20261202)
    started = time.perf_counter()
    files = folder / "import"
    files.mkdir(parents=True, exist_ok=True)
    big = make_article(rng, BIG_SIZE)
    big_spans = []
    for _ in range(BIG_SPANS if annotations > BIG_SPANS * 2 else annotations // 20):
        start = rng.randrange(0, len(big) - 200)
        big_spans.append({"annotator": ANALYST, "start": start, "end": start + rng.randint(3, 180),
                          "claim_type": rng.choice(CLAIMS), "stance": rng.choice(("oppose", "support", None))})
    (files / "big.jsonl").write_text(native_line("big", big, big_spans, {ANALYST: "in_progress"}) + "\n",
                                     encoding="utf-8")
    remaining_docs, remaining_spans = documents - 1, annotations - len(big_spans)
    # Passages per annotator and document, on average what reaches the total (a tenth of them are missed).
    mean = max(1.0, remaining_spans / remaining_docs / len(ANNOTATORS) / 0.9)
    written, chunks = len(big_spans), []
    for first in range(0, remaining_docs, CHUNK):
        lines = []
        for n in range(first, min(remaining_docs, first + CHUNK)):
            text = corpus_text(rng, n)
            doc_id = f"d{n:05d}"
            spans = passages(rng, doc_id, len(text), int(mean) + (rng.random() < mean % 1))
            statuses = {name: rng.choice(("done", "done", "in_progress", "todo")) for name in ANNOTATORS}
            written += len(spans)
            lines.append(native_line(doc_id, text, spans, statuses))
        path = files / f"corpus{first // CHUNK:03d}.jsonl"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        chunks.append(path)
    generated = time.perf_counter() - started
    location = str(folder / "scale.db")
    db = open_database(location)
    imported = time.perf_counter()
    import_paths(db, [files / "big.jsonl"])
    for path in chunks:
        import_paths(db, [path])
    db.close()
    alone = str(folder / "alone.db")
    db = open_database(alone)
    # A second, short document, to come from before each open (as in the big database).
    (files / "other.jsonl").write_text(native_line("other", corpus_text(rng, -1), [], {}) + "\n", encoding="utf-8")
    import_paths(db, [files / "big.jsonl", files / "other.jsonl"])
    db.close()
    info = {"documents": documents, "annotations": written, "requested": annotations,
            "generate_s": generated, "import_s": time.perf_counter() - imported,
            "total_s": time.perf_counter() - started}
    (folder / "built.json").write_text(json.dumps(info), encoding="utf-8")
    return info


def prepared(folder: Path, documents: int, annotations: int, rebuild: bool) -> dict[str, Any]:
    marker = folder / "built.json"
    if marker.exists() and not rebuild:
        info = json.loads(marker.read_text(encoding="utf-8"))
        if info["documents"] == documents and info["requested"] == annotations:
            info["cached"] = True
            return info
    for name in ("scale.db", "scale.db-wal", "scale.db-shm", "alone.db", "alone.db-wal", "alone.db-shm"):
        (folder / name).unlink(missing_ok=True)
    info = build(folder, documents, annotations)
    info["cached"] = False
    return info


# -- the measurements ---------------------------------------------------------------------------------------
def cpu_and_wall(action: Any) -> tuple[float, float, Any]:
    began, cpu = time.perf_counter(), time.process_time()
    result = action()
    return (time.perf_counter() - began) * 1000, (time.process_time() - cpu) * 1000, result


def open_big(location: str, scratch: Path, repeat: int) -> tuple[Any, list[tuple[float, float]],
                                                                  list[tuple[float, float]], list[Any]]:
    """Opens the window on `location` and the 2 MB article `repeat` times: (window, open, loaded, list rows)."""
    settings = Settings(QSettings(str(scratch / f"settings-{Path(location).stem}.ini"), QSettings.Format.IniFormat))
    window = open_window(location, ANALYST, settings)
    assert window is not None
    window.controller.poll_timer.stop()
    window.resize(1280, 800)
    window.show()
    QTest.qWaitForWindowExposed(window)
    model = window.documents.model
    rows = {model.summary_at(r).title: model.summary_at(r).id for r in range(model.rowCount())}
    big = rows[BIG_TITLE]
    other = next(i for t, i in rows.items() if t != BIG_TITLE)
    opens, loads = [], []
    for _ in range(repeat):
        window.documents.select(other)
        settle(window)
        first, loaded = timed_open(lambda: window.documents.select(big), window.view.viewport().repaint,
                                   lambda: window.controller.loading)
        opens.append(first)
        loads.append(loaded)
    return window, opens, loads, rows


def settle(window: Any, idle_ms: int = 300) -> None:
    """The document opened before the timed one finished: its rest loaded and its background reads answered.
    Without this the timed open also paid for the previous one, which in the big database is a corpus
    document with four annotators' spans (in the small one, a short text without any): about 150 ms of the
    UI thread's CPU that the ratio against "alone" then counted as the scale's."""
    while window.controller.loading:
        QApplication.processEvents()
    QTest.qWait(idle_ms)


def longest_stall(start: Any, done: Any, limit_s: float = 900.0) -> tuple[float, float, int]:
    """Runs `start()` and the event loop until `done()`, with a 5 ms heartbeat: (longest gap ms, total ms, beats)."""
    clock = QElapsedTimer()
    gaps: list[float] = []
    last = [0.0]
    heartbeat = QTimer()
    heartbeat.setInterval(5)

    def beat() -> None:
        now = clock.nsecsElapsed() / 1e6
        gaps.append(now - last[0])
        last[0] = now
    heartbeat.timeout.connect(beat)
    loop = QEventLoop()
    finish = QTimer()
    finish.setInterval(20)
    finish.timeout.connect(lambda: loop.quit() if done() else None)
    clock.start()
    heartbeat.start()
    finish.start()
    start()
    last[0] = clock.nsecsElapsed() / 1e6
    QTimer.singleShot(int(limit_s * 1000), loop.quit)
    loop.exec()
    heartbeat.stop()
    finish.stop()
    return max(gaps, default=0.0), clock.nsecsElapsed() / 1e6, len(gaps)


def busy_python(seconds: float) -> tuple[Any, Any]:
    """(start, done) for `longest_stall`: a thread running plain bytecode for `seconds`, which hands the GIL
    over every 5 ms; the longest gap beside it is what scheduling on a loaded machine adds by itself."""
    import threading

    def spin() -> None:
        end, x = time.perf_counter() + seconds, 0
        while time.perf_counter() < end:
            for i in range(1000):
                x += i * i
    worker = threading.Thread(target=spin)
    return worker.start, lambda: not worker.is_alive()


def resident_mb() -> float:
    """The process's resident set size now (Linux: /proc/self/statm, in pages)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def row(step: str, value: str, target: str, result: str, note: str = "") -> tuple[str, str, str, str, str]:
    """One line of the table, printed as soon as it is measured (a long run shows what it has so far)."""
    print(f"{step:<40}{value:>11}  {target:<20}{result:<8}{note}", flush=True)
    return step, value, target, result, note


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="build (or reuse) the database in this folder")
    parser.add_argument("--rebuild", action="store_true", help="build the database again even if it is there")
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--annotations", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--skip", nargs="*", default=(), choices=("list", "open", "agreement", "export"))
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.gettempdir()) / f"stancemark-bench-scale-{args.documents}-{args.annotations}"
    folder.mkdir(parents=True, exist_ok=True)
    info = prepared(folder, args.documents, args.annotations, args.rebuild)
    location = str(folder / "scale.db")
    size_mb = sum(p.stat().st_size for p in folder.glob("scale.db*")) / 1e6
    built = "reused" if info["cached"] else "built"
    probe = open_database(location)  # brings an older database up to the newest revision first
    counts = f"{probe.documents.count():,} documents, {probe.annotations.count():,} annotations"
    probe.close()
    size_mb = sum(p.stat().st_size for p in folder.glob("scale.db*")) / 1e6
    print(f"scale benchmark: {counts}, SQLite {size_mb:,.0f} MB ({folder})")
    print(f"database {built}: generated in {info['generate_s']:.1f} s, imported in {info['import_s']:.1f} s, "
          f"{info['total_s']:.1f} s in all")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores at the start; medians of {args.repeat} "
          "(CPU ms: this process only)")
    print(f"{'step':<40}{'value':>11}  {'target':<20}{'result':<8}note", flush=True)
    app = make_application()
    rows: list[tuple[str, str, str, str, str]] = []
    with tempfile.TemporaryDirectory() as scratch_dir:
        scratch = Path(scratch_dir)
        db = open_database(location)
        if "list" not in args.skip:
            samples = [cpu_and_wall(lambda: db.documents.list(annotator=ANALYST)) for _ in range(args.repeat)]
            wall = statistics.median(s[0] for s in samples)
            rows.append(row("list: storage query", f"{wall:.1f} ms", f"{LIST_MS:.0f} ms",
                            "ok" if wall < LIST_MS else "MISS",
                            f"CPU {statistics.median(s[1] for s in samples):.1f} ms, {len(samples[0][2]):,} rows"))
        window, opens, loads, _rows = open_big(location, scratch, args.repeat if "open" not in args.skip else 1)
        if "list" not in args.skip:
            listing = window.documents

            def shown() -> None:
                listing.set_documents(db.documents.list(annotator=ANALYST))
                listing.view.viewport().repaint()
            fills = []
            for _ in range(args.repeat):
                fills.append(cpu_and_wall(shown)[:2])
                QApplication.processEvents()
            wall = statistics.median(f[0] for f in fills)
            rows.append(row("list shown: query + filled + painted", f"{wall:.1f} ms", f"{LIST_MS:.0f} ms",
                            "ok" if wall < LIST_MS else "MISS",
                            f"CPU {statistics.median(f[1] for f in fills):.1f} ms, {listing.model.rowCount():,} rows"))
        if "open" not in args.skip:
            alone, alone_opens, alone_loads, _ = open_big(str(folder / "alone.db"), scratch, args.repeat)
            alone.close()
            for name, big, small in (("open (first screen painted)", opens, alone_opens),
                                     ("loaded (every annotation shown)", loads, alone_loads)):
                wall, base = statistics.median(w for w, _ in big), statistics.median(w for w, _ in small)
                verdict = "ok" if wall <= base * SCALE_RATIO and (name[:4] != "open" or wall < OPEN_MS) else "MISS"
                target = f"{SCALE_RATIO}x alone" + (f", {OPEN_MS:.0f} ms" if name[:4] == "open" else "")
                rows.append(row(name, f"{wall:.1f} ms", target, verdict,
                                f"CPU {statistics.median(c for _, c in big):.1f} ms; alone {base:.1f} ms "
                                f"(CPU {statistics.median(c for _, c in small):.1f}), ratio {wall / base:.2f}"))
        if "agreement" not in args.skip:
            from gui.review.corpus_agreement import CorpusAgreement

            corpus = CorpusAgreement(db, location)
            outcome: list[Any] = []
            corpus.sig_ready.connect(outcome.append)
            corpus.sig_failed.connect(lambda message: outcome.append(RuntimeError(message)))
            before_mb = peak_mb = resident_mb()

            def arrived() -> bool:  # checked every 20 ms: the resident size sampled as well
                nonlocal peak_mb
                peak_mb = max(peak_mb, resident_mb())
                return bool(outcome)
            cpu, ui_cpu = time.process_time(), time.thread_time()
            stall, total, beats = longest_stall(corpus.compute, arrived)
            cpu_s, ui_cpu_s = time.process_time() - cpu, time.thread_time() - ui_cpu
            failed = next((o for o in outcome if isinstance(o, Exception)), None)
            rows.append(row("agreement: longest UI stall (5 ms beat)", f"{stall:.1f} ms", f"{STALL_MS:.0f} ms",
                            "FAILED" if failed or not outcome else ("ok" if stall < STALL_MS else "MISS"),
                            f"{failed}" if failed else f"{beats:,} beats, load average {os.getloadavg()[0]:.1f}"))
            rows.append(row("agreement: figures ready", f"{total / 1000:.1f} s", "-", "-",
                            f"process CPU {cpu_s:.1f} s (UI thread {ui_cpu_s:.1f} s)"))
            floor, _, floor_beats = longest_stall(*busy_python(min(total / 1000, 60.0)))
            rows.append(row("  the same beat beside pure Python", f"{floor:.1f} ms", "-", "-",
                            f"{floor_beats:,} beats: the floor this machine's load sets (no long C call)"))
            rows.append(row("agreement: peak resident memory", f"{peak_mb:.0f} MB", "-", "-",
                            f"{before_mb:.0f} MB before, +{peak_mb - before_mb:.0f} MB (sampled every 20 ms); "
                            f"process high-water {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"))
        window.close()
        QApplication.processEvents()
        if "export" not in args.skip:
            ours, raw = scratch / "ours.jsonl", scratch / "raw.jsonl"
            mine, base = float("inf"), float("inf")
            for _ in range(2):  # best of two, in turns
                mine = min(mine, cpu_and_wall(lambda: export_jsonl(db, "native", ours))[0] / 1000)
                base = min(base, cpu_and_wall(lambda: raw_export(location, "native", raw))[0] / 1000)
            ratio = mine / base
            rows.append(row("export native, whole corpus", f"{mine:.1f} s", f"{EXPORT_RATIO}x raw",
                            "ok" if ratio <= EXPORT_RATIO else "MISS",
                            f"raw {base:.1f} s, ratio {ratio:.2f}, {ours.stat().st_size / 1e6:.0f} MB"
                            + differences(ours, raw)))
        db.close()
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    del app


if __name__ == "__main__":
    main()
