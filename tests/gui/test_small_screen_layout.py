"""A 1024x768 screen: the review window fits it (its decision panel, toolbar and text inside, nothing cut) and the
tag editor opens within the article column instead of over the annotation panel."""
from __future__ import annotations

from pytestqt.qtbot import QtBot
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget

from gui.layout_limits import ElidedLabel
from gui.main_window import MainWindow
from gui.review import ReviewWindow
from storage import AnnotationDraft
from window_driver import drag

LONG_ACTOR = "Press office of the Ministry of Foreign Affairs of the Russian Federation"


def rect_in(widget: QWidget, ancestor: QWidget) -> QRect:
    return QRect(widget.mapTo(ancestor, QPoint(0, 0)), widget.size())


def assert_whole_inside(container: QWidget, window: QWidget) -> None:
    """Every visible widget of `container` lies inside it and inside the window; no button or label is cut."""
    box, frame = rect_in(container, window), window.rect()
    assert frame.contains(box), f"{container.objectName() or type(container).__name__} {box} leaves {frame}"
    for child in container.findChildren(QWidget):
        if not child.isVisibleTo(window) or child.width() == 0:
            continue
        where = rect_in(child, window)
        name = f"{type(child).__name__} {getattr(child, 'text', lambda: '')()!r}"
        assert box.contains(where), f"{name} at {where} leaves its panel {box}"
        if isinstance(child, QAbstractButton):
            assert child.width() >= child.sizeHint().width(), f"{name} is cut ({child.width()} px)"
        if isinstance(child, ElidedLabel):
            continue  # elides on purpose, the whole text in its tooltip
        if isinstance(child, QLabel) and not child.wordWrap() and child.text():
            assert child.width() >= child.fontMetrics().horizontalAdvance(child.text()), f"{name} is cut"
        if isinstance(child, QLabel) and child.wordWrap() and child.text():
            assert child.height() >= child.heightForWidth(child.width()), f"{name} has lines cut off"


def test_the_review_window_fits_a_1024x768_screen(qtbot: QtBot, seeded_db) -> None:  # type: ignore[no-untyped-def]
    doc = seeded_db.documents.list()[0].id
    seeded_db.annotators.ensure("rita", role="reviewer")
    for who, stance in (("alice", "oppose"), ("bob", "neutral")):
        seeded_db.annotations.add(AnnotationDraft(doc, 20, 30, stance=stance, actor=LONG_ACTOR,
                                                  target="Sochi talks"), by=who)
    window = ReviewWindow(seeded_db, "rita")
    qtbot.addWidget(window)
    window.resize(1024, 768)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: not window.loading, timeout=20_000)  # the document is read in the background
    window.disagreements.go(0)
    qtbot.wait(100)

    assert window.width() == 1024 and window.height() == 768  # its minimum fits: nothing beyond the screen
    assert window.decision.heading.text().startswith("Disagreed")
    scroll = window.decision_scroll
    assert window.rect().contains(rect_in(scroll, window))
    assert_whole_inside(window.decision, window.decision)  # every line of it whole, in the scroll area
    assert window.decision.width() <= scroll.viewport().width()  # nothing beyond the right edge
    if window.decision.height() > scroll.viewport().height():
        assert scroll.verticalScrollBar().isVisible()  # what is below is reached by scrolling
    assert_whole_inside(window.disagreements, window)
    for action in window.toolbar.actions():  # every button on the bar, none in its overflow menu
        button = window.toolbar.widgetForAction(action)
        if button is not None and action.isVisible():
            assert button.isVisible() and window.toolbar.rect().contains(button.geometry()), action.text()
    assert window.centralWidget().width() >= 40 * window.text_view.fontMetrics().averageCharWidth()


def test_the_tag_editor_stays_over_the_article_in_a_1024_window(qtbot: QtBot, window: MainWindow) -> None:
    window.resize(1024, 768)
    qtbot.waitUntil(lambda: window.width() == 1024)
    qtbot.wait(50)
    text = window.controller.document.text
    start = text.index("Kremlin admits")
    drag(qtbot, window, start, start + len("Kremlin admits"))
    editor = window.tag_editor
    qtbot.waitUntil(editor.isVisible)
    article = rect_in(window.view.viewport(), window)
    assert article.contains(rect_in(editor, window)), (rect_in(editor, window), article)
    assert_whole_inside(editor, window)
    assert not rect_in(editor, window).intersects(rect_in(window.panel, window))
