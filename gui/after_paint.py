"""Work that waits for a widget's first paint: the window's database at start-up (gui.app), the first
document's suggestions (gui.suggestions_controller). What the analyst sees comes first, the rest straight after."""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QWidget

AFTER_FIRST_PAINT = QEvent.Type(QEvent.registerEventType())


class _AfterFirstPaint(QObject):
    """The widget's Paint event posts a low-priority event, which comes out of the queue once the paint is done
    (a widget is exposed by the window system, later than a QTimer.singleShot(0) would run); after `wait_ms`
    without a paint (a minimised window, no screen) `then` runs anyway. Once, and never after the widget is gone:
    this object is the widget's child."""

    def __init__(self, widget: QWidget, then: Callable[[], None], wait_ms: int) -> None:
        super().__init__(widget)
        self._widget, self._then, self._done = widget, then, False
        widget.installEventFilter(self)
        QTimer.singleShot(wait_ms, self._run)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if watched is self._widget and event.type() == QEvent.Type.Paint:
            self._widget.removeEventFilter(self)
            QCoreApplication.postEvent(self, QEvent(AFTER_FIRST_PAINT), Qt.EventPriority.LowEventPriority.value)
        return False

    def customEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        if event.type() == AFTER_FIRST_PAINT:
            self._run()

    def _run(self) -> None:
        if not self._done:
            self._done = True
            self._widget.removeEventFilter(self)
            self._then()


def after_first_paint(widget: QWidget, then: Callable[[], None], wait_ms: int) -> None:
    """Runs `then` once `widget` has been painted the first time, or after `wait_ms` without a paint."""
    _AfterFirstPaint(widget, then, wait_ms)
