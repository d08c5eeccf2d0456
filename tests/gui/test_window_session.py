"""The window across time: restart, storage refusing a write, colleagues' changes, find, colours, who am I."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from PySide6.QtCore import Qt

from gui.main_window import MainWindow
from storage import AnnotationDraft, open_with_samples
from window_driver import error_box, layers_at, open_document, start_window, temporary_settings


def tag(qtbot: QtBot, window: MainWindow, word: str, key: Qt.Key = Qt.Key.Key_1) -> tuple[int, int]:
    start = window.controller.document.text.index(word)
    window.view.setFocus()
    window.view.select_span(start, start + len(word))
    qtbot.keyClick(window.view, key)
    return start, start + len(word)


def test_restart_brings_back_annotations_status_and_place(qtbot: QtBot, db_url: str, tmp_path: Path) -> None:
    settings = temporary_settings(tmp_path)
    first = start_window(qtbot, db_url, settings)
    document_id = open_document(qtbot, first, "Putin Stages")
    span = tag(qtbot, first, "Sergei Lavrov", Qt.Key.Key_2)
    qtbot.keyClick(first.view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    first.colour_by("stance")
    first.close()

    second = start_window(qtbot, db_url, settings)
    assert second.controller.document.id == document_id  # reopened where the analyst left off
    assert [(a.start, a.end, a.claim_type) for a in second.panel.model.records()] == [(*span, "evaluative")]
    assert layers_at(second, span[0] + 1) == (1, 0)
    assert second.documents.model.summary(document_id).status == "done"
    assert second.progress_label.text() == "1 of 1 done"
    assert second.view.colour_by == "stance" and second.colour_actions["stance"].isChecked()
    assert "alice" in second.windowTitle() and "Stancemark" in second.windowTitle()


def test_locked_database_shows_a_message_and_the_window_keeps_working(
        qtbot: QtBot, sqlite_path: str, tmp_path: Path) -> None:
    open_with_samples(sqlite_path).close()
    db = open_with_samples(sqlite_path, busy_timeout_ms=150)  # give up on another program's lock quickly
    window = MainWindow.on(db, sqlite_path, "alice", temporary_settings(tmp_path))
    qtbot.addWidget(window)
    window.controller.poll_timer.stop()
    window.start()
    window.show()
    # already shown, so waitExposed (a context manager that waits on leaving) cannot wrap show()
    qtbot.waitUntil(lambda: window.windowHandle() is not None and window.windowHandle().isExposed())
    document_id = window.controller.document.id

    other_program = sqlite3.connect(sqlite_path, isolation_level=None)
    other_program.execute("BEGIN IMMEDIATE")  # holds the write lock, as a backup tool or a second app might
    try:
        start, end = tag(qtbot, window, "Sergei Lavrov")
        assert "locked" in (window.last_error or "")
        box = error_box(window)
        assert box is not None and "locked" in box.informativeText()  # the reason, in the box on screen
        assert window.db.annotations.for_document(document_id) == []
        assert window.panel.model.rowCount() == 0 and layers_at(window, start + 1) == (0, 0)
        assert window.undo_stack.count() == 0  # nothing was pushed for what was not saved
    finally:
        other_program.execute("ROLLBACK")

    box.close()
    tag(qtbot, window, "Sergei Lavrov")  # the same action, now that the lock is gone
    assert [(a.start, a.end) for a in window.db.annotations.for_document(document_id)] == [(start, end)]
    assert layers_at(window, start + 1) == (1, 0)

    other_program.execute("BEGIN IMMEDIATE")
    try:
        window.undo_action.trigger()  # undo refused: the annotation stays, on screen and in the database
        assert "locked" in (window.last_error or "")
        assert len(window.db.annotations.for_document(document_id)) == 1
        assert layers_at(window, start + 1) == (1, 0) and window.panel.model.rowCount() == 1
    finally:
        other_program.execute("ROLLBACK")
        other_program.close()
    assert window.undo_stack.count() == 0  # the refused step left the stack, which matches the database
    window.undo_action.trigger()
    assert len(window.db.annotations.for_document(document_id)) == 1


def test_read_only_database_says_so_and_stays_usable(qtbot: QtBot, sqlite_path: str, tmp_path: Path) -> None:
    setup = open_with_samples(sqlite_path)
    setup.annotators.ensure("alice")
    setup.close()
    read_only = f"sqlite:///file:{sqlite_path}?mode=ro&uri=true"  # as a file on a read-only share behaves
    window = start_window(qtbot, read_only, temporary_settings(tmp_path))
    document_id = window.controller.document.id
    start, _ = tag(qtbot, window, "Sergei Lavrov")
    assert "read-only" in (window.last_error or "") and "nothing was saved" in window.last_error
    assert window.panel.model.rowCount() == 0 and layers_at(window, start + 1) == (0, 0)
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # mark done: refused
    assert window.documents.model.summary(document_id).status == "todo"
    assert window.undo_stack.count() == 0
    window.finder.open()  # reading still works
    qtbot.keyClicks(window.find_bar.edit, "Lavrov")
    assert window.find_bar.count_label.text().startswith("1 of ")


def test_colleagues_changes_appear_without_restart(qtbot: QtBot, db_url: str, window: MainWindow) -> None:
    document_id = open_document(qtbot, window, "Putin Stages")
    text = window.controller.document.text
    colleague = open_with_samples(db_url)  # another process on the same database
    try:
        start = text.index("Bashar al-Assad")
        colleague.annotations.add(AnnotationDraft(document_id, start, start + 15, stance="support"), by="bob")
        window.others_action.trigger()  # show other annotators
        assert layers_at(window, start + 2) == (0, 1)  # bob's span: drawn, read-only, distinct
        assert window.panel.model.rowCount() == 0  # the panel lists only alice's own

        later = text.index("Geneva")
        colleague.annotations.add(AnnotationDraft(document_id, later, later + 6), by="bob")
        mine = colleague.annotations.add(AnnotationDraft(document_id, 0, 5, claim_type="factual"), by="alice")
        window.controller.poll()
        assert layers_at(window, later + 1) == (0, 1)
        assert [a.id for a in window.panel.model.records()] == [mine.id]  # alice in another window
        assert window.documents.model.summary(document_id).annotation_count == 1

        colleague.annotations.delete(mine.id, "alice")  # alice deletes in her other window; bob removes his
        bobs = [a for a in colleague.annotations.for_document(document_id, annotator="bob") if a.start == later]
        colleague.annotations.delete(bobs[0].id, "bob")
        window.controller.poll()
        assert window.panel.model.rowCount() == 0 and layers_at(window, 2) == (0, 0)
        assert layers_at(window, later + 1) == (0, 0) and layers_at(window, start + 2) == (0, 1)

        window.others_action.trigger()  # hide them again
        assert layers_at(window, start + 2) == (0, 0)
    finally:
        colleague.close()


def test_find_counts_and_steps_through_matches(qtbot: QtBot, window: MainWindow) -> None:
    text = window.controller.document.text
    expected = [i for i in range(len(text)) if text.lower().startswith("syria", i)]
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.find_bar.isVisible()
    qtbot.keyClicks(window.find_bar.edit, "SYRIA")
    assert window.find_bar.count_label.text() == f"1 of {len(expected)}"
    assert window.view.selected_span() == (expected[0], expected[0] + 5)
    assert window.view.find_marks() == [(i, i + 5) for i in expected]  # every match is marked, not only one
    qtbot.keyClick(window.find_bar.edit, Qt.Key.Key_Return)
    assert window.find_bar.count_label.text() == f"2 of {len(expected)}"
    assert window.view.selected_span() == (expected[1], expected[1] + 5)
    window.find_previous_action.trigger()
    window.find_previous_action.trigger()
    assert window.view.selected_span() == (expected[-1], expected[-1] + 5)
    qtbot.keyClick(window.find_bar.edit, Qt.Key.Key_Escape)
    assert not window.find_bar.isVisible()
    assert window.view.find_marks() == []


def test_legend_follows_the_colour_choice_and_the_scheme(qtbot: QtBot, window: MainWindow) -> None:
    scheme = window.db.scheme.current()
    assert window.legend.labels() == [v.label for v in scheme.claim_types]
    window.colour_actions["stance"].trigger()
    assert window.legend.labels() == [v.label for v in scheme.stances]
    start = window.controller.document.text.index("Sergei Lavrov")
    window.view.select_span(start, start + 13)
    window.controller.add(AnnotationDraft(window.controller.document.id, start, start + 13, actor="Sergei Lavrov"))
    window.colour_actions["actor"].trigger()
    assert window.legend.labels() == ["Sergei Lavrov"]


def test_first_start_asks_who_is_annotating_and_remembers(qtbot: QtBot, db_url: str, tmp_path: Path) -> None:
    from gui.app import open_window

    settings = temporary_settings(tmp_path)
    answered: list[str] = []

    def answer(dialog) -> None:  # type: ignore[no-untyped-def]  # type into it like a person
        qtbot.keyClicks(dialog.name_edit.lineEdit(), "dana")
        answered.append(dialog.name())
        qtbot.keyClick(dialog.name_edit.lineEdit(), Qt.Key.Key_Return)

    _when_dialog_shows(qtbot, answer)
    window = open_window(db_url, None, settings)
    assert window is not None
    qtbot.addWidget(window)
    assert answered == ["dana"] and window.annotator == "dana" and settings.annotator == "dana"
    assert "— dana —" in window.windowTitle()


@pytest.mark.parametrize("given", ["carol"])
def test_annotator_flag_overrides_remembered_name(qtbot: QtBot, db_url: str, tmp_path: Path, given: str) -> None:
    settings = temporary_settings(tmp_path)
    settings.annotator = "alice"
    window = start_window(qtbot, db_url, settings, annotator=given)
    assert window.annotator == given and f"— {given} —" in window.windowTitle()
    assert settings.annotator == "alice"  # the override is for this run only
    assert given in [a.name for a in window.db.annotators.list()]


def test_failing_background_check_shows_in_the_status_bar_once_and_clears(
        qtbot: QtBot, sqlite_path: str, tmp_path: Path) -> None:
    window = start_window(qtbot, sqlite_path, temporary_settings(tmp_path))
    window.controller.poll()
    assert window.problem_label.isHidden()
    database, kept = Path(sqlite_path), tmp_path / "kept.db"
    window.db.engine.dispose()
    database.rename(kept)  # the file is swapped for something else, as a broken sync tool might do
    database.write_bytes(b"this is not a database " * 200)
    window.controller.poll()
    assert not window.problem_label.isHidden()
    assert "not a Stancemark database" in window.problem_label.text()
    assert error_box(window) is None  # a background check does not throw boxes at the analyst
    with qtbot.assertNotEmitted(window.controller.sig_background_problem):
        window.controller.poll()  # the same problem again: nothing new to say
    window.db.engine.dispose()
    database.unlink()
    kept.rename(database)
    window.controller.poll()
    assert window.problem_label.isHidden()


def _when_dialog_shows(qtbot: QtBot, act) -> None:  # type: ignore[no-untyped-def]
    """Runs `act(dialog)` once the first-start question is on screen (it runs its own event loop)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from gui.dialogs import AnnotatorDialog

    def poll() -> None:
        dialog = next((w for w in QApplication.topLevelWidgets()
                       if isinstance(w, AnnotatorDialog) and w.isVisible()), None)
        if dialog is None:
            QTimer.singleShot(50, poll)
        else:
            act(dialog)

    QTimer.singleShot(0, poll)


def test_first_start_question_is_in_the_dialog_and_an_empty_name_says_why(qtbot: QtBot, db_url: str,
                                                                          tmp_path: Path) -> None:
    from PySide6.QtWidgets import QLabel, QPushButton

    from gui.app import StartCancelled, open_window

    seen: dict[str, object] = {}

    def look_then_cancel(dialog) -> None:  # type: ignore[no-untyped-def]
        seen["labels"] = [label.text() for label in dialog.findChildren(QLabel) if label.isVisible()]
        start = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Start")
        seen["start_enabled"] = start.isEnabled()
        qtbot.keyClicks(dialog.name_edit.lineEdit(), "   ")  # spaces only are no name either
        seen["after_spaces"] = start.isEnabled()
        qtbot.keyClick(dialog.name_edit.lineEdit(), Qt.Key.Key_Escape)

    _when_dialog_shows(qtbot, look_then_cancel)
    with pytest.raises(StartCancelled):
        open_window(db_url, None, temporary_settings(tmp_path))
    assert "Who is annotating?" in seen["labels"]  # not only in a title bar that may not exist
    assert "Type a name to continue." in seen["labels"]
    assert seen["start_enabled"] is False and seen["after_spaces"] is False


def test_cancelling_the_first_start_question_exits_cleanly_with_a_message(
        qtbot: QtBot, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    import argparse

    import gui.app

    monkeypatch.setattr(gui.app, "Settings", lambda: temporary_settings(tmp_path))
    _when_dialog_shows(qtbot, lambda dialog: dialog.reject())
    assert gui.app.run_window(argparse.Namespace(db=db_url, annotator=None)) == 0
    assert "no name given" in capsys.readouterr().err


def test_the_article_has_the_keyboard_from_the_start(qtbot: QtBot, seeded_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication

    window = start_window(qtbot, seeded_db.location, temporary_settings(tmp_path))
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.view)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert window.view.selected_span() is not None  # the very first key press reached the article



def test_showing_others_does_not_squeeze_the_legend(qtbot: QtBot, seeded_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QLabel

    window = start_window(qtbot, seeded_db.location, temporary_settings(tmp_path))
    window.resize(1024, 768)
    window.colour_actions["stance"].trigger()
    window.others_action.trigger()  # adds the note on how colleagues' spans are drawn
    qtbot.wait(50)
    legend = window.legend
    assert not legend.note.isHidden()
    for label in legend.findChildren(QLabel):
        if label.isVisible() and label.text() in {"Oppose", "Neutral", "Support"}:
            assert label.height() >= label.sizeHint().height()  # every row whole
            assert label.mapTo(legend, label.rect().bottomLeft()).y() <= legend.height()
