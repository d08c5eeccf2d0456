"""The "Gold" dock of the main window: each of my annotations in this document beside the reviewer's decision
on its passage (the gold version, who decided, and why), read-only. Annotators learn from the rationale.

A unit's gold is the latest live decision drawing on any version of that passage (see storage.review), so
when a reviewer took a colleague's differing version, my row says so instead of "not reviewed". The dock
reads the database only while it is on screen (tabbed behind the annotation list it is not, though Qt calls
it visible: the dock widget's visibilityChanged tells, and the window passes it to `set_on_screen`).

Matching a long article's spans into units takes seconds (50,000 spans: about 2 s), so every read runs in a
pool thread with its own connection (storage.gold_beside_mine through gui.workers.LatestRead) while the summary
says it is reading; after the analyst's own edits the dock re-reads once they pause (`refresh_soon`)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Sequence

from PySide6.QtCore import QThreadPool, Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from gui.item_models import RecordTableModel
from gui.palette import VERDICT_COLOURS, VERDICT_LABELS
from gui.plain_text import make_plain, plain_tooltip
from gui.workers import LatestRead, reads_pool
import storage
from storage import AnnotationRecord, GoldRecord

if TYPE_CHECKING:
    from storage import Database, GoldBesideMine

OTHER_VERSION = VERDICT_LABELS["other_version"]
NOT_REVIEWED = VERDICT_LABELS["not_reviewed"]
READING = "Reading the reviewers' decisions…"
SIZE_FROM_ROWS = 60
EDIT_PAUSE_MS = 800  # re-read this long after the last of a burst of edits


def labels_text(record: AnnotationRecord | GoldRecord) -> str:
    values = [record.stance, record.claim_type, record.actor, f"→ {record.target}" if record.target else None]
    return " · ".join(v for v in values if v) or "—"


def _short(text: str, limit: int = 50) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit - 1] + "…"


class GoldComparisonModel(RecordTableModel):
    """Rows of GoldBesideMine: mine, my labels, the decision, the gold labels, the reviewer, the rationale."""

    HEADERS = ("Mine", "My labels", "Decision", "Gold", "Reviewer", "Rationale")
    MINE, MY_LABELS, DECISION, GOLD, REVIEWER, RATIONALE = range(6)

    def set_rows(self, rows: Sequence[GoldBesideMine]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> GoldBesideMine:
        return self._rows[row]

    def cell(self, record: GoldBesideMine, column: int, role: int) -> Any:
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
            colour = VERDICT_COLOURS.get(record.verdict)
            return QColor(colour) if colour else None
        return None

    def _text(self, record: GoldBesideMine, column: int) -> str:
        mine, gold = record.mine, record.gold
        if column == self.MINE:
            return f"{mine.start}–{mine.end} “{_short(mine.quote)}”"
        if column == self.MY_LABELS:
            return labels_text(mine)
        if column == self.DECISION:
            return VERDICT_LABELS.get(record.verdict, record.verdict)
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
    """The table and a one-line summary; `show_document` and `refresh` keep it current. Every read runs in
    the background (gui.workers.LatestRead): the summary says so meanwhile, and only the newest read shows."""

    def __init__(self, db: Database, annotator: str, parent: QWidget | None = None, location: str = "",
                 pool: QThreadPool | None = None) -> None:
        super().__init__(parent)
        self.db, self.annotator = db, annotator
        self.location = location or db.location
        self.document_id: str | None = None
        self._shown_document: str | None = None  # whose rows the table holds
        self._stale = True
        self.on_screen = False
        self._reads = LatestRead(self.location, "Gold decisions", pool or reads_pool(), self)
        self._reads.sig_ready.connect(self._arrived)
        self._reads.sig_failed.connect(self._show_failure)
        self._after_edits = QTimer(self)
        self._after_edits.setSingleShot(True)
        self._after_edits.setInterval(EDIT_PAUSE_MS)
        self._after_edits.timeout.connect(self.refresh)
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
        # Column widths from the rows near the top: sizing by all 50,000 held the UI thread for half a second.
        header.setResizeContentsPrecision(SIZE_FROM_ROWS)
        self.summary = QLabel(self)
        self.summary.setObjectName("goldSummary")
        self.summary.setWordWrap(True)
        make_plain(self.summary)  # failure messages quote what others typed
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)

    @property
    def loading(self) -> bool:
        """A read is on its way; the summary says so."""
        return self._reads.pending

    def show_document(self, document: Any) -> None:
        """Slot for the controller's document_opened (a DocumentRecord or None)."""
        self.document_id = document.id if document is not None else None
        self.refresh()

    def refresh(self) -> None:
        """Re-reads the decisions in the background if the dock is on screen, else once it is shown again."""
        self._after_edits.stop()
        if not self.on_screen:
            self._stale = True
            return
        self._stale = False
        document_id, annotator = self.document_id, self.annotator
        if document_id is None:
            self._reads.drop_pending()  # whatever a background read still brings back is older than this
            self._show(None, [])
            return
        if document_id != self._shown_document:  # another document's rows must not stand in meanwhile
            self._shown_document = None
            self.model.set_rows([])
        self.summary.setText(READING)
        self._reads.start(lambda db: (document_id, storage.gold_beside_mine(db, document_id, annotator)))

    def refresh_soon(self) -> None:
        """Slot for the analyst's own changes: one background read once the edits pause."""
        if not self.on_screen:
            self._stale = True
            return
        self._after_edits.start()

    def _arrived(self, result: tuple[str, list[GoldBesideMine]]) -> None:
        document_id, rows = result
        if document_id == self.document_id:
            self._show(document_id, rows)

    def _show(self, document_id: str | None, rows: list[GoldBesideMine]) -> None:
        self._shown_document = document_id
        self.model.set_rows(rows)
        decided = sum(1 for r in rows if r.gold is not None)
        if document_id is None:
            self.summary.setText("No document open.")
        else:
            self.summary.setText(f"A reviewer decided on {decided} of your {len(rows)} annotation(s) here."
                                 if rows else "You have no annotations in this document.")

    def _show_failure(self, message: str) -> None:
        self.summary.setText(f"Gold decisions unavailable: {message}")

    def set_on_screen(self, on: bool) -> None:
        """Slot for QDockWidget.visibilityChanged: catches up on what changed while it was out of sight."""
        self.on_screen = on
        if on and self._stale:
            self.refresh()
