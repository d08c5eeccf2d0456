"""The main window's Gold dock: an annotator sees, beside each of her annotations, the reviewer's decision on
that passage with the gold attributes, the reviewer and the rationale; it follows the open document."""
from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from gui.gold_dock import NOT_REVIEWED, OTHER_VERSION, READING, GoldComparisonModel
from gui.main_window import MainWindow
from storage import AnnotationDraft, Database, gold_beside_mine
from review_samples import adjudicated
from storage.importers import import_paths
from window_driver import open_document, start_window, temporary_settings

COLUMNS = GoldComparisonModel.HEADERS


def row_texts(model: GoldComparisonModel) -> list[dict[str, str]]:
    return [{COLUMNS[c]: model.index(r, c).data() for c in range(len(COLUMNS))} for r in range(model.rowCount())]


def test_alice_sees_the_gold_version_and_the_rationale_beside_her_own(  # type: ignore[no-untyped-def]
        qtbot: QtBot, seeded_db, db_url: str, tmp_path: Path) -> None:
    doc = adjudicated(seeded_db)
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "b.txt").write_text("Harbour strike enters week two\n\nUnions said talks resume.\n", encoding="utf-8")
    import_paths(seeded_db, [folder])
    window = start_window(qtbot, db_url, temporary_settings(tmp_path), annotator="alice")
    title = seeded_db.documents.get(doc).title
    open_document(qtbot, window, title)
    assert window.gold_dock.toggleViewAction() in window.menuBar().actions()[3].menu().actions()  # View menu
    assert not window.gold.on_screen and window.gold.model.rowCount() == 0  # tabbed behind the annotation list

    window.gold_dock.raise_()
    qtbot.waitUntil(lambda: window.gold.on_screen and not window.gold.loading, timeout=10_000)
    rows = row_texts(window.gold.model)
    assert [r["Decision"] for r in rows] == ["Accepted", OTHER_VERSION, NOT_REVIEWED]
    assert rows[0]["Mine"].startswith("20–30 ") and rows[0]["My labels"] == "oppose · factual"
    assert (rows[0]["Gold"], rows[0]["Reviewer"], rows[0]["Rationale"]) == (
        "oppose · factual", "rita", "the quote is hostile to the plan")
    assert (rows[1]["My labels"], rows[1]["Gold"], rows[1]["Rationale"]) == (
        "support", "60–72 oppose", "reported speech, not endorsed")
    assert rows[2]["Gold"] == rows[2]["Reviewer"] == rows[2]["Rationale"] == ""
    assert window.gold.summary.text() == "A reviewer decided on 2 of your 3 annotation(s) here."

    # The reviewer changes her mind elsewhere; coming back to the window shows it.
    seeded_db.review.reject(window.gold.model.row_at(0).mine.id, by="rita", rationale="a headline, not a claim")
    window.gold.refresh()
    assert window.gold.summary.text() == READING  # read in the background, shown once it arrives
    qtbot.waitUntil(lambda: not window.gold.loading, timeout=10_000)
    first = row_texts(window.gold.model)[0]
    assert (first["Decision"], first["Gold"], first["Rationale"]) == (
        "Rejected", "— (left out of the dataset)", "a headline, not a claim")

    open_document(qtbot, window, "Harbour strike")
    assert window.gold.model.rowCount() == 0  # the other document's rows do not stand in meanwhile
    qtbot.waitUntil(lambda: window.gold.summary.text() == "You have no annotations in this document.",
                    timeout=10_000)


def test_the_gold_model_passes_the_model_tester(qtmodeltester, seeded_db) -> None:  # type: ignore[no-untyped-def]
    doc = adjudicated(seeded_db)
    model = GoldComparisonModel()
    model.set_rows(gold_beside_mine(seeded_db, doc, "alice"))
    assert model.rowCount() == 3
    qtmodeltester.check(model)


def test_own_edits_reach_the_dock_from_a_background_read(qtbot: QtBot, seeded_db: Database,
                                                        window: MainWindow) -> None:
    """After the analyst's own changes the dock re-reads off the UI thread, once the edits pause."""
    window.gold_dock.raise_()
    qtbot.waitUntil(lambda: window.gold.on_screen and not window.gold.loading, timeout=10_000)
    before = window.gold.model.rowCount()
    doc = window.controller.document
    window.db.annotations.add(AnnotationDraft(doc.id, 0, 5, claim_type="factual"), by="alice")
    with qtbot.waitSignal(window.gold.model.modelReset, timeout=10_000):
        window.gold.refresh_soon()
        assert window.gold.model.rowCount() == before  # nothing read on the UI thread yet
    assert window.gold.model.rowCount() == before + 1
    assert window.gold.model.row_at(0).gold is None
