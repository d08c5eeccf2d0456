"""The Actors dock driven by keys (issue 11): Ctrl+Shift+P, filter as you type, merge two actors and every
annotation follows, Ctrl+Z undoes the merge; rename, kind, alias, delete; Enter on a passage opens it."""
from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from PySide6.QtCore import Qt

from gui.main_window import MainWindow
from storage import AnnotationDraft, open_with_samples
from window_driver import open_document, start_window, temporary_settings

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def window(qtbot: QtBot, db_url: str, tmp_path: Path) -> MainWindow:
    """The sample article with 'V. Putin' used by alice (twice) and bob, 'Vladimir Putin' by alice once."""
    setup = open_with_samples(db_url)
    doc = setup.documents.list()[0]
    text = setup.documents.get(doc.id).text
    setup.actors.create("Vladimir Putin", "person", ("Putin",), by="alice")
    at = text.index("Putin")
    setup.annotations.add(AnnotationDraft(doc.id, at, at + 5, actor="Vladimir Putin"), by="alice")
    lavrov = text.index("Lavrov")
    setup.annotations.add(AnnotationDraft(doc.id, lavrov, lavrov + 6, actor="V. Putin"), by="alice")
    assad = text.index("Assad")
    setup.annotations.add(AnnotationDraft(doc.id, assad, assad + 5, actor="V. Putin"), by="alice")
    setup.annotations.add(AnnotationDraft(doc.id, lavrov, lavrov + 6, actor="V. Putin"), by="bob")
    setup.close()
    win = start_window(qtbot, db_url, temporary_settings(tmp_path))
    open_document(qtbot, win, doc.title[:10])
    return win


def _open_dock(qtbot: QtBot, window: MainWindow) -> None:
    with qtbot.waitSignal(window.actors.sig_loaded, timeout=10_000):
        qtbot.keyClick(window, Qt.Key.Key_P, CTRL_SHIFT)
    assert window.actors_dock.isVisible()


def _actors_of(window: MainWindow) -> dict[str, str | None]:
    doc = window.controller.document.id
    return {f"{a.annotator}:{a.start}": a.actor for a in window.db.annotations.for_document(doc)}


def test_merge_two_actors_every_annotation_follows_and_undo_puts_them_back(qtbot: QtBot, window: MainWindow) -> None:
    _open_dock(qtbot, window)
    panel = window.actors
    rows = {u.name: (u.annotations, u.documents) for u in panel.model.rows}
    assert rows == {"Vladimir Putin": (1, 1), "V. Putin": (3, 1)}
    before = _actors_of(window)
    qtbot.keyClicks(panel.filter_box, "v.  pu")                  # filter as you type, spaces forgiven
    assert [u.name for u in panel.model.rows] == ["V. Putin"] and panel.selected().name == "V. Putin"
    panel.merge_box.setFocus()
    qtbot.keyClicks(panel.merge_box.lineEdit(), "Vladimir Putin")
    with qtbot.waitSignal(panel.sig_loaded, timeout=10_000):
        qtbot.keyClick(panel.merge_box.lineEdit(), Qt.Key.Key_Return)
    assert set(_actors_of(window).values()) == {"Vladimir Putin"}          # every annotation followed, bob's too
    shown = {window.panel.model.record_at(r).actor for r in range(window.panel.model.rowCount())}
    assert shown == {"Vladimir Putin"}                                       # and the window shows it
    panel.filter_box.clear()
    qtbot.waitUntil(lambda: [u.name for u in panel.model.rows] == ["Vladimir Putin"])
    assert panel.model.rows[0].annotations == 4 and "V. Putin" in panel.model.rows[0].aliases
    assert window.undo_action.text().replace("&", "").startswith("Undo Merge actor")

    window.view.setFocus()
    with qtbot.waitSignal(panel.sig_loaded, timeout=10_000):
        qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _actors_of(window) == before
    assert {u.name for u in panel.model.rows} == {"Vladimir Putin", "V. Putin"}
    window.view.setFocus()
    with qtbot.waitSignal(panel.sig_loaded, timeout=10_000):
        window.redo_action.trigger()                                     # redo merges again
    assert set(_actors_of(window).values()) == {"Vladimir Putin"}


def test_enter_on_a_passage_opens_its_document_there(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    other = tmp_path / "other.txt"
    other.write_text("Another article\n\nLater Putin spoke again.\n", encoding="utf-8")
    from storage import import_paths

    import_paths(window.db, [other])
    doc = next(d for d in window.db.documents.list() if d.title == "Another article")
    start = window.db.documents.get(doc.id).text.index("Putin")
    window.db.annotations.add(AnnotationDraft(doc.id, start, start + 5, actor="putin"), by="bob")
    _open_dock(qtbot, window)
    panel = window.actors
    with qtbot.waitSignal(panel.sig_passages_loaded, timeout=10_000):
        assert panel.select_actor("Vladimir Putin")
    titles = [p.title for p in panel.passage_model.rows]
    assert sorted(titles) == titles and "Another article" in titles
    panel.passages.setFocus()
    panel.passages.selectRow(titles.index("Another article"))
    qtbot.keyClick(panel.passages, Qt.Key.Key_Return)
    assert window.controller.document.id == doc.id
    assert window.view.selected_span() == (start, start + 5)


def test_rename_kind_alias_and_delete_from_the_dock(qtbot: QtBot, window: MainWindow) -> None:
    window.db.actors.create("<b>Nobody</b>", by="alice")
    _open_dock(qtbot, window)
    panel = window.actors
    assert panel.model.data(panel.model.index(0, 0)) == "<b>Nobody</b>"   # shown as typed, never as markup
    assert panel.select_actor("V. Putin")
    panel.name_edit.setFocus()
    panel.name_edit.selectAll()
    qtbot.keyClicks(panel.name_edit, "Vladimir V. Putin")
    with qtbot.waitSignal(panel.sig_loaded, timeout=10_000):
        qtbot.keyClick(panel.name_edit, Qt.Key.Key_Return)
    assert panel.selected().name == "Vladimir V. Putin" and panel.selected().aliases == ("V. Putin",)
    with qtbot.waitSignal(panel.sig_loaded, timeout=10_000):
        panel.kind_box.setFocus()
        panel.kind_box.setCurrentText("person")
        panel.kind_box.activated.emit(panel.kind_box.currentIndex())
    assert window.db.actors.get("Vladimir V. Putin").kind == "person"
    panel.alias_edit.setFocus()
    qtbot.keyClicks(panel.alias_edit, "VVP")
    with qtbot.waitSignal(panel.sig_loaded, timeout=10_000):
        qtbot.keyClick(panel.alias_edit, Qt.Key.Key_Return)
    assert set(window.db.actors.get("VVP").aliases) == {"V. Putin", "VVP"}
    assert not panel.delete_button.isEnabled()                  # used: merge it instead
    assert panel.select_actor("<b>Nobody</b>") and panel.delete_button.isEnabled()
    with qtbot.waitSignal(panel.sig_loaded, timeout=10_000):
        qtbot.mouseClick(panel.delete_button, Qt.MouseButton.LeftButton)
    assert "<b>Nobody</b>" not in {u.name for u in panel.model.rows}
    assert window.db.actors.lookup("<b>Nobody</b>") is None
