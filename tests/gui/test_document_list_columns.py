"""The document list's status and count columns fit their widest text as rows change (they are measured from the
few texts that can be widest, not by Qt's fitting to every row), and the filter matches words literally."""
from __future__ import annotations

from pytestqt.qtbot import QtBot

from gui.document_list import DocumentList
from gui.item_models import DocumentListModel
from storage import DocumentSummary

STATUS, COUNT = DocumentListModel.STATUS, DocumentListModel.COUNT


def _shown(qtbot: QtBot, documents: list[DocumentSummary]) -> DocumentList:
    listing = DocumentList()
    qtbot.addWidget(listing)
    listing.resize(420, 500)
    listing.set_documents(documents)
    listing.show()
    qtbot.waitExposed(listing)
    return listing


def _cut_cells(listing: DocumentList) -> list[tuple[int, int]]:
    """(row, column) of every status or count cell whose text needs more room than its column has."""
    header, view, proxy = listing.view.horizontalHeader(), listing.view, listing.proxy
    return [(row, column) for row in range(proxy.rowCount()) for column in (STATUS, COUNT)
            if view.sizeHintForIndex(proxy.index(row, column)).width() > header.sectionSize(column)]


def test_status_and_count_columns_widen_for_a_longer_text_and_fit_again_on_a_new_list(qtbot: QtBot) -> None:
    documents = [DocumentSummary(f"d{n}", f"Article {n}", "wire", 100, n % 7, "done") for n in range(200)]
    listing = _shown(qtbot, documents)
    header = listing.view.horizontalHeader()
    assert _cut_cells(listing) == []
    narrow_status, narrow_count = header.sectionSize(STATUS), header.sectionSize(COUNT)

    listing.show_claim_count("d150", 12_345_678)  # the open document's count grew by many digits
    listing.show_status("d3", "in_progress")  # "In progress" is longer than "Done"
    assert _cut_cells(listing) == []
    assert header.sectionSize(COUNT) > narrow_count and header.sectionSize(STATUS) > narrow_status

    listing.set_documents(documents)  # a fresh list is measured afresh: the columns are narrow again
    assert (header.sectionSize(STATUS), header.sectionSize(COUNT)) == (narrow_status, narrow_count)


def test_filter_words_match_literally_in_title_or_source(qtbot: QtBot) -> None:
    listing = _shown(qtbot, [DocumentSummary("a", "Costs (a+b) rise", "wire", 10, 0),
                             DocumentSummary("b", "Talks resume", "Agence.Presse", 10, 0),
                             DocumentSummary("c", "Ceasefire", "AgenceXPresse", 10, 0)])
    qtbot.keyClicks(listing.filter_edit, "(A+B)")
    assert [listing.proxy.index(r, 0).data() for r in range(listing.proxy.rowCount())] == ["Costs (a+b) rise"]
    listing.filter_edit.clear()
    qtbot.keyClicks(listing.filter_edit, "agence.presse talks")  # a dot is a dot, and every word must match
    assert [listing.proxy.index(r, 0).data() for r in range(listing.proxy.rowCount())] == ["Talks resume"]
    listing.filter_edit.clear()
    assert listing.proxy.rowCount() == 3
