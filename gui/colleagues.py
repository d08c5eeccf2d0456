"""Colleagues' changes reach the open window: a poll of the event log feeds the open-document model and the
document list, touching only what differs. Documents a colleague or another program added appear in the list
with their counts (the event log names them; a count of documents catches any written without an event), the
selection staying where it is."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from gui.change_bus import describe_failure

if TYPE_CHECKING:
    from gui.controller import AnnotationController

POLL_INTERVAL_MS = 2_000


class ColleaguePoller(QObject):
    """Every POLL_INTERVAL_MS (and when the window is activated), what other processes committed."""

    sig_background_problem = Signal(str)
    """What goes wrong in the background ("" once it works again)."""

    def __init__(self, controller: AnnotationController) -> None:
        super().__init__(controller)
        self._controller = controller
        self._model = controller.model
        self._db, self._annotator, self._documents = controller.db, controller.annotator, controller.documents
        self._problem = ""
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_INTERVAL_MS)
        self.timer.timeout.connect(self.poll)

    def poll(self) -> None:
        """Shows changes other processes committed (a colleague, or this analyst in another window).

        Reads only the annotations the new events touched, so a long document is not re-read each time.
        A failure is retried at the next tick and shown in the status bar, not in a box every 2 seconds."""
        c, db, model = self._controller, self._db, self._model
        try:
            c.load_rest()  # a window still loading reads its document whole first
            since = model.last_event_id
            latest, changed = db.annotations.changed_since(since)
            current = model.document_id
            touched = db.documents.touched_since(since, latest) if latest != since else {}
            rows = (changed - {current}) | touched.keys()
            if rows:
                self._documents.update_documents(db.documents.list(annotator=self._annotator, ids=rows))
            if latest != since and current is not None and current in changed:
                records = db.annotations.changed_in_document(current, since, latest)
                if not c.show_others:
                    records = [r for r in records if r.annotator == self._annotator]
                model.apply_colleagues(records, self._annotator, keep=c.nudges.pending_id)
            if current is not None and "import" in touched.get(current, ()):
                c.refresh_current()  # an import added spans to the open document: no annotation event names them
            listed = self._list_unlisted_documents()
            if touched or listed:
                c.emit_progress()
            model.last_event_id = latest  # only once everything up to it is on screen
        except Exception as exc:  # noqa: BLE001 - reported quietly and retried
            self._set_problem(f"Cannot check for colleagues' changes: {describe_failure(exc)}")
        else:
            self._set_problem("")

    def _set_problem(self, message: str) -> None:
        if message != self._problem:
            self._problem = message
            self.sig_background_problem.emit(message)

    def _list_unlisted_documents(self) -> bool:
        """Adds documents the list lacks though no event named them (written by a program that bypassed the
        log); one count per poll, and the whole list read only when the count differs. True if any were added."""
        if self._db.documents.count() <= self._documents.listed_count():
            return False
        missing = [s for s in self._db.documents.list(annotator=self._annotator)
                   if not self._documents.is_listed(s.id)]
        self._documents.update_documents(missing)
        return bool(missing)
