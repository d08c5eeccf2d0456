"""One attribute's row of label buttons in the tag editor: checkable, at most one checked, keys press them."""
from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QAbstractButton, QButtonGroup, QHBoxLayout, QToolButton, QVBoxLayout, QWidget

from gui.plain_text import plain_tooltip
from storage import LabelValue

MAX_ROW_WIDTH = 520  # px of label buttons in one row; more wrap to the next


class TagGroup(QObject):
    """A row of checkable buttons for one attribute; at most one checked, a second press unchecks."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.row = QWidget(parent)
        # A grid, not one row: a scheme with many imported labels must not make the editor wider than the
        # article (it would cover the panels, or the window).
        self._layout = QVBoxLayout(self.row)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(4)
        self._rows: list[QHBoxLayout] = []
        self._group = QButtonGroup(self)
        self._group.setExclusive(False)
        self._group.buttonClicked.connect(self._clicked)
        self._buttons: dict[str, QToolButton] = {}
        self._shortcuts: dict[str, str] = {}
        self._values: tuple[LabelValue, ...] = ()
        self._row_width = MAX_ROW_WIDTH

    def set_row_width(self, width: int) -> None:
        """Rows of at most `width` px; the buttons are laid out again if that changes."""
        if width != self._row_width:
            self._row_width = width
            chosen = self.value()
            self.set_values(self._values)
            self.select(chosen)

    def set_values(self, values: tuple[LabelValue, ...]) -> None:
        self._values = values
        for button in list(self._buttons.values()):
            self._group.removeButton(button)
            button.hide()  # not drawn over the new rows until it is deleted
            button.deleteLater()
        self._buttons.clear()
        self._shortcuts.clear()
        for old_row in self._rows:
            self._layout.removeItem(old_row)
            old_row.deleteLater()
        self._rows = []
        row_width = self._row_width + 1
        for value in values:
            button = QToolButton(self.row)
            label = value.label.replace("&", "&&")  # a label's "&" is a character, not a mnemonic
            button.setText(f"{label} ({value.shortcut})" if value.shortcut else label)
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)   # operated by its key or the mouse
            button.setToolTip(plain_tooltip(value.definition or value.label))
            button.setStyleSheet(f"QToolButton:checked {{ background: {value.colour}; color: white; "
                                 f"border: 1px solid {value.colour}; border-radius: 3px; }}")
            self._group.addButton(button)
            button.ensurePolished()  # measured as it will be drawn (the style sheet changes its size hint)
            width = button.sizeHint().width() + self._layout.spacing()
            if row_width + width > self._row_width:
                line = QHBoxLayout()
                line.setSpacing(4)
                line.addStretch(1)
                self._layout.addLayout(line)
                self._rows.append(line)
                row_width = 0
            self._rows[-1].insertWidget(self._rows[-1].count() - 1, button)   # before the closing stretch
            row_width += width
            self._buttons[value.value] = button
            if value.shortcut:
                self._shortcuts[value.shortcut.upper()] = value.value

    def value(self) -> str | None:
        return next((v for v, b in self._buttons.items() if b.isChecked()), None)

    def select(self, value: str | None) -> None:
        for v, button in self._buttons.items():
            button.setChecked(v == value)

    def button(self, value: str) -> QToolButton:
        return self._buttons[value]

    def toggle_shortcut(self, key: str) -> bool:
        """Presses the button whose shortcut is `key`; False if no button has it."""
        value = self._shortcuts.get(key)
        if value is None:
            return False
        self.select(None if self.value() == value else value)
        return True

    def _clicked(self, clicked: QAbstractButton) -> None:
        for button in self._buttons.values():
            if button is not clicked:
                button.setChecked(False)
