"""Limits that keep the article readable whatever others typed: a 300-character title, actor name or label
must not widen a dock until the article column is a sliver.

Qt sizes a combo box (by default) and a plain QLabel to their longest text, and a dock is never narrower
than its widgets' minimum size: so one long name anywhere in a dock decides the whole window's layout.
Combos here size to a few characters, labels elide (the whole text in a plain tooltip), the article column
has a minimum width and the docks a maximum.
"""
from __future__ import annotations

import shiboken6
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QComboBox, QDockWidget, QLabel, QLayout, QLayoutItem, QSizePolicy, QWidget

from gui.plain_text import plain_tooltip

READABLE_CHARS = 64  # the article column keeps room for this many average characters a line (~380 px)
LEFT_DOCK_MAX, RIGHT_DOCK_MAX = 520, 760  # px: beyond these a dock only takes room from the article
COMBO_CHARS = 16


def readable_width(widget: QWidget) -> int:
    """The narrowest the article column may get, in the article's own font."""
    return READABLE_CHARS * widget.fontMetrics().averageCharWidth()


class ArticleColumn(QWidget):
    """The window's centre: the article (and its find bar) in one column that never gets narrower than a
    readable line of the article's own font. The minimum is asked each time, not fixed at construction: the
    style sheet gives the article its 12 pt serif only when it is polished, after the window is built."""

    def __init__(self, article: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._article = article

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        hint = super().minimumSizeHint()
        self._article.ensurePolished()
        return QSize(max(hint.width(), readable_width(self._article)), hint.height())


def keep_narrow(*combos: QComboBox, chars: int = COMBO_CHARS) -> None:
    """Combos as wide as `chars` characters, not as their longest item (names, titles, labels)."""
    for combo in combos:
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(chars)


def limit_dock(dock: QDockWidget, maximum: int) -> None:
    dock.setMaximumWidth(maximum)


class ElidedLabel(QLabel):
    """One line of plain text, cut with "…" when the label is narrower than the text; the whole text is its
    tooltip then. `full_text()` is what was set; `text()` what is shown."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self._full = ""
        self._tip = ""
        self.setText(text)

    def full_text(self) -> str:
        return self._full

    def setText(self, text: str) -> None:  # noqa: N802 (Qt's name)
        self._full = text
        self._show()

    def set_tip(self, tip: str) -> None:
        """A tooltip of its own (plain text), shown whether or not the text is cut."""
        self._tip = tip
        self._show()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        metrics = self.fontMetrics()
        return QSize(min(metrics.horizontalAdvance(self._full), metrics.horizontalAdvance("M…") * 2),
                     super().minimumSizeHint().height())

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(self.fontMetrics().horizontalAdvance(self._full) + 2, super().sizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._show()

    def _show(self) -> None:
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, max(self.width(), 1))
        QLabel.setText(self, shown)
        tip = self._tip or (self._full if shown != self._full else "")
        self.setToolTip(plain_tooltip(tip))


class Gap(QWidget):
    """Room between two groups of a row, `width` px when there is room and none when the row is short.

    A widget rather than a QSpacerItem made in Python: the layout deletes its items in C++ without telling
    PySide, and a spacer's stale wrapper was seen handed back for a scroll bar born at the freed address
    (see forget_layout_item); a widget's end is always known to PySide."""

    def __init__(self, width: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._width = width
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(self._width, 0)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(0, 0)


def forget_layout_item(item: QLayoutItem | None) -> None:
    """Deletes a layout item taken out of its layout (Qt leaves that to the caller) and ends its Python wrapper
    with it. Left to the garbage collector, a taken spacer's wrapper was seen to outlive its C++ object, and
    PySide then handed a scroll bar or header born at the freed address back wrapped as that QSpacerItem."""
    if item is not None and shiboken6.isValid(item):
        shiboken6.delete(item)


def empty_layout(layout: QLayout) -> None:
    """Takes every item out of `layout`: widgets hidden at once and deleted by Qt later, items deleted now."""
    while layout.count():
        item = layout.takeAt(0)
        if item is None:
            break
        widget = item.widget()
        if widget is not None:
            widget.hide()
            widget.deleteLater()
        forget_layout_item(item)
