"""Help that cannot go out of date: the shortcut sheet is read from the window's own actions, and the
annotation guidelines from the label scheme (each value's definition, colour and key).

Both are tables of plain items: a label or definition typed by a scheme's author is never read as rich text.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QColor, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QDialogButtonBox, QHeaderView, QLabel, QLineEdit, QTableWidget, QTableWidgetItem,
    QVBoxLayout, QWidget,
)

from storage import SchemeRecord

TAG_EDITOR_GROUP = "Tag editor"


@dataclass(frozen=True)
class ShortcutRow:
    group: str
    action: str
    keys: str


def action_title(action: QAction) -> str:
    """The menu text without its mnemonic ampersands or trailing ellipsis."""
    text = action.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
    return text.rstrip("…").rstrip(".").strip()


def shortcut_rows(groups: Iterable[tuple[str, Iterable[QAction]]], scheme: SchemeRecord | None = None) -> list[ShortcutRow]:
    """One row per action that has a key, in menu order; then the tag editor's keys from the scheme."""
    rows: list[ShortcutRow] = []
    seen: set[int] = set()
    for group, actions in groups:
        for action in actions:
            if id(action) in seen or not action.shortcuts():
                continue
            seen.add(id(action))
            texts = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts()]
            keys = " or ".join(dict.fromkeys(t for t in texts if t))  # a standard key may repeat one given
            rows.append(ShortcutRow(group, action_title(action), keys))
    if scheme is not None:
        for attribute, values in (("stance", scheme.stances), ("claim type", scheme.claim_types)):
            for value in values:
                if value.shortcut:
                    rows.append(ShortcutRow(TAG_EDITOR_GROUP, f"{value.label} ({attribute})", value.shortcut))
        rows += [ShortcutRow(TAG_EDITOR_GROUP, "Next field", "Tab"),
                 ShortcutRow(TAG_EDITOR_GROUP, "Save the annotation", "Enter"),
                 ShortcutRow(TAG_EDITOR_GROUP, "Cancel", "Esc")]
    return rows


def _plain_item(text: str) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    return item


class _TableDialog(QDialog):
    """A read-only table with a filter box: type to narrow the rows."""

    def __init__(self, title: str, intro: str, headers: list[str], parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.intro = QLabel(intro)
        self.intro.setTextFormat(Qt.TextFormat.PlainText)
        self.intro.setWordWrap(True)
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("Type to filter")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self._filter)
        self.table = QTableWidget(0, len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.table, 1)
        layout.addWidget(close)
        self.resize(640, 520)
        self.filter_edit.setFocus()

    def set_rows(self, rows: list[list[QTableWidgetItem]]) -> None:
        self.table.setRowCount(len(rows))
        for r, items in enumerate(rows):
            for c, item in enumerate(items):
                self.table.setItem(r, c, item)
        self.table.resizeRowsToContents()

    def visible_rows(self) -> list[list[str]]:
        return [[self._text(r, c) for c in range(self.table.columnCount())]
                for r in range(self.table.rowCount()) if not self.table.isRowHidden(r)]

    def _text(self, row: int, column: int) -> str:
        item = self.table.item(row, column)  # None for a cell a shorter row left empty
        return item.text() if item is not None else ""

    def _filter(self, needle: str) -> None:
        needle = needle.casefold().strip()
        for r in range(self.table.rowCount()):
            text = " ".join(self._text(r, c) for c in range(self.table.columnCount())).casefold()
            self.table.setRowHidden(r, bool(needle) and needle not in text)


class ShortcutSheet(_TableDialog):
    """Help > Keyboard Shortcuts: every action with a key, as the menus have them now."""

    def __init__(self, rows: list[ShortcutRow], parent: QWidget | None = None) -> None:
        super().__init__("Keyboard Shortcuts", "Every key of this window, read from its menus and the label scheme.",
                         ["Where", "Action", "Keys"], parent)
        self.set_rows([[_plain_item(row.group), _plain_item(row.action), _plain_item(row.keys)] for row in rows])


class GuidelinesDialog(_TableDialog):
    """Help > Annotation Guidelines: each label of the scheme with its definition, colour and key."""

    def __init__(self, scheme: SchemeRecord, parent: QWidget | None = None) -> None:
        description = str(scheme.body.get("description") or "")
        intro = f"Label scheme {scheme.name}, version {scheme.version}." + (f" {description}" if description else "")
        super().__init__("Annotation Guidelines", intro, ["Attribute", "Label", "Key", "Definition"], parent)
        rows = []
        for attribute, values in (("Stance", scheme.stances), ("Claim type", scheme.claim_types)):
            for value in values:
                swatch = _plain_item(value.label)
                swatch.setData(Qt.ItemDataRole.DecorationRole, QColor(value.colour))
                swatch.setToolTip(value.colour)
                rows.append([_plain_item(attribute), swatch, _plain_item(value.shortcut),
                             _plain_item(value.definition)])
        if scheme.actor_kinds:
            rows.append([_plain_item("Actor kinds"), _plain_item(", ".join(scheme.actor_kinds)), _plain_item(""),
                         _plain_item("The kinds an actor of the registry can have.")])
        self.set_rows(rows)
