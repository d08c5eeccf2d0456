"""Overlaps, edits, deletes, boundary nudges, undo and redo: each checked in the database and on screen."""
from __future__ import annotations

from pytestqt.qtbot import QtBot
from PySide6.QtCore import Qt

from gui.main_window import MainWindow
from storage import AnnotationRecord
from window_driver import click, drag, layers_at


def tag_by_keys(qtbot: QtBot, window: MainWindow, start: int, end: int, claim_key: Qt.Key) -> None:
    """Keyboard selection of [start, end) and a claim-type key, as an analyst who never leaves the keys."""
    window.view.setFocus()
    window.view.select_span(start, end)
    qtbot.keyClick(window.view, claim_key)


def stored(window: MainWindow) -> dict[tuple[int, int], AnnotationRecord]:
    document = window.controller.document
    return {(a.start, a.end): a for a in window.db.annotations.for_document(document.id, annotator="alice")}


def test_overlap_edit_delete_undo_redo(qtbot: QtBot, window: MainWindow) -> None:
    text = window.controller.document.text
    outer_start = text.index("Russian Foreign Minister Sergei Lavrov")
    outer_end = outer_start + len("Russian Foreign Minister Sergei Lavrov")
    inner_start = text.index("Sergei Lavrov")
    inner_end = inner_start + len("Sergei Lavrov")

    tag_by_keys(qtbot, window, outer_start, outer_end, Qt.Key.Key_1)  # factual
    tag_by_keys(qtbot, window, inner_start, inner_end, Qt.Key.Key_5)  # accusation
    assert set(stored(window)) == {(outer_start, outer_end), (inner_start, inner_end)}
    assert layers_at(window, outer_start) == (1, 0)
    assert layers_at(window, inner_start + 2) == (2, 0)  # both stay visible where they overlap
    assert window.panel.model.rowCount() == 2

    # Edit: click the inner span, choose another claim type in the panel with the keyboard.
    window.view.clear_span_selection()
    click(qtbot, window, inner_start + 3)
    inner = stored(window)[(inner_start, inner_end)]
    assert window.panel.selected_id() == inner.id
    combo = window.panel.claim_combo
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Down)  # accusation -> denial
    after_edit = stored(window)[(inner_start, inner_end)]
    assert (after_edit.claim_type, after_edit.revision) == ("denial", inner.revision + 1)
    assert window.panel.model.record(inner.id).claim_type == "denial"

    # Delete the selected inner annotation with the Delete key.
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Delete)
    assert set(stored(window)) == {(outer_start, outer_end)}
    assert layers_at(window, inner_start + 2) == (1, 0)
    assert window.panel.model.rowCount() == 1

    window.undo_action.trigger()  # undo delete: the same row comes back
    restored = stored(window)[(inner_start, inner_end)]
    assert (restored.id, restored.claim_type) == (inner.id, "denial")
    assert layers_at(window, inner_start + 2) == (2, 0)
    assert window.panel.selected_id() == inner.id  # the restored annotation is selected, in the panel
    assert window.view.selected_annotation_id == inner.id  # and in the article

    window.undo_action.trigger()  # undo edit
    assert stored(window)[(inner_start, inner_end)].claim_type == "accusation"
    assert window.panel.model.record(inner.id).claim_type == "accusation"

    window.redo_action.trigger()  # redo edit
    assert stored(window)[(inner_start, inner_end)].claim_type == "denial"

    window.redo_action.trigger()  # redo delete
    assert set(stored(window)) == {(outer_start, outer_end)}
    assert layers_at(window, inner_start + 2) == (1, 0)

    for _ in range(4):  # back to an empty article: every add, edit and delete undone
        window.undo_action.trigger()
    assert stored(window) == {} and layers_at(window, outer_start) == (0, 0)
    assert window.panel.model.rowCount() == 0
    window.redo_action.trigger()  # the first add comes back with the id it had
    assert list(stored(window).values())[0].start == outer_start


def test_keyboard_nudges_move_boundaries_by_words_and_undo_as_one_step(qtbot: QtBot, window: MainWindow) -> None:
    text = window.controller.document.text
    start = text.index("Kremlin admits no")
    tag_by_keys(qtbot, window, start, start + len("Kremlin"), Qt.Key.Key_1)
    record = list(stored(window).values())[0]
    assert window.panel.selected_id() == record.id  # a new annotation is selected at once
    window.view.setFocus()
    for _ in range(2):  # the end moves a whole word per press: "Kremlin admits no"
        qtbot.keyClick(window.view, Qt.Key.Key_Right,
                       Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(window.view, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)  # start to "admits"
    qtbot.waitUntil(lambda: window.controller.nudges.pending_id is None, timeout=3000)  # stored at the pause
    moved = stored(window)
    assert list(moved) == [(start + len("Kremlin "), start + len("Kremlin admits no"))]
    [after] = moved.values()
    assert after.quote == "admits no"
    assert after.revision == record.revision + 1  # three presses in a burst: one stored revision
    assert layers_at(window, start) == (0, 0) and layers_at(window, start + 10) == (1, 0)
    window.undo_action.trigger()  # all nudges in a row are one step
    assert list(stored(window)) == [(start, start + len("Kremlin"))]


def test_character_nudges_from_the_menu(qtbot: QtBot, window: MainWindow) -> None:
    text = window.controller.document.text
    start = text.index("Kremlin admits")
    tag_by_keys(qtbot, window, start, start + len("Kremlin"), Qt.Key.Key_1)
    by_character = {a.text(): a for a in window.nudge_actions}
    by_character["Move End One Character Right"].trigger()
    by_character["Move Start One Character Right"].trigger()
    window.controller.nudges.flush()
    assert list(stored(window)) == [(start + 1, start + len("Kremlin "))]


def test_a_keyboard_selection_snaps_to_words_and_the_quick_path_says_what_is_missing(qtbot: QtBot,
                                                                                   window: MainWindow) -> None:
    text = window.controller.document.text
    start = text.index("Kremlin admits")
    window.view.select_span(start, start)
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Right,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)  # "Kremlin " with space
    qtbot.keyClick(window.view, Qt.Key.Key_1)
    assert [r.quote for r in stored(window).values()] == ["Kremlin"]
    assert "without stance or actor" in window.statusBar().currentMessage()


def test_exact_characters_mode_keeps_a_drag_as_made(qtbot: QtBot, window: MainWindow) -> None:
    text = window.controller.document.text
    start = text.index("Kremlin admits")
    window.exact_action.trigger()
    drag(qtbot, window, start + 1, start + 4)
    qtbot.waitUntil(window.tag_editor.isVisible)
    qtbot.keyClick(window.tag_editor, Qt.Key.Key_1)
    qtbot.keyClick(window.tag_editor, Qt.Key.Key_Return)
    assert [r.quote for r in stored(window).values()] == ["rem"]  # not snapped out to "Kremlin"


def test_shift_click_moves_the_nearer_boundary(qtbot: QtBot, window: MainWindow) -> None:
    text = window.controller.document.text
    start = text.index("Sochi meeting")
    tag_by_keys(qtbot, window, start, start + len("Sochi"), Qt.Key.Key_3)
    end_of_meeting = start + len("Sochi meeting")
    click(qtbot, window, end_of_meeting - 1, Qt.KeyboardModifier.ShiftModifier)
    spans = list(stored(window))
    assert len(spans) == 1 and spans[0][0] == start and spans[0][1] in (end_of_meeting - 1, end_of_meeting)
    assert window.view.textCursor().hasSelection() is False or window.tag_editor.isHidden()


def test_mark_done_by_key_and_undo_it(qtbot: QtBot, window: MainWindow) -> None:
    document_id = window.controller.document.id
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert window.db.documents.status(document_id, "alice") == "done"
    assert window.progress_label.text() == "1 of 1 done"
    assert window.documents.model.summary(document_id).status == "done"
    window.undo_action.trigger()
    assert window.db.documents.status(document_id, "alice") == "todo"
    assert window.progress_label.text() == "0 of 1 done"


def test_panel_actor_completes_aliases_and_stores_the_canonical_name(qtbot: QtBot, window: MainWindow) -> None:
    window.db.actors.create("Sergei Lavrov", "person", ("Lavrov",))
    text = window.controller.document.text
    start = text.index("Kremlin admits")
    tag_by_keys(qtbot, window, start, start + len("Kremlin"), Qt.Key.Key_1)
    window.controller.open_document(window.controller.document.id)  # the registry is read when a document opens
    names = window.panel.actor_combo.completer().model().stringList()
    assert {"Sergei Lavrov", "Lavrov"} <= set(names)
    window.panel.select(window.panel.model.record_at(0).id)
    line = window.panel.actor_combo.lineEdit()
    line.setFocus()
    line.selectAll()
    qtbot.keyClicks(line, "Lavrov")
    qtbot.keyClick(line, Qt.Key.Key_Return)
    assert [a.actor for a in stored(window).values()] == ["Sergei Lavrov"]
    assert window.panel.model.record_at(0).actor == "Sergei Lavrov"
    line.selectAll()  # a brand-new actor is created on use and offered from then on
    qtbot.keyClicks(line, "Kremlin press office")
    qtbot.keyClick(line, Qt.Key.Key_Return)
    assert window.db.actors.get("Kremlin press office").name == "Kremlin press office"
    assert "Kremlin press office" in window.panel.actor_combo.completer().model().stringList()


def test_f2_edits_the_selected_annotation_in_the_tag_editor(qtbot: QtBot, window: MainWindow) -> None:
    start = window.controller.document.text.index("Kremlin admits")
    tag_by_keys(qtbot, window, start, start + len("Kremlin"), Qt.Key.Key_1)  # factual, selected at once
    qtbot.keyClick(window.view, Qt.Key.Key_F2)
    editor = window.tag_editor
    qtbot.waitUntil(editor.isVisible)
    assert editor.values()["claim_type"] == "factual"  # prefilled from the annotation
    qtbot.keyClick(editor, Qt.Key.Key_S)  # stance: support
    qtbot.keyClick(editor, Qt.Key.Key_4)  # claim type: policy
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    (record,) = stored(window).values()
    assert (record.start, record.stance, record.claim_type, record.revision) == (start, "support", "policy", 2)
    assert window.undo_action.text() == "&Undo Change claim type, stance"
    window.undo_action.trigger()
    (record,) = stored(window).values()
    assert (record.stance, record.claim_type) == (None, "factual")


def test_click_on_plain_text_lets_go_so_shift_click_extends_a_selection(qtbot: QtBot, window: MainWindow) -> None:
    text = window.controller.document.text
    start = text.index("Sochi meeting")
    tag_by_keys(qtbot, window, start, start + len("Sochi"), Qt.Key.Key_3)
    assert window.panel.selected_id() is not None
    click(qtbot, window, text.index("Kremlin admits") + 2)  # plain text: no annotation there
    assert window.panel.selected_id() is None and window.view.selected_annotation_id is None
    click(qtbot, window, start + len("Sochi meeting") - 1, Qt.KeyboardModifier.ShiftModifier)
    assert list(stored(window)) == [(start, start + len("Sochi"))]  # the annotation was left alone
