"""Help that cannot go out of date: shortcuts read from the window's actions, guidelines from the scheme."""
from __future__ import annotations

from pytestqt.qtbot import QtBot
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from gui.help import GuidelinesDialog, ShortcutSheet
from gui.main_window import MainWindow
from window_driver import drag, open_document


def _open_dialog(qtbot: QtBot, window: MainWindow, key: Qt.Key, modifier: Qt.KeyboardModifier, kind: type):
    window.activateWindow()
    qtbot.keyClick(window.view, key, modifier)
    qtbot.waitUntil(lambda: any(isinstance(w, kind) and w.isVisible() for w in QApplication.topLevelWidgets()))
    return next(w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible())


def test_the_shortcut_sheet_lists_every_menu_key_and_follows_a_changed_shortcut(qtbot: QtBot,
                                                                                window: MainWindow) -> None:
    window.find_action.setShortcut("Ctrl+Alt+F")  # the sheet reads the actions: a change shows at once
    sheet = _open_dialog(qtbot, window, Qt.Key.Key_Slash, Qt.KeyboardModifier.ControlModifier, ShortcutSheet)
    rows = {(action, keys) for _, action, keys in sheet.visible_rows()}
    assert ("Find", "Ctrl+Alt+F") in rows
    assert ("Undo", "Ctrl+Z") in rows
    assert ("Review Mode", "Ctrl+Shift+R") in rows
    assert ("Oppose (stance)", "O") in rows and ("Denial (claim type)", "6") in rows
    qtbot.keyClicks(sheet.filter_edit, "review")
    assert [row[1] for row in sheet.visible_rows()] == ["Review Mode"]


def test_guidelines_show_each_label_with_its_definition_key_and_colour(qtbot: QtBot, window: MainWindow) -> None:
    guidelines = _open_dialog(qtbot, window, Qt.Key.Key_F1, Qt.KeyboardModifier.NoModifier, GuidelinesDialog)
    rows = guidelines.visible_rows()
    assert ["Claim type", "Denial", "6", "Rejects a claim or an accusation."] in rows
    assert ["Stance", "Oppose", "O", "The actor argues against the target."] in rows
    swatch = guidelines.table.item(0, 1)
    assert swatch.data(Qt.ItemDataRole.DecorationRole).name() == window.scheme.stances[0].colour


def test_guidelines_open_from_the_tag_editor(qtbot: QtBot, window: MainWindow) -> None:
    open_document(qtbot, window, "Putin")
    text = window.controller.document.text
    start = text.index("Kremlin admits")
    drag(qtbot, window, start, start + 7)
    qtbot.waitUntil(window.tag_editor.isVisible)
    qtbot.keyClick(window.tag_editor, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: getattr(window, "guidelines", None) is not None and window.guidelines.isVisible())
    assert window.tag_editor.isVisible()  # the half-made annotation waits while the analyst reads


def test_a_scheme_authors_markup_is_shown_as_typed(qtbot: QtBot, window: MainWindow) -> None:
    from dataclasses import replace

    label = replace(window.scheme.stances[0], label="<b>Oppose</b>", definition="<img src=file:///etc/passwd>")
    scheme = replace(window.scheme, stances=(label,), body={"description": "<font size=7>big</font>"})
    dialog = GuidelinesDialog(scheme)
    qtbot.addWidget(dialog)
    assert dialog.intro.textFormat() == Qt.TextFormat.PlainText
    assert ["Stance", "<b>Oppose</b>", "O", "<img src=file:///etc/passwd>"] in dialog.visible_rows()
