"""Documents a colleague or another program adds appear in an open window within the poll interval, with
their counts, and the document the analyst is reading stays selected."""
from __future__ import annotations

import json
from pathlib import Path

from pytestqt.qtbot import QtBot

from gui.colleagues import POLL_INTERVAL_MS
from gui.main_window import MainWindow
from storage import Database, open_database
from storage.importers import import_paths
from window_driver import open_document, start_window, temporary_settings


def articles(folder: Path, titles: list[str]) -> Path:
    """A doccano file: each article with one labelled span."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = [{"title": t, "text": f"{t}. Unions said talks resume next week.", "label": [[0, 7, "factual"]]}
             for t in titles]
    path = folder / "more.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


def test_a_colleagues_import_appears_within_the_poll_keeping_the_selection(  # type: ignore[no-untyped-def]
        qtbot: QtBot, seeded_db: Database, db_url: str, window: MainWindow, tmp_path: Path) -> None:
    before = window.documents.model.rowCount()
    reading = open_document(qtbot, window, seeded_db.documents.list()[-1].title)
    window.documents.filter_edit.setText("")
    colleague = open_database(db_url)  # another handle: another program on the same database
    try:
        import_paths(colleague, [articles(tmp_path / "in", ["Harbour strike day one", "Harbour strike day two"])],
                     annotator="alice")  # spans under alice's name: the list shows her count for them
    finally:
        colleague.close()

    window.controller.poll_timer.start()
    qtbot.waitUntil(lambda: window.documents.model.rowCount() == before + 2, timeout=POLL_INTERVAL_MS + 2_000)
    model = window.documents.model
    new = {model.summary_at(r).title: model.summary_at(r) for r in range(before, before + 2)}
    assert set(new) == {"Harbour strike day one", "Harbour strike day two"}
    assert [s.annotation_count for s in new.values()] == [1, 1]
    assert window.documents.current_id() == reading == window.controller.document.id
    assert window.documents.view.selectionModel().isRowSelected(model.row_of(reading), window.documents.view.rootIndex())
    assert window.progress_label.text() == f"0 of {before + 2} done"


def test_documents_written_without_an_event_appear_too(  # type: ignore[no-untyped-def]
        qtbot: QtBot, seeded_db: Database, db_url: str, tmp_path: Path) -> None:
    """A program that bypasses the event log (raw SQL) is caught by the document count."""
    from sqlalchemy import insert

    from storage.tables import Document

    window = start_window(qtbot, db_url, temporary_settings(tmp_path), annotator="alice")
    before = window.documents.model.rowCount()
    with seeded_db.sessions.write.begin() as s:
        s.execute(insert(Document).values(id="raw0000000000000000000000000001", title="Written by hand",
                                          source="", text="Written by hand.", sha256="f" * 64, meta={}))
    window.controller.poll()
    assert window.documents.model.rowCount() == before + 1
    assert window.documents.model.summary("raw0000000000000000000000000001").title == "Written by hand"
