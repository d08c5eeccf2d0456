"""The open document and every change to it: loads, tags, edits, deletes, undo, and colleagues' changes.

The controller is the window's `Screen` (gui.commands): commands call the services, then hand the committed
record here to be shown. Nothing appears on screen that storage did not return.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any, Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QPoint, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QMouseEvent, QUndoCommand, QUndoStack

from storage import AnnotationDraft, AnnotationRecord, Database, DocumentRecord, StancemarkError, StatusRecord

from gui.annotation_panel import AnnotationPanel
from gui.article_view import ArticleView
from gui.colleagues import ColleagueChanges
from gui.commands import AddAnnotation, DeleteAnnotation, EditAnnotation, SetStatus, describe_failure
from gui.document_list import DocumentList
from gui.nudges import NudgeBursts
from gui.span_index import collector_paused
from gui.tag_editor import TagEditor
from gui.view_text import step_boundary

POLL_INTERVAL_MS = 2_000
# Posted after opening at the priority of Qt's own repaint requests, so it runs once the first screen is painted
# (a QTimer.singleShot(0) is a normal-priority event and would run before the paint).
LOAD_REST_EVENT = QEvent.Type(QEvent.registerEventType())
NARROWEST = "il.,:;'|! "  # the narrowest common glyphs: a screen never shows more of them than fit in a line


class AnnotationController(ColleagueChanges, QObject):
    saved = Signal(object)  # datetime of the last committed change
    failed = Signal(str, str)  # what was attempted, why it failed
    document_opened = Signal(object)  # DocumentRecord | None
    progress_changed = Signal(int, int)  # done, total
    annotations_changed = Signal()
    loading_changed = Signal(bool)  # True while the open document's annotations past the first screen load
    background_problem = Signal(str)  # what goes wrong in the background ("" once it works again)
    sig_hint = Signal(str)
    """A short word to the analyst about what just happened (shown in the status bar)."""
    annotation_shown = Signal(object)  # a committed own record just brought on screen (gui.attribution follows)

    def __init__(self, db: Database, annotator: str, view: ArticleView, panel: AnnotationPanel,
                 documents: DocumentList, tag_editor: TagEditor, stack: QUndoStack,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db, self.annotator = db, annotator
        self.view, self.panel, self.documents, self.tag_editor, self.stack = view, panel, documents, tag_editor, stack
        self.document: DocumentRecord | None = None
        self.show_others = False
        self._others: dict[str, AnnotationRecord] = {}
        self._actor_names: set[str] = set()
        self._background_problem = ""
        self._pending_span: tuple[int, int] | None = None
        self._pending_edit: AnnotationRecord | None = None
        self._shift_click = False
        self._last_event_id = 0
        self._loading: str | None = None  # the open document, while only its first screen's spans are shown
        # Asked before a delete (gui.attribution: a mention that claims use); True means it was handled there.
        self.delete_guard: Callable[[AnnotationRecord], bool] = lambda _record: False
        self.poll_timer = QTimer(self)
        self.poll_timer.setInterval(POLL_INTERVAL_MS)
        self.poll_timer.timeout.connect(self.poll)
        self.nudges = NudgeBursts(db, annotator, self, self, stack, view, self)

        documents.document_chosen.connect(self.open_document)
        view.sig_selection_released.connect(self._selection_released)
        view.sig_claim_shortcut.connect(self._claim_shortcut)
        view.sig_annotation_clicked.connect(self._annotation_clicked)
        view.viewport().installEventFilter(self)
        tag_editor.sig_accepted.connect(self._tag_accepted)
        tag_editor.sig_cancelled.connect(self._tag_cancelled)
        panel.annotation_selected.connect(view.select_annotation)
        panel.edit_requested.connect(self.edit)
        panel.delete_requested.connect(lambda annotation_id: self.delete(annotation_id))
        panel.nudge_requested.connect(self.nudge)

    # -- loading ---------------------------------------------------------------------------------
    def reload_documents(self) -> None:
        self._last_event_id = self.db.annotations.latest_event_id()
        self.documents.set_documents(self.db.documents.list(annotator=self.annotator))
        self._emit_progress()

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
            others = self._read_others(document_id, start_before=first_end)
        except Exception as exc:  # noqa: BLE001
            self.failed.emit("Open document", describe_failure(exc))
            return
        self.tag_editor.hide()
        self._pending_span = self._pending_edit = None
        self.document = document
        self._refresh_actor_names()
        self.view.set_document(document.text, own, others)
        self.panel.set_annotations(own)
        self.panel.select(None, notify=False)
        self.documents.select(document_id, notify=False)
        self._loading = document_id
        self.loading_changed.emit(True)
        if self.view.visible_end() > first_end:
            self.finish_loading()  # the screen showed more text than estimated: no span may be missing
        else:
            QCoreApplication.postEvent(self, QEvent(LOAD_REST_EVENT), Qt.EventPriority.LowEventPriority.value)
        self.document_opened.emit(document)
        self.annotations_changed.emit()

    def _first_screen_estimate(self) -> int:
        """More characters than the article view can show at once: lines that fit times the narrowest glyphs
        that fit in a line (checked against what the view really shows once the text is laid out)."""
        metrics, viewport = self.view.fontMetrics(), self.view.viewport()
        narrowest = max(1, min(metrics.horizontalAdvance(c) for c in NARROWEST))
        lines = viewport.height() // max(1, metrics.lineSpacing()) + 2
        return lines * (viewport.width() // narrowest + 2)

    @property
    def loading(self) -> bool:
        """True while the open document shows only its first screen's annotations."""
        return self._loading is not None

    def customEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        if event.type() == LOAD_REST_EVENT:
            self.finish_loading()
        else:
            super().customEvent(event)

    def finish_loading(self) -> bool:
        """Reads every annotation of the open document and shows them (no-op once done); False if that failed,
        so an action that needs them all waits (is refused) instead of working on a partial picture."""
        try:
            self._load_rest()
        except Exception as exc:  # noqa: BLE001
            self.failed.emit("Load annotations", describe_failure(exc))
            return False
        return True

    def _load_rest(self) -> None:
        """finish_loading's work; a failure leaves the first screen as it is, and the next action retries."""
        if self._loading is None:
            return
        if self.document is None or self.document.id != self._loading:
            self._loading = None
            return
        with collector_paused():
            own = self.db.annotations.for_document(self._loading, annotator=self.annotator)
            others = self._read_others(self._loading)
            self._loading = None
            self.view.set_annotations(own, others)
            self.panel.set_annotations(own)
        self.loading_changed.emit(False)
        self.annotations_changed.emit()

    def _read_others(self, document_id: str, start_before: int | None = None) -> list[AnnotationRecord]:
        """Other annotators' annotations of the document, when they are shown (remembered for live updates)."""
        others = [] if not self.show_others else \
            [a for a in self.db.annotations.for_document(document_id, start_before=start_before)
             if a.annotator != self.annotator]
        self._others = {a.id: a for a in others}
        return others

    def set_show_others(self, on: bool) -> None:
        self.nudges.flush()
        self.show_others = on
        if self.document is not None and self.finish_loading():
            self._run("Show other annotators", lambda: self.view.set_others(self._read_others(self.document.id)))

    # -- tagging ---------------------------------------------------------------------------------
    def _selection_released(self, start: int, end: int) -> None:
        self.nudges.flush()
        if self.document is None or not self.finish_loading():
            return
        self._pending_span, self._pending_edit = (start, end), None
        self.tag_editor.fit_width(self.view.viewport().width())
        self.tag_editor.open_for(self.document.text[start:end], self._editor_anchor(self.view.selection_rect()))

    def _editor_anchor(self, rect: QRect) -> QPoint:
        """Below the passage, shifted left if that keeps the editor over the article instead of the panels."""
        viewport = self.view.viewport()
        room = viewport.width() - self.tag_editor.sizeHint().width()
        x = max(0, min(rect.left(), room))
        return viewport.mapToGlobal(QPoint(x, rect.bottom()))

    def edit_selected_in_tag_editor(self) -> None:
        """F2: the same compact editor, prefilled, for the selected annotation (keyboard only)."""
        self.nudges.flush()
        record = self.panel.selected_record()
        if record is None or not self.finish_loading():
            return
        self._pending_span, self._pending_edit = None, record
        point = self.view.point_for_offset(record.start)
        line = self.view.fontMetrics().height()
        self.tag_editor.fit_width(self.view.viewport().width())
        anchor = self._editor_anchor(QRect(point.x(), point.y() - line // 2, 1, line))
        self.tag_editor.open_for(record.quote, anchor, initial=record)

    def _tag_accepted(self, values: dict[str, Any]) -> None:
        span, editing = self._pending_span, self._pending_edit
        self._pending_span = self._pending_edit = None
        fields = {k: values.get(k) for k in ("stance", "claim_type", "actor", "target")}
        fields["note"] = values.get("note") or ""
        if values.get("actor_kind") and values.get("actor"):  # a new actor the analyst confirmed, with its kind
            try:
                self.db.actors.create(values["actor"], values["actor_kind"], by=self.annotator)
            except StancemarkError:
                pass  # a colleague made it meanwhile (the add uses theirs) or it is refused (the add says why)
        if editing is not None:
            changes = {k: v for k, v in fields.items() if getattr(editing, k) != v}
            if changes:
                self.edit(editing.id, changes)
        elif span is not None and self.document is not None:
            self.add(AnnotationDraft(self.document.id, span[0], span[1], **fields))
        self.view.setFocus()

    def _tag_cancelled(self) -> None:
        if self._pending_span is not None:
            self.view.clear_span_selection()
        self._pending_span = self._pending_edit = None
        self.view.setFocus()

    def _claim_shortcut(self, claim_type: str, start: int, end: int) -> None:
        if self.document is None:
            return
        record = self.add(AnnotationDraft(self.document.id, start, end, claim_type=claim_type))
        if record is not None:
            # The scheme the window already holds: no database read on the quick path.
            claim_types = self.view.scheme.claim_types if self.view.scheme is not None else ()
            label = next((v.label for v in claim_types if v.value == claim_type), claim_type)
            self.sig_hint.emit(f"Saved as {label}, without stance or actor: press F2 to add them.")

    def _annotation_clicked(self, annotation_id: str) -> None:
        self.panel.select(annotation_id, notify=False)

    # -- actions (each one committed, then pushed) --------------------------------------------
    def add(self, draft: AnnotationDraft) -> AnnotationRecord | None:
        command = self._perform("Add annotation", lambda: AddAnnotation.perform(self.db, self.annotator, self, draft))
        if command is None:
            return None
        self.view.clear_span_selection()
        self.panel.select(command.record.id, notify=False)
        self.view.select_annotation(command.record.id)
        return command.record

    def edit(self, annotation_id: str, changes: dict[str, Any], merge_id: int = -1) -> None:
        if not self.nudges.flush() or not self.finish_loading():
            return
        before = self.panel.model.record(annotation_id)
        if before is None:
            return
        self._perform("Edit annotation", lambda: EditAnnotation.perform(
            self.db, self.annotator, self, before, merge_id=merge_id, **changes))

    def delete(self, annotation_id: str | None = None) -> None:
        if not self.nudges.flush() or not self.finish_loading():
            return
        record = self.panel.model.record(annotation_id) if annotation_id else self.panel.selected_record()
        if record is not None and not self.delete_guard(record):
            self._perform("Delete annotation", lambda: DeleteAnnotation.perform(self.db, self.annotator, self, record))

    def nudge(self, annotation_id: str, which: str, delta: int, by_word: bool = True) -> None:
        """Moves one boundary by a word (or, by_word=False, by one character) left (-1) or right (+1): on
        screen at once, stored as one revision once the presses pause (gui.nudges)."""
        if not self.finish_loading():
            return
        record = self.panel.model.record(annotation_id)
        if record is None or self.document is None:
            return
        start, end = record.start, record.end
        if by_word:
            moved = step_boundary(self.document.text, start if which == "start" else end, delta, which)
            start, end = (moved, end) if which == "start" else (start, moved)
        else:
            start, end = (start + delta, end) if which == "start" else (start, end + delta)
        if not 0 <= start < end <= len(self.document.text):
            return
        self.nudges.move(record, start, end, self.document.text)

    def nudge_selected(self, which: str, delta: int, by_word: bool = True) -> None:
        selected = self.panel.selected_id()
        if selected is not None:
            self.nudge(selected, which, delta, by_word)

    def toggle_done(self) -> None:
        if self.document is None:
            return
        document = self.document
        current = self.documents.model.summary(document.id)
        status = "in_progress" if current is not None and current.status == "done" else "done"
        self._perform("Mark document", lambda: SetStatus.perform(self.db, self.annotator, self, document.id,
                                                                 status, document.title))

    def _perform(self, action: str, attempt: Any) -> Any:
        """Commits first; only a committed action is pushed on the undo stack. Every annotation of the open
        document is on screen before (the panel's rows and counts must be the whole truth), and a pending
        burst of nudges is stored before (gui.nudges)."""
        if not self.nudges.flush() or not self.finish_loading():
            return None
        try:
            command: QUndoCommand = attempt()
        except Exception as exc:  # noqa: BLE001 - every refusal reaches the analyst
            self.report_failure(action, describe_failure(exc), during_redo=False)
            return None
        self.stack.push(command)
        return command

    def _run(self, action: str, step: Any) -> None:
        try:
            step()
        except Exception as exc:  # noqa: BLE001
            self.failed.emit(action, describe_failure(exc))

    # -- Screen: what commands call once storage committed ------------------------------------
    def _refresh_actor_names(self) -> None:
        """The panel's actor completion: every canonical name and alias in the registry."""
        try:
            actors = self.db.actors.list()
        except Exception as exc:  # noqa: BLE001 - completion is a help; its failure is reported, not fatal
            self.failed.emit("Read the actor registry", describe_failure(exc))
            return
        self._actor_names = {name for actor in actors for name in (actor.name, *actor.aliases)}
        self.panel.set_actor_names(sorted(self._actor_names))

    def show_annotation(self, record: AnnotationRecord) -> None:
        self.finish_loading()  # undo/redo reach here straight from the stack
        if record.actor and record.actor not in self._actor_names:
            self._refresh_actor_names()  # the service created a new actor for it
        if self._bring_up(record.document_id):
            self.annotation_shown.emit(record)  # before the panel takes it: listeners compare with what was shown
            self.view.update_annotation(record)
            self.panel.upsert(record)
        self._committed(record.document_id)

    def show_provisional(self, record: AnnotationRecord) -> None:
        """A burst of nudges on screen before it is stored: no "Saved", no counts (gui.nudges)."""
        self.view.update_annotation(record)
        self.panel.upsert(record)

    def select_annotation(self, annotation_id: str) -> None:
        """Selects one of the open document's annotations in the panel and the article."""
        self.panel.select(annotation_id, notify=False)
        self.view.select_annotation(annotation_id)

    def forget_annotation(self, record: AnnotationRecord) -> None:
        self.finish_loading()
        if self._bring_up(record.document_id):
            self.view.remove_annotation(record.id)
            self.panel.remove(record.id)
        self._committed(record.document_id)

    def show_status(self, record: StatusRecord) -> None:
        summary = self.documents.model.summary(record.document_id)
        if summary is not None:
            self.documents.update_document(replace(summary, status=record.status))
        self.saved.emit(datetime.now())
        self._emit_progress()

    def report_failure(self, action: str, message: str, *, during_redo: bool) -> None:
        self.failed.emit(action, message)
        if during_redo:
            # The failed command is gone; later ones assumed it had happened, so they must go too.
            QTimer.singleShot(0, self._drop_redo_tail)
        QTimer.singleShot(0, self.refresh_current)

    def _drop_redo_tail(self) -> None:
        """Pushing an obsolete command truncates the redo part of a QUndoStack and adds nothing."""
        if self.stack.canRedo():
            marker = QUndoCommand("")
            marker.setObsolete(True)
            self.stack.push(marker)

    def _bring_up(self, document_id: str) -> bool:
        """Undo on another document opens it, so the analyst sees what changed."""
        if self.document is None or self.document.id != document_id:
            self.documents.select(document_id)
            self.finish_loading()
        return self.document is not None and self.document.id == document_id

    def _committed(self, document_id: str, saved: bool = True) -> None:
        summary = self.documents.model.summary(document_id)
        if summary is not None and self.document is not None and document_id == self.document.id \
                and summary.annotation_count != self.panel.model.claim_count:
            self.documents.update_document(replace(summary, annotation_count=self.panel.model.claim_count))
        if saved:
            self.saved.emit(datetime.now())
        self.annotations_changed.emit()

    def _emit_progress(self) -> None:
        try:
            self.progress_changed.emit(*self.db.documents.progress(self.annotator))
        except Exception as exc:  # noqa: BLE001
            self.failed.emit("Read progress", describe_failure(exc))

    # -- Shift+click moves the nearer boundary of the selected annotation ---------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease, QEvent.Type.MouseMove) \
                and isinstance(event, QMouseEvent):
            left_press = kind == QEvent.Type.MouseButtonPress and event.button() == Qt.MouseButton.LeftButton
            shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            if left_press and shift and self.panel.selected_id():
                self._shift_click = True
                self._move_boundary_to(self.view.offset_at(event.position().toPoint()))
                return True
            if left_press and not shift and self.panel.selected_id() \
                    and self.view.annotation_id_at(event.position().toPoint()) is None:
                self.panel.select(None)  # a click on plain text lets go of the selected annotation
            if self._shift_click:
                if kind == QEvent.Type.MouseButtonRelease:
                    self._shift_click = False
                return True
        return super().eventFilter(watched, event)

    def _move_boundary_to(self, offset: int) -> None:
        record = self.panel.selected_record()
        if record is None:
            return
        if offset <= record.start or (offset < record.end and offset - record.start < record.end - offset):
            start, end = offset, record.end
        else:
            start, end = record.start, offset
        if start < end and (start, end) != (record.start, record.end):
            self.edit(record.id, {"start": start, "end": end})
