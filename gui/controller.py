"""Opening documents, the analyst's gestures turned into operations, and committed changes brought on screen.

The truth about the open document lives in `gui.open_document.OpenDocument`; the article view and the panel
follow its signals (`bind_widgets`). Gestures arrive as intents from the article view, the panel and the tag
editor (which hands back the frozen request it was opened for); each becomes an operation (gui.operations),
committed, pushed on the app's undo stack and published on the change bus, from which `_apply` brings what storage
returned into the model: the same path for an action, its undo and its redo.
"""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QPoint, QRect, Qt, QTimer, Signal

from storage import (
    AnnotationChange, AnnotationDraft, AnnotationRecord, StancemarkError, collector_paused,
)

from gui import operations
from gui.annotation_panel import AnnotationPanel
from gui.article_view import ArticleView
from gui.change_bus import ChangeBus, OpChanges, describe_failure
from gui.colleagues import ColleaguePoller
from gui.document_list import DocumentList
from gui.nudges import NudgeBursts
from gui.open_document import OpenDocument
from gui.tag_editor import TagEditor, TagRequest
from gui.view_text import step_boundary

if TYPE_CHECKING:
    from storage import Database

# Posted after opening at the priority of Qt's own repaint requests, so it runs once the first screen is painted
# (a QTimer.singleShot(0) is a normal-priority event and would run before the paint).
LOAD_REST_EVENT = QEvent.Type(QEvent.registerEventType())
NARROWEST = "il.,:;'|! "  # the narrowest common glyphs: a screen never shows more of them than fit in a line


def bind_widgets(model: OpenDocument, view: ArticleView, panel: AnnotationPanel) -> None:
    """The article view and the panel follow the open-document model, change by change."""
    def replaced(document: Any) -> None:
        own = model.own()
        view.set_document(document.text if document is not None else "", own, model.others())
        panel.set_annotations(own)
        panel.select(None, notify=False)

    def shown(record: AnnotationRecord) -> None:
        view.update_annotation(record)
        panel.upsert(record)

    def removed(record: AnnotationRecord) -> None:
        view.remove_annotation(record.id)
        panel.remove(record.id)

    def reset() -> None:
        own = model.own()
        view.set_annotations(own, model.others())
        panel.set_annotations(own)

    model.sig_document_replaced.connect(replaced)
    model.sig_records_reset.connect(reset)
    model.sig_record_added.connect(shown)
    model.sig_record_changed.connect(lambda _before, after: shown(after))
    model.sig_record_removed.connect(removed)
    model.sig_others_changed.connect(lambda: view.set_others(model.others()))


class AnnotationController(QObject):
    sig_saved = Signal(object)
    """A change was committed at this datetime."""
    sig_failed = Signal(str, str)
    """What was attempted, why it failed (nothing of it was stored)."""
    sig_document_opened = Signal(object)
    """Another document (DocumentRecord) is on screen."""
    sig_progress_changed = Signal(int, int)
    """Documents done, documents in all."""
    sig_annotations_changed = Signal()
    """The open document's records changed (relayed from the model's sig_changed)."""
    sig_loading_changed = Signal(bool)
    """True while the open document's annotations past the first screen load."""
    sig_hint = Signal(str)
    """A short word to the analyst about what just happened (shown in the status bar)."""
    sig_annotation_shown = Signal(object)
    """A committed own record is about to be shown (gui.attribution compares it with what is shown)."""

    def __init__(self, db: Database, annotator: str, view: ArticleView, panel: AnnotationPanel,
                 documents: DocumentList, tag_editor: TagEditor, bus: ChangeBus,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db, self.annotator, self.bus = db, annotator, bus
        self.session = operations.Session(db, annotator, bus)
        self.view, self.panel, self.documents, self.tag_editor = view, panel, documents, tag_editor
        self.model = OpenDocument(self)
        self.show_others = False
        self._actor_names: set[str] = set()
        # Asked before a delete (gui.attribution: a mention that claims use); True means it was handled there.
        self.delete_guard: Callable[[AnnotationRecord], bool] = lambda _record: False
        self.nudges = NudgeBursts(db, annotator, bus, self.model, view, self)
        self.colleagues = ColleaguePoller(self)
        self.poll_timer = self.colleagues.timer
        self.sig_background_problem = self.colleagues.sig_background_problem

        bind_widgets(self.model, view, panel)
        self.model.sig_changed.connect(self._model_changed)
        self.model.sig_loading_changed.connect(self.sig_loading_changed)
        bus.sig_changed.connect(self._apply)
        bus.sig_failed.connect(self._action_failed)
        documents.sig_document_chosen.connect(self.open_document)
        view.sig_selection_released.connect(self._selection_released)
        view.sig_claim_shortcut.connect(self._claim_shortcut)
        view.sig_annotation_clicked.connect(lambda annotation_id: panel.select(annotation_id, notify=False))
        view.sig_annotation_released.connect(lambda: panel.select(None))
        view.sig_boundary_move_requested.connect(self.move_boundary)
        tag_editor.sig_request_accepted.connect(self._tag_accepted)
        tag_editor.sig_request_cancelled.connect(self._tag_cancelled)
        panel.sig_annotation_selected.connect(view.select_annotation)
        panel.sig_edit_requested.connect(self.edit)
        panel.sig_delete_requested.connect(lambda annotation_id: self.delete(annotation_id))
        panel.sig_nudge_requested.connect(self.nudge)

    @property
    def document(self) -> Any:
        """The open DocumentRecord, or None."""
        return self.model.document

    @property
    def loading(self) -> bool:
        """True while the open document shows only its first screen's annotations."""
        return self.model.loading

    def poll(self) -> None:
        self.colleagues.poll()

    # -- loading ---------------------------------------------------------------------------------
    def reload_documents(self) -> None:
        self.model.last_event_id = self.db.annotations.latest_event_id()
        self.documents.set_documents(self.db.documents.list(annotator=self.annotator))
        self.emit_progress()

    def open_document(self, document_id: str) -> None:
        """Shows a document; the cycle collector waits meanwhile, since reading and showing the 50,000 records of
        a long article would make it walk the window's whole heap several times (150 ms of a 600 ms open)."""
        with collector_paused():
            self._open_document(document_id)

    def _open_document(self, document_id: str) -> None:
        """Shows the text with the spans the first screen needs, paints, then reads the rest (`finish_loading`):
        a 2 MB article with 50,000 annotations is on screen without waiting for the 50,000 records."""
        self.nudges.flush()  # a pending burst belongs to the document on screen
        first_end = self._first_screen_estimate()
        try:
            document = self.db.documents.get(document_id)
            own = self.db.annotations.for_document(document_id, annotator=self.annotator, start_before=first_end)
            others = self.read_others(document_id, start_before=first_end)
        except Exception as exc:  # noqa: BLE001
            self.sig_failed.emit("Open document", describe_failure(exc))
            return
        self.tag_editor.hide()  # its request belonged to the document that was open
        self.model.replace(document, own, others, loading=True)
        self._refresh_actor_names()
        self.documents.select(document_id, notify=False)
        if self.view.visible_end() > first_end:
            self.finish_loading()  # the screen showed more text than estimated: no span may be missing
        else:
            QCoreApplication.postEvent(self, QEvent(LOAD_REST_EVENT), Qt.EventPriority.LowEventPriority.value)
        self.sig_document_opened.emit(document)

    def _first_screen_estimate(self) -> int:
        """More characters than the article view can show at once: lines that fit times the narrowest glyphs
        that fit in a line (checked against what the view really shows once the text is laid out)."""
        metrics, viewport = self.view.fontMetrics(), self.view.viewport()
        narrowest = max(1, min(metrics.horizontalAdvance(c) for c in NARROWEST))
        lines = viewport.height() // max(1, metrics.lineSpacing()) + 2
        return lines * (viewport.width() // narrowest + 2)

    def customEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        if event.type() == LOAD_REST_EVENT:
            self.finish_loading()
        else:
            super().customEvent(event)

    def finish_loading(self) -> bool:
        """Reads every annotation of the open document and shows them (no-op once done); False if that failed,
        so an action that needs them all waits (is refused) instead of working on a partial picture."""
        try:
            self.load_rest()
        except Exception as exc:  # noqa: BLE001
            self.sig_failed.emit("Load annotations", describe_failure(exc))
            return False
        return True

    def loaded(self) -> bool:
        """finish_loading, called only while something is still to load."""
        return not self.model.loading or self.finish_loading()

    def load_rest(self) -> None:
        """finish_loading's work, raising; a failure leaves the first screen as it is, and the next action retries."""
        document_id = self.model.document_id
        if not self.model.loading or document_id is None:
            return
        with collector_paused():
            own = self.db.annotations.for_document(document_id, annotator=self.annotator)
            self.model.reset(own, self.read_others(document_id))

    def read_others(self, document_id: str, start_before: int | None = None) -> list[AnnotationRecord]:
        """Other annotators' annotations of the document, when they are shown."""
        if not self.show_others:
            return []
        return [a for a in self.db.annotations.for_document(document_id, start_before=start_before)
                if a.annotator != self.annotator]

    def set_show_others(self, on: bool) -> None:
        self.nudges.flush()
        self.show_others = on
        document_id = self.model.document_id
        if document_id is not None and self.loaded():
            try:
                self.model.set_others(self.read_others(document_id))
            except Exception as exc:  # noqa: BLE001
                self.sig_failed.emit("Show other annotators", describe_failure(exc))

    def refresh_current(self) -> None:
        """Brings the open document in line with the database, touching only what differs."""
        self.nudges.flush()
        document_id = self.model.document_id
        if document_id is None or not self.loaded():
            return
        try:
            fresh = self.db.annotations.for_document(document_id, annotator=self.annotator)
            others = self.read_others(document_id)
        except Exception as exc:  # noqa: BLE001
            self.sig_failed.emit("Refresh", describe_failure(exc))
            return
        ids = {a.id for a in fresh}
        gone = tuple(a for a in self.model.own() if a.id not in ids)
        self.model.apply(AnnotationChange(present=tuple(fresh), removed=gone))
        if self.show_others:
            self.model.set_others(others)
        self.sig_annotations_changed.emit()

    # -- gestures --------------------------------------------------------------------------------
    def _selection_released(self, start: int, end: int) -> None:
        self.nudges.flush()
        document = self.model.document
        if document is None or not self.loaded():
            return
        request = TagRequest(document.id, start, end, document.text[start:end])
        self.tag_editor.fit_width(self.view.viewport().width())
        self.tag_editor.open_request(request, self._editor_anchor(self.view.selection_rect()))

    def _editor_anchor(self, rect: QRect) -> QPoint:
        """Below the passage, shifted left if that keeps the editor over the article instead of the panels."""
        viewport = self.view.viewport()
        room = viewport.width() - self.tag_editor.sizeHint().width()
        x = max(0, min(rect.left(), room))
        return viewport.mapToGlobal(QPoint(x, rect.bottom()))

    def edit_selected_in_tag_editor(self) -> None:
        """F2: the same compact editor, prefilled, for the selected annotation (keyboard only)."""
        self.nudges.flush()
        if not self.loaded():
            return
        record = self.model.record(self.panel.selected_id())
        if record is None:
            return
        point = self.view.point_for_offset(record.start)
        line = self.view.fontMetrics().height()
        self.tag_editor.fit_width(self.view.viewport().width())
        anchor = self._editor_anchor(QRect(point.x(), point.y() - line // 2, 1, line))
        self.tag_editor.open_request(TagRequest.for_record(record), anchor)

    def _tag_accepted(self, request: TagRequest) -> None:
        values = dict(request.values or {})
        fields: dict[str, Any] = {k: values.get(k) for k in ("stance", "claim_type", "actor", "target")}
        fields["note"] = values.get("note") or ""
        if values.get("actor_kind") and values.get("actor"):  # a new actor the analyst confirmed, with its kind
            try:
                self.db.actors.create(values["actor"], values["actor_kind"], by=self.annotator)
            except StancemarkError:
                pass  # a colleague made it meanwhile (the add uses theirs) or it is refused (the add says why)
        if request.record is not None:
            changes = {k: v for k, v in fields.items() if getattr(request.record, k) != v}
            if changes:
                self.edit(request.record.id, changes)
        elif request.document_id == self.model.document_id:
            self.add(AnnotationDraft(request.document_id, request.start, request.end, **fields))
        self.view.setFocus()

    def _tag_cancelled(self, request: TagRequest) -> None:
        if request.record is None:
            self.view.clear_span_selection()
        self.view.setFocus()

    def _claim_shortcut(self, claim_type: str, start: int, end: int) -> None:
        document_id = self.model.document_id
        if document_id is None:
            return
        record = self.add(AnnotationDraft(document_id, start, end, claim_type=claim_type))
        if record is not None:
            # The scheme the window already holds: no database read on the quick path.
            claim_types = self.view.scheme.claim_types if self.view.scheme is not None else ()
            label = next((v.label for v in claim_types if v.value == claim_type), claim_type)
            self.sig_hint.emit(f"Saved as {label}, without stance or actor: press F2 to add them.")

    def move_boundary(self, annotation_id: str, offset: int) -> None:
        """Shift+click: the nearer boundary of the selected annotation moves to the click."""
        record = self.model.record(annotation_id)
        moved = operations.moved_boundary(record, offset) if record is not None else None
        if moved is not None:
            self.edit(annotation_id, {"start": moved[0], "end": moved[1]})

    # -- actions ---------------------------------------------------------------------------------
    def ready(self) -> bool:
        """Before an action: a pending burst of nudges is stored (gui.nudges) and every annotation of the open
        document is held (counts and checks must be the whole truth)."""
        return self.nudges.flush() and self.loaded()

    def add(self, draft: AnnotationDraft) -> AnnotationRecord | None:
        if not self.ready():
            return None
        command = operations.add_annotation(self.session, draft)
        if command is None:
            return None
        self.view.clear_span_selection()
        return command.record

    def edit(self, annotation_id: str, changes: dict[str, Any], merge_id: int = -1) -> None:
        before = self.model.record(annotation_id) if self.ready() else None
        if before is not None:
            operations.edit_annotation(self.session, before, changes, merge_id)

    def delete(self, annotation_id: str | None = None) -> None:
        if not self.ready():
            return
        record = self.model.record(annotation_id or self.panel.selected_id())
        if record is not None and not self.delete_guard(record):
            operations.delete_annotation(self.session, record)

    def nudge(self, annotation_id: str, which: str, delta: int, by_word: bool = True) -> None:
        """Moves one boundary by a word (or, by_word=False, by one character) left (-1) or right (+1): on
        screen at once, stored as one revision once the presses pause (gui.nudges)."""
        document = self.model.document
        if document is None or not self.loaded():
            return
        record = self.model.record(annotation_id)
        if record is None:
            return
        start, end = record.start, record.end
        if by_word:
            moved = step_boundary(document.text, start if which == "start" else end, delta, which)
            start, end = (moved, end) if which == "start" else (start, moved)
        else:
            start, end = (start + delta, end) if which == "start" else (start, end + delta)
        if 0 <= start < end <= len(document.text):
            self.nudges.move(record, start, end, document.text)

    def nudge_selected(self, which: str, delta: int, by_word: bool = True) -> None:
        selected = self.panel.selected_id()
        if selected is not None:
            self.nudge(selected, which, delta, by_word)

    def toggle_done(self) -> None:
        document = self.model.document
        if document is None or not self.ready():
            return
        try:
            current = self.db.documents.status(document.id, self.annotator)
        except Exception as exc:  # noqa: BLE001
            self.sig_failed.emit("Mark document", describe_failure(exc))
            return
        operations.set_status(self.session, document.id, "in_progress" if current == "done" else "done",
                              document.title)

    # -- committed changes, from the bus ---------------------------------------------------------
    def _apply(self, changes: OpChanges) -> None:
        """What an action, undo or redo committed: the model takes it, and the open document follows it."""
        if changes.annotations is not None:
            change = changes.annotations
            records = change.present + change.removed
            if records and records[0].document_id != self.model.document_id:
                self.documents.select(records[0].document_id)  # undo elsewhere opens it: the analyst sees it
            self.loaded()
            if any(r.actor and r.actor not in self._actor_names for r in change.present):
                self._refresh_actor_names()  # the service created a new actor for it
            for record in change.present:
                if record.document_id == self.model.document_id:
                    self.sig_annotation_shown.emit(record)  # before the model takes it: listeners compare
            self.model.apply(change)
            if changes.focus is not None:
                self.select_annotation(changes.focus)
            self.sig_saved.emit(datetime.now())
        if changes.status is not None:
            self.documents.show_status(changes.status.document_id, changes.status.status)
            self.sig_saved.emit(datetime.now())
            self.emit_progress()

    def _model_changed(self) -> None:
        document_id = self.model.document_id
        if document_id is not None and not self.model.loading:
            self.documents.show_claim_count(document_id, self.model.claim_count)
        self.sig_annotations_changed.emit()

    def _action_failed(self, action: str, message: str) -> None:
        self.sig_failed.emit(action, message)
        QTimer.singleShot(0, self.refresh_current)

    def select_annotation(self, annotation_id: str) -> None:
        """Selects one of the open document's annotations in the panel and the article."""
        self.panel.select(annotation_id, notify=False)
        self.view.select_annotation(annotation_id)

    # -- reads for the screen --------------------------------------------------------------------
    def _refresh_actor_names(self) -> None:
        """The panel's actor completion: every canonical name and alias in the registry."""
        try:
            actors = self.db.actors.list()
        except Exception as exc:  # noqa: BLE001 - completion is a help; its failure is reported, not fatal
            self.sig_failed.emit("Read the actor registry", describe_failure(exc))
            return
        self._actor_names = {name for actor in actors for name in (actor.name, *actor.aliases)}
        self.panel.set_actor_names(sorted(self._actor_names))

    def emit_progress(self) -> None:
        try:
            self.sig_progress_changed.emit(*self.db.documents.progress(self.annotator))
        except Exception as exc:  # noqa: BLE001
            self.sig_failed.emit("Read progress", describe_failure(exc))
