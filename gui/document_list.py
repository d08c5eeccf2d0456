"""The left-hand document list: filter as you type, arrow keys move, the current row is the open document."""
from __future__ import annotations

from dataclasses import replace
from typing import Any, Callable

from PySide6.QtCore import QEvent, QModelIndex, QObject, QRegularExpression, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLineEdit, QTableView, QVBoxLayout, QWidget

from storage import DocumentSummary

from gui.item_models import FILTER_ROLE, ID_ROLE, DocumentListModel


class DocumentFilter(QSortFilterProxyModel):
    """Matches every word of the filter against title and source, case-insensitively.

    Qt's own filtering does the matching (a pattern of one look-ahead per word over the model's lower-cased
    "title source"), so an empty filter accepts 10,000 rows without a Python call per row."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setFilterRole(FILTER_ROLE)
        self.setFilterKeyColumn(0)

    def set_words(self, text: str) -> None:
        words = text.lower().split()
        pattern = "".join(f"(?=.*{QRegularExpression.escape(word)})" for word in words)
        self.setFilterRegularExpression(QRegularExpression(
            f"^{pattern}" if words else "", QRegularExpression.PatternOption.DotMatchesEverythingOption))


NARROW_LIST = 240  # px: below this the title alone is shown (status and count are in its tooltip)
FITTED = (DocumentListModel.STATUS, DocumentListModel.COUNT)  # as wide as their widest text


class DocumentList(QWidget):
    """Emits `sig_document_chosen(id)` whenever the current document changes, by mouse or keyboard."""

    sig_document_chosen = Signal(str)
    """The analyst moved to this document (its id)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("documentList")
        self.model = DocumentListModel(self)
        self.proxy = DocumentFilter(self)
        self.proxy.setSourceModel(self.model)

        self.filter_edit = QLineEdit(self)
        self.filter_edit.setObjectName("documentFilter")
        self.filter_edit.setPlaceholderText("Filter documents…")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self.proxy.set_words)
        self.filter_edit.installEventFilter(self)

        # A table, not a tree: a tree view lays out every row (and asks the model about each) whenever the list
        # changes or scrolls to a row, which at 10,000 documents was most of the list's cost; a table asks only
        # about the rows on screen. Set up to look and behave as the one-level tree it replaced.
        self.view = QTableView(self)
        self.view.setObjectName("documentView")
        self.view.setModel(self.proxy)
        self.view.setShowGrid(False)
        self.view.setWordWrap(False)
        self.view.setTabKeyNavigation(False)  # Tab leaves the list, as it does from a tree
        self.view.setCornerButtonEnabled(False)
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)  # a long title is cut; its tooltip has it whole
        rows = self.view.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # every row one line high: none is measured
        rows.setMinimumSectionSize(1)
        header = self.view.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionsClickable(False)  # a click on a column's title would select the column
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(DocumentListModel.TITLE, QHeaderView.ResizeMode.Stretch)
        # Status and count fit their widest text, measured here from the few texts that can be widest
        # (`fit_texts`): Qt's fitting to contents measured a hundred rows' cells again at every change of
        # one row (a count after an add, the open document's count), about 25 ms at 10,000 documents.
        for column in FITTED:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
        header.setSectionHidden(DocumentListModel.SOURCE, True)
        self.view.selectionModel().currentRowChanged.connect(self._current_changed)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 4, 8)
        layout.setSpacing(6)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.view, 1)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        """In a narrow dock (a 1024 px screen) the status and count columns would leave the title three
        letters: the title takes the whole row then, and its tooltip still says status and count."""
        super().resizeEvent(event)
        narrow = self.width() < NARROW_LIST
        header = self.view.horizontalHeader()
        for column in (DocumentListModel.STATUS, DocumentListModel.COUNT):
            if header.isSectionHidden(column) != narrow:
                header.setSectionHidden(column, narrow)

    # -- content ---------------------------------------------------------------------------------
    def set_documents(self, documents: list[DocumentSummary]) -> None:
        current = self.current_id()
        blocked = self.view.selectionModel().blockSignals(True)
        self.model.set_documents(documents)
        self.view.selectionModel().blockSignals(blocked)
        self._fit_row_height()
        self._fit_columns(self.model.fit_texts, shrink=True)
        if current is not None:
            self.select(current, notify=False)

    def update_document(self, summary: DocumentSummary) -> None:
        self.update_documents([summary])

    def update_documents(self, summaries: list[DocumentSummary]) -> None:
        """Refreshed and new rows (a colleague's import) without touching the current document or the filter."""
        self.model.update_documents(summaries)
        self._fit_row_height()
        self._fit_columns(lambda column: self.model.fit_texts(column, summaries))

    def _fit_columns(self, texts: Callable[[int], set[str]], *, shrink: bool = False) -> None:
        """Status and count as wide as their widest text (or their title); wider only, unless `shrink`."""
        header, metrics = self.view.horizontalHeader(), self.view.fontMetrics()
        for column in FITTED:
            sample = self.proxy.index(0, column)  # the delegate's padding around a text, measured on one cell
            if not sample.isValid():
                continue
            margin = self.view.sizeHintForIndex(sample).width() - metrics.horizontalAdvance(sample.data())
            width = max([header.sectionSizeHint(column)] + [metrics.horizontalAdvance(t) + margin for t in texts(column)])
            if width > header.sectionSize(column) or (shrink and width != header.sectionSize(column)):
                header.resizeSection(column, width)

    def _fit_row_height(self) -> None:
        """Every row as high as the first row needs (what a tree with uniform row heights does)."""
        if self.model.rowCount() and self.proxy.rowCount():
            height = self.view.sizeHintForRow(0)
            rows = self.view.verticalHeader()
            if height > 0 and height != rows.defaultSectionSize():
                rows.setDefaultSectionSize(height)

    def show_claim_count(self, document_id: str, count: int) -> None:
        """The open document's count, as the open-document model holds it."""
        summary = self.model.summary(document_id)
        if summary is not None and summary.annotation_count != count:
            self.update_document(replace(summary, annotation_count=count))

    def show_status(self, document_id: str, status: str) -> None:
        summary = self.model.summary(document_id)
        if summary is not None and summary.status != status:
            self.update_document(replace(summary, status=status))

    def listed_count(self) -> int:
        return self.model.rowCount()

    def is_listed(self, document_id: str) -> bool:
        return self.model.row_of(document_id) is not None

    def current_id(self) -> str | None:
        index = self.view.currentIndex()
        return index.data(ID_ROLE) if index.isValid() else None

    def select(self, document_id: str, *, notify: bool = True) -> bool:
        row = self.model.row_of(document_id)
        if row is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():  # filtered out: show it anyway, the analyst asked for it
            self.filter_edit.clear()
            index = self.proxy.mapFromSource(self.model.index(row, 0))
        selection = self.view.selectionModel()
        blocked = selection.blockSignals(not notify)
        self.view.setCurrentIndex(index)
        selection.blockSignals(blocked)
        self.view.scrollTo(index)
        return True

    def step(self, delta: int) -> bool:
        """Moves to the next (+1) or previous (-1) visible document; False at either end."""
        rows = self.proxy.rowCount()
        if rows == 0:
            return False
        current = self.view.currentIndex()
        row = current.row() + delta if current.isValid() else (0 if delta > 0 else rows - 1)
        if not 0 <= row < rows:
            return False
        self.view.setCurrentIndex(self.proxy.index(row, 0))
        return True

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.sig_document_chosen.emit(current.data(ID_ROLE))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Down/Up/Enter in the filter box move through the list without reaching for the mouse."""
        if watched is self.filter_edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                self.step(1 if event.key() == Qt.Key.Key_Down else -1)
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if not self.view.currentIndex().isValid():
                    self.step(1)
                self.view.setFocus()
                return True
        return super().eventFilter(watched, event)
