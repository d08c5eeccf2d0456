"""The application's one undo stack and the bus on which every committed change is announced.

Every action, its undo and its redo end in one `OpChanges` published here (Anki's OpChanges and
operation_did_execute are the model): each window applies what concerns it (the open document its annotations,
the document list a status, the gold dock and the review window gold), whichever window the action came from.
The main window and the review window share the stack, so Ctrl+Z in one undoes what was done in the other.
"""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from storage import AnnotationChange, GoldChange, StancemarkError, StatusRecord


@dataclass(frozen=True)
class OpChanges:
    """What one committed action changed; `focus` names the annotation the analyst should see afterwards, and
    `suggestions` the document whose pending suggestions an accept, a reject or their undo changed."""

    annotations: AnnotationChange | None = None
    status: StatusRecord | None = None
    gold: GoldChange | None = None
    focus: str | None = None
    suggestions: str | None = None


class ChangeBus(QObject):
    """Owns the app's QUndoStack; announces committed changes and refusals to every window."""

    sig_changed = Signal(object)
    """An action, an undo or a redo committed these OpChanges: every window applies what concerns it."""
    sig_failed = Signal(str, str)
    """An action, undo or redo was refused (what was attempted, why): nothing of it was stored."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.stack = QUndoStack(self)

    def publish(self, changes: OpChanges) -> OpChanges:
        self.sig_changed.emit(changes)
        return changes

    def push(self, command: QUndoCommand) -> None:
        """A command whose action is committed already (its first redo does nothing)."""
        self.stack.push(command)

    def report_failure(self, action: str, message: str, *, during_redo: bool) -> None:
        self.sig_failed.emit(action, message)
        if during_redo:
            # The failed command is gone; later ones assumed it had happened, so they must go too.
            self.drop_redo_tail_soon()

    def drop_redo_tail_soon(self) -> None:
        """After a failed redo, once the stack is done with it."""
        QTimer.singleShot(0, self._drop_redo_tail)

    def _drop_redo_tail(self) -> None:
        """Pushing an obsolete command truncates the redo part of a QUndoStack and adds nothing."""
        if self.stack.canRedo():
            marker = QUndoCommand("")
            marker.setObsolete(True)
            self.stack.push(marker)


def describe_failure(exc: BaseException) -> str:
    """Storage errors are written for the analyst; anything else is a bug, still shown rather than lost."""
    if isinstance(exc, StancemarkError):
        return str(exc)
    return f"Unexpected error ({type(exc).__name__}): {exc}. Nothing was changed."
