"""One annotation as an analyst makes it, on a real X screen: the time from mouse-down to the row in the database,
and the key presses and mouse actions it takes.

    .venv/bin/python bench/bench_annotation_time.py [--annotations 6] [--screen 1440x900]

Starts its own Xvfb (unless DISPLAY is set), a SQLite database with the sample articles and a few actors, and
the real `stancemark` program of this checkout (the one next to this Python). For each annotation the pointer
goes to a phrase of the first article, then, timed from the mouse-down: a drag over the phrase, mouse-up, a
stance key, a claim key, Tab into the actor field, three letters of an actor's name, Down to take the first
completion, Enter; then the bench polls the database file (its own read-only sqlite3 connection, every 2 ms)
until the row is there, and checks what was stored (quote, stance, claim type, actor).

Each annotation is made twice: "machine", with the inputs sent back to back (what the program itself makes the
analyst wait), and "paced", with an average typist's rhythm (Keystroke-Level Model: 0.20 s a key, a drag of
0.36 s), where the measured time minus the scheduled input time is what the program added. A first annotation
finds which keys this build needs (a second Enter if the first only closed the completion list) and is not
timed. The phrase's place on screen comes from a mirror window built here from the same database at the real
window's size (laid out, never shown), as in tests/realx.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ACTORS = ("Kremlin", "Kremlin press office", "Sergei Lavrov", "Vladimir Putin", "Syrian opposition")
ACTOR_PREFIX = "Kre"
KEY_SECONDS = 0.20  # KLM keystroke, average skilled typist
DRAG_STEPS, DRAG_STEP_SECONDS = 6, 0.06
SAVE_TIMEOUT = 10.0


@dataclass
class Outcome:
    seconds: float
    scheduled: float
    keys: int
    mouse: int
    row: tuple


def start_xvfb(screen: str) -> subprocess.Popen[bytes] | None:
    if os.environ.get("DISPLAY"):
        return None
    if shutil.which("Xvfb") is None:
        raise SystemExit("needs an X display or Xvfb")
    read, write = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", f"{screen}x24", "-nolisten", "tcp"],
                              pass_fds=(write,), stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as pipe:
        os.environ["DISPLAY"] = ":" + pipe.readline().strip()
    return server


def xdotool(*args: str) -> str:
    return subprocess.run(["xdotool", *args], check=True, capture_output=True, text=True, timeout=60).stdout


def wait_for_window(name: str, timeout: float = 60) -> dict[str, int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", name], capture_output=True, text=True)
        if found.stdout.strip():
            window = found.stdout.split()[-1]
            geometry = dict(line.split("=") for line in xdotool("getwindowgeometry", "--shell", window).split())
            return {k: int(v) for k, v in geometry.items()}
        time.sleep(0.2)
    raise SystemExit(f"no window named {name!r} appeared")


def prepare(path: str) -> None:
    from storage import open_with_samples

    db = open_with_samples(path)
    for name in ACTORS:
        db.actors.create(name)
    db.close()


def rows(db_path: str) -> list[tuple]:
    """The analyst's live annotations, straight from the file (not through Stancemark's storage)."""
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=5) as connection:
        return connection.execute(
            "SELECT a.start, a.\"end\", a.quote, a.stance, a.claim_type, actor.name FROM annotation a "
            "JOIN annotator ON annotator.id = a.annotator_id LEFT JOIN actor ON actor.id = a.actor_id "
            "WHERE annotator.name = 'rita' AND a.deleted_at IS NULL ORDER BY a.start").fetchall()


def mirror_points(db_path: str, real: dict[str, int], count: int) -> list[tuple[tuple[int, int], tuple[int, int], str]]:
    """Screen points of the start and end of `count` separate three-word phrases on the first screen."""
    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtWidgets import QApplication

    from gui.app import make_application
    from gui.main_window import MainWindow
    from gui.settings import Settings
    from storage import open_database

    make_application()
    db = open_database(db_path)
    scratch = tempfile.mkdtemp()
    settings = Settings(QSettings(str(Path(scratch) / "mirror.ini"), QSettings.Format.IniFormat))
    mirror = MainWindow.on(db, db_path, "rita", settings)
    mirror.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
    mirror.resize(real["WIDTH"], real["HEIGHT"])
    mirror.start()
    mirror.show()
    mirror.controller.poll_timer.stop()
    deadline = time.monotonic() + 1.0
    while time.monotonic() < deadline:
        QApplication.processEvents()
        time.sleep(0.02)
    document = mirror.controller.document
    assert document is not None
    words = [m.span() for m in re.finditer(r"[A-Za-z]{4,}", document.text)]
    view, found = mirror.view, []
    for first in range(3, len(words) - 3, 4):
        start, end = words[first][0], words[first + 2][1]
        begin, finish = view.point_for_offset(start), view.point_for_offset(end)
        if begin.y() != finish.y() or not view.viewport().rect().contains(finish):
            continue  # the phrase wraps or is off screen

        def on_screen(point, dx: int) -> tuple[int, int]:  # type: ignore[no-untyped-def]
            at = view.viewport().mapTo(mirror, point)
            return real["X"] + at.x() + dx, real["Y"] + at.y()

        found.append((on_screen(begin, 2), on_screen(finish, -2), document.text[start:end]))
        if len(found) == count:
            break
    mirror.close()
    db.close()
    return found


def annotate(db_path: str, begin: tuple[int, int], finish: tuple[int, int], extra_enter: bool,
             paced: bool) -> Outcome | None:
    """One annotation through the real pointer and keyboard; None if nothing was saved."""
    before = set(rows(db_path))
    xdotool("mousemove", "--sync", str(begin[0]), str(begin[1]))
    time.sleep(0.3)
    pause = ["sleep", str(DRAG_STEP_SECONDS)] if paced else []
    key_pause = ["sleep", str(KEY_SECONDS)] if paced else []
    chain: list[str] = ["mousedown", "1"]
    mouse = 1
    for step in range(1, DRAG_STEPS + 1):
        x = begin[0] + (finish[0] - begin[0]) * step // DRAG_STEPS
        chain += [*pause, "mousemove", str(x), str(begin[1])]
        mouse += 1
    chain += ["mouseup", "1"]
    mouse += 1
    keys = ["s", "1", "Tab", *ACTOR_PREFIX, "Down", "Return"] + (["Return"] if extra_enter else [])
    for key in keys:
        chain += [*key_pause, "key", key]
    scheduled = (DRAG_STEPS * DRAG_STEP_SECONDS + len(keys) * KEY_SECONDS) if paced else 0.0
    started = time.monotonic()
    xdotool(*chain)
    while time.monotonic() - started < SAVE_TIMEOUT:
        added = set(rows(db_path)) - before
        if added:
            return Outcome(time.monotonic() - started, scheduled, len(keys), mouse, added.pop())
        time.sleep(0.002)
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--annotations", type=int, default=6, help="timed annotations of each kind")
    parser.add_argument("--screen", default="1440x900")
    args = parser.parse_args()
    xvfb = start_xvfb(args.screen)
    scratch = Path(tempfile.mkdtemp(prefix="stancemark-annotation-bench-"))
    db_path = str(scratch / "bench.db")
    prepare(db_path)
    env = dict(os.environ, QT_QPA_PLATFORM="xcb", HOME=str(scratch), XDG_CONFIG_HOME=str(scratch / "config"),
               XDG_DATA_HOME=str(scratch / "data"))
    program = str(Path(sys.executable).with_name("stancemark"))
    app = subprocess.Popen([program, "--db", db_path, "--annotator", "rita"], env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for_window("rita")
        time.sleep(2.0)  # the first document opens from the event loop, the docks take their widths
        real = wait_for_window("rita")
        phrases = mirror_points(db_path, real, 1 + 2 * args.annotations)
        if len(phrases) < 1 + 2 * args.annotations:
            raise SystemExit(f"only {len(phrases)} phrases on the first screen")
        begin, finish, phrase = phrases[0]
        extra_enter = False
        probe = annotate(db_path, begin, finish, extra_enter, paced=True)
        if probe is None:  # the first Enter only took the completion: the analyst presses it again
            xdotool("key", "Return")
            time.sleep(1.0)
            if not rows(db_path):
                raise SystemExit("the probe annotation was not saved, even after a second Enter")
            extra_enter = True
        results: dict[str, list[Outcome]] = {"machine": [], "paced": []}
        for index, (begin, finish, phrase) in enumerate(phrases[1:]):
            kind = "machine" if index % 2 == 0 else "paced"
            outcome = annotate(db_path, begin, finish, extra_enter, paced=kind == "paced")
            if outcome is None:
                raise SystemExit(f"annotation of {phrase!r} ({kind}) was not saved within {SAVE_TIMEOUT} s")
            results[kind].append(outcome)
            time.sleep(0.8)
        report(results, extra_enter, real)
    finally:
        if app.poll() is None:
            xdotool("key", "ctrl+q")
            try:
                app.wait(20)
            except subprocess.TimeoutExpired:
                app.terminate()
        if xvfb is not None:
            xvfb.terminate()
        shutil.rmtree(scratch, ignore_errors=True)


def report(results: dict[str, list[Outcome]], extra_enter: bool, real: dict[str, int]) -> None:
    load = os.getloadavg()[0]
    print(f"window {real['WIDTH']}x{real['HEIGHT']} on Xvfb; load average {load:.1f} on {os.cpu_count()} cores")
    example = results["machine"][0]
    print(f"stored, e.g.: {example.row}")
    print(f"{'inputs':8} {'runs':>4} {'keys':>5} {'mouse':>6} {'median s':>9} {'max s':>7} {'scheduled s':>12} "
          f"{'added s':>8}")
    for kind, outcomes in results.items():
        seconds = [o.seconds for o in outcomes]
        median = statistics.median(seconds)
        print(f"{kind:8} {len(outcomes):>4} {outcomes[0].keys:>5} {outcomes[0].mouse:>6} {median:>9.3f} "
              f"{max(seconds):>7.3f} {outcomes[0].scheduled:>12.2f} {median - outcomes[0].scheduled:>8.3f}")
    wrong = [o.row for kind in results.values() for o in kind if o.row[3] != "support" or o.row[5] != ACTORS[0]
             or o.row[4] is None]
    if wrong:
        print(f"stored differently from what was typed: {wrong}")
    if extra_enter:
        print("this build needs a second Enter: the first one only takes the completion")


if __name__ == "__main__":
    main()
