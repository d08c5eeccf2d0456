"""Background jobs (import, export) that keep the window responsive.

Each job runs in the global QThreadPool, opens its own `open_database(location)` (connections are not shared
across threads), reports progress by signal and can be cancelled: the progress callback raises `Cancelled`,
which aborts the job's transaction, so a cancelled import leaves the database as it was.
"""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

import storage
from storage import Database, open_database

from gui.undo_commands import describe_failure

Work = Callable[[Database, Callable[..., None]], Any]


class Cancelled(Exception):
    """Raised inside the job's progress callback once the analyst pressed Cancel."""


class JobSignals(QObject):
    """Lives in the GUI thread; the pool thread emits, Qt queues the calls over."""

    progress = Signal(int, int, str)  # done, total, what is being worked on
    finished = Signal(object)  # the job's result
    failed = Signal(str)  # a message for the analyst
    cancelled = Signal()


class Job(QRunnable):
    def __init__(self, location: str, title: str, work: Work) -> None:
        super().__init__()
        self.setAutoDelete(False)  # the window keeps the job until its last signal arrived
        self.location, self.title = location, title
        self.signals = JobSignals()
        self._work = work
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def _report(self, done: int = 0, total: int = 0, what: Any = "", *_: Any) -> None:
        if self._cancel.is_set():
            raise Cancelled()
        self.signals.progress.emit(int(done), int(total), str(what or ""))

    def run(self) -> None:
        """Emits exactly one of finished / failed / cancelled, after its own connection is closed."""
        db: Database | None = None
        outcome: tuple[str, Any]
        try:
            db = open_database(self.location)
            # Once the work returns, its transaction has committed: a late Cancel cannot undo it.
            outcome = ("finished", self._work(db, self._report))
        except Cancelled:
            outcome = ("cancelled", None)
        except Exception as exc:  # noqa: BLE001 - the window must hear of every failure
            outcome = ("failed", describe_failure(exc))
        finally:
            if db is not None:
                db.close()
        kind, value = outcome
        if kind == "finished":
            self.signals.finished.emit(value)
        elif kind == "failed":
            self.signals.failed.emit(value)
        else:
            self.signals.cancelled.emit()

    def start(self, pool: QThreadPool | None = None) -> None:
        (pool or QThreadPool.globalInstance()).start(self)


def import_job(location: str, paths: list[Path], **options: Any) -> Job:
    """`options` go to import_paths as they are (label_map, as_annotator, annotator)."""
    def work(db: Database, progress: Callable[..., None]) -> Any:
        return storage.import_paths(db, list(paths), progress=progress, **options)

    return Job(location, "Importing", work)


def export_job(location: str, fmt: str, out: Path, **options: Any) -> Job:
    def work(db: Database, progress: Callable[..., None]) -> Any:
        return storage.export_jsonl(db, fmt, out, progress=progress, **options)

    return Job(location, "Exporting", work)
