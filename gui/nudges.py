"""Boundary nudges in bursts: every press moves the span on screen at once, the database gets one revision (and
one event) per burst, written when the analyst pauses.

Why a burst is written late, and how that stays safe:
- Nine presses of Alt+Shift+Right were nine revisions and nine events, the log full of half-way boundaries that
  nobody meant. Now a burst is written once the analyst pauses (`IDLE_MS`), before any other action (add, edit,
  delete, status, open, refresh, tag editor), when the keyboard focus moves elsewhere, and when the window
  closes: whatever happens next starts from a stored state.
- The burst's command goes on the undo stack at its first press, so Undo is there (and named) at once. It is
  the only command ever pushed before its write, and it stays on top until it is written, since every other
  action writes the burst first. Undo while it is pending puts the old boundaries back on screen and writes
  nothing; Redo then writes the new ones.
- The write names the revision the burst started from: if the annotation changed elsewhere meanwhile (another
  window of the same analyst), it is refused, the analyst is told, the screen shows what is stored and the
  command leaves the stack (made obsolete, then dropped by QUndoStack::undo without running).
- A colleague's change read by the poll while a burst is pending is shown; the pending annotation itself keeps
  its new boundaries on screen until its write (which the revision guards).
"""
from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Callable, Protocol

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from storage import AnnotationRecord

from gui.change_bus import ChangeBus, OpChanges, describe_failure
from gui.undo_commands import EditAnnotation, present

if TYPE_CHECKING:
    from storage import Database

IDLE_MS = 600  # a pause this long ends a burst


class Display(Protocol):
    """Where a burst shows its boundaries before they are stored."""

    def show_provisional(self, record: AnnotationRecord) -> None: ...


class BoundaryBurst(EditAnnotation):
    """Consecutive nudges of one annotation: one undo step, one stored revision."""

    def __init__(self, db: Database, annotator: str, bus: ChangeBus, before: AnnotationRecord,
                 after: AnnotationRecord, display: Display, settled: Callable[["BoundaryBurst"], None]) -> None:
        super().__init__(db, annotator, bus, before, after, ("end", "start"), "Adjust annotation boundaries")
        self._changes = bus
        self.pending = True
        self._display, self._settled = display, settled

    def write(self) -> None:
        """Stores the burst as one revision, guarded by the revision it started from (raises if refused)."""
        self.after = self._db.annotations.edit(self.before.id, self._annotator,
                                               expected_revision=self.before.revision,
                                               start=self.after.start, end=self.after.end)
        self.pending = False
        self._changes.publish(present(self.after))

    def revert(self) -> OpChanges | None:
        if self.pending:  # nothing stored yet: the old boundaries back on screen, nothing written
            self.pending = False
            self._settled(self)
            self._display.show_provisional(self.before)
            return None
        return super().revert()


class NudgeBursts(QObject):
    """Collects nudges of one annotation until a pause, then writes them (see the module docstring)."""

    def __init__(self, db: Database, annotator: str, bus: ChangeBus, display: Display,
                 watched: QWidget, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._db, self._annotator, self._bus, self._display, self._stack = db, annotator, bus, display, bus.stack
        self._watched = watched
        self._burst: BoundaryBurst | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(IDLE_MS)
        self.timer.timeout.connect(self.flush)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)

    @property
    def pending_id(self) -> str | None:
        """The annotation whose new boundaries are on screen but not yet stored."""
        return self._burst.before.id if self._burst is not None else None

    def move(self, shown: AnnotationRecord, start: int, end: int, text: str) -> None:
        """Shows `shown` (as on screen now) with new boundaries; the write waits for the pause."""
        if self._burst is not None and self._burst.before.id != shown.id:
            self.flush()  # another annotation: the first burst is stored first
        after = replace(shown, start=start, end=end, quote=text[start:end])
        if self._burst is None:
            self._burst = BoundaryBurst(self._db, self._annotator, self._bus, shown, after, self._display,
                                        self._forget)
            self._stack.push(self._burst)  # its first redo does nothing: the write comes at the pause
        else:
            self._burst.after = after
        self._display.show_provisional(after)
        self.timer.start()

    def flush(self) -> bool:
        """Writes the pending burst, if any; False if storage refused it (the analyst is told)."""
        burst, self._burst = self._burst, None
        self.timer.stop()
        if burst is None or not burst.pending:
            return True
        try:
            burst.write()
        except Exception as exc:  # noqa: BLE001 - every refusal reaches the analyst
            burst.pending = False
            burst.setObsolete(True)
            if self._stack.index() > 0 and self._stack.command(self._stack.index() - 1) is burst:
                self._stack.undo()  # an obsolete command is dropped without its undo running
            self._bus.report_failure("Adjust annotation boundaries", describe_failure(exc), during_redo=False)
            return False
        return True

    def _forget(self, burst: BoundaryBurst) -> None:
        if self._burst is burst:
            self._burst = None
            self.timer.stop()

    def _focus_changed(self, _old: QWidget | None, now: QWidget | None) -> None:
        """The keyboard went elsewhere (another field, another window): the analyst is done nudging."""
        if self._burst is not None and now is not self._watched:
            self.flush()
