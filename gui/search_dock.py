"""The corpus search dock: one box over titles, text and annotations, filters, results with context.

Queries run in the thread pool on their own connection (gui.workers.Job); a result that arrives after the
query changed is dropped. Every cell is plain text (Qt.DisplayRole strings in a table), so an article's
markup is never interpreted."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

import storage
from storage import SchemeRecord

if TYPE_CHECKING:
    from storage import Database, SearchFilters, SearchHit

from gui.built_when_shown import BuiltWhenShown
from gui.workers import LatestRead

Index = QModelIndex | QPersistentModelIndex
ANY = "(any)"
TYPING_PAUSE_MS = 150
COLUMNS = ("Document", "Where", "Before", "Match", "After", "Annotator", "Labels")


class SearchHitModel(QAbstractTableModel):
    """The hits of the last query, one row each; the match sits in its own column, so no markup is needed."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.hits: list[SearchHit] = []

    def set_hits(self, hits: list[SearchHit]) -> None:
        self.beginResetModel()
        self.hits = list(hits)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 (Qt's name)
        return 0 if parent.isValid() else len(self.hits)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 (Qt's name)
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 (Qt's name)
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        hit = self.hits[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cell(hit, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{hit.document_title}\n{hit.context}"
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    @staticmethod
    def _cell(hit: SearchHit, column: int) -> str:
        labels = " · ".join(v for v in (hit.stance, hit.claim_type, hit.actor) if v)
        return (hit.document_title, hit.field, hit.before, hit.match, hit.after, hit.annotator or "",
                labels)[column]


class SearchResults(QTableView):
    """Enter on a row opens it, as a double-click does."""

    sig_activated = Signal(int)
    """The row the analyst chose (Enter or a double-click)."""

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.sig_activated.emit(self.currentIndex().row())
            return
        super().keyPressEvent(event)


class SearchPanel(BuiltWhenShown):
    """Box, filters and results. `sig_open_hit` carries the chosen hit to the window."""

    sig_open_hit = Signal(object)
    """The SearchHit the analyst chose: the window opens its document there."""
    sig_searched = Signal(int)
    """A query's answer is in: this many hits are shown."""
    sig_leave = Signal()
    """Escape: back to the article (the results stay; Ctrl+Shift+F returns to the box)."""

    def __init__(self, db: Database, location: str, scheme: SchemeRecord, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.location = db, location
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(TYPING_PAUSE_MS)
        self._timer.timeout.connect(self.run_query)
        self._asked: tuple[str, SearchFilters] | None = None
        self._searches = LatestRead(location, "Searching", parent=self)  # a changed query drops the older one
        self._searches.sig_ready.connect(self._answered)
        self._searches.sig_failed.connect(lambda message: self._answered([], message))
        self._scheme = scheme

    def _build(self) -> None:
        self.box = QLineEdit(self)
        self.box.setObjectName("searchBox")
        self.box.setPlaceholderText("Search titles, text, quotes, notes, actors…")
        self.box.setClearButtonEnabled(True)
        self.kind = self._combo([("Everything", "all"), ("Documents", "documents"), ("Annotations", "annotations")])
        self.annotator = self._combo([(ANY, None)])
        self.stance = self._combo([(ANY, None)] + [(v.label, v.value) for v in self._scheme.stances])
        self.claim_type = self._combo([(ANY, None)] + [(v.label, v.value) for v in self._scheme.claim_types])
        self.actor = self._combo([(ANY, None)])
        self.model = SearchHitModel(self)
        self.results = SearchResults(self)
        self.results.setObjectName("searchResults")
        self.results.setModel(self.model)
        self.results.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results.setWordWrap(False)
        self.results.verticalHeader().hide()
        self.results.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.results.horizontalHeader().setStretchLastSection(True)
        self.status = QLabel(self)
        self.status.setTextFormat(Qt.TextFormat.PlainText)

        filters = QGridLayout()
        for column, (title, combo) in enumerate((("Show", self.kind), ("Annotator", self.annotator),
                                                  ("Stance", self.stance), ("Claim", self.claim_type),
                                                  ("Actor", self.actor))):
            label = QLabel(title, self)
            label.setBuddy(combo)
            filters.addWidget(label, 0, column)
            filters.addWidget(combo, 1, column)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.addWidget(self.box)
        layout.addLayout(filters)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.status)

        self.box.textChanged.connect(lambda _text: self._timer.start())
        self.box.returnPressed.connect(self._enter_in_box)
        for combo in (self.kind, self.annotator, self.stance, self.claim_type, self.actor):
            combo.currentIndexChanged.connect(lambda _i: self._timer.start())
        self.results.sig_activated.connect(self._open_row)
        self.results.doubleClicked.connect(lambda index: self._open_row(index.row()))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        if event.key() == Qt.Key.Key_Escape:
            event.accept()
            self.sig_leave.emit()
            return
        super().keyPressEvent(event)

    def _combo(self, items: list[tuple[str, str | None]]) -> QComboBox:
        combo = QComboBox(self)
        for text, value in items:
            combo.addItem(text, value)
        return combo

    def refresh_choices(self) -> None:
        """Annotators and actors change as people work: read them again when the dock is shown."""
        self._ensure_built()
        for combo, names in ((self.annotator, [a.name for a in self.db.annotators.list()]),
                             (self.actor, [a.name for a in self.db.actors.list()])):
            chosen = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(ANY, None)
            for name in names:
                combo.addItem(name, name)
            combo.setCurrentIndex(max(0, combo.findData(chosen)) if chosen else 0)
            combo.blockSignals(False)

    def filters(self) -> SearchFilters:
        self._ensure_built()
        return storage.SearchFilters(kind=self.kind.currentData(), annotator=self.annotator.currentData(),
                             stance=self.stance.currentData(), claim_type=self.claim_type.currentData(),
                             actor=self.actor.currentData())

    def run_query(self) -> None:
        """Starts a search of what the box and filters say now; an older one still running is forgotten."""
        self._ensure_built()
        self._timer.stop()
        asked = (self.box.text(), self.filters())
        if asked == self._asked:
            return
        self._asked = asked
        query, filters = asked
        self._searches.start(lambda db: db.search.search(query, filters))
        self.status.setText("Searching…")

    def _answered(self, hits: list[SearchHit], failure: str = "") -> None:
        self.model.set_hits(hits)
        if hits:
            self.results.selectRow(0)
        self.status.setText(failure or f"{len(hits)} hit{'s' * (len(hits) != 1)}")
        self.sig_searched.emit(len(hits))

    def _enter_in_box(self) -> None:
        """Enter in the box: search now, or go to the results when they are already there."""
        if self._timer.isActive() or (self.box.text(), self.filters()) != self._asked:
            self.run_query()
        elif self.model.rowCount():
            self.results.setFocus()
            if not self.results.currentIndex().isValid():
                self.results.selectRow(0)

    def _open_row(self, row: int) -> None:
        if 0 <= row < len(self.model.hits):
            self.sig_open_hit.emit(self.model.hits[row])

    def focus_box(self) -> None:
        self._ensure_built()
        self.box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.box.selectAll()
