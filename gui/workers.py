"""Background jobs (import, export, reads) that keep the window responsive.

Each job runs in a QThreadPool, opens its own `open_database(location)` (connections are not shared across
threads), reports progress and can be cancelled: the progress callback raises `Cancelled`, which aborts the
job's transaction, so a cancelled import leaves the database as it was. A job cancelled before a pool thread
took it never opens the database.

Lifetimes, the reason for the shape: the pool thread holds only plain Python values (the work, the location,
a cancel flag) and reports through one relay QObject that lives as long as the application, so it never emits
into a QObject a closed window took with it. The relay, in the GUI thread, keeps every started `Job` (and its
`signals`) until the job's last report arrived, then hands the report on, unless the job's `owner` (the
object that wanted it) is gone by then. `LatestRead` builds on this for reads whose older answers are stale.
"""
from __future__ import annotations

import functools
import gc
import itertools
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from PySide6.QtCore import QCoreApplication, QObject, QThreadPool, Signal
from shiboken6 import isValid

import storage
from storage import collector_paused

from gui.undo_commands import describe_failure

if TYPE_CHECKING:
    from storage import Database

Work = Callable[["Database", Callable[..., None]], Any]
Read = Callable[["Database"], Any]


class Cancelled(Exception):
    """Raised inside the job's progress callback once the analyst pressed Cancel."""


class JobSignals(QObject):
    """One job's reports, emitted in the GUI thread by the relay (never by the pool thread)."""

    sig_progress = Signal(int, int, str)
    """Done, total, and what is being worked on."""
    sig_finished = Signal(object)
    """The job's result."""
    sig_failed = Signal(str)
    """A message for the analyst."""
    sig_cancelled = Signal()
    """The job stopped at the analyst's Cancel; nothing it did was kept."""


class _Relay(QObject):
    """The one receiver of every pool thread's reports; a child of the application, so it outlives windows."""

    sig_progress = Signal(int, int, int, str)
    """Job number, done, total, what."""
    sig_outcome = Signal(int, str, object)
    """Job number, "finished" / "failed" / "cancelled", the value."""

    def __init__(self, parent: QObject | None) -> None:
        super().__init__(parent)
        self.live: dict[int, Job] = {}
        self.sig_progress.connect(self._progress)
        self.sig_outcome.connect(self._outcome)

    def _wanted(self, number: int) -> Job | None:
        job = self.live.get(number)
        if job is None or (job.owner is not None and not isValid(job.owner)) or not isValid(job.signals):
            return None
        return job

    def _progress(self, number: int, done: int, total: int, what: str) -> None:
        job = self._wanted(number)
        if job is not None:
            job.signals.sig_progress.emit(done, total, what)

    def _outcome(self, number: int, kind: str, value: Any) -> None:
        job = self._wanted(number)
        self.live.pop(number, None)  # the pool thread is done with it: nothing of it is referenced there
        if job is None:
            return  # whoever wanted the result is gone
        if kind == "finished":
            job.signals.sig_finished.emit(value)
        elif kind == "failed":
            job.signals.sig_failed.emit(value)
        else:
            job.signals.sig_cancelled.emit()


_relay: _Relay | None = None


def relay() -> _Relay:
    """The application's relay, made on first use (in the GUI thread, where jobs are started)."""
    global _relay
    if _relay is None or not isValid(_relay):
        _relay = _Relay(QCoreApplication.instance())
    return _relay


def running_jobs() -> int:
    """Jobs started whose last report has not arrived yet."""
    return len(_relay.live) if _relay is not None and isValid(_relay) else 0


_numbers = itertools.count(1)
_reads_pool: QThreadPool | None = None
# While a read runs pure Python in a pool thread, the UI thread waits up to this long for the GIL after each
# Qt call that let go of it and before each call from Qt into Python (a proxy model's filter, a highlighter's
# block): Python's default, 5 ms, made the review unit list's 5,000-row reset take 265 ms under the corpus
# figures; at 0.2 ms it takes 70. Background threads are only switched out while the UI thread waits.
UI_GIL_WAIT_S = 0.0002


def reads_pool() -> QThreadPool:
    """Two threads for the views' reads (a document, its gold): they never queue behind an import, an export
    or the corpus figures in the global pool."""
    global _reads_pool
    if _reads_pool is None:
        sys.setswitchinterval(min(sys.getswitchinterval(), UI_GIL_WAIT_S))
        # The window's modules are loaded by now and live as long as it: no full collection walks them again
        # (they made up most of each one, 80 ms of CPU; see storage.collector for the rest).
        gc.freeze()
        _reads_pool = QThreadPool()
        _reads_pool.setMaxThreadCount(2)
    return _reads_pool


class Job:
    """A unit of background work; `signals` report in the GUI thread. `owner`: reports are dropped once it
    is deleted (the window or widget that started the job)."""

    def __init__(self, location: str, title: str, work: Work, owner: QObject | None = None) -> None:
        self.location, self.title, self.owner = location, title, owner
        self.number = next(_numbers)
        self.signals = JobSignals()
        self._work = work
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    def start(self, pool: QThreadPool | None = None) -> None:
        target = relay()
        target.live[self.number] = self
        (pool or QThreadPool.globalInstance()).start(
            functools.partial(_run, target, self.number, self.location, self._work, self._cancel))


def _run(target: _Relay, number: int, location: str, work: Work, cancel: threading.Event) -> None:
    """In the pool thread: reports exactly one outcome, after its own connection is closed."""
    def report(done: int = 0, total: int = 0, what: Any = "", *_: Any) -> None:
        if cancel.is_set():
            raise Cancelled()
        _emit(target.sig_progress, number, int(done), int(total), str(what or ""))

    db: Database | None = None
    outcome: tuple[str, Any]
    try:
        if cancel.is_set():
            raise Cancelled()
        db = storage.open_database(location)
        # Once the work returns, its transaction has committed: a late Cancel cannot undo it.
        outcome = ("finished", work(db, report))
    except Cancelled:
        outcome = ("cancelled", None)
    except Exception as exc:  # noqa: BLE001 - the window must hear of every failure
        outcome = ("failed", describe_failure(exc))
    finally:
        if db is not None:
            db.close()
    _emit(target.sig_outcome, number, *outcome)


def _emit(signal: Any, *args: Any) -> None:
    try:
        signal.emit(*args)
    except RuntimeError:  # the application (and its relay) is being torn down: nobody is listening
        pass


def _paused(read: Read, db: Database) -> Any:
    with collector_paused():  # a read's allocations set off no full collection
        return read(db)


class LatestRead(QObject):
    """Background reads for one view, of which only the newest matters: each `start` begins a new generation,
    and what an older read still brings back is dropped, as is everything once this object is deleted."""

    sig_ready = Signal(object)
    """The newest read's result."""
    sig_failed = Signal(str)
    """Why the newest read failed."""

    def __init__(self, location: str, title: str, pool: QThreadPool | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.location, self.title, self._pool = location, title, pool
        self.generation = 0
        self._newest: int | None = None  # the generation still on its way, if any

    @property
    def pending(self) -> bool:
        """A read is on its way whose result will be shown."""
        return self._newest is not None

    def start(self, read: Read) -> int:
        """Runs `read(db)` in the pool with a connection of its own; returns its generation."""
        self.generation += 1
        generation = self._newest = self.generation
        job = Job(self.location, self.title, lambda db, _progress: _paused(read, db), owner=self)
        job.signals.sig_finished.connect(functools.partial(self._arrived, generation))
        job.signals.sig_failed.connect(functools.partial(self._failed, generation))
        job.start(self._pool)
        return generation

    def drop_pending(self) -> None:
        """Whatever is on its way is stale: the view was changed (or emptied) on the UI thread meanwhile."""
        self.generation += 1
        self._newest = None

    def _arrived(self, generation: int, result: Any) -> None:
        if generation == self._newest:
            self._newest = None
            self.sig_ready.emit(result)

    def _failed(self, generation: int, message: str) -> None:
        if generation == self._newest:
            self._newest = None
            self.sig_failed.emit(message)


def import_job(location: str, paths: list[Path], owner: QObject | None = None, **options: Any) -> Job:
    """`options` go to import_paths as they are (label_map, as_annotator, annotator)."""
    def work(db: Database, progress: Callable[..., None]) -> Any:
        return storage.import_paths(db, list(paths), progress=progress, **options)

    return Job(location, "Importing", work, owner)


def export_job(location: str, fmt: str, out: Path, owner: QObject | None = None, **options: Any) -> Job:
    def work(db: Database, progress: Callable[..., None]) -> Any:
        return storage.export_jsonl(db, fmt, out, progress=progress, **options)

    return Job(location, "Exporting", work, owner)
