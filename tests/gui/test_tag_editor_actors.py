"""The tag editor's actor field against the real registry (issue 11): Tab and Enter take the highlighted
completion, an alias shows and saves its actor, and a new name needs an explicit confirmation with its kind."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from gui.main_window import MainWindow
from gui.tag_editor import TagEditor
from window_driver import drag, open_document


@pytest.fixture
def editor(db, qtbot: QtBot, host: QWidget) -> TagEditor:  # type: ignore[no-untyped-def]
    db.actors.create("Alexander Shumilin", "person", by="alice")
    db.actors.create("Vladimir Putin", "person", ("Putin",), by="alice")
    widget = TagEditor(db.scheme.current(), db.actors.complete, host)
    widget.open_for("said Shumilin", host.mapToGlobal(QPoint(40, 60)))
    qtbot.waitUntil(widget.hasFocus)
    QTest.keyClick(widget, Qt.Key.Key_Tab)
    assert widget.focusWidget() is widget.actor_box
    return widget


def _saved(editor: TagEditor) -> list[dict]:
    emitted: list[dict] = []
    editor.sig_accepted.connect(emitted.append)
    return emitted


def test_tab_then_enter_takes_the_highlighted_completion(editor: TagEditor, qtbot: QtBot, db) -> None:  # type: ignore[no-untyped-def]
    emitted = _saved(editor)
    QTest.keyClicks(editor.focusWidget(), "Alexander Sh")
    qtbot.waitUntil(editor.actor_completer.popup().isVisible)
    QTest.keyClick(editor.focusWidget(), Qt.Key.Key_Tab)       # the completion, not the half-typed name
    assert editor.actor_box.currentText() == "Alexander Shumilin"
    assert editor.focusWidget() is editor.target_edit
    QTest.keyClick(editor.target_edit, Qt.Key.Key_Return)
    assert [v["actor"] for v in emitted] == ["Alexander Shumilin"] and "actor_kind" not in emitted[0]
    assert [a.name for a in db.actors.list()] == ["Alexander Shumilin", "Vladimir Putin"]


def test_enter_in_the_open_list_takes_the_completion_and_a_second_enter_saves(editor: TagEditor, qtbot: QtBot) -> None:
    emitted = _saved(editor)
    QTest.keyClicks(editor.focusWidget(), "alexander   sh")
    qtbot.waitUntil(editor.actor_completer.popup().isVisible)
    QTest.keyClick(editor.focusWidget(), Qt.Key.Key_Return)
    assert editor.actor_box.currentText() == "Alexander Shumilin" and emitted == []
    QTest.keyClick(editor.focusWidget(), Qt.Key.Key_Return)
    assert [v["actor"] for v in emitted] == ["Alexander Shumilin"]


def test_an_alias_shows_its_actor_and_saves_the_actor(editor: TagEditor, qtbot: QtBot) -> None:
    emitted = _saved(editor)
    QTest.keyClicks(editor.focusWidget(), "PUTIN")
    assert editor.actor_hint.isVisible() and editor.actor_hint.text() == "PUTIN → Vladimir Putin"
    assert editor.actor_hint.textFormat() == Qt.TextFormat.PlainText
    assert not editor.new_actor_row.isVisible()
    editor.actor_completer.popup().hide()
    QTest.keyClick(editor.focusWidget(), Qt.Key.Key_Return)
    assert [v["actor"] for v in emitted] == ["Vladimir Putin"]


def test_a_new_name_needs_enter_on_its_kind_and_escape_goes_back(editor: TagEditor, qtbot: QtBot, db) -> None:  # type: ignore[no-untyped-def]
    emitted = _saved(editor)
    QTest.keyClicks(editor.focusWidget(), "Sergei Lavrov")
    assert editor.new_actor_row.isVisible() and "Sergei Lavrov" in editor.new_actor_label.text()
    QTest.keyClick(editor.focusWidget(), Qt.Key.Key_Return)    # not saved: the kind row takes the focus
    assert emitted == [] and editor.isVisible() and editor.focusWidget() is editor.new_kind_box
    QTest.keyClick(editor.new_kind_box, Qt.Key.Key_Escape)     # back to the name, nothing saved or cancelled
    assert emitted == [] and editor.isVisible() and editor.focusWidget() in (editor.actor_box,
                                                                              editor.actor_box.lineEdit())
    QTest.keyClick(editor.focusWidget(), Qt.Key.Key_Return)
    assert editor.focusWidget() is editor.new_kind_box
    editor.new_kind_box.setCurrentText("other")
    QTest.keyClick(editor.new_kind_box, Qt.Key.Key_Up)        # other -> state
    QTest.keyClick(editor.new_kind_box, Qt.Key.Key_Up)        # state -> organisation
    QTest.keyClick(editor.new_kind_box, Qt.Key.Key_Up)        # organisation -> person
    QTest.keyClick(editor.new_kind_box, Qt.Key.Key_Return)
    assert emitted == [{"stance": None, "claim_type": None, "actor": "Sergei Lavrov", "target": None, "note": "",
                        "actor_kind": "person"}]
    assert db.actors.lookup("Sergei Lavrov") is None  # the window makes it (below); the editor only asks


def test_the_window_creates_a_confirmed_new_actor_with_its_kind(qtbot: QtBot, window: MainWindow) -> None:
    document_id = open_document(qtbot, window, "Putin Stages")
    text = window.controller.document.text
    start = text.index("Lavrov")
    drag(qtbot, window, start + 1, start + 5)
    editor = window.tag_editor
    qtbot.waitUntil(editor.isVisible)
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    qtbot.keyClicks(editor.focusWidget(), "Sergei Lavrov")
    qtbot.keyClick(editor.focusWidget(), Qt.Key.Key_Return)
    assert window.db.annotations.for_document(document_id, annotator="alice") == []
    editor.new_kind_box.setCurrentText("person")
    qtbot.keyClick(editor.new_kind_box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not editor.isVisible())
    [ann] = window.db.annotations.for_document(document_id, annotator="alice")
    assert ann.actor == "Sergei Lavrov" and window.db.actors.get("Sergei Lavrov").kind == "person"
    drag(qtbot, window, start + 1, start + 5)                  # the next time, Tab takes it at once
    qtbot.waitUntil(editor.isVisible)
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    qtbot.keyClicks(editor.focusWidget(), "sergei la")
    qtbot.waitUntil(editor.actor_completer.popup().isVisible)
    qtbot.keyClick(editor.focusWidget(), Qt.Key.Key_Tab)
    qtbot.keyClick(editor.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not editor.isVisible())
    assert [a.name for a in window.db.actors.list()] == ["Sergei Lavrov"]
