"""The review window re-reads a document in the background after a decision, an undo, or a change to the
document's annotations in the main window (the change bus): driven as a reviewer and an analyst would, checked
on screen and in the database."""
from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from PySide6.QtCore import Qt

from gui.review import ReviewWindow
from storage import AnnotationDraft, Database, ReviewUnit
from window_driver import open_document, start_window, temporary_settings

WAIT_MS = 20_000


@pytest.fixture
def review(qtbot: QtBot, seeded_db: Database) -> tuple[ReviewWindow, Database, str, list[str]]:
    """rita reviews alice's and bob's work: one agreed unit, and a claim-type disagreement at 40-50."""
    db = seeded_db
    doc = db.documents.list()[0].id
    db.annotators.ensure("rita", role="reviewer")
    for who in ("alice", "bob"):
        db.annotations.add(AnnotationDraft(doc, 0, 10, stance="support"), by=who)
    claim = [db.annotations.add(AnnotationDraft(doc, 40, 50, claim_type=kind), by=who).id
             for who, kind in (("alice", "factual"), ("bob", "evaluative"))]
    window = ReviewWindow(db, "rita")
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.document_id == doc and not window.loading, timeout=WAIT_MS)
    window.resize(1400, 900)
    window.show()
    with qtbot.waitActive(window):  # the decision keys and Ctrl+Z are window shortcuts
        window.activateWindow()
    window.disagreements.table.setFocus()
    return window, db, doc, claim


def shown_mark(window: ReviewWindow) -> str:
    """The Gold column of the current row, as the table shows it."""
    table = window.disagreements.table
    return str(table.model().index(table.currentIndex().row(), 0).data() or "")


def test_a_decision_and_its_undo_reach_the_screen_through_the_background_read(qtbot: QtBot, review) -> None:  # type: ignore[no-untyped-def]
    window, db, doc, claim = review
    current = window.current_unit()
    assert current is not None and current.start == 40 and current.gold is None and shown_mark(window) == ""
    with qtbot.waitSignal(window.sig_units_shown, timeout=WAIT_MS):
        qtbot.keyClick(window.disagreements.table, Qt.Key.Key_2)  # take bob's version
    (gold,) = db.review.gold(doc)
    assert (gold.decision, gold.claim_type, gold.source_annotation_ids) == ("accepted", "evaluative", (claim[1],))
    shown = window.current_unit()
    assert shown is not None and shown.start == 40 and shown.gold == gold
    assert "accepted by rita" in window.decision.gold_label.text() and shown_mark(window) != ""
    assert window.status_box.currentData() == db.review.status(doc).status

    with qtbot.waitSignal(window.sig_units_shown, timeout=WAIT_MS):
        qtbot.keyClick(window.disagreements.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert db.review.gold(doc) == []
    shown = window.current_unit()
    assert shown is not None and shown.start == 40 and shown.gold is None
    assert "accepted by rita" not in window.decision.gold_label.text() and shown_mark(window) == ""


def units_at(window: ReviewWindow, start: int, end: int) -> list[ReviewUnit]:
    model = window.disagreements.model
    return [u for u in (model.unit_at(r) for r in range(model.rowCount())) if (u.start, u.end) == (start, end)]


def test_an_annotation_added_and_undone_in_the_main_window_shows_in_review(qtbot: QtBot, sqlite_path: str,
                                                                          tmp_path: Path) -> None:
    window = start_window(qtbot, sqlite_path, temporary_settings(tmp_path), annotator="alice")
    document_id = open_document(qtbot, window, window.documents.model.summary_at(0).title)
    window.review_action.trigger()  # review mode on the same change bus and undo stack
    review = window.review_window
    assert review is not None
    review.document_box.setCurrentIndex(review.document_box.findData(document_id))
    qtbot.waitUntil(lambda: review.document_id == document_id and not review.loading, timeout=WAIT_MS)
    text = window.controller.document.text
    word = text.split()[3]
    start = text.index(word)
    assert units_at(review, start, start + len(word)) == []

    with qtbot.waitActive(window):
        window.activateWindow()
    window.view.setFocus()
    window.view.select_span(start, start)  # caret before the word, then Shift+Right over it
    for _ in word:
        qtbot.keyClick(window.view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    with qtbot.waitSignal(review.sig_units_shown, timeout=WAIT_MS):
        qtbot.keyClick(window.view, Qt.Key.Key_3)  # a claim key: stored at once
    (stored,) = [a for a in window.db.annotations.for_document(document_id) if a.start == start]
    (unit,) = units_at(review, start, start + len(word))
    assert unit.version("alice") == stored and review.participants == ("alice",)

    with qtbot.waitSignal(review.sig_units_shown, timeout=WAIT_MS):
        qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo, in the main window
    assert [a for a in window.db.annotations.for_document(document_id) if a.start == start] == []
    assert units_at(review, start, start + len(word)) == []
    review.close()
