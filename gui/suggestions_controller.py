"""The window's suggestion workflow: compute in the background, list and outline them, step through them by
key, accept (optionally after changing labels in the tag editor), reject, accept all; every decision is one
undo step on the window's stack.

Suggestions are computed by a QThreadPool job with its own connection (gui/workers.py), so the window never
waits for the suggesters; what it shows is read back from storage, as with annotations."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Callable

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QThreadPool, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QTextCursor, QUndoCommand
from PySide6.QtWidgets import QDockWidget, QMenu
from shiboken6 import isValid

from storage import AnnotationRecord, DocumentRecord

from gui import operations
from gui.after_paint import after_first_paint
from gui.change_bus import OpChanges, describe_failure
from gui.suggestions_overlay import SuggestionOverlay
from gui.suggestions_panel import SuggestionPanel, describe
from gui.workers import Job

if TYPE_CHECKING:
    from storage import Database
    from gui.main_window import MainWindow

LABELS = ("stance", "claim_type", "actor", "target", "note")
_POOL: QThreadPool | None = None


def suggestion_pool() -> QThreadPool:
    """One thread of their own: suggesters never hold up an import or export waiting in the global pool."""
    global _POOL
    if _POOL is None:
        _POOL = QThreadPool()
        _POOL.setMaxThreadCount(1)
    return _POOL


class SuggestionController(QObject):
    sig_computed = Signal(str)
    """The suggesters ran for this document; its suggestions are stored and shown."""
    sig_compute_failed = Signal(str)
    """The suggesters could not run (why)."""

    def __init__(self, window: "MainWindow") -> None:
        super().__init__(window)
        self.window = window
        self.db: Database = window.db
        self.annotator = window.annotator
        self.view, self.tag_editor, self.bus = window.view, window.tag_editor, window.bus
        self.annotations = window.controller
        self.location = window.location or window.db.location
        self.overlay = SuggestionOverlay(self.view)
        self.panel = SuggestionPanel(window)
        self.suggestions: list[Any] = []
        self.current = -1
        self.shown = True
        self.computing = False
        self._document_id: str | None = None
        self._awaiting_paint = False  # start-up: the first document's suggestions wait for the first paint
        self._editing: Any = None
        self._jobs: list[Job] = []  # computing until their last report arrived (gui.workers keeps them alive)
        self._wanted: dict[str, int] = {}  # document id -> latest request; "" set once the window is gone
        wanted = self._wanted
        window.destroyed.connect(lambda *_: wanted.__setitem__("", 1))
        self.annotations.sig_document_opened.connect(self._document_opened)
        self.bus.sig_changed.connect(self._changes_committed)
        self.bus.sig_failed.connect(lambda *_: self.suggestions_changed())  # a refused undo: read what is pending
        self.panel.sig_current_changed.connect(self._go_to)
        self.panel.sig_activated.connect(self._activated)
        self.tag_editor.sig_accepted.connect(self._labels_chosen)
        self.tag_editor.sig_cancelled.connect(self._labels_cancelled)
        self.view.installEventFilter(self)
        window.installEventFilter(self)

    def _activated(self, row: int) -> None:
        """Enter or a double click on a row: go to that suggestion and accept it."""
        self._go_to(row)
        self.accept()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        """With a suggestion current and no passage selected, a claim key accepts it with that claim type (the
        key does nothing there otherwise): one press instead of opening the editor for one label."""
        if watched is self.window and event.type() == QEvent.Type.Close:
            self._wanted[""] = 1  # queued jobs of this window need not run any more
        if watched is self.view and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) \
                and self.shown and not self.view.textCursor().hasSelection() and self.selected() is not None \
                and self.selected().kind == "claim" and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            key = event.text().upper()
            claim = next((v.value for v in self.window.scheme.claim_types if str(v.shortcut).upper() == key and key),
                         None)
            if claim is not None:
                chosen = self.selected()
                self.accept({"claim_type": claim} if claim != chosen.claim_type else None)
                return True
        return super().eventFilter(watched, event)

    # -- computing ---------------------------------------------------------------------------------
    def _document_opened(self, document: DocumentRecord | None) -> None:
        self._document_id = document.id if document is not None else None
        self.overlay.set_text(document.text if document is not None else "")
        self.current = -1
        if not self.window.isVisible():
            # Start-up: the article paints first; the suggestions (and the suggester code) follow right after
            # (or after half a second, for a window that is never painted).
            self.suggestions = []
            if not self._awaiting_paint:
                self._awaiting_paint = True
                after_first_paint(self.view.viewport(), self._painted, 500)
            return
        self.suggestions_changed()
        if document is not None:
            self.compute()

    def _painted(self) -> None:
        self._awaiting_paint = False
        if self._alive() and self._document_id is not None and not self._wanted.get(""):  # "": window closed
            self.suggestions_changed()
            self.compute()

    def compute(self) -> None:
        """Runs the suggesters for the open document in the background (only what changed is re-run)."""
        document_id, annotator = self._document_id, self.annotator
        if document_id is None:
            return

        wanted = self._wanted
        wanted[document_id] = wanted.get(document_id, 0) + 1
        ticket = wanted[document_id]

        def work(db: Database, _progress: Callable[..., None]) -> str:
            # A window closed, or a newer request for the same document, makes a queued job a no-op: jobs of
            # closed windows must not keep the pool busy for the windows still open.
            if wanted.get(document_id) == ticket and not wanted.get("", 0):
                db.suggestions.run([document_id], by=annotator)
            return document_id

        job = Job(self.location, "Suggesting", work, owner=self)  # nothing reaches a closed window
        job.signals.sig_finished.connect(self._computed)
        job.signals.sig_failed.connect(self._compute_failed)
        self._jobs.append(job)
        self.computing = True
        self._show_list()
        job.start(suggestion_pool())

    def _alive(self) -> bool:
        """False once the window is being torn down (a job may report after it closed)."""
        return isValid(self) and isValid(self.panel) and isValid(self.overlay) and isValid(self.view)

    def _job_over(self) -> None:
        self._jobs = [j for j in self._jobs if j.signals is not self.sender()]
        self.computing = bool(self._jobs)

    def _computed(self, document_id: str) -> None:
        if not self._alive():
            return
        self._job_over()
        if document_id == self._document_id:
            self.suggestions_changed()
        else:
            self._show_list()
        self.sig_computed.emit(document_id)

    def _compute_failed(self, message: str) -> None:
        if not self._alive():
            return
        self._job_over()
        self._show_list()
        self.window.statusBar().showMessage(f"Suggestions unavailable: {message}", 10_000)
        self.sig_compute_failed.emit(message)

    # -- committed changes, from the bus -----------------------------------------------------------
    def _changes_committed(self, changes: OpChanges) -> None:
        """An accept, a reject or their undo (from any window) changed the open document's pending suggestions."""
        if changes.suggestions is not None and changes.suggestions == self._document_id and self._alive():
            self.suggestions_changed()

    def suggestions_changed(self) -> None:
        """Reads this analyst's pending suggestions for the open document again (a short indexed read)."""
        before = self.selected()
        previous = before.start if before is not None else None
        try:
            self.suggestions = _without_claims_sources(
                self.db.suggestions.for_document(self._document_id, self.annotator) if self._document_id else [])
        except Exception as exc:  # noqa: BLE001
            self.suggestions = []
            self.window.show_error("Read suggestions", describe_failure(exc))
        if previous is not None and self.suggestions:  # the next one of the same kind becomes current
            later = [i for i, s in enumerate(self.suggestions) if s.start >= previous]
            self.current = next((i for i in later if self.suggestions[i].kind == before.kind),
                                later[0] if later else len(self.suggestions) - 1)
        elif self.current >= len(self.suggestions):
            self.current = len(self.suggestions) - 1
        self._show_list()

    # -- showing -----------------------------------------------------------------------------------
    def _show_list(self) -> None:
        lines = [describe(s, self.window.scheme) for s in self.suggestions]
        self.panel.show_suggestions(lines, self.current, self.computing)
        self._draw()

    def _draw(self) -> None:
        spans = []
        if self.shown:
            for i, s in enumerate(self.suggestions):
                spans += [(role, a, b, i == self.current) for role, a, b in s.spans()]
        self.overlay.set_spans(spans)

    def toggle_shown(self) -> None:
        self.shown = not self.shown
        self._draw()
        self.window.statusBar().showMessage("Suggestions shown." if self.shown else
                                            "Suggestions hidden (Ctrl+Shift+S shows them).", 4000)

    def selected(self) -> Any:
        return self.suggestions[self.current] if 0 <= self.current < len(self.suggestions) else None

    # -- stepping ----------------------------------------------------------------------------------
    def step(self, delta: int, claims_only: bool = True) -> None:
        """Next (+1) or previous (-1) claim suggestion (or suggestion of any kind), from the current one or, when
        none is current, from where the cursor is."""
        rows = [i for i, s in enumerate(self.suggestions) if s.kind == "claim" or not claims_only]
        if not rows:
            return
        if self.current < 0:
            here = self.view.textCursor().position()
            after = [i for i in rows if self.overlay.utf16(self.suggestions[i].start) >= here]
            row = (after[0] if after else rows[0]) if delta > 0 else \
                (rows[rows.index(after[0]) - 1] if after else rows[-1])
        elif delta > 0:
            row = next((i for i in rows if i > self.current), rows[0])
        else:
            row = next((i for i in reversed(rows) if i < self.current), rows[-1])
        self._go_to(row)

    def _go_to(self, row: int) -> None:
        if not 0 <= row < len(self.suggestions):
            return
        self.current = row
        self.panel.select_row(row)
        if not self.shown:
            self.shown = True
        cursor = QTextCursor(self.view.document())
        cursor.setPosition(self.overlay.utf16(self.suggestions[row].start))
        self.view.setTextCursor(cursor)
        self.view.ensureCursorVisible()
        self._draw()
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- deciding ----------------------------------------------------------------------------------
    def _decide(self, operation: Callable[[operations.Session], QUndoCommand | None]) -> None:
        """A decision through gui.operations (committed, pushed, published on the bus), once the document's
        annotations are all loaded; the article keeps the keyboard."""
        if self.annotations.finish_loading() and operation(self.annotations.session) is not None:
            self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def accept(self, changes: dict[str, Any] | None = None) -> None:
        chosen, document_id = self.selected(), self._document_id
        if chosen is None or document_id is None:
            return
        self._decide(lambda s: operations.accept_suggestion(s, chosen.id, chosen.quote, document_id, changes))

    def accept_with_changes(self) -> None:
        """The tag editor, prefilled with the suggestion's labels; Enter accepts with what it holds then."""
        chosen = self.selected()
        if chosen is None:
            return
        self._editing = chosen
        now = datetime.now(timezone.utc)
        initial = AnnotationRecord("", chosen.document_id, self.annotator, chosen.start, chosen.end, chosen.quote,
                                   chosen.stance, chosen.actor, chosen.claim_type, None, "", 0, 0, now, now)
        point = self.view.point_for_offset(chosen.start)
        anchor = self.view.viewport().mapToGlobal(QPoint(point.x(), point.y() + self.view.fontMetrics().height()))
        self.tag_editor.open_for(chosen.quote, anchor, initial=initial)

    def _labels_chosen(self, values: dict[str, Any]) -> None:
        chosen, self._editing = self._editing, None
        if chosen is None:
            return
        proposed = {"stance": chosen.stance, "claim_type": chosen.claim_type, "actor": chosen.actor,
                    "target": None, "note": ""}
        changes = {k: values.get(k) or ("" if k == "note" else None) for k in LABELS}
        changes = {k: v for k, v in changes.items() if v != proposed[k]}
        if chosen.kind == "mention":
            changes = {k: v for k, v in changes.items() if k in ("actor", "note")}
        self.accept(changes)

    def _labels_cancelled(self) -> None:
        self._editing = None

    def reject(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        self._decide(lambda s: operations.reject_suggestion(s, chosen.id, chosen.quote, chosen.document_id))

    def accept_all(self) -> None:
        document_id = self._document_id
        if document_id is None or not self.suggestions:
            return
        self._decide(lambda s: operations.accept_all_suggestions(s, document_id))


def _without_claims_sources(suggestions: list[Any]) -> list[Any]:
    """A mention proposed where a pending claim proposes its source is accepted with that claim: it is drawn
    as the claim's source, not listed (or stepped through) a second time."""
    sources = {(s.source.start, s.source.end) for s in suggestions if s.kind == "claim" and s.source is not None}
    return [s for s in suggestions if s.kind != "mention" or (s.start, s.end) not in sources]


def install_suggestions(window: "MainWindow") -> SuggestionController:
    """The Suggestions dock (tabbed with the annotation list), its menu and keys, wired to the window."""
    suggestions = SuggestionController(window)
    dock = QDockWidget("Suggestions", window)
    dock.setObjectName("suggestionsDock")
    dock.setWidget(suggestions.panel)
    dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable | QDockWidget.DockWidgetFeature.DockWidgetClosable)
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    window.splitDockWidget(window.annotations_dock, dock, Qt.Orientation.Vertical)
    suggestions.dock = dock  # type: ignore[attr-defined]
    menu = QMenu("S&uggestions", window)
    window.menuBar().insertMenu(window.help_menu.menuAction(), menu)  # Help stays the last menu
    entries: list[tuple[str, Callable[[], None], list[str]]] = [
        ("&Next Suggested Claim", lambda: suggestions.step(1), ["F6"]),
        ("&Previous Suggested Claim", lambda: suggestions.step(-1), ["Shift+F6"]),
        ("Next Suggestion of Any &Kind", lambda: suggestions.step(1, claims_only=False), ["Ctrl+F6"]),
        ("Previous Suggestion of Any Kin&d", lambda: suggestions.step(-1, claims_only=False), ["Ctrl+Shift+F6"]),
        ("&Accept Suggestion", lambda: suggestions.accept(), ["F7"]),
        ("Change Labels and A&ccept…", suggestions.accept_with_changes, ["Shift+F7"]),
        ("&Reject Suggestion", suggestions.reject, ["F9"]),
        ("Accept A&ll in This Document", suggestions.accept_all, ["Ctrl+Shift+F7"]),
        ("&Show Suggestions", suggestions.toggle_shown, ["Ctrl+Shift+S"]),
        ("&Find Suggestions Again", suggestions.compute, ["Ctrl+Shift+G"]),
    ]
    actions: dict[str, QAction] = {}
    for text, slot, keys in entries:
        action = QAction(text, window)
        action.setShortcuts([QKeySequence(k) for k in keys])
        action.triggered.connect(lambda _=False, s=slot: s())
        window.addAction(action)
        menu.addAction(action)
        actions[text.replace("&", "").rstrip("…")] = action
    show = actions["Show Suggestions"]
    show.setCheckable(True)
    show.setChecked(True)
    menu.insertSeparator(show)
    menu.addSeparator()
    menu.addAction(dock.toggleViewAction())
    suggestions.actions = actions  # type: ignore[attr-defined]
    return suggestions
