"""Review decisions on the app's undo stack: each is committed by storage before its command is pushed (a refused
decision never reaches the stack); undo and redo call `db.review.revert`, which hands back the reverse change,
published on the change bus like every other command's (gui.undo_commands.StorageCommand)."""
from __future__ import annotations

from storage import Database, GoldChange

from gui.change_bus import ChangeBus, OpChanges
from gui.undo_commands import FailureReporter, StorageCommand


class GoldCommand(StorageCommand):
    def __init__(self, text: str, db: Database, reviewer: str, reporter: FailureReporter, bus: ChangeBus,
                 change: GoldChange) -> None:
        super().__init__(text, db, reviewer, reporter, bus)
        self._change, self._reverse = change, GoldChange()

    @property
    def change(self) -> GoldChange:
        return self._change

    def apply(self) -> OpChanges:
        self._change = self._db.review.revert(self._reverse, self._annotator)
        return OpChanges(gold=self._change)

    def revert(self) -> OpChanges:
        self._reverse = self._db.review.revert(self._change, self._annotator)
        return OpChanges(gold=self._reverse)
