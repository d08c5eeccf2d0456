"""Moving around: the document list by keys and filter, the annotation list and the article in step."""
from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from gui.highlighter import SELECTED
from storage import AnnotationDraft, open_with_samples
from storage.importers import import_paths
from gui.main_window import MainWindow
from window_driver import click, formats_over, open_document, start_window, temporary_settings


@pytest.fixture
def window(qtbot: QtBot, db_url: str, tmp_path: Path) -> MainWindow:
    folder = tmp_path / "articles"
    folder.mkdir()
    for name, title in (("a.txt", "Fisheries quota talks stall"), ("b.txt", "Harbour strike enters week two")):
        (folder / name).write_text(f"{title}\n\nUnions said the talks would resume.\n", encoding="utf-8")
    setup = open_with_samples(db_url)
    import_paths(setup, [folder])
    setup.close()
    return start_window(qtbot, db_url, temporary_settings(tmp_path))


def test_filter_and_arrow_keys_open_documents(qtbot: QtBot, window: MainWindow) -> None:
    documents = window.documents
    assert documents.model.rowCount() == 3
    documents.filter_edit.setFocus()
    qtbot.keyClicks(documents.filter_edit, "harbour")
    assert documents.proxy.rowCount() == 1
    qtbot.keyClick(documents.filter_edit, Qt.Key.Key_Down)
    assert window.controller.document.title == "Harbour strike enters week two"
    assert window.windowTitle().startswith("Harbour strike enters week two — ")
    documents.filter_edit.clear()
    documents.view.setFocus()
    titles = []
    for _ in range(3):
        qtbot.keyClick(window.view, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
        titles.append(window.controller.document.title)
    assert titles[-1] == documents.model.summary_at(0).title
    qtbot.keyClick(window.view, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert window.controller.document.title == documents.model.summary_at(1).title
    assert window.view.toPlainText() == window.controller.document.text


def test_list_and_article_select_the_same_annotation(qtbot: QtBot, window: MainWindow) -> None:
    document_id = open_document(qtbot, window, "Putin Stages")
    text = window.controller.document.text
    first, second = (text.index(w) for w in ("Sergei Lavrov", "Bashar al-Assad"))
    for start, length in ((first, 13), (second, 15)):
        window.controller.add(AnnotationDraft(document_id, start, start + length, claim_type="factual"))
    table = window.panel.table
    row = window.panel.model.row_of(next(a.id for a in window.panel.model.records() if a.start == second))
    cell = table.visualRect(table.model().index(row, 0)).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    selected = window.panel.selected_id()
    assert window.panel.model.record(selected).start == second
    assert window.view.selected_annotation_id == selected
    assert formats_over(window, second + 2)[-1].property(SELECTED) is True
    assert window.panel.stance_combo.isEnabled() and window.panel.claim_combo.currentData() == "factual"

    window.view.clear_span_selection()
    click(qtbot, window, first + 4)  # clicking a highlight selects its row
    assert window.panel.model.record(window.panel.selected_id()).start == first
    assert table.selectionModel().selectedRows()[0].row() == window.panel.model.row_of(window.panel.selected_id())


def test_undo_on_another_document_brings_it_up(qtbot: QtBot, window: MainWindow) -> None:
    first_id = open_document(qtbot, window, "Fisheries")
    start = window.controller.document.text.index("Unions")
    window.view.setFocus()
    window.view.select_span(start, start + 6)
    qtbot.keyClick(window.view, Qt.Key.Key_4)
    open_document(qtbot, window, "Harbour")
    window.undo_action.trigger()
    assert window.controller.document.id == first_id  # the analyst sees what the undo changed
    assert window.db.annotations.for_document(first_id) == [] and window.panel.model.rowCount() == 0
    assert window.documents.model.summary(first_id).annotation_count == 0


def test_open_another_database_replaces_the_window(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    other = str(tmp_path / "other.db")
    window.switch_database(other)
    (replacement,) = [w for w in QApplication.topLevelWidgets()
                      if isinstance(w, MainWindow) and w is not window and w.isVisible()]  # what is on screen
    qtbot.addWidget(replacement)
    assert replacement is not window and replacement.db.display_name == "other.db"
    assert replacement.annotator == "alice" and "other.db" in replacement.windowTitle()
    assert window.isHidden()
