"""The corpus search dock, driven by keys: Ctrl+Shift+F, typing, Enter on a hit opens the document there."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pytestqt.qtbot import QtBot
from PySide6.QtCore import Qt

from gui.main_window import MainWindow
from storage import AnnotationDraft, Database
from storage.importers import import_paths
from window_driver import start_window, temporary_settings

STRIKE = "Harbour strike enters week two\n\nUnions said talks resume. <b>Dockers</b> 🎉 walked out at dawn.\n"


@contextmanager
def answered(qtbot: QtBot, window: MainWindow) -> Iterator[None]:
    """Waits after the block for the dock's answer to what was typed in it (sig_searched, once typing pauses)."""
    with qtbot.waitSignal(window.search.sig_searched, timeout=10_000):
        yield
    assert window.search.status.text().endswith(("hit", "hits"))


def _search(qtbot: QtBot, window, query: str) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: window.search.box.hasFocus())
    with answered(qtbot, window):
        qtbot.keyClicks(window.search.box, query)  # one real key press per character


def test_enter_on_an_annotation_hit_opens_its_document_and_selects_it(  # type: ignore[no-untyped-def]
        qtbot: QtBot, seeded_db: Database, db_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "strike.txt").write_text(STRIKE, encoding="utf-8")
    import_paths(seeded_db, [folder])
    strike = next(d for d in seeded_db.documents.list() if d.title.startswith("Harbour"))
    text = seeded_db.documents.get(strike.id).text
    start = text.index("walked out")
    ann = seeded_db.annotations.add(AnnotationDraft(strike.id, start, start + len("walked out at dawn"),
                                                    stance="oppose", note="wildcat action"), by="alice")
    window = start_window(qtbot, db_url, temporary_settings(tmp_path), annotator="alice")
    assert window.search_dock.toggleViewAction() in window.menuBar().actions()[3].menu().actions()  # View menu
    assert window.controller.document is None or window.controller.document.id != strike.id

    _search(qtbot, window, "wildc")
    assert window.search_dock.isVisible()
    [hit] = window.search.model.hits
    assert (hit.annotation_id, hit.field, hit.match) == (ann.id, "note", "wildcat")
    qtbot.keyClick(window.search.box, Qt.Key.Key_Return)  # to the results
    assert window.search.results.hasFocus()
    qtbot.keyClick(window.search.results, Qt.Key.Key_Return)  # open it
    assert window.controller.document is not None and window.controller.document.id == strike.id
    assert window.view.selected_annotation_id == ann.id and window.panel.selected_id() == ann.id

    # A text hit selects the passage; the article's markup is shown as typed, never interpreted.
    with answered(qtbot, window):
        window.search.box.clear()
        qtbot.keyClicks(window.search.box, "Dock")
    rows = [r for r, h in enumerate(window.search.model.hits) if h.field == "text"]
    assert window.search.model.index(rows[0], 2).data().endswith("<b>")
    window.search.results.selectRow(rows[0])
    qtbot.keyClick(window.search.results, Qt.Key.Key_Return)
    expected = text.index("Dockers")
    assert window.view.selected_span() == (expected, expected + len("Dockers"))


def test_an_answer_to_an_older_query_is_dropped(qtbot: QtBot, seeded_db: Database, window: MainWindow) -> None:
    _search(qtbot, window, "the")
    shown = list(window.search.model.hits)
    assert shown
    searches = window.search._searches  # the dock's background reads, of which only the newest is shown
    older = searches.generation
    with answered(qtbot, window):  # the answer to "thezzyzx"
        qtbot.keyClicks(window.search.box, "zzyzx")
        window.search.run_query()  # a newer query is asked; the older one's late answer must not replace it
        searches._arrived(older, [])  # the older query's answer arrives late
        assert window.search.model.hits == shown
    assert window.search.model.hits == []
