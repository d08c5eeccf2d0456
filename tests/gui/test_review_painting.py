"""The review text paints through SpanIndex + a highlighter of its own: annotators' colours blended as the
background, the unit's status as the underline, the current unit stronger. Opening reads in the background."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from pytestqt.qtbot import QtBot

from gui.palette import UNIT_STATUS_COLOURS, UNIT_STATUS_LABELS
from gui.review import ReviewWindow
from gui.review.review_view import CURRENT_STRENGTH, LAYER_STRENGTH, LOADING, ReviewTextView, blend
from storage import DISAGREED, INCOMPLETE, AnnotationDraft, Database

WAIT_MS = 20_000


def opened(qtbot: QtBot, db: Database) -> ReviewWindow:
    doc = db.documents.list()[0].id
    db.annotators.ensure("rita", role="reviewer")
    add = db.annotations.add
    add(AnnotationDraft(doc, 20, 30, stance="oppose"), by="alice")
    add(AnnotationDraft(doc, 20, 30, stance="neutral"), by="bob")
    add(AnnotationDraft(doc, 60, 70, stance="support"), by="bob")
    window = ReviewWindow(db, "rita")
    qtbot.addWidget(window)
    # The document is read in the background: the window shows at once, saying so.
    assert window.loading and window.text_view.toPlainText() == ""
    assert window.text_view.placeholderText() == LOADING
    window.resize(1200, 800)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: not window.loading, timeout=WAIT_MS)
    text = db.documents.get(doc).text
    assert window.text == text and window.text_view.toPlainText()[:60] == text[:60]
    return window


def background_of(view: ReviewTextView, code_point: int) -> list[QColor]:
    return [f.background().color() for f in view.formats_at(code_point) if f.background().style() != Qt.BrushStyle.NoBrush]


def only_format(view: ReviewTextView, code_point: int) -> QTextCharFormat:
    (fmt,) = view.formats_at(code_point)
    return fmt


def test_annotator_colours_and_unit_status_reach_the_documents_formats(qtbot: QtBot, seeded_db: Database) -> None:
    window = opened(qtbot, seeded_db)
    view, colours = window.text_view, window.colours
    assert set(colours) == {"alice", "bob"}

    assert window.current_unit() is not None and window.current_unit().start == 20  # the first disagreement
    both = only_format(view, 25)
    assert both.background().color() == blend([colours["alice"], colours["bob"]], CURRENT_STRENGTH)
    assert both.underlineStyle() == QTextCharFormat.UnderlineStyle.WaveUnderline
    assert both.underlineColor() == QColor(UNIT_STATUS_COLOURS[DISAGREED])
    assert f"{UNIT_STATUS_LABELS[DISAGREED]}: alice, bob" in both.toolTip()

    bobs = only_format(view, 65)
    assert bobs.background().color() == blend([colours["bob"]], LAYER_STRENGTH)
    assert bobs.underlineStyle() == QTextCharFormat.UnderlineStyle.DotLine
    assert bobs.underlineColor() == QColor(UNIT_STATUS_COLOURS[INCOMPLETE])
    assert background_of(view, 45) == []  # nobody marked it


def test_clicking_a_unit_makes_it_current_and_draws_it_stronger(qtbot: QtBot, seeded_db: Database) -> None:
    window = opened(qtbot, seeded_db)
    view, colours = window.text_view, window.colours
    cursor = QTextCursor(view.document())
    cursor.setPosition(65)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.cursorRect(cursor).center())
    qtbot.waitUntil(lambda: window.current_unit() is not None and window.current_unit().start == 60,
                    timeout=WAIT_MS)
    assert background_of(view, 65) == [blend([colours["bob"]], CURRENT_STRENGTH)]
    assert background_of(view, 25) == [blend([colours["alice"], colours["bob"]], LAYER_STRENGTH)]

    cursor.setPosition(25)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.cursorRect(cursor).center())
    qtbot.waitUntil(lambda: window.current_unit().start == 20, timeout=WAIT_MS)
    assert background_of(view, 25) == [blend([colours["alice"], colours["bob"]], CURRENT_STRENGTH)]
    assert background_of(view, 65) == [blend([colours["bob"]], LAYER_STRENGTH)]  # the old one repainted
