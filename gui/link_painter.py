"""Drawing attribution: mentions and cues in their own colours, and the links of the claim in focus.

The claim under the mouse (or else the selected one) gets outlines over the spans it links to, each labelled
with its role, painted by a transparent widget laid over the article's viewport; the article's own painting is
untouched. A link counts only while the span it points at is shown (a deleted mention is no link), the same
rule as `storage.live_links`. Offsets are code points; Qt's UTF-16 positions appear only in `range_rects`.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPaintEvent, QPen, QTextLine
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from storage import LINK_ROLES, AnnotationRecord

if TYPE_CHECKING:  # the article imports this module to paint its marks
    from gui.article_view import ArticleView
    from gui.view_text import ActorColours

MENTION_WITHOUT_ACTOR = "#6b6f76"
CUE_COLOUR = "#3c3f44"
ROLE_PENS = {  # how each role's outline is drawn: solid for who holds it, dashed for who passes it on
    "source": Qt.PenStyle.SolidLine, "cue": Qt.PenStyle.DotLine,
    "relay": Qt.PenStyle.DashLine, "target": Qt.PenStyle.DashDotLine,
}
ROLE_COLOURS = {"source": "#1d4ed8", "cue": "#374151", "relay": "#7c3aed", "target": "#b45309"}


def mark_colour(record: AnnotationRecord, actor_colours: ActorColours) -> str:
    """A mention is underlined in its actor's colour (grey while it names none); a cue in dark grey."""
    if record.kind == "mention":
        return actor_colours.colour(record.actor) if record.actor else MENTION_WITHOUT_ACTOR
    return CUE_COLOUR


def line_x(line: QTextLine, position: int) -> float:
    """The x of a position on a laid-out line. PySide's stub says cursorToX returns `object`; it returns the
    pair (x, position) that Qt's C++ overload writes through a pointer, so the cast names that pair."""
    return cast(tuple[float, int], line.cursorToX(position))[0]


def shown_links(claim: AnnotationRecord | None,
                shown: Callable[[str], AnnotationRecord | None]) -> dict[str, AnnotationRecord]:
    """{role: linked record} of a claim, for links whose span is shown (live): `storage.live_links` on screen."""
    if claim is None or claim.kind != "claim":
        return {}
    out = {}
    for role, linked_id in claim.links().items():
        linked = shown(linked_id)
        if linked is not None and linked.deleted_at is None:
            out[role] = linked
    return out


def _named(record: AnnotationRecord) -> str:
    quote = " ".join(record.quote.split())
    quote = quote if len(quote) <= 40 else quote[:39] + "…"
    return f"'{quote}' → {record.actor}" if record.actor else f"'{quote}'"


def link_summary(record: AnnotationRecord | None,
                 shown: Callable[[str], AnnotationRecord | None]) -> str:
    """The panel's plain line: "Source: 'Lavrov' → Sergei Lavrov · cue: 'said' · relay: …"."""
    if record is None:
        return ""
    if record.kind == "mention":
        return f"Mention of {record.actor}" if record.actor else "Mention, naming no actor of the registry"
    if record.kind == "cue":
        return "Cue: the words that signal an attribution"
    links = shown_links(record, shown)
    if not links:
        return "No source or cue yet: S picks the source, C the cue, R the relay, T the target"
    parts = [f"{role}: {_named(links[role])}" for role in LINK_ROLES if role in links]
    text = " · ".join(parts)
    return text[0].upper() + text[1:]


def range_rects(view: QPlainTextEdit, start_utf16: int, end_utf16: int) -> list[QRectF]:
    """Viewport rectangles covering [start, end) in Qt positions, one per laid-out line it runs through."""
    document = view.document()
    rects: list[QRectF] = []
    block = document.findBlock(start_utf16)
    offset = view.contentOffset()
    while block.isValid() and block.position() < end_utf16:
        layout = block.layout()
        origin = view.blockBoundingGeometry(block).translated(offset).topLeft()
        if origin.y() > view.viewport().height():
            break
        begin, finish = max(start_utf16 - block.position(), 0), min(end_utf16 - block.position(), block.length() - 1)
        for number in range(layout.lineCount()):
            line: QTextLine = layout.lineAt(number)
            left, right = max(begin, line.textStart()), min(finish, line.textStart() + line.textLength())
            if left >= right:
                continue
            x1, x2 = line_x(line, left), line_x(line, right)
            rects.append(QRectF(origin.x() + min(x1, x2), origin.y() + line.y(), abs(x2 - x1), line.height()))
        block = block.next()
    return rects


class LinkOverlay(QWidget):
    """Outlines the spans linked to the claim in focus (hovered, else selected), over the article's viewport."""

    def __init__(self, view: ArticleView, to_utf16: Callable[[int], int],
                 shown: Callable[[str], AnnotationRecord | None], selected: Callable[[], str | None]) -> None:
        super().__init__(view)
        self.setObjectName("linkOverlay")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self._view, self._to_utf16, self._shown, self._selected = view, to_utf16, shown, selected
        self.hovered_id: str | None = None
        view.viewport().installEventFilter(self)
        view.viewport().setMouseTracking(True)  # hovering a claim shows its links without a click
        view.verticalScrollBar().valueChanged.connect(self.update)
        view.updateRequest.connect(lambda *_: self.update())
        self._follow_viewport()

    def focus_claim(self) -> AnnotationRecord | None:
        """The claim whose links are drawn: the one under the mouse, or else the selected one."""
        for annotation_id in (self.hovered_id, self._selected()):
            record = self._shown(annotation_id) if annotation_id else None
            if record is not None and record.kind == "claim" and shown_links(record, self._shown):
                return record
        return None

    def outlines(self) -> list[tuple[str, AnnotationRecord, list[QRectF]]]:
        """(role, linked span, its rectangles on screen) for the claim in focus: what is painted."""
        links = shown_links(self.focus_claim(), self._shown)
        return [(role, linked, range_rects(self._view, self._to_utf16(linked.start), self._to_utf16(linked.end)))
                for role, linked in links.items()]

    def set_hovered(self, annotation_id: str | None) -> None:
        if annotation_id != self.hovered_id:
            self.hovered_id = annotation_id
            self.update()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        kind = event.type()
        if kind in (QEvent.Type.Resize, QEvent.Type.Move, QEvent.Type.Show):
            self._follow_viewport()
        elif kind == QEvent.Type.MouseMove and isinstance(event, QMouseEvent):
            self.set_hovered(self._view.annotation_id_at(event.position().toPoint()))
        elif kind == QEvent.Type.Leave:
            self.set_hovered(None)
        return False

    def _follow_viewport(self) -> None:
        self.setGeometry(self._view.viewport().geometry())
        self.raise_()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        outlines = self.outlines()
        if not outlines:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        font = QFont(self.font())
        font.setPointSizeF(max(6.5, font.pointSizeF() * 0.72))
        painter.setFont(font)
        for role, _linked, rects in outlines:
            colour = QColor(ROLE_COLOURS[role])
            painter.setPen(QPen(colour, 1.6, ROLE_PENS[role]))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            for rect in rects:
                painter.drawRoundedRect(rect.adjusted(-2, -1, 2, 1), 3, 3)
            if rects:
                first = rects[0]
                painter.setPen(colour)
                painter.drawText(QPointF(first.left(), first.top() - 1), role)
        painter.end()
