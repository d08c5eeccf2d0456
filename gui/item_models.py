"""Qt item models over storage records: the document list and this document's annotations.

They hold frozen records handed out by the services and never talk to the database themselves: the window
decides when to read, so every row on screen is something storage has committed.
"""
from __future__ import annotations

from bisect import bisect_left
from itertools import islice
from operator import attrgetter, le
from typing import Any, Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from storage import AnnotationRecord, DocumentSummary, SchemeRecord

from gui.palette import DOCUMENT_STATUS_COLOURS as STATUS_COLOURS, DOCUMENT_STATUS_LABELS as STATUS_LABELS
from gui.plain_text import plain_tooltip

Index = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole + 1
RECORD_ROLE = Qt.ItemDataRole.UserRole + 2
FILTER_ROLE = Qt.ItemDataRole.UserRole + 3  # what the document filter matches: "title source", lower-cased
# Looked up once: a table repaint asks data() a few thousand times, and each enum lookup costs a Python call.
DISPLAY, TOOLTIP, DECORATION = Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.DecorationRole
FOREGROUND, ALIGNMENT = Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.TextAlignmentRole


class RecordTableModel(QAbstractTableModel):
    """A flat table of records with fixed column headers: the shape both window models share."""

    HEADERS: tuple[str, ...] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.HEADERS):
            if role == Qt.ItemDataRole.DisplayRole:
                return self.HEADERS[section]
            if role == Qt.ItemDataRole.ToolTipRole:
                return self.header_tip(section)
        return None

    def header_tip(self, section: int) -> str | None:
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = index.row()
        if not (index.isValid() and 0 <= row < len(self._rows) and index.model() is self):
            return None
        record = self._rows[row]
        if role == ID_ROLE:
            return record.id
        if role == RECORD_ROLE:
            return record
        return self.cell(record, index.column(), role)

    def cell(self, record: Any, column: int, role: int) -> Any:
        """What one column of one record shows in one role (None for nothing)."""
        raise NotImplementedError

    def _row_changed(self, row: int) -> None:
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))


class DocumentListModel(RecordTableModel):
    """Every document with this annotator's status and annotation count."""

    HEADERS = ("Title", "Source", "Status", "Mine")  # "Mine": this analyst's annotations, not notes
    TITLE, SOURCE, STATUS, COUNT = range(4)

    _rows: list[DocumentSummary]

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._row_of: dict[str, int] = {}  # thousands of documents: a poll adding hundreds must not scan each time

    def header_tip(self, section: int) -> str | None:
        return "Your claims in this document (mentions and cues not counted)" if section == self.COUNT else None

    def cell(self, doc: DocumentSummary, column: int, role: int) -> Any:
        if role == DISPLAY:
            if column == self.TITLE:
                return doc.title
            if column == self.STATUS:
                return STATUS_LABELS.get(doc.status, doc.status)
            return str(doc.annotation_count) if column == self.COUNT else doc.source
        if role == FILTER_ROLE:
            return f"{doc.title} {doc.source}".lower()
        if role == TOOLTIP:
            claims = f"{doc.annotation_count} claim" + ("" if doc.annotation_count == 1 else "s")
            return plain_tooltip(f"{doc.title}\n{doc.source} · {doc.length:,} characters"
                                 f" · {STATUS_LABELS.get(doc.status, doc.status)} · {claims} of yours")
        if role == FOREGROUND and column == self.STATUS:
            return QColor(STATUS_COLOURS.get(doc.status, "#8a8f98"))
        if role == ALIGNMENT and column == self.COUNT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    # -- updates from the window -----------------------------------------------------------------
    def set_documents(self, documents: Sequence[DocumentSummary]) -> None:
        self.beginResetModel()
        self._rows = list(documents)
        self._row_of = {d.id: i for i, d in enumerate(self._rows)}
        self.endResetModel()

    def update_document(self, summary: DocumentSummary) -> None:
        self.update_documents([summary])

    def update_documents(self, summaries: Sequence[DocumentSummary]) -> None:
        """Changed rows in place; documents not listed yet go at the end, in one insertion (the views keep
        their current row and selection, which a reset would lose)."""
        new = []
        for summary in summaries:
            row = self._row_of.get(summary.id)
            if row is None:
                new.append(summary)
            elif self._rows[row] != summary:
                self._rows[row] = summary
                self._row_changed(row)
        new = list({s.id: s for s in new}.values())
        if new:
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(new) - 1)
            for summary in new:
                self._row_of[summary.id] = len(self._rows)
                self._rows.append(summary)
            self.endInsertRows()

    def fit_texts(self, column: int, rows: Sequence[DocumentSummary] | None = None) -> set[str]:
        """The texts of `rows` (every row by default) in the status or count column that can be the widest:
        every status label shown, and the count with the most digits (digits are one width in a list's fonts)."""
        shown = self._rows if rows is None else rows
        if not shown:
            return set()
        if column == self.COUNT:
            return {str(max(d.annotation_count for d in shown))}
        if column == self.STATUS:
            return {STATUS_LABELS.get(status, status) for status in {d.status for d in shown}}
        return set()

    def row_of(self, document_id: str) -> int | None:
        return self._row_of.get(document_id)

    def summary_at(self, row: int) -> DocumentSummary:
        return self._rows[row]

    def summary(self, document_id: str) -> DocumentSummary | None:
        row = self.row_of(document_id)
        return None if row is None else self._rows[row]


# (start, end, id) of a record: the panel's order, unique per annotation. attrgetter builds it in C.
_text_order = attrgetter("start", "end", "id")
_kind = attrgetter("kind")
KIND_MARKS = {"mention": "◦ mention:", "cue": "◦ cue:"}  # in the Quote column: these rows are not claims


class AnnotationTableModel(RecordTableModel):
    """This document's annotations by one annotator, in text order (start, end, id)."""

    HEADERS = ("Quote", "Stance", "Actor", "Claim type")
    QUOTE, STANCE, ACTOR, CLAIM = range(4)
    QUOTE_CHARS = 60

    def __init__(self, scheme: SchemeRecord, parent: Any = None) -> None:
        super().__init__(parent)
        self._labels: dict[tuple[str, str], str] = {}
        self.set_scheme(scheme)
        self._rows: list[AnnotationRecord] = []
        self._by_id: dict[str, AnnotationRecord] = {}
        self._marks = 0  # rows that are mentions or cues, not claims (kept as rows come and go)

    def set_scheme(self, scheme: SchemeRecord) -> None:
        self._scheme = scheme
        self._labels = {(attribute, v.value): v.label
                        for attribute in ("stance", "claim_type") for v in scheme.values(attribute)}
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, self.columnCount() - 1))

    def cell(self, ann: AnnotationRecord, column: int, role: int) -> Any:
        if role == DISPLAY:
            if column == self.QUOTE:
                quote = " ".join(ann.quote.split())
                quote = quote if len(quote) <= self.QUOTE_CHARS else quote[: self.QUOTE_CHARS - 1] + "…"
                return quote if ann.kind == "claim" else f"{KIND_MARKS[ann.kind]} {quote}"
            if column == self.STANCE:
                return self._label("stance", ann.stance)
            if column == self.ACTOR:
                return ann.actor or "—"
            return self._label("claim_type", ann.claim_type)
        if role == DECORATION and column in (self.STANCE, self.CLAIM):
            attribute, value = ("stance", ann.stance) if column == self.STANCE else ("claim_type", ann.claim_type)
            return QColor(self._scheme.colour_of(attribute, value)) if value else None
        if role == TOOLTIP:
            if ann.kind != "claim":
                return plain_tooltip(f"{ann.kind.capitalize()} “{ann.quote}” [{ann.start}, {ann.end})"
                                     + (f" · actor {ann.actor}" if ann.actor else ""))
            return plain_tooltip(
                f"“{ann.quote}”\n[{ann.start}, {ann.end}) · stance {ann.stance or '—'} · actor {ann.actor or '—'}"
                f" · claim {ann.claim_type or '—'}" + (f" · target {ann.target}" if ann.target else "")
                + (f"\nNote: {ann.note}" if ann.note else ""))
        return None

    def _label(self, attribute: str, value: str | None) -> str:
        if value is None:
            return "—"
        return self._labels.get((attribute, value), value)

    # -- updates from the window -----------------------------------------------------------------
    # Rows stay sorted by (start, end, id), which is unique, so a row is found by bisecting its key:
    # with tens of thousands of annotations, adding one must not walk them all.
    def set_annotations(self, annotations: Sequence[AnnotationRecord]) -> None:
        rows = list(annotations)
        keys = list(map(_text_order, rows))
        if not all(map(le, keys, islice(keys, 1, None))):  # storage hands them sorted already; others may not
            rows.sort(key=_text_order)
        self.beginResetModel()
        self._rows = rows
        self._by_id = dict(zip(map(attrgetter("id"), rows), rows))
        self._marks = sum(1 for kind in map(_kind, rows) if kind != "claim")
        self.endResetModel()

    def upsert(self, record: AnnotationRecord) -> int:
        """Shows a committed record, in its text-order place; returns its row."""
        old = self.row_of(record.id)
        if old is not None:
            if _text_order(self._rows[old]) == _text_order(record):
                self._rows[old] = self._by_id[record.id] = record
                self._row_changed(old)
                return old
            self.remove(record.id)
        row = bisect_left(self._rows, _text_order(record), key=_text_order)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.insert(row, record)
        self._by_id[record.id] = record
        self._marks += record.kind != "claim"
        self.endInsertRows()
        return row

    def remove(self, annotation_id: str) -> None:
        row = self.row_of(annotation_id)
        if row is None:
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        self._marks -= self._rows[row].kind != "claim"
        del self._rows[row], self._by_id[annotation_id]
        self.endRemoveRows()

    @property
    def claim_count(self) -> int:
        """Rows that are claims: what counts say (a mention or cue is part of a claim, not one of its own)."""
        return len(self._rows) - self._marks

    def row_of(self, annotation_id: str) -> int | None:
        shown = self._by_id.get(annotation_id)
        return None if shown is None else bisect_left(self._rows, _text_order(shown), key=_text_order)

    def record_at(self, row: int) -> AnnotationRecord:
        return self._rows[row]

    def record(self, annotation_id: str) -> AnnotationRecord | None:
        row = self.row_of(annotation_id)
        return None if row is None else self._rows[row]

    def records(self) -> list[AnnotationRecord]:
        return list(self._rows)
