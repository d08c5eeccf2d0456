"""A panel that makes its widgets when it is first shown, or first asked for them: docks that start hidden
(Search, Actors) cost the window's start-up nothing."""
from __future__ import annotations

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget


class BuiltWhenShown(QWidget):
    """Subclasses put their widgets into `self.layout()` (a QVBoxLayout) in `_build`, which runs once, and call
    `_ensure_built()` first in every public method that touches a widget."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._built = False
        QVBoxLayout(self)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        self._ensure_built()
        super().showEvent(event)

    def _ensure_built(self) -> None:
        if not self._built:
            self._built = True
            self._build()

    def _build(self) -> None:
        raise NotImplementedError
