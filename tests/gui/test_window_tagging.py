"""Tagging in the real window: a mouse drag and the tag editor's keys, keyboard selection and a claim key.

Offsets are checked in the database, in code points, on text with emoji (two UTF-16 units each in Qt) and
CRLF line ends (collapsed on import) before the passage.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from PySide6.QtCore import Qt

from storage import open_with_samples
from storage.importers import import_paths
from gui.main_window import MainWindow
from window_driver import drag, layers_at, open_document, start_window, temporary_settings

EMOJI_ARTICLE = ("Minister 🙂 denies 🎉 report\r\n\r\n"
                 "Reactions 👍🏽 poured in 🇪🇺 overnight.\r\n"
                 "The minister firmly denied the report on Tuesday.\r\n")


@pytest.fixture
def window(qtbot: QtBot, db_url: str, tmp_path: Path) -> MainWindow:
    article = tmp_path / "emoji.txt"
    article.write_bytes(EMOJI_ARTICLE.encode("utf-8"))
    setup = open_with_samples(db_url)
    import_paths(setup, [article])
    setup.close()
    return start_window(qtbot, db_url, temporary_settings(tmp_path))


def test_drag_and_tag_with_keys_stores_code_point_offsets(qtbot: QtBot, window: MainWindow) -> None:
    document_id = open_document(qtbot, window, "Minister")
    text = window.controller.document.text
    assert "\r" not in text  # stored normalised
    start = text.index("denied")
    # Qt counts the word's position in UTF-16 units: one more per emoji before it (and "👍🏽" and "🇪🇺" are two
    # code points, each of two units). The conversion must not leak into what is stored.
    assert window.view.document().find("denied").selectionStart() == start + 6

    drag(qtbot, window, start + 1, start + 4)  # from inside the word to inside it: snaps out to "denied"
    editor = window.tag_editor
    qtbot.waitUntil(editor.isVisible)
    qtbot.keyClick(editor, Qt.Key.Key_O)  # stance: oppose
    qtbot.keyClick(editor, Qt.Key.Key_6)  # claim type: denial
    editor.actor_box.setFocus()
    qtbot.keyClicks(editor.actor_box.lineEdit(), "Interior Minister")  # a new actor, created on save
    qtbot.keyClick(editor.actor_box.lineEdit(), Qt.Key.Key_Return)  # first Enter: the new actor's kind row
    assert editor.isVisible() and editor.focusWidget() is editor.new_kind_box
    qtbot.keyClick(editor.new_kind_box, Qt.Key.Key_Return)  # second Enter: create it (kind "other")
    qtbot.waitUntil(lambda: not editor.isVisible())

    stored = window.db.annotations.for_document(document_id, annotator="alice")
    assert [(a.start, a.end, a.quote, a.stance, a.claim_type, a.actor) for a in stored] == \
        [(start, start + 6, "denied", "oppose", "denial", "Interior Minister")]
    assert window.db.actors.get("Interior Minister").name == "Interior Minister"
    assert layers_at(window, start) == (1, 0) and layers_at(window, start + 5) == (1, 0)
    assert layers_at(window, start - 2) == (0, 0) and layers_at(window, start + 6) == (0, 0)
    assert window.panel.model.rowCount() == 1
    assert window.saved_label.text().startswith("Saved ")
    assert window.undo_action.text().endswith("“denied”")


def test_keyboard_selection_and_claim_key_add_directly(qtbot: QtBot, window: MainWindow) -> None:
    document_id = open_document(qtbot, window, "Minister")
    text = window.controller.document.text
    start = text.index("overnight")
    window.view.setFocus()
    window.view.select_span(start, start)  # caret before the word, then Shift+Right nine times
    for _ in range(len("overnight")):
        qtbot.keyClick(window.view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(window.view, Qt.Key.Key_3)  # "predictive" in the default scheme
    stored = window.db.annotations.for_document(document_id)
    assert [(a.start, a.end, a.claim_type, a.annotator) for a in stored] == \
        [(start, start + 9, "predictive", "alice")]
    assert layers_at(window, start + 4) == (1, 0)


def test_escape_in_the_tag_editor_saves_nothing(qtbot: QtBot, window: MainWindow) -> None:
    document_id = open_document(qtbot, window, "Minister")
    start = window.controller.document.text.index("Reactions")
    drag(qtbot, window, start, start + len("Reactions"))
    qtbot.waitUntil(window.tag_editor.isVisible)
    qtbot.keyClick(window.tag_editor, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.tag_editor.isVisible())
    assert window.db.annotations.for_document(document_id) == []
    assert window.undo_stack.count() == 0 and layers_at(window, start) == (0, 0)


def test_html_looking_text_is_shown_literally(qtbot: QtBot, db_url: str, tmp_path: Path) -> None:
    article = tmp_path / "markup.txt"
    article.write_text("Markup <b>bold</b> <img src=x> &amp; more\n\nA second <i>paragraph</i>.\n", encoding="utf-8")
    setup = open_with_samples(db_url)
    import_paths(setup, [article])
    setup.close()
    window = start_window(qtbot, db_url, temporary_settings(tmp_path))
    open_document(qtbot, window, "Markup")
    shown = window.view.toPlainText()
    assert "<b>bold</b> <img src=x> &amp; more" in shown and "<i>paragraph</i>" in shown
    assert window.view.document().toRawText().count("<") == shown.count("<") == 5
    model = window.documents.model
    assert any(model.summary_at(r).title == "Markup <b>bold</b> <img src=x> &amp; more"
               for r in range(model.rowCount()))
    start = window.controller.document.text.index("<img")
    window.view.setFocus()
    window.view.select_span(start, start + len("<img src=x>"))
    qtbot.keyClick(window.view, Qt.Key.Key_1)
    assert window.panel.model.index(0, 0).data() == "<img src=x>"
    window.panel.select(window.panel.model.record_at(0).id)
    assert window.panel.quote_label.textFormat() == Qt.TextFormat.PlainText
    assert window.panel.quote_label.text() == "“<img src=x>”"
