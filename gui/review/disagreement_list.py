"""The list of units to decide, with filters (aspect, annotator pair, undecided only) and next/previous."""
from __future__ import annotations

from itertools import combinations
from typing import Any, Callable, Sequence

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QHBoxLayout, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget,
)

from gui.layout_limits import keep_narrow
from gui.plain_text import make_plain
from gui.review.item_models import ASPECT_LABELS, DisagreementFilter, UnitFacts, UnitListModel
from storage import ReviewUnit


SIZE_FROM_ROWS = 60


class DisagreementList(QWidget):
    """Emits `sig_current_changed(ReviewUnit or None)` whenever the selected unit changes."""

    sig_current_changed = Signal(object)
    """The selected ReviewUnit, or None."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = UnitListModel(self)
        self.proxy = DisagreementFilter(self)
        self.proxy.setSourceModel(self.model)

        self.aspect_box = QComboBox(self)
        self.aspect_box.addItem("Any difference", None)
        for aspect, label in ASPECT_LABELS.items():
            self.aspect_box.addItem(label, aspect)
        self.pair_box = QComboBox(self)
        # annotator names can be long; two of these side by side must leave room for the article at 1024 px
        keep_narrow(self.aspect_box, self.pair_box, chars=10)
        self.undecided = QCheckBox("Undecided only", self)
        self.show_all = QCheckBox("All units", self)
        self.count_label = QLabel(self)
        make_plain(self.count_label)
        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # Column widths from the rows near the top, not every row: 5,000 units held the UI thread for seconds.
        self.table.horizontalHeader().setResizeContentsPrecision(SIZE_FROM_ROWS)
        self.table.horizontalHeader().setStretchLastSection(True)
        # The decided mark comes first and stays narrow, so it is in sight without scrolling sideways.
        self.table.horizontalHeader().setSectionResizeMode(UnitListModel.GOLD, QHeaderView.ResizeMode.Fixed)
        self.table.setColumnWidth(UnitListModel.GOLD, 42)

        filters = QHBoxLayout()
        filters.addWidget(self.aspect_box)
        filters.addWidget(self.pair_box)
        toggles = QHBoxLayout()
        toggles.addWidget(self.undecided)
        toggles.addWidget(self.show_all)
        toggles.addStretch(1)
        toggles.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(filters)
        layout.addLayout(toggles)
        layout.addWidget(self.table)

        self.aspect_box.currentIndexChanged.connect(lambda _: self._refilter(self.proxy.set_aspect,
                                                                              self.aspect_box.currentData()))
        self.pair_box.currentIndexChanged.connect(lambda _: self._refilter(self.proxy.set_pair,
                                                                            self.pair_box.currentData()))
        self.undecided.toggled.connect(lambda on: self._refilter(self.proxy.set_undecided_only, on))
        self.show_all.toggled.connect(lambda on: self._refilter(self.proxy.set_show_all, on))
        # A mouse click moves the current index before it selects the row, so currentRowChanged alone would
        # report "nothing selected"; the selection is what the Decision panel follows.
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._emit_current())
        self._last_emitted: ReviewUnit | None = None

    # -- content ---------------------------------------------------------------------------------------
    def set_units(self, units: Sequence[ReviewUnit], participants: Sequence[str],
                  facts: Sequence[UnitFacts] | None = None) -> None:
        """New units (same document after a decision, or another document); keeps the selection by key.
        `facts`: unit_facts(units), when the background read worked them out."""
        keep, old_row = self.current_key(), self.table.currentIndex().row()
        pair = self.proxy.pair
        self.model.set_units(units, facts)
        self.pair_box.blockSignals(True)
        self.pair_box.clear()
        self.pair_box.addItem("Any annotators", None)
        for a, b in combinations(participants, 2):
            self.pair_box.addItem(f"{a} + {b}", (a, b))
        found = self._pair_index(pair)
        self.pair_box.setCurrentIndex(max(found, 0))
        self.proxy.set_pair(pair if found > 0 else None)
        self.pair_box.blockSignals(False)
        self._update_count()
        if keep is None:
            self._emit_current()
        elif not self._reselect(keep):  # filtered away (decided): the next one takes its place
            self.go(min(old_row, self.proxy.rowCount() - 1))

    def set_pair(self, pair: tuple[str, str] | None, aspect: str | None = None) -> None:
        """Shows only where this pair disagrees (on `aspect`, if given): what a matrix click asks for."""
        ordered = (min(pair), max(pair)) if pair else None
        self.pair_box.setCurrentIndex(max(self._pair_index(ordered), 0))
        aspect_index = self.aspect_box.findData(aspect) if aspect else 0
        self.aspect_box.setCurrentIndex(max(aspect_index, 0))
        self.go(0)

    def _pair_index(self, pair: tuple[str, str] | None) -> int:
        """findData cannot compare Python tuples held by Qt, so look for the pair by hand."""
        if pair is None:
            return -1
        return next((i for i in range(self.pair_box.count()) if self.pair_box.itemData(i) == pair), -1)

    # -- navigation ------------------------------------------------------------------------------------
    def current_key(self) -> str | None:
        unit = self.current_unit()
        return unit.key if unit else None

    def current_unit(self) -> ReviewUnit | None:
        index = self.table.currentIndex()
        if not index.isValid() or not self.table.selectionModel().isRowSelected(index.row(), QModelIndex()):
            return None
        return self.model.unit_at(self.proxy.mapToSource(index).row())

    def next(self) -> None:
        self._step(+1)

    def previous(self) -> None:
        self._step(-1)

    def _step(self, delta: int) -> None:
        rows = self.proxy.rowCount()
        if rows == 0:
            return
        current = self.table.currentIndex()
        if not current.isValid() or self.current_unit() is None:
            self.go(0 if delta > 0 else rows - 1)
        else:
            self.go((current.row() + delta) % rows)  # wraps round, like F8 in an IDE

    def go(self, row: int) -> None:
        if not 0 <= row < self.proxy.rowCount():
            self.table.clearSelection()
            self._emit_current()
            return
        index = self.proxy.index(row, 0)
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self.table.selectionModel().setCurrentIndex(index, flags)
        self.table.scrollTo(index)
        self._emit_current()

    def select_key(self, key: str) -> bool:
        """Selects a unit by key, showing it even if the filters hid it (clicked in the text)."""
        source_row = self.model.row_of(key)
        if source_row is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(source_row, 0))
        if not index.isValid():
            self.show_all.setChecked(True)
            self.aspect_box.setCurrentIndex(0)
            self.pair_box.setCurrentIndex(0)
            self.undecided.setChecked(False)
            index = self.proxy.mapFromSource(self.model.index(source_row, 0))
        self.go(index.row())
        return True

    def _refilter(self, setter: Callable[[Any], None], value: Any) -> None:
        keep = self.current_key()
        setter(value)
        self._update_count()
        if keep is None or not self._reselect(keep):
            self._emit_current()

    def _reselect(self, key: str) -> bool:
        row = self.model.row_of(key)
        index = self.proxy.mapFromSource(self.model.index(row, 0)) if row is not None else QModelIndex()
        if not index.isValid():
            return False
        self.go(index.row())
        return True

    def _update_count(self) -> None:
        self.count_label.setText(f"{self.proxy.rowCount()} of {self.model.rowCount()}")

    def _emit_current(self, force: bool = False) -> None:
        unit = self.current_unit()
        if force or unit is not self._last_emitted:
            self._last_emitted = unit
            self.sig_current_changed.emit(unit)
