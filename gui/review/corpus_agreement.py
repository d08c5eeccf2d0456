"""Corpus agreement computed off the UI thread: reading and matching every document's spans takes seconds on
a few hundred documents, and review mode must open at once.

Each computation is a `gui.workers.LatestRead` job in a QThreadPool with its own database connection. Only the newest
computation may report: a result from one started earlier (before the annotations changed again) is dropped.
The figures depend on annotations and document statuses, never on gold, so decisions do not recompute them;
`recompute_if_changed()` does when someone's annotations changed since the figures were read."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, QThreadPool, Signal

from storage import Database

from gui.change_bus import describe_failure
from gui.workers import LatestRead


def _read_corpus_agreement(db: Database) -> tuple[int, Any]:
    # The event id first: a change made while the figures are computed is then seen as newer by the next check.
    latest_event = db.annotations.latest_event_id()
    return latest_event, db.review.agreement()


class CorpusAgreement(QObject):
    """Starts corpus agreement computations and reports the newest one's result (or failure) by signal."""

    sig_started = Signal()
    """A computation began; the panel says the figures are being computed."""
    sig_ready = Signal(object)
    """The newest computation's AgreementReport."""
    sig_failed = Signal(str)
    """Why the newest computation failed."""

    def __init__(self, db: Database, location: str, pool: QThreadPool | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._reads = LatestRead(location, "Corpus agreement", pool, self)
        self._reads.sig_ready.connect(self._finished)
        self._reads.sig_failed.connect(self.sig_failed.emit)
        self.report: Any = None  # the newest AgreementReport that arrived, or None
        self.read_at_event: int | None = None

    @property
    def pending(self) -> bool:
        return self._reads.pending

    def compute(self) -> None:
        """Starts a fresh computation; whatever an earlier one still brings back is ignored."""
        self._reads.start(_read_corpus_agreement)
        self.sig_started.emit()

    def recompute_if_changed(self) -> bool:
        """Recomputes when annotations changed since the shown figures were read (one cheap query)."""
        if self.pending or self.read_at_event is None:
            return False
        try:
            _, changed_documents = self._db.annotations.changed_since(self.read_at_event)
        except Exception as exc:  # noqa: BLE001 - a database gone or locked is reported, never raised into Qt
            self.sig_failed.emit(describe_failure(exc))
            return False
        if not changed_documents:
            return False
        self.compute()
        return True

    def _finished(self, result: tuple[int, Any]) -> None:
        latest_event, report = result
        self.report, self.read_at_event = report, latest_event
        self.sig_ready.emit(report)
