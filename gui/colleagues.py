"""Colleagues' changes reach the open window: a poll of the event log, and a refresh that touches only what
differs. Documents a colleague or another program added appear in the list with their counts (the event log
names them; a count of documents catches any written without an event), the selection staying where it is. Mixed into gui.controller.AnnotationController, whose state (document, panel, view, others) it uses;
kept apart so that each file reads in one sitting."""
from __future__ import annotations

from storage import AnnotationRecord

from gui.commands import describe_failure


class ColleagueChanges:
    """The controller's live-refresh half (see the module docstring)."""

    def poll(self) -> None:
        """Shows changes other processes committed (a colleague, or this analyst in another window).

        Reads only the annotations the new events touched, so a long document is not re-read each time.
        A failure is retried at the next tick and shown in the status bar, not in a box every 2 seconds."""
        try:
            self._load_rest()  # a window still loading reads its document whole first
            since = self._last_event_id
            latest, changed = self.db.annotations.changed_since(since)
            current = self.document.id if self.document is not None else None
            touched = self.db.documents.touched_since(since, latest) if latest != since else {}
            rows = (changed - {current}) | touched.keys()
            if rows:
                self._refresh_counts(rows)
            if latest != since and current in changed:
                self._apply_changes(self.db.annotations.changed_in_document(current, since, latest))
            if "import" in touched.get(current, ()):
                self.refresh_current()  # an import added spans to the open document: no annotation event names them
            listed = self._list_unlisted_documents()
            if touched or listed:
                self._emit_progress()
            self._last_event_id = latest  # only once everything up to it is on screen
        except Exception as exc:  # noqa: BLE001 - reported quietly and retried
            self._set_background_problem(f"Cannot check for colleagues' changes: {describe_failure(exc)}")
        else:
            self._set_background_problem("")

    def _set_background_problem(self, message: str) -> None:
        if message != self._background_problem:
            self._background_problem = message
            self.background_problem.emit(message)

    def _apply_changes(self, records: list[AnnotationRecord]) -> None:
        """Brings changed annotations on screen; what this window committed itself is already shown as is."""
        others_changed = False
        for record in records:
            if record.annotator == self.annotator:
                if record.id == self.nudges.pending_id:
                    continue  # its new boundaries stay on screen; their write is guarded by the revision
                shown = self.panel.model.record(record.id)
                if record.deleted_at is not None and shown is not None:
                    self.view.remove_annotation(record.id)
                    self.panel.remove(record.id)
                elif record.deleted_at is None and shown != record:
                    self.view.update_annotation(record)
                    self.panel.upsert(record)
            elif self.show_others:
                others_changed = True
                if record.deleted_at is None:
                    self._others[record.id] = record
                else:
                    self._others.pop(record.id, None)
        if others_changed:
            self.view.set_others(list(self._others.values()))
        if self.document is not None:
            self._committed(self.document.id, saved=False)

    def refresh_current(self) -> None:
        """Brings the open document in line with the database, touching only what differs."""
        self.nudges.flush()
        if self.document is None or not self.finish_loading():
            return
        try:
            fresh = {a.id: a for a in self.db.annotations.for_document(self.document.id, annotator=self.annotator)}
            others = self._read_others(self.document.id)
        except Exception as exc:  # noqa: BLE001
            self.failed.emit("Refresh", describe_failure(exc))
            return
        shown = {a.id: a for a in self.panel.model.records()}
        for annotation_id in shown.keys() - fresh.keys():
            self.view.remove_annotation(annotation_id)
            self.panel.remove(annotation_id)
        for annotation_id, record in fresh.items():
            if shown.get(annotation_id) != record:
                self.view.update_annotation(record)
                self.panel.upsert(record)
        if self.show_others:
            self.view.set_others(others)
        self.annotations_changed.emit()

    def _refresh_counts(self, document_ids: set[str]) -> None:
        """Rows for these documents as the database has them now; one not listed yet is added at the end."""
        self.documents.update_documents(self.db.documents.list(annotator=self.annotator, ids=document_ids))

    def _list_unlisted_documents(self) -> bool:
        """Adds documents the list lacks though no event named them (written by a program that bypassed the
        log); one count per poll, and the whole list read only when the count differs. True if any were added."""
        if self.db.documents.count() <= self.documents.model.rowCount():
            return False
        listed = self.documents.model.row_of
        missing = [s for s in self.db.documents.list(annotator=self.annotator) if listed(s.id) is None]
        self.documents.update_documents(missing)
        return bool(missing)
