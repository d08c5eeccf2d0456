"""Review decisions on an undo stack: each is committed by storage before its command is pushed (a refused
decision never reaches the stack); undo and redo call `db.review.revert`, which hands back the reverse change."""
from __future__ import annotations

from typing import Callable

from PySide6.QtGui import QUndoCommand

from storage import Database, GoldChange


class GoldCommand(QUndoCommand):
    def __init__(self, text: str, db: Database, reviewer: str, change: GoldChange,
                 refresh: Callable[[], None], report: Callable[[str], None]) -> None:
        super().__init__(text)
        self._db, self._reviewer = db, reviewer
        self._change, self._reverse = change, GoldChange()
        self._refresh, self._report = refresh, report
        self._committed_already = True

    @property
    def change(self) -> GoldChange:
        return self._change

    def redo(self) -> None:
        if self._committed_already:
            self._committed_already = False
            return
        self._attempt(lambda: setattr(self, "_change", self._db.review.revert(self._reverse, self._reviewer)),
                      "Redo")

    def undo(self) -> None:
        self._attempt(lambda: setattr(self, "_reverse", self._db.review.revert(self._change, self._reviewer)),
                      "Undo")

    def _attempt(self, step: Callable[[], None], verb: str) -> None:
        try:
            step()
        except Exception as exc:  # noqa: BLE001 - a refusal must reach the reviewer, never crash Qt
            self.setObsolete(True)
            self._report(f"{verb} {self.text().lower()} failed: {exc}")
        self._refresh()
