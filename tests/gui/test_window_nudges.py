"""Boundary nudges in bursts (gui.nudges): the screen moves at every press, the database gets one revision and one
event per burst once the presses pause, and undo, redo, other actions, closing and colleagues' changes meet a
pending burst safely."""
from __future__ import annotations

from pytestqt.qtbot import QtBot
from PySide6.QtCore import Qt

from gui.main_window import MainWindow
from gui.nudges import IDLE_MS
from storage import AnnotationDraft, AnnotationRecord, open_database, open_with_samples
from window_driver import layers_at

END_RIGHT = (Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ShiftModifier)


def tagged(qtbot: QtBot, window: MainWindow, phrase: str = "Kremlin") -> AnnotationRecord:
    """One annotation of `phrase` by the claim key, selected, the article holding the keyboard."""
    start = window.controller.document.text.index(phrase + " admits")
    window.view.setFocus()
    window.view.select_span(start, start + len(phrase))
    qtbot.keyClick(window.view, Qt.Key.Key_1)
    record = window.panel.selected_record()
    assert record is not None and record.quote == phrase
    return record


def stored(window: MainWindow, annotation_id: str) -> AnnotationRecord | None:
    return next((a for a in window.db.annotations.for_document(window.controller.document.id, annotator="alice")
                 if a.id == annotation_id), None)


def press(qtbot: QtBot, window: MainWindow, times: int, key: tuple = END_RIGHT) -> None:
    for _ in range(times):
        qtbot.keyClick(window.view, key[0], key[1])


def settled(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: window.controller.nudges.pending_id is None, timeout=IDLE_MS + 3000)


def test_a_burst_shows_at_every_press_and_is_stored_once_at_the_pause(qtbot: QtBot, window: MainWindow) -> None:
    record = tagged(qtbot, window)
    events = window.db.annotations.latest_event_id()
    press(qtbot, window, 3)  # "Kremlin admits no breakthrough"
    moved_end = record.start + len("Kremlin admits no breakthrough")
    assert window.view.annotation(record.id).end == moved_end  # on screen at once
    assert window.panel.model.record(record.id).quote == "Kremlin admits no breakthrough"
    assert layers_at(window, moved_end - 2) == (1, 0)
    assert stored(window, record.id) == record  # nothing written while the presses go on
    assert window.db.annotations.latest_event_id() == events
    assert window.undo_action.isEnabled()  # Undo is there during the burst
    settled(qtbot, window)
    after = stored(window, record.id)
    assert (after.end, after.revision) == (moved_end, record.revision + 1)  # one revision for three presses
    assert window.db.annotations.latest_event_id() == events + 1  # and one event
    assert window.panel.model.record(record.id) == after

    window.undo_action.trigger()  # the whole burst back in one step
    assert (stored(window, record.id).start, stored(window, record.id).end) == (record.start, record.end)
    assert window.view.annotation(record.id).end == record.end
    window.redo_action.trigger()
    assert stored(window, record.id).end == moved_end
    assert window.view.annotation(record.id).end == moved_end


def test_undo_during_a_burst_writes_nothing_and_redo_writes_it(qtbot: QtBot, window: MainWindow) -> None:
    record = tagged(qtbot, window)
    events = window.db.annotations.latest_event_id()
    press(qtbot, window, 2)
    window.undo_action.trigger()
    assert window.view.annotation(record.id).end == record.end  # the old boundaries on screen
    assert window.panel.model.record(record.id) == record
    qtbot.wait(IDLE_MS + 300)  # the pause passes: nothing is written
    assert stored(window, record.id) == record and window.db.annotations.latest_event_id() == events
    assert window.undo_stack.undoText().startswith("Add annotation")  # the step below is the add
    window.redo_action.trigger()
    redone = stored(window, record.id)
    assert (redone.end, redone.revision) == (record.start + len("Kremlin admits no"), record.revision + 1)
    assert window.view.annotation(record.id).end == redone.end


def test_another_action_stores_the_burst_first(qtbot: QtBot, window: MainWindow) -> None:
    record = tagged(qtbot, window)
    events = window.db.annotations.latest_event_id()
    press(qtbot, window, 1)
    qtbot.keyClick(window.view, Qt.Key.Key_Delete)  # at once, before the pause
    assert stored(window, record.id) is None
    assert window.db.annotations.latest_event_id() == events + 2  # the burst, then the delete
    window.undo_action.trigger()  # the delete
    assert stored(window, record.id).end == record.start + len("Kremlin admits")
    window.undo_action.trigger()  # the burst
    assert stored(window, record.id).end == record.end


def test_a_burst_of_another_annotation_stores_the_first(qtbot: QtBot, window: MainWindow) -> None:
    first = tagged(qtbot, window)
    second_start = window.controller.document.text.index("Goal of Sochi")
    window.view.select_span(second_start, second_start + len("Goal"))
    qtbot.keyClick(window.view, Qt.Key.Key_1)
    second = window.panel.selected_record()
    window.controller.select_annotation(first.id)
    press(qtbot, window, 1)
    window.controller.select_annotation(second.id)
    press(qtbot, window, 1)
    assert stored(window, first.id).end == first.start + len("Kremlin admits")  # written when the other began
    settled(qtbot, window)
    assert stored(window, second.id).end == second_start + len("Goal of")


def test_focus_leaving_the_article_stores_the_burst(qtbot: QtBot, window: MainWindow) -> None:
    record = tagged(qtbot, window)
    press(qtbot, window, 1)
    window.panel.note_edit.setFocus()
    qtbot.waitUntil(lambda: window.panel.note_edit.hasFocus())
    assert window.controller.nudges.pending_id is None
    assert stored(window, record.id).end == record.start + len("Kremlin admits")


def test_closing_the_window_stores_a_pending_burst(qtbot: QtBot, window: MainWindow, db_url: str) -> None:
    record = tagged(qtbot, window)
    press(qtbot, window, 2)
    window.close()
    reopened = open_database(db_url)
    try:
        after = next(a for a in reopened.annotations.for_document(record.document_id) if a.id == record.id)
        assert (after.quote, after.revision) == ("Kremlin admits no", record.revision + 1)
    finally:
        reopened.close()


def test_a_colleagues_change_shows_during_a_burst(qtbot: QtBot, window: MainWindow, db_url: str) -> None:
    window.others_action.trigger()
    record = tagged(qtbot, window)
    text = window.controller.document.text
    colleague = open_with_samples(db_url)
    try:
        press(qtbot, window, 2)
        geneva = text.index("Geneva")
        colleague.annotations.add(AnnotationDraft(record.document_id, geneva, geneva + 6), by="bob")
        window.controller.poll()
        assert layers_at(window, geneva + 1) == (0, 1)  # bob's span is shown
        assert window.view.annotation(record.id).quote == "Kremlin admits no"  # the burst stays on screen
        settled(qtbot, window)
        assert stored(window, record.id).quote == "Kremlin admits no"
    finally:
        colleague.close()


def test_a_burst_refused_because_the_annotation_changed_elsewhere(qtbot: QtBot, window: MainWindow,
                                                                  db_url: str) -> None:
    record = tagged(qtbot, window)
    other_window = open_database(db_url)  # alice in a second window
    try:
        press(qtbot, window, 2)
        other_window.annotations.edit(record.id, "alice", stance="oppose")
        settled(qtbot, window)
        assert "changed elsewhere" in (window.last_error or "")
        qtbot.waitUntil(lambda: window.panel.model.record(record.id).stance == "oppose")  # what is stored
        kept = stored(window, record.id)
        assert (kept.end, kept.stance) == (record.end, "oppose")
        assert window.view.annotation(record.id).end == record.end
        assert window.undo_stack.undoText().startswith("Add annotation")  # the refused burst left the stack
    finally:
        other_window.close()
