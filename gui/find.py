"""Ctrl+F: find every occurrence in the open article (case-insensitive), step through them, count them.

Matches are found in the stored text (code points) and shown through ArticleView.select_span, which does the
one conversion to Qt's positions.
"""
from __future__ import annotations

from bisect import bisect_left
from typing import Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QFrame, QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

from gui.article_view import ArticleView


class FindBar(QFrame):
    """Ctrl+F: type to search the open article; Enter / Shift+Enter step; Escape closes."""

    sig_search_changed = Signal(str)
    """The words to find, as typed (empty: nothing to find)."""
    sig_next_requested = Signal()
    """Enter, F3 or the down arrow: the next match."""
    sig_previous_requested = Signal()
    """Shift+Enter, Shift+F3 or the up arrow: the previous match."""
    sig_closed = Signal()
    """Escape or the close button: the bar is hidden and the article gets the keyboard back."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findBar")
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText("Find in article")
        self.edit.setClearButtonEnabled(True)
        self.count_label = QLabel("", self)
        self.count_label.setObjectName("findCount")
        self.count_label.setMinimumWidth(90)
        previous = QToolButton(self)
        previous.setText("▲")
        previous.setToolTip("Previous match (Shift+Enter, Shift+F3)")
        following = QToolButton(self)
        following.setText("▼")
        following.setToolTip("Next match (Enter, F3)")
        close = QToolButton(self)
        close.setText("✕")
        close.setToolTip("Close (Escape)")
        for button in (previous, following, close):
            button.setAutoRaise(True)
        previous.clicked.connect(self.sig_previous_requested)
        following.clicked.connect(self.sig_next_requested)
        close.clicked.connect(self.close_bar)
        self.edit.textChanged.connect(self.sig_search_changed)
        self.edit.returnPressed.connect(self._enter)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close_bar,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(QLabel("Find:", self))
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.count_label)
        layout.addWidget(previous)
        layout.addWidget(following)
        layout.addWidget(close)
        self.hide()

    def _enter(self) -> None:
        if QApplication.keyboardModifiers() & Qt.KeyboardModifier.ShiftModifier:
            self.sig_previous_requested.emit()
        else:
            self.sig_next_requested.emit()

    def open_bar(self) -> None:
        self.show()
        self.edit.setFocus()
        self.edit.selectAll()

    def close_bar(self) -> None:
        self.hide()
        self.sig_closed.emit()

    def show_count(self, current: int, total: int) -> None:
        if not self.edit.text():
            self.count_label.setText("")
        elif total == 0:
            self.count_label.setText("No matches")
        else:
            self.count_label.setText(f"{current} of {total}")


def find_all(text: str, needle: str) -> list[int]:
    """Start offsets (code points) of every non-overlapping case-insensitive match."""
    if not needle:
        return []
    haystack, needle = text.casefold(), needle.casefold()
    if len(haystack) != len(text):  # casefold changed lengths (e.g. ß -> ss): fall back to lower()
        haystack, needle = text.lower(), needle.lower()
    if len(haystack) != len(text):
        haystack = text
    found, at = [], haystack.find(needle)
    while at != -1:
        found.append(at)
        at = haystack.find(needle, at + max(1, len(needle)))
    return found


class FindController(QObject):
    def __init__(self, view: ArticleView, bar: FindBar, current_text: Callable[[], str],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.view, self.bar, self._text = view, bar, current_text
        self.matches: list[int] = []
        self.current = -1
        bar.sig_search_changed.connect(self._search)
        bar.sig_next_requested.connect(self.next)
        bar.sig_previous_requested.connect(self.previous)
        bar.sig_closed.connect(self._closed)

    def open(self) -> None:
        span = self.view.selected_span()
        if span is not None and span[1] - span[0] < 80:
            self.bar.edit.setText(self._text()[span[0]:span[1]])
        self.bar.open_bar()

    def refresh(self) -> None:
        """The document changed: search it again for what the bar holds."""
        self._search(self.bar.edit.text(), move=False)

    def _closed(self) -> None:
        self.view.show_find_matches([], 0)
        self.view.setFocus()

    def _search(self, needle: str, move: bool = True) -> None:
        self.matches = find_all(self._text(), needle)
        self.current = -1
        self.view.show_find_matches(self.matches, len(needle))
        if self.matches and move:
            caret = self.view.selected_span()
            self.current = bisect_left(self.matches, caret[0]) % len(self.matches) if caret else 0
            self._show()
        self.bar.show_count(self.current + 1, len(self.matches))

    def next(self) -> None:
        self._step(1)

    def previous(self) -> None:
        self._step(-1)

    def _step(self, delta: int) -> None:
        if not self.bar.isVisible():
            self.bar.open_bar()
            return
        if not self.matches:
            return
        self.current = (self.current + delta) % len(self.matches)
        self._show()
        self.bar.show_count(self.current + 1, len(self.matches))

    def _show(self) -> None:
        start = self.matches[self.current]
        self.view.select_span(start, start + len(self.bar.edit.text()))
        self.view.ensureCursorVisible()
