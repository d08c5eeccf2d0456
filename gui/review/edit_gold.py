"""The reviewer's own version of a unit: boundaries adjusted on the text with the exact passage in view, the
labels, and the rationale that goes with the decision.

The boundaries start from one annotator's version, or from a passage dragged in the review text (snapped to
whole words, as annotators' drags are). Offsets are code points; the preview converts to Qt's UTF-16 here."""
from __future__ import annotations

from typing import Any

from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QSpinBox,
    QTextEdit, QWidget,
)

from gui.offsets import OffsetConverter
from gui.palette import PASSAGE_MARK
from storage import AnnotationRecord, SchemeRecord

CONTEXT = 80  # characters of text shown either side of the passage


class EditGoldDialog(QDialog):
    def __init__(self, scheme: SchemeRecord, base: AnnotationRecord, text: str, rationale: str = "",
                 boundaries: tuple[int, int] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit the gold version")
        self.setMinimumWidth(560)
        self._text = text
        start, end = boundaries or (base.start, base.end)
        self.start, self.end = QSpinBox(self), QSpinBox(self)
        for box, value in ((self.start, start), (self.end, end)):
            box.setRange(0, len(text))
            box.setValue(value)
            box.setKeyboardTracking(True)
        self.preview = QPlainTextEdit(self)
        self.preview.setObjectName("goldPreview")
        self.preview.setReadOnly(True)
        self.preview.setTabChangesFocus(True)
        self.preview.setMaximumHeight(110)
        self.length_label = QLabel(self)
        self.stance, self.claim_type = QComboBox(self), QComboBox(self)
        for combo, attribute, label in ((self.stance, "stance", base.stance),
                                        (self.claim_type, "claim_type", base.claim_type)):
            combo.addItem("—", None)
            for item in scheme.values(attribute):
                combo.addItem(item.label, item.value)
            combo.setCurrentIndex(max(combo.findData(label), 0) if label else 0)
        self.actor, self.target = QLineEdit(base.actor or "", self), QLineEdit(base.target or "", self)
        self.rationale = QPlainTextEdit(rationale, self)
        self.rationale.setObjectName("goldRationale")
        self.rationale.setTabChangesFocus(True)
        self.rationale.setPlaceholderText("Rationale / note: why the gold version reads like this")
        self.rationale.setMaximumHeight(70)

        bounds = QHBoxLayout()
        bounds.addWidget(QLabel("Start", self))
        bounds.addWidget(self.start)
        bounds.addWidget(QLabel("End", self))
        bounds.addWidget(self.end)
        bounds.addWidget(self.length_label, 1)
        form = QFormLayout(self)
        form.addRow("Characters", bounds)
        form.addRow("Passage", self.preview)
        form.addRow("Stance", self.stance)
        form.addRow("Actor", self.actor)
        form.addRow("Claim type", self.claim_type)
        form.addRow("Target", self.target)
        form.addRow("Rationale", self.rationale)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self.start.valueChanged.connect(lambda _: self._update_preview())
        self.end.valueChanged.connect(lambda _: self._update_preview())
        self._update_preview()
        self.start.setFocus()

    def passage(self) -> str:
        """The exact passage the gold version will quote."""
        return self._text[self.start.value():self.end.value()]

    def _update_preview(self) -> None:
        start, end = self.start.value(), self.end.value()
        valid = start < end
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(valid)
        self.length_label.setText(f"{end - start} characters" if valid else "End must come after start")
        before_from, after_to = max(0, start - CONTEXT), min(len(self._text), end + CONTEXT)
        before = ("…" if before_from else "") + self._text[before_from:start]
        shown = before + self._text[start:end] + self._text[end:after_to] + ("…" if after_to < len(self._text) else "")
        self.preview.setPlainText(shown)  # plain text: the article is never read as HTML
        offsets = OffsetConverter(shown)
        cursor = QTextCursor(self.preview.document())
        cursor.setPosition(offsets.to_utf16(len(before)))
        cursor.setPosition(offsets.to_utf16(len(before) + max(end - start, 0)), QTextCursor.MoveMode.KeepAnchor)
        mark = QTextEdit.ExtraSelection()
        fmt = QTextCharFormat()
        fmt.setBackground(QColor(PASSAGE_MARK))
        fmt.setFontUnderline(True)
        mark.cursor, mark.format = cursor, fmt
        self.preview.setExtraSelections([mark])
        self._marked = QTextCursor(cursor)
        self.preview.setTextCursor(cursor)
        self.preview.ensureCursorVisible()

    def highlighted(self) -> str:
        """What the preview marks (for tests and to check it matches `passage`)."""
        return self._marked.selectedText().replace("\u2029", "\n")

    def rationale_text(self) -> str:
        return self.rationale.toPlainText().strip()

    def changes(self) -> dict[str, Any]:
        return dict(start=self.start.value(), end=self.end.value(), stance=self.stance.currentData(),
                    claim_type=self.claim_type.currentData(), actor=self.actor.text().strip() or None,
                    target=self.target.text().strip() or None)
