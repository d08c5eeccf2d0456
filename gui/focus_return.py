"""The keyboard comes back to the window when one of its dialogs closes.

A dialog, a message box or the review window that closes while it has the keyboard leaves the application with
no focus window unless the window manager gives it back, and without one (or with one that focuses the next
window under the pointer) the analyst's next key goes nowhere: the article does not take it until clicked.
No event filter over every event: each of this window's own windows that takes the keyboard is watched, and
when it hides while no visible window has the keyboard, this window is activated again; Qt then gives the
keyboard back to the widget that had it before (the article, usually).
"""
from __future__ import annotations

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QGuiApplication, QWindow
from PySide6.QtWidgets import QWidget


class FocusReturn(QObject):
    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self._watched: set[int] = set()
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.focusWindowChanged.connect(self._focus_window_changed)

    def _focus_window_changed(self, now: QWindow | None) -> None:
        """One of this window's own windows has the keyboard: watch it close."""
        if now is not None and id(now) not in self._watched and self._is_ours(now):
            self._watched.add(id(now))
            now.visibleChanged.connect(self._visibility_changed)
            now.destroyed.connect(lambda *_: self._watched.discard(id(now)))

    def _visibility_changed(self, shown: bool) -> None:
        if not shown:
            QTimer.singleShot(0, self, self._restore)  # dropped if this window is gone by then

    def _is_ours(self, window: QWindow) -> bool:
        """One of this window's dialogs or child windows (not this window itself)."""
        own = self._window.windowHandle()
        parent = window.transientParent()
        while parent is not None:
            if parent is own:
                return True
            parent = parent.transientParent()
        return False

    def _restore(self) -> None:
        """Only when nothing visible has the keyboard: a window the analyst went to keeps it."""
        try:
            if not _still_shown(QGuiApplication.focusWindow()) and self._window.isVisible():
                self._window.raise_()
                self._window.activateWindow()
        except RuntimeError:  # the window is being deleted
            pass


def _still_shown(window: QWindow | None) -> bool:
    try:
        return window is not None and window.isVisible()
    except RuntimeError:  # deleted on close
        return False
