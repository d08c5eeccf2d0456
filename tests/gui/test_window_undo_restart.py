"""Edit > Undo after a restart: changes made in an earlier window come back as the same undo steps."""
from __future__ import annotations

from pytestqt.qtbot import QtBot
from PySide6.QtCore import Qt

from gui.main_window import MainWindow
from gui.settings import Settings
from storage import AnnotationRecord
from window_driver import error_box, layers_at, open_document, start_window


def tag_lavrov(qtbot: QtBot, window: MainWindow) -> tuple[int, AnnotationRecord]:
    """"Sergei Lavrov" tagged factual with the keys (a selection, then claim key 1): where it starts, the record."""
    start = window.controller.document.text.index("Sergei Lavrov")
    window.view.setFocus()
    window.view.select_span(start, start + len("Sergei Lavrov"))
    qtbot.keyClick(window.view, Qt.Key.Key_1)
    (made,) = mine(window).values()
    return start, made


def mine(window: MainWindow) -> dict[str, AnnotationRecord]:
    document = window.controller.document
    return {a.id: a for a in window.db.annotations.for_document(document.id, annotator="alice")}


def reopened(qtbot: QtBot, window: MainWindow, db_url: str, settings: Settings) -> MainWindow:
    """Closes the window and opens a new one on the same database, as after a restart."""
    window.close()
    again = start_window(qtbot, db_url, settings)
    open_document(qtbot, again, "Putin Stages")
    qtbot.waitUntil(lambda: again.undo_action.isEnabled())
    return again


def press_undo(qtbot: QtBot, window: MainWindow) -> None:
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)


def press_redo(qtbot: QtBot, window: MainWindow) -> None:
    window.view.setFocus()
    window.redo_action.trigger()  # Edit > Redo (its key differs between desktops)


def test_undo_and_redo_an_add_and_an_edit_from_the_last_session(qtbot: QtBot, window: MainWindow, db_url: str,
                                                                 settings: Settings) -> None:
    start, made = tag_lavrov(qtbot, window)  # factual
    live_add_text = window.undo_action.text()
    window.panel.claim_combo.setFocus()
    qtbot.keyClick(window.panel.claim_combo, Qt.Key.Key_Down)  # factual -> the next claim type
    edited = mine(window)[made.id]
    live_edit_text = window.undo_action.text()
    assert edited.claim_type != "factual"

    window = reopened(qtbot, window, db_url, settings)
    assert window.undo_action.text() == live_edit_text  # the same name as the live command had
    assert layers_at(window, start + 2) == (1, 0)

    press_undo(qtbot, window)  # the edit: the claim type from before
    assert (mine(window)[made.id].claim_type, mine(window)[made.id].revision) == ("factual", edited.revision + 1)
    assert window.panel.model.record(made.id).claim_type == "factual"
    assert window.undo_action.text() == live_add_text
    assert [e.action for e in window.db.annotations.history(made.id)] == ["create", "edit", "edit"]

    press_undo(qtbot, window)  # the add: the annotation is gone, from the database and the screen
    assert mine(window) == {}
    assert layers_at(window, start + 2) == (0, 0)
    assert window.panel.model.rowCount() == 0
    assert [e.action for e in window.db.annotations.history(made.id)][-1] == "delete"

    press_redo(qtbot, window)  # the same row back
    press_redo(qtbot, window)  # and the edit again
    assert mine(window)[made.id].claim_type == edited.claim_type
    assert layers_at(window, start + 2) == (1, 0)
    assert error_box(window) is None


def test_a_delete_from_the_last_session_is_undone(qtbot: QtBot, window: MainWindow, db_url: str,
                                                  settings: Settings) -> None:
    start, made = tag_lavrov(qtbot, window)
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Delete)
    live_delete_text = window.undo_action.text()
    assert mine(window) == {}

    window = reopened(qtbot, window, db_url, settings)
    assert window.undo_action.text() == live_delete_text
    press_undo(qtbot, window)
    assert mine(window)[made.id].claim_type == "factual"
    assert layers_at(window, start + 2) == (1, 0)


def test_a_change_made_since_is_not_overwritten_by_an_old_undo(qtbot: QtBot, window: MainWindow, db_url: str,
                                                              settings: Settings) -> None:
    start, made = tag_lavrov(qtbot, window)

    window = reopened(qtbot, window, db_url, settings)
    # Meanwhile alice changes it in another way (a second copy of the app, the command line): a new revision.
    window.db.annotations.edit(made.id, "alice", note="checked with the source")
    events = len(window.db.annotations.history(made.id))

    press_undo(qtbot, window)
    qtbot.waitUntil(lambda: error_box(window) is not None)
    box = error_box(window)
    assert box is not None and "changed after" in box.text() + box.informativeText()
    assert mine(window)[made.id].note == "checked with the source"  # nothing deleted, nothing written
    assert len(window.db.annotations.history(made.id)) == events
    assert not window.undo_action.isEnabled()  # the refused step is gone, as a refused live undo
