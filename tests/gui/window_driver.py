"""Drives the main window like an analyst: real mouse events on the article's viewport, real key presses.

Shared by the tests/gui/test_window*.py files (imported, not collected).
"""
from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot
from PySide6.QtCore import QEvent, QPoint, QPointF, QSettings, Qt
from PySide6.QtGui import QMouseEvent, QTextCharFormat
from PySide6.QtWidgets import QApplication, QMessageBox

from gui.app import open_window
from gui.highlighter import OTHER_LAYERS, OWN_LAYERS
from gui.main_window import MainWindow
from gui.offsets import OffsetConverter
from gui.settings import Settings


def temporary_settings(tmp_path: Path) -> Settings:
    """An INI file of the test's own: nothing read from or written to the real user's settings."""
    return Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


def start_window(qtbot: QtBot, location: str, settings: Settings, annotator: str = "alice") -> MainWindow:
    window = open_window(location, annotator, settings)
    assert window is not None, "the window did not open"
    qtbot.addWidget(window)
    window.controller.poll_timer.stop()  # tests poll by hand, at the moment they mean to
    # already shown, so waitExposed (a context manager that waits on leaving) cannot wrap show()
    qtbot.waitUntil(lambda: window.windowHandle() is not None and window.windowHandle().isExposed())
    with qtbot.waitActive(window):  # window shortcuts (Ctrl+Z, Ctrl+Return, Delete) need the active window
        window.activateWindow()
    return window


def error_box(window: MainWindow) -> QMessageBox | None:
    """The warning box on screen over the window ("… failed."), as the analyst sees it, or None."""
    shown = [box for box in window.findChildren(QMessageBox)
             if box.isVisible() and box.icon() == QMessageBox.Icon.Warning]
    assert len(shown) <= 1, "the window stacks error boxes instead of updating the one on screen"
    return shown[0] if shown else None


def open_document(qtbot: QtBot, window: MainWindow, title_start: str) -> str:
    model = window.documents.model
    row = next(r for r in range(model.rowCount()) if model.summary_at(r).title.startswith(title_start))
    document_id = model.summary_at(row).id
    window.documents.select(document_id)
    assert window.controller.document is not None and window.controller.document.id == document_id
    return document_id


def _inside(window: MainWindow, code_point: int, dx: int) -> QPoint:
    point = window.view.point_for_offset(code_point)
    return QPoint(point.x() + dx, point.y())


def drag(qtbot: QtBot, window: MainWindow, start: int, end: int,
         modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """Presses just inside the first character, moves with the button held, releases inside the last one."""
    view = window.view
    view.ensureCursorVisible()
    viewport = view.viewport()
    begin, finish = _inside(window, start, 2), _inside(window, end, -2)
    assert viewport.rect().contains(begin) and viewport.rect().contains(finish), "span is not on screen"
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, modifiers, begin)
    for step in range(1, 6):
        at = begin + (finish - begin) * step / 5
        move = QMouseEvent(QEvent.Type.MouseMove, QPointF(at), QPointF(viewport.mapToGlobal(at)),
                           Qt.MouseButton.NoButton, Qt.MouseButton.LeftButton, modifiers)
        QApplication.sendEvent(viewport, move)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, modifiers, finish)


def click(qtbot: QtBot, window: MainWindow, code_point: int,
          modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton, modifiers, _inside(window, code_point, 2))


def formats_over(window: MainWindow, code_point: int) -> list[QTextCharFormat]:
    """What `ArticleView.formats_at` reports, copied while the layout's format ranges are still alive.

    (formats_at hands out `range.format` of temporary ranges, which PySide may free before they are read.)"""
    QApplication.processEvents()
    window.view.formats_at(code_point)  # paints the block if the view had not yet
    converter = OffsetConverter(window.controller.document.text)
    utf16 = converter.to_utf16(code_point)
    block = window.view.document().findBlock(utf16)
    relative = utf16 - block.position()
    ranges = block.layout().formats()
    return [QTextCharFormat(r.format) for r in ranges if r.start <= relative < r.start + r.length]


def layers_at(window: MainWindow, code_point: int) -> tuple[int, int]:
    """(own, others) layers the highlighter painted over one character: what the analyst sees there."""
    formats = formats_over(window, code_point)
    if not formats:
        return 0, 0
    fmt = formats[-1]
    return int(fmt.property(OWN_LAYERS) or 0), int(fmt.property(OTHER_LAYERS) or 0)
