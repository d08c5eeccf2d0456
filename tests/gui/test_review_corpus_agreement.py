"""Corpus agreement in review mode comes from a QThreadPool worker: the window says it is computing, shows the
figures when the worker's signal arrives, drops a result a newer computation has overtaken, and recomputes
when annotations changed (but not after a gold decision, which cannot change agreement)."""
from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QCoreApplication, QRunnable, QThreadPool

from gui.review import ReviewWindow
from gui.review.item_models import FIGURE_ROWS, format_value
from storage import AnnotationDraft

TIMEOUT_MS = 20000
F1_OVERLAP_ROW = next(i for i, row in enumerate(FIGURE_ROWS) if row[0] == "f1_overlap")


class Gate(QRunnable):
    """Occupies the pool's only thread until released, so the test decides when queued jobs run."""

    def __init__(self, release: threading.Event) -> None:
        super().__init__()
        self.release = release

    def run(self) -> None:
        self.release.wait(TIMEOUT_MS / 1000)


@pytest.fixture
def corpus(seeded_db):  # type: ignore[no-untyped-def]
    """alice and bob disagree on one of two spans; rita reviews."""
    db = seeded_db
    doc = db.documents.list()[0].id
    db.annotators.ensure("rita", role="reviewer")
    for who, stance in (("alice", "support"), ("bob", "support"), ("alice", "oppose"), ("bob", "neutral")):
        start = 0 if stance == "support" else 20
        db.annotations.add(AnnotationDraft(doc, start, start + 10, stance=stance), by=who)
    return db, doc


def corpus_cell(window: ReviewWindow) -> str:
    return window.agreement.figures_model.index(F1_OVERLAP_ROW, 2).data()


def test_the_corpus_figures_arrive_by_signal_while_the_window_says_it_is_computing(  # type: ignore[no-untyped-def]
        qtbot, corpus, db_url) -> None:
    db, doc = corpus
    pool = QThreadPool()
    pool.setMaxThreadCount(1)
    release = threading.Event()
    pool.start(Gate(release))
    window = ReviewWindow(db, "rita", location=db_url, pool=pool)
    qtbot.addWidget(window)
    try:
        with qtbot.waitSignal(window.corpus.sig_started, timeout=TIMEOUT_MS):
            pass  # the window opened without computing the corpus on the UI thread
        assert window.document_id == doc and window.corpus.pending
        assert not window.agreement.corpus_state.isHidden()
        assert window.agreement.corpus_state.text() == "Computing corpus agreement…"
        assert corpus_cell(window) == "—"
    finally:
        release.set()
    with qtbot.waitSignal(window.corpus.sig_ready, timeout=TIMEOUT_MS) as arrived:
        pass
    expected = db.review.agreement().find("f1_overlap", None)
    assert arrived.args[0].annotators == ("alice", "bob")
    assert corpus_cell(window) == format_value(expected.value) and expected.value is not None
    assert window.agreement.corpus_state.isHidden() and not window.corpus.pending
    assert pool.waitForDone(TIMEOUT_MS)


def test_a_result_overtaken_by_a_newer_computation_is_dropped(qtbot, corpus, db_url) -> None:  # type: ignore[no-untyped-def]
    db, doc = corpus
    pool = QThreadPool()
    pool.setMaxThreadCount(1)  # jobs run one after the other, in the order they were started
    release = threading.Event()
    pool.start(Gate(release))
    window = ReviewWindow(db, "rita", location=db_url, pool=pool)
    qtbot.addWidget(window)
    received: list[object] = []
    window.corpus.sig_ready.connect(received.append)
    try:
        with qtbot.waitSignal(window.corpus.sig_started, timeout=TIMEOUT_MS):
            pass
        db.annotations.add(AnnotationDraft(doc, 40, 50, stance="oppose"), by="carol")
        window.corpus.compute()  # the first computation is now stale
    finally:
        release.set()
    assert pool.waitForDone(TIMEOUT_MS)  # both jobs have finished and emitted
    QCoreApplication.sendPostedEvents()
    qtbot.waitUntil(lambda: bool(received), timeout=TIMEOUT_MS)
    assert received == [window.corpus.report]  # the first job's result never reached the window
    assert window.corpus.report.annotators == ("alice", "bob", "carol")
    assert window.agreement.corpus_state.isHidden()


def test_changed_annotations_recompute_and_a_gold_decision_does_not(qtbot, corpus, db_url) -> None:  # type: ignore[no-untyped-def]
    db, doc = corpus
    window = ReviewWindow(db, "rita", location=db_url)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.corpus.sig_ready, timeout=TIMEOUT_MS):
        pass
    before = corpus_cell(window)
    qtbot.waitUntil(lambda: not window.loading, timeout=TIMEOUT_MS)

    window.accept(window.current_unit().spans[0].id)
    assert db.review.gold(doc) and not window.corpus.pending  # gold does not enter the agreement figures

    db.annotations.add(AnnotationDraft(doc, 20, 30, stance="oppose"), by="carol")
    db.annotations.add(AnnotationDraft(doc, 60, 70, stance="oppose"), by="carol")
    with qtbot.waitSignal(window.corpus.sig_ready, timeout=TIMEOUT_MS) as arrived:
        window.refresh()  # what coming back to the window does
    assert arrived.args[0].annotators == ("alice", "bob", "carol")
    assert corpus_cell(window) == format_value(db.review.agreement().find("f1_overlap", None).value) != before
    assert not window.corpus.recompute_if_changed()  # nothing changed since
