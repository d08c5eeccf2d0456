"""The "Gold" dock of the main window: each of my annotations in this document beside the reviewer's decision
on its passage (the gold version, who decided, and why), read-only. Annotators learn from the rationale.

A unit's gold is the latest live decision drawing on any version of that passage (see storage.review), so
when a reviewer took a colleague's differing version, my row says so instead of "not reviewed". The dock
reads the database only while it is on screen (tabbed behind the annotation list it is not, though Qt calls
it visible: the dock widget's visibilityChanged tells, and the window passes it to `set_on_screen`).

Matching a long article's spans into units takes seconds (50,000 spans: about 2 s), so after the analyst's
own edits the dock re-reads once they pause (`refresh_soon`), in a pool thread with its own connection."""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from PySide6.QtCore import QThreadPool, Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from gui.undo_commands import describe_failure
from gui.item_models import RecordTableModel
from gui.plain_text import make_plain, plain_tooltip
from gui.workers import Job
from storage import AnnotationRecord, Database, GoldRecord, ReviewUnit

DECISION_TEXT = {"accepted": "Accepted", "edited": "Edited", "merged": "Merged (all agreed)",
                 "rejected": "Rejected"}
OTHER_VERSION = "Another version taken"
NOT_REVIEWED = "Not reviewed"
EDIT_PAUSE_MS = 800  # re-read this long after the last of a burst of edits
# Recent background reads stay referenced: a pool thread may still be leaving run() when its signal arrives.
_RECENT_JOBS: deque[Job] = deque(maxlen=32)
DECISION_COLOURS = {"accepted": "#2e9e5b", "edited": "#3a7bd5", "merged": "#2e9e5b", "rejected": "#d1495b",
                    OTHER_VERSION: "#d08c1a"}


@dataclass(frozen=True)
class GoldComparison:
    """One of my annotations and the gold decision on its passage (None while nobody decided)."""

    mine: AnnotationRecord
    gold: GoldRecord | None

    @property
    def id(self) -> str:
        return self.mine.id

    @property
    def drew_on_mine(self) -> bool:
        return self.gold is not None and self.mine.id in self.gold.source_annotation_ids

    @property
    def decision(self) -> str:
        if self.gold is None:
            return NOT_REVIEWED
        if not self.drew_on_mine:
            return OTHER_VERSION
        return DECISION_TEXT.get(self.gold.decision, self.gold.decision)


def comparisons(units: Sequence[ReviewUnit], annotator: str) -> list[GoldComparison]:
    """My version of every unit I marked, in text order, with the unit's gold decision."""
    rows = [GoldComparison(span, unit.gold) for unit in units for span in unit.spans if span.annotator == annotator]
    return sorted(rows, key=lambda r: (r.mine.start, r.mine.end, r.mine.id))


def labels_text(record: AnnotationRecord | GoldRecord) -> str:
    values = [record.stance, record.claim_type, record.actor, f"→ {record.target}" if record.target else None]
    return " · ".join(v for v in values if v) or "—"


def _short(text: str, limit: int = 50) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit - 1] + "…"


class GoldComparisonModel(RecordTableModel):
    """Rows of GoldComparison: mine, my labels, the decision, the gold labels, the reviewer, the rationale."""

    HEADERS = ("Mine", "My labels", "Decision", "Gold", "Reviewer", "Rationale")
    MINE, MY_LABELS, DECISION, GOLD, REVIEWER, RATIONALE = range(6)

    def set_rows(self, rows: Sequence[GoldComparison]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> GoldComparison:
        return self._rows[row]

    def cell(self, record: GoldComparison, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(record, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.MINE:
                return plain_tooltip(record.mine.quote)
            if column == self.RATIONALE and record.gold is not None:
                return plain_tooltip(record.gold.rationale) or None
            if column == self.GOLD and record.gold is not None:
                return plain_tooltip(record.gold.quote)
            return None
        if role == Qt.ItemDataRole.ForegroundRole and column == self.DECISION:
            if record.gold is None:
                return None
            colour = DECISION_COLOURS.get(record.gold.decision if record.drew_on_mine else OTHER_VERSION)
            return QColor(colour) if colour else None
        return None

    def _text(self, record: GoldComparison, column: int) -> str:
        mine, gold = record.mine, record.gold
        if column == self.MINE:
            return f"{mine.start}–{mine.end} “{_short(mine.quote)}”"
        if column == self.MY_LABELS:
            return labels_text(mine)
        if column == self.DECISION:
            return record.decision
        if gold is None:
            return ""
        if column == self.GOLD:
            if gold.decision == "rejected":
                return "— (left out of the dataset)"
            span = "" if (gold.start, gold.end) == (mine.start, mine.end) else f"{gold.start}–{gold.end} "
            return span + labels_text(gold)
        if column == self.REVIEWER:
            return gold.reviewer
        return " ".join(gold.rationale.split())


class GoldDock(QWidget):
    """The table and a one-line summary; `show_document` and `refresh` keep it current."""

    def __init__(self, db: Database, annotator: str, parent: QWidget | None = None, location: str = "",
                 pool: QThreadPool | None = None) -> None:
        super().__init__(parent)
        self.db, self.annotator = db, annotator
        self.location, self._pool = location, pool
        self.document_id: str | None = None
        self._stale = True
        self.on_screen = False
        self._generation = 0
        self._after_edits = QTimer(self)
        self._after_edits.setSingleShot(True)
        self._after_edits.setInterval(EDIT_PAUSE_MS)
        self._after_edits.timeout.connect(self._read_in_background)
        self.model = GoldComparisonModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("goldTable")
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(GoldComparisonModel.RATIONALE, QHeaderView.ResizeMode.Stretch)
        self.summary = QLabel(self)
        self.summary.setObjectName("goldSummary")
        self.summary.setWordWrap(True)
        make_plain(self.summary)  # failure messages quote what others typed
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)

    def show_document(self, document: Any) -> None:
        """Slot for the controller's document_opened (a DocumentRecord or None)."""
        self.document_id = document.id if document is not None else None
        self.refresh()

    def refresh(self) -> None:
        """Re-reads the decisions now if the dock is on screen, else once it is shown again."""
        if not self.on_screen:
            self._stale = True
            return
        self._stale = False
        self._generation += 1  # whatever a background read still brings back is older than this
        if self.document_id is None:
            self.model.set_rows([])
            self.summary.setText("No document open.")
            return
        try:
            rows = comparisons(self.db.review.units(self.document_id), self.annotator)
        except Exception as exc:  # noqa: BLE001 - a database hiccup shows here; the window stays usable
            self._show_failure(describe_failure(exc))
            return
        self._show(rows)

    def refresh_soon(self) -> None:
        """Slot for the analyst's own changes: one background read once the edits pause."""
        if not self.on_screen:
            self._stale = True
            return
        if not self.location:
            self.refresh()
            return
        self._after_edits.start()

    def _read_in_background(self) -> None:
        if not self.on_screen or self.document_id is None:
            self._stale = True
            return
        self._generation += 1
        job = Job(self.location, "Gold decisions", _read_comparisons(self._generation, self.document_id,
                                                                      self.annotator))
        job.signals.finished.connect(self._arrived)
        job.signals.failed.connect(self._failed_in_background)
        _RECENT_JOBS.append(job)
        job.start(self._pool)

    def _arrived(self, result: tuple[int, str, list[GoldComparison]]) -> None:
        generation, document_id, rows = result
        if generation == self._generation and document_id == self.document_id:
            self._show(rows)

    def _failed_in_background(self, message: str) -> None:
        self._show_failure(message)

    def _show(self, rows: list[GoldComparison]) -> None:
        self.model.set_rows(rows)
        decided = sum(1 for r in rows if r.gold is not None)
        self.summary.setText(f"A reviewer decided on {decided} of your {len(rows)} annotation(s) here."
                             if rows else "You have no annotations in this document.")

    def _show_failure(self, message: str) -> None:
        self.summary.setText(f"Gold decisions unavailable: {message}")

    def set_on_screen(self, on: bool) -> None:
        """Slot for QDockWidget.visibilityChanged: catches up on what changed while it was out of sight."""
        self.on_screen = on
        if on and self._stale:
            self.refresh()


def _read_comparisons(generation: int, document_id: str,
                      annotator: str) -> Callable[[Database, Callable[..., None]], Any]:
    def work(db: Database, _progress: Callable[..., None]) -> tuple[int, str, list[GoldComparison]]:
        return generation, document_id, comparisons(db.review.units(document_id), annotator)

    return work
