"""The right-hand panel: this document's annotations in text order, and an editor for the selected one.

The panel never writes: it asks the window (signals) and shows whatever committed record comes back.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from PySide6.QtCore import QItemSelection, QStringListModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QCompleter, QFormLayout, QFrame, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
    QPushButton, QSizePolicy, QSplitter, QTableView, QToolButton, QVBoxLayout, QWidget,
)

from storage import AnnotationRecord, SchemeRecord

from gui.layout_limits import Gap, keep_narrow
from gui.item_models import AnnotationTableModel
from gui.plain_text import plain_tooltip

NONE_LABEL = "—"


class AnnotationPanel(QWidget):
    sig_annotation_selected = Signal(object)
    """The analyst selected an annotation (its id), or None when nothing is selected."""
    sig_edit_requested = Signal(str, dict)
    """Change an annotation: its id, {field: new value}."""
    sig_delete_requested = Signal(str)
    """Delete the annotation with this id."""
    sig_nudge_requested = Signal(str, str, int)
    """Move a boundary: annotation id, "start" | "end", code points to move."""
    sig_record_shown = Signal(object)
    """The record the editor now shows, or None."""

    def __init__(self, scheme: SchemeRecord, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("annotationPanel")
        self._scheme = scheme
        self._record: AnnotationRecord | None = None
        self.model = AnnotationTableModel(scheme, self)

        self.table = QTableView(self)
        self.table.setObjectName("annotationTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        # A header made here, not the one Qt made: PySide looks a returned C++ pointer up in its wrapper map, and
        # under heavy widget churn (tests opening many windows) a freed address was once handed back wrapped as
        # an unrelated object (a QSpacerItem). Our own object keeps its Python wrapper.
        header = QHeaderView(Qt.Orientation.Horizontal, self.table)
        self.table.setHorizontalHeader(header)
        self._header = header
        # The quote takes what is left; actor names can be long, so that column is sized by hand.
        header.setMinimumSectionSize(40)
        header.setResizeContentsPrecision(100)  # size columns from the first rows, not all 50,000
        header.setSectionResizeMode(AnnotationTableModel.QUOTE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(AnnotationTableModel.ACTOR, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(AnnotationTableModel.ACTOR, 120)
        for column in (AnnotationTableModel.STANCE, AnnotationTableModel.CLAIM):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)  # sized from the scheme
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        header.setHighlightSections(False)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)

        self.editor = self._build_editor()
        self.set_scheme(scheme)
        self.show_record(None)

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.table)
        splitter.addWidget(self.editor)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 8, 8, 8)
        layout.addWidget(splitter)

    # -- the editor ------------------------------------------------------------------------------
    def _build_editor(self) -> QFrame:
        frame = QFrame(self)
        frame.setObjectName("annotationEditor")
        self.quote_label = QLabel(frame)
        self.quote_label.setObjectName("editorQuote")
        self.quote_label.setWordWrap(True)
        self.quote_label.setTextFormat(Qt.TextFormat.PlainText)  # article text is never markup
        self.span_label = QLabel(frame)
        self.span_label.setObjectName("editorSpan")
        self.span_label.setTextFormat(Qt.TextFormat.PlainText)

        self.stance_combo = QComboBox(frame)
        self.claim_combo = QComboBox(frame)
        self.actor_combo = QComboBox(frame)
        self.actor_combo.setEditable(True)
        self.actor_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self._actor_names = QStringListModel(self)
        completer = QCompleter(self._actor_names, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.actor_combo.setCompleter(completer)
        self.actor_combo.setModel(self._actor_names)
        keep_narrow(self.stance_combo, self.claim_combo, self.actor_combo)  # not as wide as the longest name
        self.target_edit = QLineEdit(frame)
        self.target_edit.setPlaceholderText("What the stance is about")
        self.note_edit = QLineEdit(frame)
        self.note_edit.setPlaceholderText("Optional note")

        self.stance_combo.activated.connect(lambda _i: self._combo_changed("stance", self.stance_combo))
        self.claim_combo.activated.connect(lambda _i: self._combo_changed("claim_type", self.claim_combo))
        actor_line = self.actor_combo.lineEdit()
        assert actor_line is not None  # the actor box is editable
        actor_line.editingFinished.connect(self._actor_changed)
        self.actor_combo.activated.connect(lambda _i: self._actor_changed())
        self.target_edit.editingFinished.connect(lambda: self._text_changed("target", self.target_edit.text()))
        self.note_edit.editingFinished.connect(lambda: self._text_changed("note", self.note_edit.text()))

        nudges = QHBoxLayout()
        nudges.setSpacing(2)
        for caption, moves in (("Start", (("◂", "Move start left (Alt+Left)", "start", -1),
                                          ("▸", "Move start right (Alt+Right)", "start", 1))),
                               ("End", (("◂", "Move end left (Alt+Shift+Left)", "end", -1),
                                        ("▸", "Move end right (Alt+Shift+Right)", "end", 1)))):
            nudges.addWidget(QLabel(caption, frame))
            for text, tip, which, delta in moves:
                button = QToolButton(frame)
                button.setText(text)
                button.setToolTip(tip)
                button.setAutoRaise(True)
                button.clicked.connect(lambda _c=False, w=which, d=delta: self._nudge(w, d))
                nudges.addWidget(button)
            # 12 px between the groups when there is room, none at 1024 px wide (the article comes first)
            nudges.addWidget(Gap(12, frame))
        nudges.addStretch(1)
        delete = QPushButton("Delete", frame)
        delete.setObjectName("deleteButton")
        delete.setToolTip("Delete this annotation (Delete); Undo brings it back")
        delete.clicked.connect(self._delete_clicked)
        nudges.addWidget(delete)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.setHorizontalSpacing(10)
        form.setVerticalSpacing(6)
        form.addRow("Stance", self.stance_combo)
        form.addRow("Claim type", self.claim_combo)
        form.addRow("Actor", self.actor_combo)
        form.addRow("Target", self.target_edit)
        form.addRow("Note", self.note_edit)
        form.addRow("Boundaries", nudges)
        layout = QVBoxLayout(frame)
        layout.setContentsMargins(10, 10, 10, 10)
        layout.setSpacing(6)
        layout.addWidget(self.quote_label)
        layout.addWidget(self.span_label)
        layout.addLayout(form)
        frame.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        return frame

    def set_scheme(self, scheme: SchemeRecord) -> None:
        self._scheme = scheme
        self.model.set_scheme(scheme)
        self._fit_label_columns(scheme)
        for combo, values in ((self.stance_combo, scheme.stances), (self.claim_combo, scheme.claim_types)):
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(NONE_LABEL, None)
            for value in values:
                hint = f"  ({value.shortcut})" if value.shortcut else ""
                combo.addItem(f"{value.label}{hint}", value.value)
                combo.setItemData(combo.count() - 1, plain_tooltip(value.definition), Qt.ItemDataRole.ToolTipRole)
            combo.blockSignals(False)
        self.show_record(self._record)

    def _fit_label_columns(self, scheme: SchemeRecord) -> None:
        """Stance and claim columns as wide as their longest label. Qt's ResizeToContents would measure the
        rows again after every added or changed annotation (20 ms per add with 50,000 rows)."""
        header = self.table.horizontalHeader()
        self.table.ensurePolished()  # the style sheet's fonts and paddings, not the defaults, are measured
        header.ensurePolished()
        cell_metrics, header_metrics = self.table.fontMetrics(), header.fontMetrics()
        chip = self.table.iconSize().width() if self.table.iconSize().isValid() else 16
        for column, values in ((AnnotationTableModel.STANCE, scheme.stances),
                               (AnnotationTableModel.CLAIM, scheme.claim_types)):
            widest = max((cell_metrics.horizontalAdvance(v.label) for v in values), default=0)
            title = header_metrics.horizontalAdvance(AnnotationTableModel.HEADERS[column])
            # chip, its gap and the cell's margins on both sides (20 px cut 'Support' to 'Supp…')
            header.resizeSection(column, max(widest + chip + 40, title + 24))

    def set_actor_names(self, names: list[str]) -> None:
        current = self.actor_combo.currentText()
        self._actor_names.setStringList(sorted(set(names), key=str.lower))
        self.actor_combo.setEditText(current)

    def show_record(self, record: AnnotationRecord | None) -> None:
        """Fills the editor from a committed record without sending any edit back."""
        self._record = record
        self.editor.setEnabled(record is not None)
        widgets = (self.stance_combo, self.claim_combo, self.actor_combo, self.target_edit, self.note_edit)
        for widget in widgets:
            widget.blockSignals(True)
        try:
            if record is None:
                self.quote_label.setText("Select a passage in the article to annotate it,\n"
                                         "or pick an annotation above to edit it.")
                self.span_label.setText("")
                self.stance_combo.setCurrentIndex(0)
                self.claim_combo.setCurrentIndex(0)
                self.actor_combo.setEditText("")
                self.target_edit.clear()
                self.note_edit.clear()
                return
            quote = " ".join(record.quote.split())
            self.quote_label.setText(f"“{quote if len(quote) < 280 else quote[:279] + '…'}”")
            self.span_label.setText(f"Characters {record.start}–{record.end} · {record.end - record.start} long"
                                    f" · revision {record.revision}")
            self.stance_combo.setCurrentIndex(max(0, self.stance_combo.findData(record.stance)))
            self.claim_combo.setCurrentIndex(max(0, self.claim_combo.findData(record.claim_type)))
            self.actor_combo.setEditText(record.actor or "")
            self.target_edit.setText(record.target or "")
            self.note_edit.setText(record.note or "")
        finally:
            for widget in widgets:
                widget.blockSignals(False)
            self.sig_record_shown.emit(record)

    def _combo_changed(self, field: str, combo: QComboBox) -> None:
        self._request(field, combo.currentData())

    def _actor_changed(self) -> None:
        self._request("actor", " ".join(self.actor_combo.currentText().split()) or None)

    def _text_changed(self, field: str, text: str) -> None:
        value: Any = text.strip()
        self._request(field, value or (None if field == "target" else ""))

    def _request(self, field: str, value: Any) -> None:
        record = self._record
        if record is None or getattr(record, field) == value:
            return
        self.sig_edit_requested.emit(record.id, {field: value})

    def _delete_clicked(self) -> None:
        if self._record is not None:
            self.sig_delete_requested.emit(self._record.id)

    def _nudge(self, which: str, delta: int) -> None:
        if self._record is not None:
            self.sig_nudge_requested.emit(self._record.id, which, delta)

    # -- the list --------------------------------------------------------------------------------
    def set_annotations(self, annotations: list[AnnotationRecord]) -> None:
        with self._selection_kept():
            self.model.set_annotations(annotations)

    @contextmanager
    def _selection_kept(self) -> Iterator[None]:
        """Model changes move rows; the selection stays on the same annotation and nothing is re-emitted."""
        selected = self.selected_id()
        selection = self.table.selectionModel()
        blocked = selection.blockSignals(True)
        try:
            yield
        finally:
            selection.blockSignals(blocked)
            self.select(selected if selected is not None and self.model.row_of(selected) is not None else None,
                        notify=False)

    def upsert(self, record: AnnotationRecord) -> None:
        with self._selection_kept():
            self.model.upsert(record)

    def remove(self, annotation_id: str) -> None:
        with self._selection_kept():
            self.model.remove(annotation_id)

    def selected_id(self) -> str | None:
        return self._record.id if self._record is not None else None

    def selected_record(self) -> AnnotationRecord | None:
        return self._record

    def select(self, annotation_id: str | None, *, notify: bool = True) -> None:
        """Selects a row (or none), scrolls to it and fills the editor."""
        selection = self.table.selectionModel()
        blocked = selection.blockSignals(True)
        row = self.model.row_of(annotation_id) if annotation_id else None
        if row is None:
            self.table.clearSelection()
            self.show_record(None)
        else:
            index = self.model.index(row, 0)
            self.table.setCurrentIndex(index)
            self.table.selectRow(row)
            self.table.scrollTo(index)
            self.show_record(self.model.record_at(row))
        selection.blockSignals(blocked)
        if notify:
            self.sig_annotation_selected.emit(self.selected_id())

    def _selection_changed(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = {index.row() for index in selected.indexes()}
        if not rows:
            rows = {index.row() for index in self.table.selectionModel().selectedRows()}
        record = self.model.record_at(min(rows)) if rows else None
        self.show_record(record)
        self.sig_annotation_selected.emit(record.id if record else None)
