"""gui.workers.LatestRead: reads in a pool thread with their own connection, of which only the newest shows;
results for a deleted receiver are dropped without an error."""
from __future__ import annotations

import threading

from PySide6.QtCore import QObject, QThreadPool
from pytestqt.qtbot import QtBot
from shiboken6 import delete

from gui.workers import LatestRead, running_jobs
from storage import Database

WAIT_MS = 20_000


def two_threads() -> QThreadPool:
    pool = QThreadPool()
    pool.setMaxThreadCount(2)
    return pool


def titles(db: Database) -> list[str]:
    return [d.title for d in db.documents.list()]


def test_an_older_read_that_arrives_last_is_dropped(qtbot: QtBot, seeded_db: Database, db_url: str) -> None:
    pool, gate = two_threads(), threading.Event()
    reads = LatestRead(db_url, "test", pool)
    received: list[object] = []
    reads.sig_ready.connect(received.append)

    def slow(db: Database) -> tuple[str, list[str]]:
        gate.wait(WAIT_MS / 1000)
        return "older", titles(db)

    reads.start(slow)
    with qtbot.waitSignal(reads.sig_ready, timeout=WAIT_MS):
        reads.start(lambda db: ("newer", titles(db)))
    assert received == [("newer", titles(seeded_db))] and not reads.pending
    gate.set()  # the older read now finishes, after the newer one was shown
    qtbot.waitUntil(lambda: running_jobs() == 0, timeout=WAIT_MS)
    pool.waitForDone(WAIT_MS)
    assert [r[0] for r in received] == ["newer"]  # type: ignore[index]


def test_a_dropped_read_and_an_older_failure_never_show(qtbot: QtBot, seeded_db: Database, db_url: str) -> None:
    pool, gate = two_threads(), threading.Event()
    reads = LatestRead(db_url, "test", pool)
    shown: list[object] = []
    reads.sig_ready.connect(shown.append)
    reads.sig_failed.connect(shown.append)

    def failing_late(_db: Database) -> None:
        gate.wait(WAIT_MS / 1000)
        raise ValueError("too late to matter")

    reads.start(failing_late)
    reads.start(titles)
    reads.drop_pending()  # e.g. the document was closed on the UI thread meanwhile
    assert not reads.pending
    gate.set()
    qtbot.waitUntil(lambda: running_jobs() == 0, timeout=WAIT_MS)
    assert shown == []

    with qtbot.waitSignal(reads.sig_failed, timeout=WAIT_MS) as failed:
        reads.start(lambda db: db.documents.get("no such document"))
    assert "no such document" in failed.args[0]


def test_a_result_for_a_deleted_receiver_is_dropped_quietly(qtbot: QtBot, seeded_db: Database, db_url: str) -> None:
    """The window closed while its read ran: the read finishes, nothing is emitted into the deleted object."""
    pool, gate, started = two_threads(), threading.Event(), threading.Event()
    owner = QObject()
    reads = LatestRead(db_url, "test", pool, owner)
    arrived: list[object] = []
    reads.sig_ready.connect(arrived.append)

    def slow(db: Database) -> list[str]:
        started.set()
        gate.wait(WAIT_MS / 1000)
        return titles(db)

    reads.start(slow)
    assert started.wait(WAIT_MS / 1000)
    delete(owner)  # takes `reads` with it, as a closing window takes its docks
    gate.set()
    qtbot.waitUntil(lambda: running_jobs() == 0, timeout=WAIT_MS)
    pool.waitForDone(WAIT_MS)
    assert arrived == []
