"""The left-hand document list: filter as you type, arrow keys move, the current row is the open document."""
from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLineEdit, QTreeView, QVBoxLayout, QWidget

from storage import DocumentSummary

from gui.item_models import ID_ROLE, DocumentListModel


class DocumentFilter(QSortFilterProxyModel):
    """Matches every word of the filter against title and source, case-insensitively."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._words: list[str] = []

    def set_words(self, text: str) -> None:
        self.beginFilterChange()
        self._words = text.lower().split()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        if not self._words:
            return True
        model = self.sourceModel()
        assert isinstance(model, DocumentListModel)
        doc = model.summary_at(source_row)
        haystack = f"{doc.title} {doc.source}".lower()
        return all(word in haystack for word in self._words)


NARROW_LIST = 240  # px: below this the title alone is shown (status and count are in its tooltip)


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

        self.view = QTreeView(self)
        self.view.setObjectName("documentView")
        self.view.setModel(self.proxy)
        self.view.setRootIsDecorated(False)
        self.view.setUniformRowHeights(True)
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)  # a long title is cut; its tooltip has it whole
        header = self.view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(DocumentListModel.TITLE, QHeaderView.ResizeMode.Stretch)
        for column in (DocumentListModel.SOURCE, DocumentListModel.STATUS, DocumentListModel.COUNT):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionHidden(DocumentListModel.SOURCE, True)
        # Fitted columns are sized from a sample of rows, not every one: with 1,000 documents, fitting every row
        # read each cell of the list (32,000 model calls) while the window started.
        header.setResizeContentsPrecision(100)
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
        header = self.view.header()
        for column in (DocumentListModel.STATUS, DocumentListModel.COUNT):
            if header.isSectionHidden(column) != narrow:
                header.setSectionHidden(column, narrow)

    # -- content ---------------------------------------------------------------------------------
    def set_documents(self, documents: list[DocumentSummary]) -> None:
        current = self.current_id()
        blocked = self.view.selectionModel().blockSignals(True)
        self.model.set_documents(documents)
        self.view.selectionModel().blockSignals(blocked)
        if current is not None:
            self.select(current, notify=False)

    def update_document(self, summary: DocumentSummary) -> None:
        self.model.update_document(summary)

    def update_documents(self, summaries: list[DocumentSummary]) -> None:
        """Refreshed and new rows (a colleague's import) without touching the current document or the filter."""
        self.model.update_documents(summaries)

    def show_claim_count(self, document_id: str, count: int) -> None:
        """The open document's count, as the open-document model holds it."""
        summary = self.model.summary(document_id)
        if summary is not None and summary.annotation_count != count:
            self.model.update_document(replace(summary, annotation_count=count))

    def show_status(self, document_id: str, status: str) -> None:
        summary = self.model.summary(document_id)
        if summary is not None and summary.status != status:
            self.model.update_document(replace(summary, status=status))

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
