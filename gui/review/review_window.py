"""Review mode: one window for adjudicating a document, self-contained over `(db, reviewer_name)`.

Keys: F8 / J next disagreement, Shift+F8 / K previous, 1..9 accept that annotator's version (numbered as in the
legend), E edit (from a passage dragged in the text, if any), R reject, Ctrl+Shift+M auto-merge the agreed units,
Ctrl+Z / Ctrl+Shift+Z undo / redo, Esc / Ctrl+W close. Typing in the rationale box takes letters and digits for
itself; Tab, Ctrl+Enter or Escape leave it. People without the reviewer role get the same view read-only (the
controls are disabled with the reason in their tooltip, and storage refuses them anyway).

The toolbar keeps its shape: fixed-width boxes and Undo / Redo buttons whose text never changes (the action
they would undo is in the tooltip), so nothing reflows or drops into the overflow menu after a decision."""
from __future__ import annotations

from functools import partial
from typing import Callable

from PySide6.QtCore import QEvent, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDockWidget, QFrame, QLabel, QMainWindow, QScrollArea, QToolBar, QVBoxLayout, QWidget,
)

from gui.change_bus import ChangeBus, OpChanges
from gui.layout_limits import keep_narrow
from gui.review.agreement_panel import AgreementPanel
from gui.review.undo_commands import GoldCommand
from gui.review.corpus_agreement import CorpusAgreement
from gui.review.decision_panel import NOT_A_REVIEWER, DecisionPanel
from gui.review.edit_gold import EditGoldDialog
from gui.review.disagreement_list import DisagreementList
from gui.palette import REVIEW_STATUS_LABELS, annotator_colours
from gui.review.document_reads import DocumentRead, UnitsRead, read_document, read_units
from gui.review.review_view import AnnotatorLegend, ReviewTextView
from gui.workers import LatestRead, reads_pool
from storage import REVIEW_STATUSES, Database, GoldChange, NotFound, ReviewUnit, StancemarkError

TEXT_CHARS = 40  # the passage column keeps room for this many average characters a line


class ReviewWindow(QMainWindow):
    sig_document_shown = Signal(str)
    """The id of the document whose text, units and figures are now on screen."""
    sig_units_shown = Signal(str)
    """The open document's re-read units (after a decision, an undo, a change to its annotations) are shown."""

    def __init__(self, db: Database, reviewer: str, bus: ChangeBus | None = None,
                 parent: QWidget | None = None, location: str | None = None,
                 pool: QThreadPool | None = None) -> None:
        """`location` opens the background connections (db.url hides a password, so pass the real one); `bus`
        is the app's (its undo stack is shared with the main window), a window of its own makes one."""
        super().__init__(parent)
        self.db, self.reviewer = db, reviewer
        self.setWindowTitle(f"Review — {reviewer}")
        self.bus = bus if bus is not None else ChangeBus(self)
        self.undo_stack = self.bus.stack
        self.bus.sig_changed.connect(self._changes_committed)
        self.scheme = db.scheme.current()
        self.document_id: str | None = None
        self.participants: tuple[str, ...] = ()
        self.colours: dict[str, str] = {}
        self.last_message = ""
        self.text = ""
        self._applying: DocumentRead | None = None  # a read that arrived, shown over a few event-loop turns
        # Documents are read by a pool of their own: opening one never waits behind the corpus figures.
        self._document_reads = LatestRead(location or db.location, "Review document", reads_pool(), self)
        self._document_reads.sig_ready.connect(self._document_read)
        self._document_reads.sig_failed.connect(self._document_failed)
        self._unit_reads = LatestRead(location or db.location, "Review units", reads_pool(), self)
        self._unit_reads.sig_ready.connect(self._units_read)
        self._unit_reads.sig_failed.connect(self._document_failed)

        self.text_view = ReviewTextView(self)
        self.legend = AnnotatorLegend(self)
        centre = QWidget(self)
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(0, 0, 0, 0)
        centre_layout.addWidget(self.legend)
        centre_layout.addWidget(self.text_view)
        centre.setMinimumWidth(TEXT_CHARS * self.text_view.fontMetrics().averageCharWidth())
        self.setCentralWidget(centre)
        self.disagreements = DisagreementList(self)
        self.decision = DecisionPanel(self)
        self.agreement = AgreementPanel(self)
        self.disagreements_dock = self._dock("Disagreements", self.disagreements, Qt.DockWidgetArea.LeftDockWidgetArea)
        # In a scroll area: a dock does not pass height-for-width on, so at 1024x768 the versions' wrapped
        # descriptions were cut to two lines; the scroll area gives the panel the height its lines need.
        self.decision_scroll = QScrollArea(self)
        self.decision_scroll.setWidgetResizable(True)
        self.decision_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.decision_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.decision_scroll.setWidget(self.decision)
        self.decision_dock = self._dock("Decision", self.decision_scroll, Qt.DockWidgetArea.RightDockWidgetArea)
        self._dock("Agreement", self.agreement, Qt.DockWidgetArea.BottomDockWidgetArea)

        self.document_box = QComboBox(self)
        keep_narrow(self.document_box, chars=22)  # a 300-character title must not widen the window
        self.document_box.setFixedWidth(self.document_box.sizeHint().width())  # the toolbar keeps its shape
        self.status_box = QComboBox(self)
        for status in REVIEW_STATUSES:
            self.status_box.addItem(REVIEW_STATUS_LABELS[status], status)
        self.status_box.setFixedWidth(self.status_box.sizeHint().width())
        self._build_actions()
        toolbar = QToolBar("Review", self)
        toolbar.setObjectName("reviewToolbar")
        toolbar.addWidget(QLabel("Document "))
        toolbar.addWidget(self.document_box)
        toolbar.addWidget(QLabel("  Review status "))
        toolbar.addWidget(self.status_box)
        for action in (self.previous_action, self.next_action, self.auto_merge_action, self.undo_action,
                       self.redo_action):
            toolbar.addAction(action)
        # Short button texts, so the whole bar fits a 1024-pixel window; the menus' full names stay.
        for action, short in ((self.previous_action, "Previous (K)"), (self.next_action, "Next (J)"),
                              (self.auto_merge_action, "Auto-merge")):
            action.setIconText(short)
        self.addToolBar(toolbar)
        self.toolbar = toolbar

        self.may_adjudicate = self._is_reviewer()
        self.decision.set_may_adjudicate(self.may_adjudicate)
        for action in self.deciding_actions():
            action.setEnabled(self.may_adjudicate)
            if not self.may_adjudicate:
                action.setToolTip(f"{action.text()}: {NOT_A_REVIEWER}")
        self.status_box.setEnabled(self.may_adjudicate)
        if not self.may_adjudicate:
            self.report(f"{reviewer} is not a reviewer: review mode is read-only. {NOT_A_REVIEWER}")

        self.document_box.currentIndexChanged.connect(lambda _: self.open_document(self.document_box.currentData()))
        self.status_box.activated.connect(lambda _: self._set_status(self.status_box.currentData()))
        self.disagreements.sig_current_changed.connect(self._show_current)
        self.text_view.sig_unit_clicked.connect(self.disagreements.select_key)
        self.decision.sig_accept_requested.connect(self.accept)
        self.decision.sig_edit_requested.connect(self.edit)
        self.decision.sig_reject_requested.connect(self.reject)
        self.decision.rationale.sig_done.connect(self._rationale_done)
        self.agreement.sig_pair_chosen.connect(lambda a, b, aspect: self.disagreements.set_pair((a, b), aspect))

        self.corpus = CorpusAgreement(db, location or db.location, pool, self)
        self.corpus.sig_started.connect(self.agreement.show_corpus_computing)
        self.corpus.sig_ready.connect(self.agreement.set_corpus_report)
        self.corpus.sig_failed.connect(self.agreement.show_corpus_failed)
        self._fill_documents()
        # Started from the event loop, so whoever built the window can connect to `corpus.ready` first.
        QTimer.singleShot(0, self.corpus.compute)
        QTimer.singleShot(0, self._size_docks)

    def _size_docks(self) -> None:
        """Once the window has its size: the list and the decision panel at working widths (a quarter of a wide
        window each), the text the rest."""
        width = self.width()
        self.resizeDocks([self.disagreements_dock, self.decision_dock],
                         [max(320, min(width * 27 // 100, 560)), max(330, min(width // 4, 520))],
                         Qt.Orientation.Horizontal)

    # -- building --------------------------------------------------------------------------------------
    def _dock(self, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"review{title}Dock")
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _action(self, text: str, keys: list[str], slot: Callable[[], object]) -> QAction:
        action = QAction(text, self)
        action.setShortcuts([QKeySequence(k) for k in keys])
        action.triggered.connect(lambda _=False: slot())
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        self.next_action = self._action("Next disagreement", ["F8", "J"], self.disagreements.next)
        self.previous_action = self._action("Previous disagreement", ["Shift+F8", "K"], self.disagreements.previous)
        self.accept_actions = [self._action(f"Accept version {n}", [str(n)], partial(self.accept_number, n))
                               for n in range(1, 10)]
        self.edit_action = self._action("Edit the gold version…", ["E"], lambda: self.edit(None))
        self.reject_action = self._action("Reject unit", ["R"], self.reject)
        self.auto_merge_action = self._action("Auto-merge agreed units", ["Ctrl+Shift+M"], self.auto_merge)
        self.close_action = self._action("Close review", ["Esc", "Ctrl+W"], self._close)
        # Fixed text ("Undo", not "Undo Accept version"): the toolbar must not change width after each action.
        self.undo_action = self._action("Undo", ["Ctrl+Z"], self.undo_stack.undo)
        self.redo_action = self._action("Redo", ["Ctrl+Shift+Z", "Ctrl+Y"], self.undo_stack.redo)
        self.undo_stack.indexChanged.connect(self._update_undo_actions)
        self.undo_stack.cleanChanged.connect(self._update_undo_actions)
        self._update_undo_actions()

    def _close(self) -> None:
        self.close()

    def deciding_actions(self) -> list[QAction]:
        """Everything that changes gold: refused (and so disabled) for anyone who is not a reviewer."""
        return [*self.accept_actions, self.edit_action, self.reject_action, self.auto_merge_action,
                self.undo_action, self.redo_action]

    def _update_undo_actions(self, *_: object) -> None:
        try:
            self._show_undo_state()
        except RuntimeError:  # the stack is being destroyed with the window
            pass

    def _show_undo_state(self) -> None:
        may = getattr(self, "may_adjudicate", True)
        for action, can, text in ((self.undo_action, self.undo_stack.canUndo(), self.undo_stack.undoText()),
                                  (self.redo_action, self.undo_stack.canRedo(), self.undo_stack.redoText())):
            action.setEnabled(may and can)
            if may:
                action.setToolTip(f"{action.text()} {text.lower()}" if can else f"Nothing to {action.text().lower()}")

    def _is_reviewer(self) -> bool:
        try:
            return self.db.annotators.get(self.reviewer).role == "reviewer"
        except NotFound:
            return False

    # -- documents -------------------------------------------------------------------------------------
    def _fill_documents(self) -> None:
        statuses = self.db.review.statuses()
        self.document_box.blockSignals(True)
        current = self.document_id
        self.document_box.clear()
        for doc in self.db.documents.list():
            status = REVIEW_STATUS_LABELS[statuses.get(doc.id, "not_reviewed")]
            self.document_box.addItem(f"{doc.title} — {status}", doc.id)
        self.document_box.blockSignals(False)
        index = self.document_box.findData(current) if current else 0
        if self.document_box.count():
            self.document_box.setCurrentIndex(max(index, 0))
            if current is None:
                self.open_document(self.document_box.currentData())

    @property
    def loading(self) -> bool:
        """A document is being read in the background; the text says so and nothing can be decided."""
        return self._document_reads.pending or self._applying is not None

    def open_document(self, document_id: str | None) -> None:
        """Shows the loading state at once and reads the document in the background (see DocumentRead)."""
        if document_id is None or document_id == self.document_id:
            return
        self.document_id = document_id
        self.text, self._applying = "", None
        self._unit_reads.drop_pending()  # a refresh of the document left behind
        self.text_view.show_loading()
        self.disagreements.set_units([], self.participants)
        self._show_status()
        self._document_reads.start(read_document(document_id))

    def _document_read(self, read: DocumentRead) -> None:
        """Shows what arrived in three event-loop turns (text, unit list, figures): each stays short."""
        if read.document.id != self.document_id:
            return
        self._applying = read
        self.text = read.document.text
        self._set_participants(read.units.participants)
        self.text_view.show_document(read.document.text, read.units.units, self.colours, read.units.index)
        self._show_status(read.units.status)
        QTimer.singleShot(0, self, lambda: self._show_units(read))

    def _show_units(self, read: DocumentRead) -> None:
        if self._applying is read:
            self.disagreements.set_units(read.units.units, self.participants, read.units.facts)
            QTimer.singleShot(0, self, lambda: self._show_figures(read))

    def _show_figures(self, read: DocumentRead) -> None:
        if self._applying is read:
            self.agreement.set_document_report(read.report)
            self.disagreements.go(0)
            self._applying = None
            self.sig_document_shown.emit(read.document.id)

    def _document_failed(self, message: str) -> None:
        self.text_view.setPlaceholderText(f"The document could not be read: {message}")
        self.report(f"The document could not be read: {message}")

    def _set_participants(self, participants: tuple[str, ...]) -> None:
        if participants != self.participants or not self.colours:  # someone new annotated this document
            self.participants, self.colours = participants, annotator_colours(participants)
            self.legend.set_annotators(self.colours)

    @property
    def refreshing(self) -> bool:
        """A re-read of the open document's units is on its way; the screen shows the last one until then."""
        return self._unit_reads.pending

    def refresh(self) -> None:
        """Re-reads this document's units and gold in the background, after a decision, undo or redo or a
        change to its annotations; the newest read wins (gui.workers.LatestRead)."""
        if self.document_id is None or self.loading:
            return  # a read on its way brings the newest state
        self._unit_reads.start(read_units(self.document_id, self.text))

    def _units_read(self, read: UnitsRead) -> None:
        if read.document_id != self.document_id or self.loading:
            return
        self._set_participants(read.participants)
        self.text_view.set_units(read.units, self.colours, read.index)
        self.disagreements.set_units(read.units, self.participants, read.facts)
        self._show_status(read.status)
        self._show_current(self.disagreements.current_unit())
        self.corpus.recompute_if_changed()
        self.sig_units_shown.emit(read.document_id)

    def _show_status(self, status: str | None = None) -> None:
        """`status`: as a background read brought it; else read here (one row)."""
        if self.document_id is None:
            return
        if status is None:
            status = self.db.review.status(self.document_id).status
        self.status_box.setCurrentIndex(self.status_box.findData(status))
        row = self.document_box.findData(self.document_id)
        if row >= 0:
            title = self.document_box.itemText(row).rsplit(" — ", 1)[0]
            self.document_box.setItemText(row, f"{title} — {REVIEW_STATUS_LABELS[status]}")

    def _show_current(self, unit: ReviewUnit | None) -> None:
        self.decision.show_unit(unit, self.participants, self.colours)
        self.text_view.set_current(unit.key if unit else None)

    # -- decisions -------------------------------------------------------------------------------------
    def current_unit(self) -> ReviewUnit | None:
        return self.disagreements.current_unit()

    def accept_number(self, n: int) -> None:
        """Accepts the version of the n-th annotator in the legend (1-based)."""
        unit = self.current_unit()
        if unit is None or not 1 <= n <= len(self.participants):
            return
        version = unit.version(self.participants[n - 1])
        if version is None:
            self.report(f"{self.participants[n - 1]} did not mark this passage: nothing to accept")
            return
        self.accept(version.id)

    def accept(self, annotation_id: str) -> None:
        if self.current_unit() is None:
            return
        rationale = self.decision.rationale_text()
        self._decide("Accept version", lambda: self.db.review.accept(annotation_id, self.reviewer, rationale))

    def edit(self, annotation_id: str | None) -> None:
        unit = self.current_unit()
        if unit is None or not self.may_adjudicate:
            return
        base = next((s for s in unit.spans if s.id == annotation_id), unit.spans[0])
        dialog = EditGoldDialog(self.scheme, base, self.text, self.decision.rationale_text(),
                                self.text_view.selected_range(), self)
        self.edit_dialog = dialog  # for tests and for focus
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        rationale, changes = dialog.rationale_text(), dialog.changes()
        self._decide("Edit gold version", lambda: self.db.review.edit(base.id, self.reviewer, rationale, **changes))

    def reject(self) -> None:
        unit = self.current_unit()
        if unit is None:
            return
        rationale = self.decision.rationale_text()
        self._decide("Reject unit", lambda: self.db.review.reject(unit.spans[0].id, self.reviewer, rationale))

    def auto_merge(self) -> None:
        if self.document_id is None:
            return
        document_id = self.document_id
        change = self._decide("Auto-merge agreed units", lambda: self.db.review.auto_merge(document_id,
                                                                                        self.reviewer))
        if change is not None:
            claims = sum(1 for g in change.added if g.kind == "claim")  # their mentions and cues came along
            self.report(f"auto-merge took {claims} agreed unit(s) into gold")

    def _decide(self, text: str, call: Callable[[], GoldChange]) -> GoldChange | None:
        """Commits through storage first; only a decision storage accepted goes on the undo stack."""
        try:
            change = call()
        except StancemarkError as exc:
            self.report(str(exc))
            return None
        self.bus.push(GoldCommand(text, self.db, self.reviewer, self, self.bus, change))
        self.decision.rationale.clear()
        self.bus.publish(OpChanges(gold=change))  # this window, and the main window's gold dock, refresh
        return change

    def _set_status(self, status: str) -> None:
        if self.document_id is None:
            return
        try:
            self.db.review.set_status(self.document_id, status, self.reviewer)
        except StancemarkError as exc:
            self.report(str(exc))
        self._show_status()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        """Coming back to the window re-reads the document: annotators may have changed their work."""
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow() and self.document_id:
            QTimer.singleShot(0, self.refresh)
        super().changeEvent(event)

    def _rationale_done(self) -> None:
        """Ctrl+Enter or Escape in the rationale box: the decision keys work again, with the rationale kept."""
        self.disagreements.table.setFocus()
        if self.decision.rationale_text():
            self.report("Rationale kept: press 1–9 to accept a version, E to edit or R to reject")

    def _changes_committed(self, changes: OpChanges) -> None:
        """The change bus: a decision, its undo or its redo, from this window or the main window's Ctrl+Z, and
        annotations added, changed or removed (or their undo) in the main window in the open document."""
        touched = changes.annotations.present + changes.annotations.removed if changes.annotations else ()
        if changes.gold is not None or any(r.document_id == self.document_id for r in touched):
            self.refresh()

    def report_failure(self, action: str, message: str, *, during_redo: bool) -> None:
        """A refused undo or redo of a decision (the command left the stack): said here, the document re-read."""
        self.report(f"{action} failed: {message}")
        if during_redo:
            self.bus.drop_redo_tail_soon()
        self.refresh()

    def report(self, message: str) -> None:
        self.last_message = message
        self.statusBar().showMessage(message, 8000)
