"""A read-only plain text view that speaks code points of the stored text: selections, geometry, Find marks.

Qt positions (UTF-16) are converted here and in ArticleView, nowhere else in the window (gui.offsets does the
arithmetic). ArticleView adds the annotations on top.
"""
from __future__ import annotations

from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QColor, QTextCursor, QTextLine
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QWidget

from gui.offsets import OffsetConverter

FIND_MARK_COLOUR = "#ffe58a"  # every match of Find; the current one is the selection
FIND_MARK_LIMIT = 5000


class CodePointTextEdit(QPlainTextEdit):
    """The text of one article, positions in code points (see the module docstring)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._text = ""
        self._converter = OffsetConverter("")

    # -- selection -----------------------------------------------------------------------------
    def selected_span(self) -> tuple[int, int] | None:
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        return self._converter.span_to_code_points(cursor.selectionStart(), cursor.selectionEnd())

    def clear_span_selection(self) -> None:
        cursor = self.textCursor()
        cursor.clearSelection()
        self.setTextCursor(cursor)

    def select_span(self, start: int, end: int) -> None:
        """Selects [start, end) in code points, as a drag would."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._converter.to_utf16(start))
        cursor.setPosition(self._converter.to_utf16(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)

    def show_find_matches(self, starts: list[int], length: int) -> None:
        """Marks every match of Find (code points) behind the text; an empty list clears them. Extra
        selections are slower than the span highlighter, so only the first FIND_MARK_LIMIT are marked."""
        marks = []
        if length > 0:
            colour = QColor(FIND_MARK_COLOUR)
            for start in starts[:FIND_MARK_LIMIT]:
                mark = QTextEdit.ExtraSelection()
                cursor = QTextCursor(self.document())
                cursor.setPosition(self._converter.to_utf16(start))
                cursor.setPosition(self._converter.to_utf16(start + length), QTextCursor.MoveMode.KeepAnchor)
                mark.cursor = cursor
                mark.format.setBackground(colour)
                marks.append(mark)
        self.setExtraSelections(marks)

    def find_marks(self) -> list[tuple[int, int]]:
        """The marked matches as code point spans (what a reader sees highlighted)."""
        return [(self._converter.to_code_point(m.cursor.selectionStart()),
                 self._converter.to_code_point(m.cursor.selectionEnd()))
                for m in self.extraSelections()]

    # -- geometry and inspection ---------------------------------------------------------------
    def point_for_offset(self, code_point: int) -> QPoint:
        """Viewport point on the boundary before `code_point`, halfway down its line."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._converter.to_utf16(code_point))
        rect = self.cursorRect(cursor)
        return QPoint(rect.left(), rect.center().y())

    def offset_at(self, point: QPoint) -> int:
        """Code point boundary nearest a viewport point."""
        return self._converter.to_code_point(self.cursorForPosition(point).position())

    def character_at(self, point: QPoint) -> int | None:
        """Code point offset of the character under a viewport point; None over margins and past line ends.

        (cursorForPosition gives the nearest boundary between characters, which is half a character off
        for this question and wrong in right-to-left runs.)"""
        if not self._text:
            return None
        block = self.cursorForPosition(point).block()
        layout = block.layout()
        origin = self.blockBoundingGeometry(block).translated(self.contentOffset()).topLeft()
        x, y = point.x() - origin.x(), point.y() - origin.y()
        for number in range(layout.lineCount()):
            line = layout.lineAt(number)
            if line.y() <= y < line.y() + line.height():
                if not line.x() <= x < line.x() + line.naturalTextWidth():
                    return None
                utf16 = block.position() + line.xToCursor(x, QTextLine.CursorPosition.CursorOnCharacter)
                return self._converter.to_code_point(utf16)
        return None

    def selection_rect(self) -> QRect:
        """Viewport rectangle around the current selection (the caret when nothing is selected)."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return self.cursorRect(cursor)
        first = QTextCursor(self.document())
        first.setPosition(cursor.selectionStart())
        last = QTextCursor(self.document())
        last.setPosition(cursor.selectionEnd())
        top, bottom = self.cursorRect(first), self.cursorRect(last)
        if top.top() == bottom.top():
            return top.united(bottom)
        return QRect(0, top.top(), self.viewport().width(), bottom.bottom() - top.top())

    def _visible_blocks(self) -> range:
        """Numbers of the blocks the viewport shows now."""
        first = self.firstVisibleBlock().blockNumber()
        corner = QPoint(self.viewport().width() - 1, self.viewport().height() - 1)
        return range(max(first, 0), self.cursorForPosition(corner).blockNumber() + 1)
