"""Ctrl+F: find every occurrence in the open article (case-insensitive), step through them, count them.

Matches are found in the stored text (code points) and shown through ArticleView.select_span, which does the
one conversion to Qt's positions.
"""
from __future__ import annotations

from bisect import bisect_left
from typing import Callable

from PySide6.QtCore import QObject

from gui.article_view import ArticleView
from gui.dialogs import FindBar


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
        bar.search_changed.connect(self._search)
        bar.next_requested.connect(self.next)
        bar.previous_requested.connect(self.previous)
        bar.closed.connect(self._closed)

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
