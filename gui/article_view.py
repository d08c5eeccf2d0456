"""The article, read-only, with its annotations painted in; mouse and keyboard selection in code points.

Qt positions (UTF-16) are converted to code points here and nowhere else in the window: every signal and
method of ArticleView speaks code points of the stored text.
"""
from __future__ import annotations

from collections.abc import Iterable
from operator import attrgetter

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QHelpEvent, QKeyEvent, QMouseEvent, QPaintEvent, QResizeEvent, QTextCharFormat, QTextCursor,
)
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QToolTip, QWidget

from gui.code_point_text import CodePointTextEdit
from gui.highlighter import ReadAhead, SpanHighlighter
from gui.link_painter import mark_colour
from gui.offsets import OffsetConverter
from gui.plain_text import plain_tooltip
from gui.span_index import Span, SpanIndex, by_length, span_of, spans_of
from gui.view_text import UNSET_COLOUR, ActorColours, block_starts, describe, snap_to_words
from storage import AnnotationRecord, SchemeRecord, collector_paused

COLOUR_ATTRIBUTES = ("claim_type", "stance", "actor")
_ID = attrgetter("id")
BULK_CHANGE = 500             # above this many spans changed at once, rebuild the index instead
FLASH_TICKS = 4
FLASH_INTERVAL_MS = 140

__all__ = ["ArticleView", "COLOUR_ATTRIBUTES"]


class ArticleView(CodePointTextEdit):
    """Shows one article as plain text and paints this annotator's spans and, optionally, others' spans."""

    sig_selection_released = Signal(int, int)
    """A passage [start, end) was selected with the mouse or Shift+arrows and let go (snapped unless exact)."""
    sig_annotation_clicked = Signal(str)
    """One of the reader's annotations (its id) was clicked."""
    sig_annotation_released = Signal()
    """A click on plain text let go of the selected annotation."""
    sig_claim_shortcut = Signal(str, int, int)
    """A claim key was pressed over a selected passage: claim type, start, end."""
    sig_boundary_move_requested = Signal(str, int)
    """Shift+click with an annotation selected: move its nearer boundary (annotation id) to this offset."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                     | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setUndoRedoEnabled(False)
        self.document().setDocumentMargin(14)
        self.actor_colours = ActorColours()
        # Edit > Exact Characters: selections are kept as made instead of snapping to whole words (Alt+drag
        # does the same for one drag, but many desktops take Alt+drag to move the window).
        self.exact_selection = False
        self._scheme: SchemeRecord | None = None
        self._colour_by = "claim_type"
        self._index = SpanIndex([0], 0)
        self._other_ids: list[str] = []
        self._highlighter = SpanHighlighter(self.document(), self._colour_of_span)
        self._press_pos: QPoint | None = None
        self._alt_pressed = False
        self._double_clicked = False
        self._boundary_gesture = False  # a Shift+click moving a boundary: its moves and release are its own
        self._flash_ticks = 0
        self._flash_timer = QTimer(self)
        self._flash_timer.setInterval(FLASH_INTERVAL_MS)
        self._flash_timer.timeout.connect(self._flash_step)
        self._read_ahead = ReadAhead(self._highlighter, self)

    # -- content -------------------------------------------------------------------------------
    def set_scheme(self, scheme: SchemeRecord) -> None:
        self._scheme = scheme
        self._repaint_all()

    @property
    def scheme(self) -> SchemeRecord | None:
        """The label scheme the spans are painted with (the window's current one)."""
        return self._scheme

    def set_document(self, text: str, annotations: list[AnnotationRecord],
                     others: Iterable[AnnotationRecord] = ()) -> None:
        """Shows `text` literally (never as HTML) with the reader's annotations and, if given, others'."""
        self._flash_timer.stop()
        self._read_ahead.cancel()
        self._highlighter.flashing = False
        self._highlighter.selected_id = None
        self._text = text
        self._converter = OffsetConverter(text)
        self._index = SpanIndex(block_starts(text), len(text))
        with collector_paused():   # tens of thousands of new objects would trigger full collections
            annotations, others = list(annotations), list(others)
            self._other_ids = list(map(_ID, others))
            self._index.load(spans_of(annotations, True) + spans_of(others, False))
            first_seen = sorted(annotations, key=lambda a: (a.start, a.end))
            self.actor_colours.reset(list(dict.fromkeys(a.actor for a in first_seen if a.actor)))
        self._highlighter.set_source(self._index, self._converter)
        # A CR alone would become a block separator anyway and CR LF would collapse into one: as LF, each
        # keeps its one position, so Qt's positions stay in step with the stored text.
        self.setPlainText(text.replace("\r", "\n"))
        if self.document().characterCount() - 1 != self._converter.utf16_length:
            raise RuntimeError("the article view lost characters of the text; offsets would be wrong")
        self._paint_visible()

    def set_others(self, others: Iterable[AnnotationRecord]) -> None:
        """Replaces other annotators' spans (an empty list hides them); they are shown read-only."""
        others = list(others)
        if len(others) + len(self._other_ids) > BULK_CHANGE:
            # Thousands of single insertions would each shift the sorted list: rebuild it once instead.
            with collector_paused():
                mine = [s for s in self._index.spans() if s[3]]
                self._index.load(mine + spans_of(others, False))
            self._other_ids = list(map(_ID, others))
            self._repaint_all()
            return
        blocks: set[int] = set()
        for annotation_id in self._other_ids:
            blocks.update(self._index.remove(annotation_id))
        self._other_ids = list(map(_ID, others))
        for annotation in others:
            blocks.update(self._index.insert(span_of(annotation, False)))
        self._repaint(blocks)

    def set_annotations(self, annotations: Iterable[AnnotationRecord],
                        others: Iterable[AnnotationRecord] = ()) -> None:
        """Replaces every span while keeping the text: how an open finishes once the first screen was shown
        from only the spans it needed. Only blocks already painted whose spans differ are worked out again."""
        painted = [b for b in range(self._index.block_count) if self._highlighter.is_painted(b)]
        before = {b: self._index.in_block(b) for b in painted}
        with collector_paused():
            annotations, others = list(annotations), list(others)
            self._other_ids = list(map(_ID, others))
            self._index.load(spans_of(annotations, True) + spans_of(others, False))
        selected = self._highlighter.selected_id
        if selected is not None and self.annotation(selected) is None:
            self._highlighter.selected_id = None
        self._repaint([b for b in painted if self._index.in_block(b) != before[b]])

    def visible_end(self) -> int:
        """Code point offset just past the last block the viewport shows (0 for an empty view)."""
        if not self._text:
            return 0
        return min(self._index.block_end(self._visible_blocks()[-1]) + 1, len(self._text))

    def add_annotation(self, ann: AnnotationRecord) -> None:
        self.update_annotation(ann)

    def update_annotation(self, ann: AnnotationRecord) -> None:
        """Adds or replaces one of the reader's annotations and repaints only the blocks it touches."""
        if ann.deleted_at is not None:
            self.remove_annotation(ann.id)
            return
        self._repaint(self._index.insert(span_of(ann, True)))

    def remove_annotation(self, annotation_id: str) -> None:
        if self._highlighter.selected_id == annotation_id:
            self._highlighter.selected_id = None
        self._repaint(self._index.remove(annotation_id))

    def set_colour_by(self, attribute: str) -> None:
        """Colours spans by "claim_type", "stance" or "actor"."""
        if attribute not in COLOUR_ATTRIBUTES:
            raise ValueError(f"cannot colour by {attribute!r}; choose one of {', '.join(COLOUR_ATTRIBUTES)}")
        self._colour_by = attribute
        self._repaint_all()

    @property
    def colour_by(self) -> str:
        return self._colour_by

    def colour_legend(self) -> list[tuple[str, str]]:
        """(label, colour) pairs for what the spans are coloured by now: from the scheme, or the actors shown."""
        if self._colour_by == "actor":
            names = sorted({s[4].actor for s in self._index.spans() if s[3] and s[4].actor})
            return [(name, self.actor_colours.colour(name)) for name in names]
        if self._scheme is None:
            return []
        return [(v.label, v.colour) for v in self._scheme.values(self._colour_by)]

    # -- selection -----------------------------------------------------------------------------
    def select_annotation(self, annotation_id: str | None) -> None:
        """Marks an annotation as selected (None clears), scrolls it into view and flashes it."""
        self._set_selected(annotation_id)
        annotation = self.annotation(annotation_id) if annotation_id else None
        if annotation is None:
            return
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._converter.to_utf16(annotation.start))
        self.setTextCursor(cursor)
        self.ensureCursorVisible()
        self._flash_ticks = FLASH_TICKS
        self._flash_timer.start()

    @property
    def selected_annotation_id(self) -> str | None:
        return self._highlighter.selected_id

    def annotation_id_at(self, point: QPoint) -> str | None:
        """The reader's topmost (shortest) annotation under a viewport point, if any."""
        code_point = self.character_at(point)
        if code_point is None:
            return None
        own = [s for s in self._index.query(code_point, code_point + 1) if s[3]]
        return min(own, key=by_length)[2] if own else None

    def annotations_at(self, code_point: int) -> list[AnnotationRecord]:
        """Annotations covering the character at `code_point`: the reader's first, each group shortest first."""
        spans = self._index.query(code_point, code_point + 1)
        spans.sort(key=by_length)
        return [s[4] for s in spans if s[3]] + [s[4] for s in spans if not s[3]]

    def annotation(self, annotation_id: str) -> AnnotationRecord | None:
        """The reader's annotation with this id, as last given to the view."""
        span = self._index.get(annotation_id)
        return span[4] if span is not None and span[3] else None

    def formats_at(self, code_point: int) -> list[QTextCharFormat]:
        """The character formats the highlighter painted over the character at `code_point`."""
        utf16 = self._converter.to_utf16(code_point)
        block = self.document().findBlock(utf16)
        self._highlighter.ensure_painted([block.blockNumber()])
        relative = utf16 - block.position()
        # Copies: the ranges (and the formats they hold) die with the list layout().formats() returns.
        return [QTextCharFormat(r.format) for r in block.layout().formats()
                if r.start <= relative < r.start + r.length]

    def tooltip_text(self, code_point: int) -> str:
        """Plain text describing every annotation at `code_point` (empty when there is none)."""
        parts = [describe(a, self._scheme, own=self.annotation(a.id) is not None)
                 for a in self.annotations_at(code_point)]
        return "\n\n".join(parts)

    # -- events --------------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self._boundary_intent(event):
            return
        self._press_pos = event.position().toPoint()
        self._alt_pressed = bool(event.modifiers() & Qt.KeyboardModifier.AltModifier)
        self._double_clicked = False
        shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        if event.button() == Qt.MouseButton.LeftButton and not shift:
            # A press inside an old selection would start a drag-and-drop of the text: start afresh instead.
            self.clear_span_selection()
        super().mousePressEvent(_without_alt(event))

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if not self._boundary_gesture:
            super().mouseMoveEvent(_without_alt(event))

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        super().mouseDoubleClickEvent(_without_alt(event))
        self._double_clicked = True

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self._boundary_gesture:
            self._boundary_gesture = False
            return
        super().mouseReleaseEvent(_without_alt(event))
        if event.button() != Qt.MouseButton.LeftButton:
            return
        position = event.position().toPoint()
        pressed_at = self._press_pos if self._press_pos is not None else position
        dragged = (position - pressed_at).manhattanLength() >= QApplication.startDragDistance()
        shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        exact = (self.exact_selection or self._alt_pressed
                 or bool(event.modifiers() & Qt.KeyboardModifier.AltModifier))
        self._press_pos = None
        if self.textCursor().hasSelection() and (dragged or shift or self._double_clicked):
            self._release_selection(exact)
        elif not dragged:
            annotation_id = self.annotation_id_at(position)
            if annotation_id is not None:
                self._set_selected(annotation_id)
                self.sig_annotation_clicked.emit(annotation_id)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        value = self._claim_for_key(event)
        span = self.selected_span()
        if value is not None and span is not None:
            event.accept()
            # A keyboard selection snaps to words like a drag does: Ctrl+Shift+Right takes the space after
            # the word too, and that space is not part of the passage.
            start, end = span if self.exact_selection else snap_to_words(self._text, *span)
            if start < end:
                self.sig_claim_shortcut.emit(value, start, end)
            return
        super().keyPressEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        # Spans are worked out only for the blocks about to be shown (see SpanHighlighter); scrolling and
        # resizing do it before the paint, so this finds them done unless something else moved the view.
        if self._text:
            self._highlighter.ensure_painted(self._visible_blocks())
        super().paintEvent(event)

    def scrollContentsBy(self, dx: int, dy: int) -> None:  # noqa: N802
        super().scrollContentsBy(dx, dy)
        self._paint_visible()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._paint_visible()

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            code_point = self.character_at(event.pos())
            text = self.tooltip_text(code_point) if code_point is not None else ""
            if text:
                QToolTip.showText(event.globalPos(), plain_tooltip(text), self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    # -- internals -----------------------------------------------------------------------------
    def _boundary_intent(self, event: QMouseEvent) -> bool:
        """A left press with one of the reader's annotations selected: with Shift it asks to move the nearer
        boundary there (True: the press is taken); without, on plain text, it lets go of the annotation."""
        selected = self._highlighter.selected_id
        if event.button() != Qt.MouseButton.LeftButton or selected is None or self.annotation(selected) is None:
            return False
        point = event.position().toPoint()
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self._boundary_gesture = True
            self.sig_boundary_move_requested.emit(selected, self.offset_at(point))
            return True
        if self.annotation_id_at(point) is None:
            self.sig_annotation_released.emit()
        return False

    def _release_selection(self, exact: bool) -> None:
        span = self.selected_span()
        if span is None:
            return
        start, end = span if exact else snap_to_words(self._text, *span)
        if start >= end:
            return
        self.select_span(start, end)
        self.sig_selection_released.emit(start, end)

    def _claim_for_key(self, event: QKeyEvent) -> str | None:
        allowed = Qt.KeyboardModifier.NoModifier | Qt.KeyboardModifier.KeypadModifier
        if self._scheme is None or event.modifiers() & ~allowed or len(event.text()) != 1:
            return None
        key = event.text().upper()
        for value in self._scheme.claim_types:
            if value.shortcut and value.shortcut.upper() == key:
                return value.value
        return None

    def _set_selected(self, annotation_id: str | None) -> None:
        previous = self._highlighter.selected_id
        if previous == annotation_id:
            return
        self._highlighter.selected_id = annotation_id
        self._highlighter.flashing = False
        self._repaint(self._blocks_of(previous) | self._blocks_of(annotation_id))

    def _blocks_of(self, annotation_id: str | None) -> set[int]:
        span = self._index.get(annotation_id) if annotation_id else None
        return set(self._index.blocks_touching(span[0], span[1])) if span else set()

    def _flash_step(self) -> None:
        self._flash_ticks -= 1
        self._highlighter.flashing = self._flash_ticks > 0 and self._flash_ticks % 2 == 1
        if self._flash_ticks <= 0:
            self._flash_timer.stop()
        self._repaint(self._blocks_of(self._highlighter.selected_id))

    def _repaint(self, blocks: Iterable[int]) -> None:
        self._highlighter.repaint_blocks(sorted(set(blocks)))

    def _repaint_all(self) -> None:
        self._highlighter.invalidate()
        self.viewport().update()

    def _paint_visible(self) -> None:
        """Works out the blocks on screen now, then schedules the ones a page either side for idle time."""
        if not self._text:
            return
        visible = self._visible_blocks()
        self._highlighter.ensure_painted(visible)
        self._read_ahead.schedule(visible)

    @property
    def busy(self) -> bool:
        """True while off-screen blocks near the viewport are still painted in idle time, or a flash runs."""
        return self._read_ahead.busy or self._flash_timer.isActive()

    def is_block_painted(self, block: int) -> bool:
        """Whether the highlighter has worked out block `block` since the spans or colours last changed."""
        return self._highlighter.is_painted(block)

    def _colour_of_span(self, span: Span) -> str:
        if getattr(span[4], "kind", "claim") != "claim":
            return mark_colour(span[4], self.actor_colours)  # mentions and cues: their own colours, no fill
        value = getattr(span[4], self._colour_by)
        if value is None:
            return UNSET_COLOUR
        if self._colour_by == "actor":
            return self.actor_colours.colour(value)
        return self._scheme.colour_of(self._colour_by, value) if self._scheme is not None else UNSET_COLOUR


def _without_alt(event: QMouseEvent) -> QMouseEvent:
    """The same mouse event without Alt: Alt means "exact characters" here, not Qt's block selection."""
    if not event.modifiers() & Qt.KeyboardModifier.AltModifier:
        return event
    return QMouseEvent(event.type(), QPointF(event.position()), QPointF(event.globalPosition()), event.button(),
                       event.buttons(), event.modifiers() & ~Qt.KeyboardModifier.AltModifier)
