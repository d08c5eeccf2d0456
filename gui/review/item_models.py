"""Item models for review mode: units (with a disagreement filter), the pairwise matrix, the figure table.

They hold records handed out by storage (ReviewUnit, AgreementReport) and never read the database."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor

from gui.item_models import ID_ROLE, RECORD_ROLE, RecordTableModel
from gui.palette import GOLD_REJECTED, GOLD_TAKEN, UNIT_DECIDED, UNIT_STATUS_COLOURS, UNIT_STATUS_LABELS
from gui.plain_text import plain_tooltip
from storage import AgreementReport, Figure, ReviewUnit

Index = QModelIndex | QPersistentModelIndex
FIGURE_ROLE = Qt.ItemDataRole.UserRole + 10

ASPECT_LABELS = {"boundaries": "Boundaries", "stance": "Stance", "actor": "Actor", "claim_type": "Claim type",
                 "target": "Target", "source_actor": "Source actor", "source": "Source mention", "cue": "Cue",
                 "relay": "Relay", "missing": "Not marked by everyone"}
# Rows of the figure table: (measure, attribute, label). The pair matrix offers the same choices.
FIGURE_ROWS = (
    ("f1_exact", None, "Span F1 (exact)"),
    ("f1_overlap", None, "Span F1 (overlap)"),
    ("boundary_alpha", None, "Boundaries α (per character)"),
    ("kappa", "stance", "Stance κ"),
    ("alpha", "stance", "Stance α"),
    ("kappa", "actor", "Actor κ"),
    ("alpha", "actor", "Actor α"),
    ("kappa", "claim_type", "Claim type κ"),
    ("alpha", "claim_type", "Claim type α"),
    ("kappa", "source_actor", "Source actor κ"),
    ("alpha", "source_actor", "Source actor α"),
    ("f1_source", None, "Source mention F1"),
    ("f1_cue", None, "Cue F1"),
)


def format_value(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def figure_tip(figure: Figure | None) -> str | None:
    if figure is None:
        return None
    lines = [f"{' + '.join(figure.annotators)}: {format_value(figure.value)}"
             + (f" ({figure.level})" if figure.attribute == "stance" else ""),
             f"{figure.items} item(s); {len(figure.agreed)} unit(s) agreed, {len(figure.disagreed)} disagreed, "
             f"{len(figure.single)} marked by one alone"]
    if figure.observed is not None:
        lines.append(f"observed agreement {figure.observed:.2f}")
    if figure.reason:
        lines.append(figure.reason)
    return "\n".join(lines)


def value_colour(value: float | None) -> QColor | None:
    """A red-to-green wash for a figure between 0 and 1 (negative counts as 0)."""
    if value is None:
        return None
    share = min(max(value, 0.0), 1.0)
    colour = QColor.fromHsvF(share / 3, 0.45, 0.95)
    colour.setAlphaF(0.55)
    return colour


def figure_cell(figure: Figure | None, role: int) -> Any:
    """What a table cell holding one figure shows, for each role (both agreement tables use it)."""
    if role == Qt.ItemDataRole.DisplayRole:
        return format_value(figure.value if figure else None)
    if role == Qt.ItemDataRole.BackgroundRole:
        return value_colour(figure.value) if figure else None
    if role == Qt.ItemDataRole.ToolTipRole:
        return plain_tooltip(figure_tip(figure)) or None
    if role == Qt.ItemDataRole.TextAlignmentRole:
        return int(Qt.AlignmentFlag.AlignCenter)
    if role == FIGURE_ROLE:
        return figure
    return None


DECISION_MARKS = {"accepted": "✓", "edited": "✎", "merged": "✓", "rejected": "✗"}


@dataclass(frozen=True)
class UnitFacts:
    """What the unit list shows and filters on, worked out once per unit: storage computes a unit's status and
    differences on every call, and a list of 5,000 units asks for them tens of thousands of times."""

    status: str
    differences: tuple[str, ...]


def unit_facts(units: Sequence[ReviewUnit]) -> list[UnitFacts]:
    """Qt-free, so the review window works it out in the background job that read the units."""
    return [UnitFacts(u.status, u.differences) for u in units]


class UnitListModel(RecordTableModel):
    """This document's units in text order: a narrow decided mark first (so it is seen without scrolling),
    then position, status, what differs, and whose versions; decided rows are drawn greyed."""

    HEADERS = ("Gold", "Position", "Status", "Differs in", "Versions")
    GOLD, POSITION, STATUS, DIFFERS, VERSIONS = range(5)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[ReviewUnit] = []
        self._facts: list[UnitFacts] = []
        self._row_of: dict[str, int] = {}

    def set_units(self, units: Sequence[ReviewUnit], facts: Sequence[UnitFacts] | None = None) -> None:
        """`facts`: unit_facts(units) if already worked out (off the UI thread)."""
        self.beginResetModel()
        self._rows = list(units)
        self._facts = list(facts) if facts is not None and len(facts) == len(self._rows) else unit_facts(units)
        self._row_of = {u.key: i for i, u in enumerate(self._rows)}
        self.endResetModel()

    def unit_at(self, row: int) -> ReviewUnit:
        return self._rows[row]

    def facts_at(self, row: int) -> UnitFacts:
        return self._facts[row]

    def row_of(self, key: str) -> int | None:
        return self._row_of.get(key)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = index.row()
        if not index.isValid() or not 0 <= row < len(self._rows):  # checkIndex costs more than the lookup
            return None
        unit, facts, column = self._rows[row], self._facts[row], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.GOLD:
                return DECISION_MARKS.get(unit.gold.decision, "•") if unit.gold else ""
            if column == self.POSITION:
                return f"{unit.start}–{unit.end}"
            if column == self.STATUS:
                return UNIT_STATUS_LABELS[facts.status]
            if column == self.DIFFERS:
                return ", ".join(ASPECT_LABELS[a] for a in facts.differences) or "—"
            return ", ".join(s.annotator for s in unit.spans)
        if role == Qt.ItemDataRole.ForegroundRole:
            if unit.gold is not None and column != self.GOLD:
                return QColor(UNIT_DECIDED)  # decided: out of the way, still readable
            if column == self.STATUS:
                return QColor(UNIT_STATUS_COLOURS[facts.status])
            if column == self.GOLD:
                return QColor(GOLD_REJECTED if unit.gold and unit.gold.decision == "rejected" else GOLD_TAKEN)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.GOLD:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            quote = " ".join(unit.spans[0].quote.split())[:80]
            return plain_tooltip(f"“{quote}”" + (f"\nGold: {unit.gold.decision} by {unit.gold.reviewer}"
                                                   if unit.gold else ""))
        if role == ID_ROLE:
            return unit.key
        if role == RECORD_ROLE:
            return unit
        return None


class DisagreementFilter(QSortFilterProxyModel):
    """Units needing a decision (something differs); optionally one aspect, one annotator pair, undecided only."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._aspect: str | None = None
        self._pair: tuple[str, str] | None = None
        self._undecided_only = False
        self._show_all = False

    def set_aspect(self, aspect: str | None) -> None:
        self.beginFilterChange()
        self._aspect = aspect
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_pair(self, pair: tuple[str, str] | None) -> None:
        self.beginFilterChange()
        self._pair = pair
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_undecided_only(self, on: bool) -> None:
        self.beginFilterChange()
        self._undecided_only = on
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_show_all(self, on: bool) -> None:
        """Also list units with nothing to disagree on (agreed, or a document with one annotator)."""
        self.beginFilterChange()
        self._show_all = on
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    @property
    def pair(self) -> tuple[str, str] | None:
        return self._pair

    @property
    def aspect(self) -> str | None:
        return self._aspect

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:  # noqa: N802 (Qt's name)
        model = self.sourceModel()
        if not isinstance(model, UnitListModel) or source_parent.isValid():
            return False
        unit = model.unit_at(source_row)
        if self._undecided_only and unit.gold is not None:
            return False
        differences = unit.unit.pair_differences(*self._pair) if self._pair else model.facts_at(source_row).differences
        if not differences:
            return self._show_all and self._aspect is None
        return self._aspect is None or self._aspect in differences


class PairMatrixModel(QAbstractTableModel):
    """Annotator x annotator for one measure (and attribute): click a cell to see that pair's disagreements."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._report: AgreementReport | None = None
        self._names: tuple[str, ...] = ()
        self._measure: str = "f1_overlap"
        self._attribute: str | None = None

    def set_report(self, report: AgreementReport | None) -> None:
        self.beginResetModel()
        self._report = report
        self._names = report.annotators if report else ()
        self.endResetModel()

    def set_measure(self, measure: str, attribute: str | None) -> None:
        self._measure, self._attribute = measure, attribute
        if self._names:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._names) - 1, len(self._names) - 1))

    def names(self) -> tuple[str, ...]:
        return self._names

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._names)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._names)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self._names):
            return self._names[section]
        return None

    def figure(self, row: int, column: int) -> Figure | None:
        if self._report is None or row == column:
            return None
        return self._report.find(self._measure, self._attribute, (self._names[row], self._names[column]))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self.checkIndex(index, QAbstractTableModel.CheckIndexOption.IndexIsValid):
            return None
        row, column = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole and row == column:
            return ""
        return figure_cell(self.figure(row, column), role)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if index.row() == index.column():
            return Qt.ItemFlag.ItemIsEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class FigureTableModel(QAbstractTableModel):
    """Every measure for everyone together: this document beside the corpus."""

    HEADERS = ("Measure", "Document", "Corpus")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._document: AgreementReport | None = None
        self._corpus: AgreementReport | None = None

    def set_reports(self, document: AgreementReport | None, corpus: AgreementReport | None) -> None:
        self.beginResetModel()
        self._document, self._corpus = document, corpus
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(FIGURE_ROWS)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(self.HEADERS):
            return self.HEADERS[section]
        return None

    def figure(self, row: int, column: int) -> Figure | None:
        report = self._document if column == 1 else self._corpus if column == 2 else None
        if report is None:
            return None
        measure, attribute, _ = FIGURE_ROWS[row]
        return report.find(measure, attribute)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self.checkIndex(index, QAbstractTableModel.CheckIndexOption.IndexIsValid):
            return None
        row, column = index.row(), index.column()
        if column == 0:
            return FIGURE_ROWS[row][2] if role == Qt.ItemDataRole.DisplayRole else None
        return figure_cell(self.figure(row, column), role)
