"""The document as the reviewer sees it: every annotator's spans in their colour, each unit marked by status.

Painted like the article view (a SpanIndex of every annotator's spans, read block by block by a highlighter,
only for the blocks about to be shown): each segment between span boundaries gets one format, a background
blended from the colours of the annotators whose spans cover it and an underline for the status of its unit
(solid: agreed, wavy: disagreed, dotted: incomplete). The current unit is drawn stronger. Offsets arrive in
code points and are converted to Qt's UTF-16 positions at the widget edge."""
from __future__ import annotations

from typing import Sequence

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPaintEvent, QResizeEvent, QTextCharFormat, QTextCursor, QTextDocument
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from gui.highlighter import ReadAhead, SpanHighlighter
from gui.layout_limits import ElidedLabel, empty_layout
from gui.offsets import OffsetConverter
from gui.palette import NEUTRAL, UNIT_STATUS_COLOURS, UNIT_STATUS_LABELS, annotator_colours
from gui.plain_text import plain_label, plain_tooltip
from gui.span_index import Span, SpanIndex
from gui.view_text import block_starts, snap_to_words
from storage import AGREED, DISAGREED, ReviewUnit, collector_paused

__all__ = ["AnnotatorLegend", "ReviewHighlighter", "ReviewTextView", "annotator_colours", "blend", "review_index",
           "swatch"]

UNDERLINES = {
    AGREED: QTextCharFormat.UnderlineStyle.SingleUnderline,
    DISAGREED: QTextCharFormat.UnderlineStyle.WaveUnderline,
}
LAYER_STRENGTH, CURRENT_STRENGTH = 0.3, 0.55
LOADING = "Loading the document…"


def blend(colours: Sequence[str], strength: float) -> QColor:
    """The mean of the colours, laid translucently over white (so two annotators read as a mix of both)."""
    parts = [QColor(c) for c in colours]
    r, g, b = (sum(getattr(c, ch)() for c in parts) / len(parts) for ch in ("red", "green", "blue"))
    return QColor(int(255 + (r - 255) * strength), int(255 + (g - 255) * strength), int(255 + (b - 255) * strength))


def unit_format(colours: tuple[str, ...], current: bool, status: str | None, tooltip: str) -> QTextCharFormat:
    """One segment: `colours` of the annotators covering it, its unit's status and whether it is current."""
    fmt = QTextCharFormat()
    fmt.setBackground(blend(colours, CURRENT_STRENGTH if current else LAYER_STRENGTH))
    if status is not None:
        fmt.setUnderlineStyle(UNDERLINES.get(status, QTextCharFormat.UnderlineStyle.DotLine))
        fmt.setUnderlineColor(QColor(UNIT_STATUS_COLOURS[status]))
        fmt.setToolTip(tooltip)
    return fmt


def review_index(text: str, units: Sequence[ReviewUnit], statuses: Sequence[str] | None = None) -> SpanIndex:
    """Every annotator's spans of the units, as (start, end, id, True, (unit, annotator, unit status)). Qt-free:
    the review window builds it in the background job that read the units (`statuses` as read there)."""
    index = SpanIndex(block_starts(text), len(text))
    if statuses is None or len(statuses) != len(units):
        statuses = [u.status for u in units]
    with collector_paused():
        index.load([(s.start, s.end, s.id, True, (u, s.annotator, status))
                    for u, status in zip(units, statuses) for s in u.spans])
    return index


class ReviewHighlighter(SpanHighlighter):
    """Spans are (start, end, annotation id, _, (unit, annotator, status)); a segment shows who covers it and
    the narrowest of their units. Its colour function gives an annotator's colour; `current_key` is the
    current unit."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document, self._annotator_colour)
        self.colours: dict[str, str] = {}
        self.current_key: str | None = None

    def _annotator_colour(self, span: Span) -> str:
        return self.colours.get(span[4][1], NEUTRAL)

    def segment_format(self, active: list[int], spans: list[Span], colours: list[str]) -> QTextCharFormat:
        by_annotator = {spans[i][4][1]: colours[i] for i in active}
        who = tuple(sorted(by_annotator))
        unit, _, status = min((spans[i][4] for i in active), key=lambda p: (p[0].end - p[0].start, p[0].start))
        tooltip = plain_tooltip(f"{UNIT_STATUS_LABELS[status]}: " + ", ".join(who))
        key = (tuple(by_annotator[a] for a in who), unit.key == self.current_key, status, tooltip)
        return self.cached_format(key, unit_format)


class ReviewTextView(QPlainTextEdit):
    """Read-only article text painted by a ReviewHighlighter; clicking a unit selects it."""

    sig_unit_clicked = Signal(str)
    """The key of the unit the reviewer clicked in the text."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewText")
        self.setReadOnly(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                     | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self._units: list[ReviewUnit] = []
        self._current: str | None = None
        self._offsets, self._text = OffsetConverter(""), ""
        self._index = SpanIndex([0], 0)
        self._highlighter = ReviewHighlighter(self.document())
        self._read_ahead = ReadAhead(self._highlighter, self)

    def show_loading(self) -> None:
        """Empty while the next document is read in the background; the placeholder says so."""
        self._read_ahead.cancel()
        self._units, self._current, self._text = [], None, ""
        self._offsets, self._index = OffsetConverter(""), SpanIndex([0], 0)
        self._highlighter.set_source(None, self._offsets)
        self.setPlaceholderText(LOADING)
        self.setPlainText("")

    def show_document(self, text: str, units: Sequence[ReviewUnit], colours: dict[str, str],
                      index: SpanIndex | None = None) -> None:
        """`index`: review_index(text, units), when it was built off the UI thread."""
        self._read_ahead.cancel()
        self.setPlaceholderText("")
        self._offsets, self._text = OffsetConverter(text), text
        self._current = None
        self._load(units, colours, index)
        # Plain text: article text is untrusted and never read as HTML. A CR alone would become a block
        # separator anyway and CR LF would collapse into one: as LF each keeps its one position.
        self.setPlainText(text.replace("\r", "\n"))

    def set_units(self, units: Sequence[ReviewUnit], colours: dict[str, str], index: SpanIndex | None = None) -> None:
        """`index`: review_index(text, units), when it was built off the UI thread."""
        self._load(units, colours, index)
        self._highlighter.invalidate()
        self.viewport().update()

    def _load(self, units: Sequence[ReviewUnit], colours: dict[str, str], index: SpanIndex | None = None) -> None:
        self._units = list(units)
        self._index = index if index is not None else review_index(self._text, self._units)
        self._highlighter.colours = dict(colours)
        self._highlighter.current_key = self._current
        self._highlighter.set_source(self._index, self._offsets)

    def set_current(self, key: str | None) -> None:
        before = next((u for u in self._units if u.key == self._current), None)
        self._current = self._highlighter.current_key = key
        unit = next((u for u in self._units if u.key == key), None)
        blocks: set[int] = set()
        for changed in (before, unit):
            if changed is not None:
                blocks.update(self._index.blocks_touching(changed.start, changed.end))
        self._highlighter.repaint_blocks(sorted(blocks))
        if unit is not None:
            cursor = QTextCursor(self.document())
            cursor.setPosition(self._offsets.to_utf16(unit.start))
            self.setTextCursor(cursor)
            self.ensureCursorVisible()

    def selected_range(self) -> tuple[int, int] | None:
        """A passage the reviewer dragged over, in code points and snapped to whole words (or None)."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        start, end = self._offsets.span_to_code_points(cursor.selectionStart(), cursor.selectionEnd())
        start, end = snap_to_words(self._text, start, end)
        return (start, end) if start < end else None

    def unit_at(self, code_point: int) -> ReviewUnit | None:
        """The narrowest unit covering a code point."""
        covering = [u for u in self._units if u.start <= code_point < u.end]
        return min(covering, key=lambda u: u.end - u.start) if covering else None

    def formats_at(self, code_point: int) -> list[QTextCharFormat]:
        """The character formats painted over the character at `code_point` (painting its block first)."""
        utf16 = self._offsets.to_utf16(code_point)
        block = self.document().findBlock(utf16)
        self._highlighter.ensure_painted([block.blockNumber()])
        relative = utf16 - block.position()
        return [QTextCharFormat(r.format) for r in block.layout().formats()
                if r.start <= relative < r.start + r.length]

    def all_formats(self) -> list[QTextCharFormat]:
        """Every format painted anywhere in the text (each block worked out first): for checks over all."""
        self._highlighter.ensure_painted(range(self.document().blockCount()))
        found = []
        block = self.document().begin()
        while block.isValid():
            found += [QTextCharFormat(r.format) for r in block.layout().formats()]
            block = block.next()
        return found

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        if self._text:  # only the blocks about to be shown are worked out (see SpanHighlighter)
            self._highlighter.ensure_painted(self._visible_blocks())
        super().paintEvent(event)

    def scrollContentsBy(self, dx: int, dy: int) -> None:  # noqa: N802 (Qt's name)
        super().scrollContentsBy(dx, dy)
        if self._text:
            visible = self._visible_blocks()
            self._highlighter.ensure_painted(visible)
            self._read_ahead.schedule(visible)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._highlighter.invalidate()
        self.viewport().update()

    def _visible_blocks(self) -> range:
        first = self.firstVisibleBlock().blockNumber()
        corner = QPoint(self.viewport().width() - 1, self.viewport().height() - 1)
        return range(max(first, 0), self.cursorForPosition(corner).blockNumber() + 1)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        super().mouseReleaseEvent(event)
        if self.textCursor().hasSelection():
            return
        position = self._offsets.to_code_point(self.cursorForPosition(event.position().toPoint()).position())
        unit = self.unit_at(position)
        if unit is not None:
            self.sig_unit_clicked.emit(unit.key)


class AnnotatorLegend(QWidget):
    """Who is which colour (with the key that accepts their version) and what the underlines mean."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("annotatorLegend")
        # Annotators on one line, the key to the underlines on the next: in one line they made the article
        # column (and so the review window) wider than a 1024-pixel screen.
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(4, 2, 4, 2)
        self._layout.setSpacing(2)
        self._annotators = QHBoxLayout()
        key = QHBoxLayout()
        key.setSpacing(12)
        self._layout.addLayout(self._annotators)
        self._layout.addLayout(key)
        for status, mark in ((AGREED, "—"), (DISAGREED, "~"), ("incomplete", "┈")):
            label = plain_label(f"{mark} {UNIT_STATUS_LABELS[status]}")
            label.setStyleSheet(f"color: {UNIT_STATUS_COLOURS[status]}")
            key.addWidget(label)
        key.addStretch(1)

    def set_annotators(self, colours: dict[str, str]) -> None:
        empty_layout(self._annotators)
        for n, (name, colour) in enumerate(colours.items(), start=1):
            self._annotators.addWidget(swatch(colour))
            self._annotators.addWidget(ElidedLabel(f"{n} {name}" if n <= 9 else name))  # long names elide
        self._annotators.addStretch(1)

    def labels(self) -> list[str]:
        return [w.full_text() if isinstance(w, ElidedLabel) else w.text() for w in self.findChildren(QLabel)]


def swatch(colour: str) -> QFrame:
    frame = QFrame()
    frame.setFixedSize(14, 14)
    frame.setStyleSheet(f"background: {colour}; border-radius: 3px;")
    return frame
