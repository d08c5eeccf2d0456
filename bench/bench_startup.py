"""Start-up: from process start to the window's first paint, and on to the window being ready (documents listed,
the last document shown), offscreen, on a database of 1,000 documents.

    python bench/bench_startup.py [--runs 5] [--documents 1000]

Each run is a fresh interpreter (`python bench/bench_startup.py --probe DB`) started with the parent's clock
reading in its environment; the probe imports the app and starts the window as `stancemark` does
(`gui.app.launch_window`: the frame is painted, then the database opens), and reports the moment the first
Paint event arrives and the moment the window says it is ready (`MainWindow.sig_ready`). The first run warms
the file cache and is not counted. Then the slowest imports of `import gui.app`, from `python -X importtime`,
and of what opening the database adds. Target (issue 9): first paint under 600 ms."""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_MS = 600.0
STEPS = ("interpreter start", "imports (gui.app and Qt; no database layer)", "frame built and shown",
         "to the first paint", "database opened, documents listed, document shown")


def _probe(database: str) -> None:
    started = float(os.environ["STARTUP_BENCH_T0"])
    at_probe = time.time()
    from PySide6.QtCore import QEvent, QObject, QSettings, QTimer

    from gui.app import launch_window, make_application
    from gui.settings import Settings

    imported = time.time()

    app = make_application([sys.argv[0]])
    painted: list[float] = []
    ready: list[float] = []

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
            if event.type() == QEvent.Type.Paint and not painted:
                painted.append(time.time())
            return False

    watcher = FirstPaint()
    app.installEventFilter(watcher)
    settings = Settings(QSettings(str(Path(database).with_suffix(".ini")), QSettings.Format.IniFormat))
    settings.annotator = "bench"  # a returning analyst: the name is known, as on every start but the first
    window = launch_window(database, None, settings)
    assert window is not None
    built = time.time()

    def on_ready() -> None:
        ready.append(time.time())
        QTimer.singleShot(0, app.quit)

    if window.attached:
        on_ready()
    else:
        window.sig_ready.connect(on_ready)
    QTimer.singleShot(10_000, app.quit)
    app.exec()
    first = painted[0] if painted else float("nan")
    done = ready[0] if ready else float("nan")
    # each step from the previous one (ms), then the two totals: first paint, ready
    steps = [at_probe - started, imported - at_probe, built - imported, first - built, done - first,
             first - started, done - started]
    print(" ".join(f"{x * 1000:.1f}" for x in steps))


def _make_database(path: Path, documents: int) -> None:
    from storage import import_paths, open_database

    folder = path.parent / "articles"
    folder.mkdir()
    for i in range(documents):
        (folder / f"article-{i:04d}.txt").write_text(
            f"Article {i}\n\n" + "Lavrov said the talks would resume, and NATO denied it. " * 50, encoding="utf-8")
    db = open_database(str(path))
    try:
        import_paths(db, sorted(folder.iterdir()))
    finally:
        db.close()


def _one_run(database: Path) -> list[float]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "STARTUP_BENCH_T0": repr(time.time()),
           "XDG_CONFIG_HOME": str(database.parent), "XDG_DATA_HOME": str(database.parent)}
    out = subprocess.run([sys.executable, __file__, "--probe", str(database)], env=env, cwd=ROOT,
                         capture_output=True, text=True, check=True)
    return [float(x) for x in out.stdout.strip().splitlines()[-1].split()]


def _slowest_imports(count: int = 12) -> list[tuple[str, float]]:
    out = subprocess.run([sys.executable, "-X", "importtime", "-c", "import gui.app"], cwd=ROOT,
                         env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}, capture_output=True, text=True,
                         check=True)
    rows = []
    for line in out.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            rows.append((parts[2].rstrip(), int(parts[1]) / 1000))
    # Depth 1 and 2 under gui.app: the packages and their first modules (deeper ones are inside these).
    shallow = [(name.strip(), ms) for name, ms in rows
               if name.startswith("  ") and not name.startswith("       ") and name.strip() != "gui.app"]
    return sorted(shallow, key=lambda r: -r[1])[:count]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--probe")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--documents", type=int, default=1000)
    args = parser.parse_args()
    if args.probe:
        _probe(args.probe)
        return 0
    with tempfile.TemporaryDirectory() as scratch:
        database = Path(scratch) / "startup.db"
        _make_database(database, args.documents)
        _one_run(database)  # warms the file cache
        runs = [_one_run(database) for _ in range(args.runs)]
    firsts, readies = [run[-2] for run in runs], [run[-1] for run in runs]
    median = statistics.median(firsts)
    print(f"{'step':<56}{'median ms':>10}{'best ms':>9}{'target':>8}  result")
    for n, step in enumerate(STEPS):
        column = [run[n] for run in runs]
        print(f"  {step:<54}{statistics.median(column):>10.0f}{min(column):>9.0f}")
    print(f"{f'process start to first paint ({args.documents:,} docs)':<56}{median:>10.0f}{min(firsts):>9.0f}"
          f"{TARGET_MS:>8.0f}  {'PASS' if median < TARGET_MS else 'MISS'}")
    print(f"{'process start to ready (documents and article shown)':<56}{statistics.median(readies):>10.0f}"
          f"{min(readies):>9.0f}{'-':>8}  -")
    print(f"load average while measuring: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("\nslowest imports under `import gui.app` (cumulative ms, one run):")
    for name, ms in _slowest_imports():
        print(f"  {name:<40}{ms:>8.0f}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
