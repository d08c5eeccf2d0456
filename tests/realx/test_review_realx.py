"""The real `stancemark` process on a real X screen, driven by the real pointer and keyboard (xdotool).

Where to click is found by mirroring: the test builds the same review window from the same database at the
size the real one has on screen (same code, fonts and style, laid out but not shown), asks it where a row is,
and adds the real window's position from xdotool. The database then says whether the click chose that row."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

pytestmark = [pytest.mark.realx,
              pytest.mark.skipif(not os.environ.get("DISPLAY") or shutil.which("xdotool") is None,
                                 reason="needs an X display and xdotool (run under xvfb-run)")]


def xdotool(*args: str) -> str:
    return subprocess.run(["xdotool", *args], check=True, capture_output=True, text=True, timeout=30).stdout


def wait_for_window(name: str, timeout: float = 60) -> dict[str, int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", name], capture_output=True, text=True)
        if found.stdout.strip():
            window = found.stdout.split()[-1]
            geometry = dict(line.split("=") for line in xdotool("getwindowgeometry", "--shell", window).split())
            return {"window": int(window), **{k: int(v) for k, v in geometry.items() if k != "WINDOW"}}
        time.sleep(0.3)
    raise AssertionError(f"no window named {name!r} appeared")


def prepare(path: str) -> str:
    from storage import AnnotationDraft, open_with_samples

    db = open_with_samples(path)
    doc = db.documents.list()[0].id
    db.annotators.ensure("rita", role="reviewer")
    add = db.annotations.add
    for who, stance in (("alice", "oppose"), ("bob", "neutral")):
        add(AnnotationDraft(doc, 20, 30, stance=stance), by=who)
    for who, claim in (("alice", "factual"), ("bob", "evaluative")):
        add(AnnotationDraft(doc, 40, 50, claim_type=claim), by=who)
    add(AnnotationDraft(doc, 60, 70, stance="support"), by="bob")
    db.close()
    return doc


def start_app(tmp_path: Path, db_path: str, *extra: str) -> subprocess.Popen[bytes]:
    env = dict(os.environ, QT_QPA_PLATFORM="xcb", HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "config"),
               XDG_DATA_HOME=str(tmp_path / "data"))
    command = [str(Path(sys.executable).with_name("stancemark")), "--db", db_path, "--annotator", "rita", *extra]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def test_review_rows_clicked_with_the_real_pointer_take_the_decision(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from gui.app import make_application
    from gui.review import ReviewWindow
    from storage import open_database

    db_path = str(tmp_path / "review.db")
    doc = prepare(db_path)
    app = start_app(tmp_path, db_path, "--review")
    try:
        real = wait_for_window("Review — rita")
        time.sleep(1.0)  # let it finish its first layout
        real = wait_for_window("Review — rita")
        make_application()
        db = open_database(db_path)
        mirror = ReviewWindow(db, "rita")
        qtbot.addWidget(mirror)
        mirror.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
        mirror.resize(real["WIDTH"], real["HEIGHT"])
        mirror.show()
        # the document is read in the background, in the mirror as in the real window
        qtbot.waitUntil(lambda: not mirror.loading, timeout=20000)
        qtbot.wait(200)
        table = mirror.disagreements.table
        proxy = mirror.disagreements.proxy

        def row_on_screen(row: int) -> tuple[int, int]:
            point = table.viewport().mapTo(mirror, table.visualRect(proxy.index(row, 1)).center())
            return real["X"] + point.x(), real["Y"] + point.y()

        starts = [mirror.disagreements.model.unit_at(proxy.mapToSource(proxy.index(r, 0)).row()).start
                  for r in range(proxy.rowCount())]
        assert starts == [20, 40, 60]
        for row, key, expected in ((1, "2", ("claim_type", "evaluative")), (0, "1", ("stance", "oppose"))):
            x, y = row_on_screen(row)
            xdotool("mousemove", "--sync", str(x), str(y))
            xdotool("click", "1")
            time.sleep(0.4)
            xdotool("key", key)
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                decided = {g.start: g for g in db.review.gold(doc)}
                if starts[row] in decided:
                    break
                time.sleep(0.2)
            gold = decided.get(starts[row])
            assert gold is not None, f"clicking row {row} and pressing {key} decided nothing: {decided}"
            assert getattr(gold, expected[0]) == expected[1]
        xdotool("key", "Escape")
        db.close()
    finally:
        app.terminate()
        app.wait(20)
