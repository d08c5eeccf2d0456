"""Corpus agreement computed off the UI thread: reading and matching every document's spans takes seconds on
a few hundred documents, and review mode must open at once.

Each computation is a `gui.workers.Job` in a QThreadPool with its own database connection. Only the newest
computation may report: a result from one started earlier (before the annotations changed again) is dropped.
The figures depend on annotations and document statuses, never on gold, so decisions do not recompute them;
`recompute_if_changed()` does when someone's annotations changed since the figures were read."""
from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QObject, QThreadPool, Signal

from storage import Database

from gui.workers import Job

# Every job stays referenced for the program's life (one per computation, small): a pool thread may still be
# leaving run() when its signal arrives, and the job must not be freed under it, not even when the review
# window that started it is gone by then (as in gui.jobs.JobRunner).
_KEPT_JOBS: list[Job] = []


def _read_corpus_agreement(generation: int) -> Callable[[Database, Callable[..., None]], Any]:
    def work(db: Database, _progress: Callable[..., None]) -> tuple[int, int, Any]:
        # The event id first: a change made while the figures are computed is then seen as newer by the next check.
        latest_event = db.annotations.latest_event_id()
        return generation, latest_event, db.review.agreement()

    return work


class CorpusAgreement(QObject):
    """Starts corpus agreement computations and reports the newest one's result (or failure) by signal."""

    started = Signal()
    ready = Signal(object)  # AgreementReport
    failed = Signal(str)

    def __init__(self, db: Database, location: str, pool: QThreadPool | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._db, self._location, self._pool = db, location, pool
        self._generation = 0
        self._newest: Job | None = None
        self.report: Any = None  # the newest AgreementReport that arrived, or None
        self.read_at_event: int | None = None

    @property
    def pending(self) -> bool:
        return self._newest is not None

    def compute(self) -> None:
        """Starts a fresh computation; whatever an earlier one still brings back is ignored."""
        self._generation += 1
        job = Job(self._location, "Corpus agreement", _read_corpus_agreement(self._generation))
        # Bound methods of this QObject: Qt disconnects them by itself once the review window is gone.
        job.signals.finished.connect(self._finished)
        job.signals.failed.connect(self._failed)
        self._newest = job
        _KEPT_JOBS.append(job)
        self.started.emit()
        job.start(self._pool)

    def recompute_if_changed(self) -> bool:
        """Recomputes when annotations changed since the shown figures were read (one cheap query)."""
        if self.pending or self.read_at_event is None:
            return False
        _, changed_documents = self._db.annotations.changed_since(self.read_at_event)
        if not changed_documents:
            return False
        self.compute()
        return True

    def _finished(self, result: tuple[int, int, Any]) -> None:
        generation, latest_event, report = result
        if generation != self._generation:
            return  # stale: a newer computation is on its way
        self._newest = None
        self.report, self.read_at_event = report, latest_event
        self.ready.emit(report)

    def _failed(self, message: str) -> None:
        newest = self._newest
        if newest is None or self.sender() is not newest.signals:
            return  # an earlier computation's failure no longer matters
        self._newest = None
        self.failed.emit(message)
