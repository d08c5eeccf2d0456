"""Drives the review window like a reviewer: opened on a database, shown and active, the keys on its list.

Shared by the tests/gui/test_review_*.py files (imported, not collected)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from gui.review import ReviewWindow
from storage import Database

WAIT_MS = 20_000


def open_review(qtbot: QtBot, db: Database, who: str) -> ReviewWindow:
    """`who`'s review window on the first document, once its background reads are in, with the keyboard on the
    disagreement list."""
    window = ReviewWindow(db, who)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.corpus.sig_ready, timeout=WAIT_MS):
        pass  # the corpus figures come from a worker thread: let it finish inside the test
    qtbot.waitUntil(lambda: not window.loading, timeout=WAIT_MS)  # so does the document
    window.resize(1400, 900)
    window.show()
    with qtbot.waitActive(window):  # window shortcuts (F8, 1..9, Ctrl+Z) need the active window
        window.activateWindow()
    window.disagreements.table.setFocus()
    return window


def press(qtbot: QtBot, window: ReviewWindow, key: Qt.Key,
          modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """One key press on the disagreement list, where the reviewer's keys go."""
    qtbot.keyClick(window.disagreements.table, key, modifier)
