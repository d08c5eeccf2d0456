"""Suggestions drawn over the article: a dashed outline and no fill, so they can never be taken for annotations
(which are filled spans painted by the highlighter). A transparent widget over the viewport paints them; the
article view and its highlighter stay as they are."""
from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from gui.link_painter import line_x
from gui.offsets import OffsetConverter

OUTLINE = QColor("#4a5a70")
CURRENT = QColor("#d9480f")
ROLE_STYLES = {  # the content dashed, its source and cue dotted
    "claim": Qt.PenStyle.DashLine, "mention": Qt.PenStyle.DashLine,
    "source": Qt.PenStyle.DotLine, "cue": Qt.PenStyle.DotLine,
}


class SuggestionOverlay(QWidget):
    """Paints (role, start, end) spans in code points as outlines over `view`'s viewport."""

    def __init__(self, view: QPlainTextEdit) -> None:
        super().__init__(view)
        self.setObjectName("suggestionOverlay")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self._view = view
        self._converter = OffsetConverter("")
        self._spans: list[tuple[str, int, int, bool]] = []
        view.viewport().installEventFilter(self)
        view.verticalScrollBar().valueChanged.connect(self.update)
        view.horizontalScrollBar().valueChanged.connect(self.update)
        self._follow_viewport()

    def set_text(self, text: str) -> None:
        self._converter = OffsetConverter(text)

    def utf16(self, code_point: int) -> int:
        return self._converter.to_utf16(code_point)

    def set_spans(self, spans: Sequence[tuple[str, int, int, bool]]) -> None:
        """(role, start, end, current) for each span to outline; the current suggestion's stand out."""
        self._spans = list(spans)
        self.update()

    def spans(self) -> list[tuple[str, int, int, bool]]:
        return list(self._spans)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() in (QEvent.Type.Resize, QEvent.Type.Move, QEvent.Type.Show):
            self._follow_viewport()
        elif event.type() == QEvent.Type.Paint:
            self.update()
        return False

    def _follow_viewport(self) -> None:
        self.setGeometry(self._view.viewport().geometry())
        self.raise_()

    def rects(self, start: int, end: int) -> list[QRectF]:
        """Viewport rectangles of [start, end) in code points, one per line it runs over."""
        view, doc = self._view, self._view.document()
        a, b = self._converter.to_utf16(start), self._converter.to_utf16(end)
        out: list[QRectF] = []
        block = doc.findBlock(a)
        offset = view.contentOffset()
        while block.isValid() and block.position() <= b:
            layout = block.layout()
            top = view.blockBoundingGeometry(block).translated(offset).top()
            if top > self.height():
                break  # this block and every later one lie below the viewport
            if layout is not None:
                base = block.position()
                for i in range(layout.lineCount()):
                    line = layout.lineAt(i)
                    lo, hi = base + line.textStart(), base + line.textStart() + line.textLength()
                    left, right = max(a, lo), min(b, hi)
                    if left >= right:
                        continue
                    x1, x2 = line_x(line, left - base), line_x(line, right - base)
                    out.append(QRectF(x1 + offset.x(), top + line.y(), x2 - x1, line.height()))
            block = block.next()
        return out

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        if not self._spans:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setBrush(Qt.BrushStyle.NoBrush)  # never a fill: that is what annotations look like
        for role, start, end, current in self._spans:
            pen = QPen(CURRENT if current else OUTLINE, 2 if current else 1, ROLE_STYLES.get(role, Qt.PenStyle.DashLine))
            painter.setPen(pen)
            for rect in self.rects(start, end):
                if rect.bottom() >= 0 and rect.top() <= self.height():
                    painter.drawRect(rect.adjusted(0.5, 0.5, -0.5, -0.5))
        painter.end()
