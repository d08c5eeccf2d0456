"""The document as the reviewer sees it: every annotator's spans in their colour, each unit marked by status.

The text is cut into segments at every span boundary; each segment gets one format: a background blended from
the colours of the annotators whose spans cover it, and an underline for the status of its unit (solid green:
agreed, wavy red: disagreed, dotted amber: incomplete). The current unit is drawn stronger. Offsets arrive in
code points and are converted to Qt's UTF-16 positions here, at the widget edge."""
from __future__ import annotations

from typing import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPlainTextEdit, QTextEdit, QVBoxLayout, QWidget

from gui.layout_limits import ElidedLabel
from gui.offsets import OffsetConverter
from gui.plain_text import plain_label, plain_tooltip
from gui.view_text import snap_to_words
from gui.review.item_models import STATUS_COLOURS, STATUS_LABELS
from gui.layout_limits import forget_layout_item
from storage import AGREED, DISAGREED, ReviewUnit

PALETTE = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#b07aa1", "#76b7b2", "#edc948", "#ff9da7", "#9c755f")
UNDERLINES = {
    AGREED: QTextCharFormat.UnderlineStyle.SingleUnderline,
    DISAGREED: QTextCharFormat.UnderlineStyle.WaveUnderline,
}


def annotator_colours(names: Sequence[str]) -> dict[str, str]:
    """A stable colour per annotator, by their place in the (sorted) list of the document's participants."""
    return {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(names)}


def blend(colours: Sequence[str], strength: float) -> QColor:
    """The mean of the colours, laid translucently over white (so two annotators read as a mix of both)."""
    parts = [QColor(c) for c in colours]
    r, g, b = (sum(getattr(c, ch)() for c in parts) / len(parts) for ch in ("red", "green", "blue"))
    return QColor(int(255 + (r - 255) * strength), int(255 + (g - 255) * strength), int(255 + (b - 255) * strength))


class ReviewTextView(QPlainTextEdit):
    """Read-only article text painted with ExtraSelections; clicking a unit selects it."""

    unit_clicked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewText")
        self.setReadOnly(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                     | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self._units: list[ReviewUnit] = []
        self._colours: dict[str, str] = {}
        self._current: str | None = None
        self._offsets, self._text = OffsetConverter(""), ""

    def show_document(self, text: str, units: Sequence[ReviewUnit], colours: dict[str, str]) -> None:
        self._offsets, self._text = OffsetConverter(text), text
        self.setPlainText(text)  # plain text: article text is untrusted and never read as HTML
        self.set_units(units, colours)

    def set_units(self, units: Sequence[ReviewUnit], colours: dict[str, str]) -> None:
        self._units, self._colours = list(units), dict(colours)
        self._paint()

    def set_current(self, key: str | None) -> None:
        self._current = key
        self._paint()
        unit = next((u for u in self._units if u.key == key), None)
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

    def segments(self) -> list[tuple[int, int, tuple[str, ...], ReviewUnit | None]]:
        """(start, end, annotators covering it, its unit) for every piece between two span boundaries."""
        spans = [(s.start, s.end, s.annotator) for u in self._units for s in u.spans]
        cuts = sorted({p for s, e, _ in spans for p in (s, e)})
        out = []
        for start, end in zip(cuts, cuts[1:]):
            who = tuple(sorted({a for s, e, a in spans if s <= start and end <= e}))
            if who:
                out.append((start, end, who, self.unit_at(start)))
        return out

    def _paint(self) -> None:
        selections = []
        for start, end, who, unit in self.segments():
            current = unit is not None and unit.key == self._current
            fmt = QTextCharFormat()
            fmt.setBackground(blend([self._colours.get(a, "#999999") for a in who], 0.55 if current else 0.3))
            if unit is not None:
                fmt.setUnderlineStyle(UNDERLINES.get(unit.status, QTextCharFormat.UnderlineStyle.DotLine))
                fmt.setUnderlineColor(QColor(STATUS_COLOURS[unit.status]))
                fmt.setToolTip(plain_tooltip(f"{STATUS_LABELS[unit.status]}: " + ", ".join(who)))
            selection = QTextEdit.ExtraSelection()
            cursor = QTextCursor(self.document())
            cursor.setPosition(self._offsets.to_utf16(start))
            cursor.setPosition(self._offsets.to_utf16(end), QTextCursor.MoveMode.KeepAnchor)
            selection.cursor, selection.format = cursor, fmt  # type: ignore[attr-defined]
            selections.append(selection)
        self.setExtraSelections(selections)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        super().mouseReleaseEvent(event)
        if self.textCursor().hasSelection():
            return
        position = self._offsets.to_code_point(self.cursorForPosition(event.position().toPoint()).position())
        unit = self.unit_at(position)
        if unit is not None:
            self.unit_clicked.emit(unit.key)


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
            label = plain_label(f"{mark} {STATUS_LABELS[status]}")
            label.setStyleSheet(f"color: {STATUS_COLOURS[status]}")
            key.addWidget(label)
        key.addStretch(1)

    def set_annotators(self, colours: dict[str, str]) -> None:
        while self._annotators.count():
            item = self._annotators.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
            forget_layout_item(item)
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
