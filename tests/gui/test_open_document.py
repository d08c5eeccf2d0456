"""The open-document model and the change bus in the real window: what an action, its undo, and a colleague's
change arriving through the poll tell the model's subscribers; the gold dock following an annotation change; one
undo stack shared by the main and review windows; one add reading the document whole at most once."""
from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot
from PySide6.QtCore import Qt

from gui.gold_dock import GoldComparisonModel
from gui.main_window import MainWindow
from storage import AnnotationDraft, open_database
from window_driver import drag, start_window, temporary_settings


class Recorder:
    """Every fine-grained signal of the window's OpenDocument, in order, as (kind, annotation id)."""

    def __init__(self, window: MainWindow) -> None:
        self.events: list[tuple[str, str]] = []
        model = window.controller.model
        model.sig_record_added.connect(lambda r: self.events.append(("added", r.id)))
        model.sig_record_changed.connect(lambda _b, a: self.events.append(("changed", a.id)))
        model.sig_record_removed.connect(lambda r: self.events.append(("removed", r.id)))
        model.sig_others_changed.connect(lambda: self.events.append(("others", "")))

    def take(self) -> list[tuple[str, str]]:
        events, self.events = self.events, []
        return events


def tag_passage(qtbot: QtBot, window: MainWindow, word: str) -> None:
    """Drags over `word` in the open article and saves it with stance and claim keys, then Enter."""
    start = window.controller.document.text.index(word)
    drag(qtbot, window, start + 1, start + len(word) - 1)
    editor = window.tag_editor
    qtbot.waitUntil(editor.isVisible)
    qtbot.keyClick(editor, Qt.Key.Key_O)
    qtbot.keyClick(editor, Qt.Key.Key_1)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not editor.isVisible())


def a_word(window: MainWindow) -> str:
    """A plain word of the open article's first lines (on screen)."""
    return next(w for w in window.controller.document.text.split()[2:] if len(w) > 5 and w.isalpha())


def only_own(window: MainWindow, document_id: str) -> str:
    (record,) = window.db.annotations.for_document(document_id, annotator="alice")
    return record.id


def test_my_actions_and_their_undo_reach_the_model_as_fine_grained_changes(qtbot: QtBot, window: MainWindow) -> None:
    document_id = window.controller.document.id
    recorder = Recorder(window)

    tag_passage(qtbot, window, a_word(window))
    added = only_own(window, document_id)
    assert recorder.take() == [("added", added)]
    assert window.controller.model.record(added) is not None

    qtbot.keyClick(window.view, Qt.Key.Key_F2)  # the same editor for the selected annotation
    qtbot.waitUntil(window.tag_editor.isVisible)
    qtbot.keyClick(window.tag_editor, Qt.Key.Key_S)  # stance: support instead of oppose
    qtbot.keyClick(window.tag_editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.db.annotations.get(added).stance == "support")
    assert recorder.take() == [("changed", added)]

    qtbot.keyClick(window.view, Qt.Key.Key_Delete)
    assert recorder.take() == [("removed", added)] and window.controller.model.record(added) is None

    window.undo_action.trigger()  # the delete comes back
    assert recorder.take() == [("added", added)]
    window.undo_action.trigger()  # the stance goes back
    assert recorder.take() == [("changed", added)]
    assert window.controller.model.record(added).stance == "oppose"
    window.undo_action.trigger()  # the add goes
    assert recorder.take() == [("removed", added)]
    assert window.panel.model.rowCount() == 0


def test_a_colleagues_change_arrives_through_the_poll(qtbot: QtBot, db_url: str, window: MainWindow) -> None:
    """Alice's own record changed in another window, and bob's annotations while others are shown."""
    document_id = window.controller.document.id
    tag_passage(qtbot, window, a_word(window))
    mine = only_own(window, document_id)
    window.others_action.trigger()  # Show Other Annotators
    recorder = Recorder(window)

    elsewhere = open_database(db_url)
    try:
        elsewhere.annotations.edit(mine, "alice", note="from my laptop")
        bobs = elsewhere.annotations.add(AnnotationDraft(document_id, 0, 5, stance="neutral"), by="bob")
    finally:
        elsewhere.close()
    window.controller.poll()
    assert recorder.take() == [("changed", mine), ("others", "")]
    assert window.controller.model.record(mine).note == "from my laptop"
    assert [a.id for a in window.controller.model.others()] == [bobs.id]
    window.controller.poll()  # nothing new: nothing is said
    assert recorder.take() == []


def test_an_annotation_change_refreshes_the_gold_dock(qtbot: QtBot, window: MainWindow) -> None:
    window.gold_dock.raise_()
    qtbot.waitUntil(lambda: window.gold.on_screen)
    qtbot.waitUntil(lambda: window.gold.summary.text() == "You have no annotations in this document.")
    word = a_word(window)
    tag_passage(qtbot, window, word)
    qtbot.waitUntil(lambda: window.gold.model.rowCount() == 1, timeout=20_000)
    assert window.gold.summary.text() == "A reviewer decided on 0 of your 1 annotation(s) here."
    model = window.gold.model
    assert f"“{word}”" in model.index(0, GoldComparisonModel.MINE).data()  # the passage just tagged, with its labels
    assert model.index(0, GoldComparisonModel.MY_LABELS).data() == "oppose · factual"
    window.undo_action.trigger()  # Edit > Undo takes the annotation away: the dock follows
    qtbot.waitUntil(lambda: window.gold.summary.text() == "You have no annotations in this document.",
                    timeout=20_000)
    assert window.gold.model.rowCount() == 0


def test_review_and_main_window_share_one_undo_stack(qtbot: QtBot, seeded_db, db_url: str,  # type: ignore[no-untyped-def]
                                                     tmp_path: Path) -> None:
    doc = seeded_db.documents.list()[0].id
    seeded_db.annotators.ensure("rita", role="reviewer")
    alices = seeded_db.annotations.add(AnnotationDraft(doc, 20, 30, stance="oppose"), by="alice")
    seeded_db.annotations.add(AnnotationDraft(doc, 20, 30, stance="neutral"), by="bob")
    window = start_window(qtbot, db_url, temporary_settings(tmp_path), annotator="rita")
    window.open_review()
    review = window.review_window
    assert review is not None and review.undo_stack is window.undo_stack
    review.open_document(doc)
    qtbot.waitUntil(lambda: not review.loading, timeout=20000)  # the document is read in the background
    assert review.current_unit() is not None and review.current_unit().start == 20
    with qtbot.waitSignal(review.sig_units_shown, timeout=20000):  # the units are re-read in the background
        review.accept_actions[0].trigger()  # key 1 in review mode: alice's version into gold
    (gold,) = seeded_db.review.gold(doc)
    assert gold.source_annotation_ids == (alices.id,)
    assert "accepted by rita" in review.decision.gold_label.text()

    assert window.undo_action.isEnabled() and "Accept version" in window.undo_action.text()
    with qtbot.waitSignal(review.sig_units_shown, timeout=20000):
        window.undo_action.trigger()  # Edit > Undo in the main window
    assert seeded_db.review.gold(doc) == []
    assert "accepted by rita" not in review.decision.gold_label.text()  # the review window followed the bus
    window.redo_action.trigger()
    assert [g.source_annotation_ids for g in seeded_db.review.gold(doc)] == [(alices.id,)]


def test_one_add_reads_the_rest_of_the_document_at_most_once(qtbot: QtBot, window: MainWindow) -> None:
    controller = window.controller
    controller.open_document(controller.document.id)  # opened again: its rest loads once the screen is painted
    calls: list[bool] = []
    original = controller.finish_loading

    def counted() -> bool:
        calls.append(controller.loading)
        return original()

    controller.finish_loading = counted  # type: ignore[method-assign]
    tag_passage(qtbot, window, a_word(window))
    assert len(window.db.annotations.for_document(controller.document.id, annotator="alice")) == 1
    assert len(calls) <= 1
