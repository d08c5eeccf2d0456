"""The current unit's versions side by side, the gold decision, and the reviewer's controls.

Key n accepts the n-th annotator's version (the window owns the shortcuts); the rationale box is optional and
goes with whichever decision comes next."""
from __future__ import annotations

from typing import Any, Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QGridLayout, QGroupBox, QHBoxLayout, QLineEdit,
    QPlainTextEdit, QPushButton, QSpinBox, QVBoxLayout, QWidget,
)

from gui.layout_limits import keep_narrow
from gui.plain_text import plain_label
from gui.review.models import ASPECT_LABELS, STATUS_LABELS
from gui.review.review_view import swatch
from storage import AnnotationRecord, GoldRecord, ReviewUnit, SchemeRecord

NOT_A_REVIEWER = "Only reviewers adjudicate. You see the gold version and its rationale beside each annotator's."


def describe(record: AnnotationRecord | GoldRecord) -> str:
    quote = " ".join(record.quote.split())
    quote = quote if len(quote) <= 90 else quote[:89] + "…"
    parts = [f"[{record.start}–{record.end}) “{quote}”", f"stance {record.stance or '—'}",
             f"actor {record.actor or '—'}", f"claim {record.claim_type or '—'}"]
    if record.target:
        parts.append(f"target {record.target}")
    return " · ".join(parts)


class DecisionPanel(QWidget):
    accept_requested = Signal(str)  # annotation id of the version to take
    edit_requested = Signal(str)    # annotation id of the version to start from
    reject_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._unit: ReviewUnit | None = None
        self._may_adjudicate = False
        self.heading = plain_label("No unit selected")
        self.heading.setWordWrap(True)
        self.versions_box = QGroupBox("Versions", self)
        self._grid = QGridLayout(self.versions_box)
        self.gold_label = plain_label("")
        self.gold_label.setWordWrap(True)
        self.gold_label.setObjectName("goldLabel")
        self.rationale = QPlainTextEdit(self)
        self.rationale.setPlaceholderText("Rationale (optional): why this version wins")
        self.rationale.setMaximumHeight(80)
        self.edit_button = QPushButton("Edit… (E)", self)
        self.reject_button = QPushButton("Reject (R)", self)
        self.notice = plain_label("")
        self.notice.setWordWrap(True)
        self.accept_buttons: list[QPushButton] = []

        buttons = QHBoxLayout()
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.reject_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.heading)
        layout.addWidget(self.versions_box)
        layout.addWidget(plain_label("Gold"))
        layout.addWidget(self.gold_label)
        layout.addWidget(self.rationale)
        layout.addLayout(buttons)
        layout.addWidget(self.notice)
        layout.addStretch(1)
        self.edit_button.clicked.connect(self._edit_first)
        self.reject_button.clicked.connect(self.reject_requested)

    def set_may_adjudicate(self, may: bool) -> None:
        self._may_adjudicate = may
        self.rationale.setReadOnly(not may)
        self.notice.setText("" if may else NOT_A_REVIEWER)
        self._update_enabled()

    def rationale_text(self) -> str:
        return self.rationale.toPlainText().strip()

    def show_unit(self, unit: ReviewUnit | None, participants: Sequence[str], colours: dict[str, str]) -> None:
        if unit is None or self._unit is None or unit.key != self._unit.key:
            self.rationale.clear()
        self._unit = unit
        while self._grid.count():
            item = self._grid.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        self.accept_buttons = []
        if unit is None:
            self.heading.setText("No unit selected")
            self.gold_label.setText("")
            self._update_enabled()
            return
        differs = ", ".join(ASPECT_LABELS[a].lower() for a in unit.differences) or "nothing"
        self.heading.setText(f"{STATUS_LABELS[unit.status]} · characters {unit.start}–{unit.end} · differs in "
                             f"{differs}")
        for row, name in enumerate(participants):
            version = unit.version(name)
            self._grid.addWidget(swatch(colours.get(name, "#999999")), row, 0)
            self._grid.addWidget(plain_label(f"{row + 1}  {name}"), row, 1)
            text = plain_label(describe(version) if version else "did not mark this passage")
            text.setWordWrap(True)
            self._grid.addWidget(text, row, 2)
            button = QPushButton(f"Accept ({row + 1})" if row < 9 else "Accept")
            button.setEnabled(version is not None and self._may_adjudicate)
            if version is not None:
                button.clicked.connect(lambda _=False, i=version.id: self.accept_requested.emit(i))
            self._grid.addWidget(button, row, 3)
            self.accept_buttons.append(button)
        self._grid.setColumnStretch(2, 1)
        gold = unit.gold
        self.gold_label.setText("Not decided yet" if gold is None else
                                f"{gold.decision} by {gold.reviewer} at {gold.updated_at:%Y-%m-%d %H:%M}: "
                                f"{describe(gold) if gold.decision != 'rejected' else 'not in the dataset'}"
                                + (f"\nRationale: {gold.rationale}" if gold.rationale else ""))
        self._update_enabled()

    def _update_enabled(self) -> None:
        on = self._unit is not None and self._may_adjudicate
        self.edit_button.setEnabled(on)
        self.reject_button.setEnabled(on)

    def _edit_first(self) -> None:
        if self._unit is not None:
            self.edit_requested.emit(self._unit.spans[0].id)


class EditGoldDialog(QDialog):
    """The reviewer's own version of a unit, starting from one annotator's: boundaries and attributes."""

    def __init__(self, scheme: SchemeRecord, base: AnnotationRecord, text_length: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit the gold version")
        self.start, self.end = QSpinBox(self), QSpinBox(self)
        for box, value in ((self.start, base.start), (self.end, base.end)):
            box.setRange(0, text_length)
            box.setValue(value)
        self.stance, self.claim_type = QComboBox(self), QComboBox(self)
        for box, attribute, value in ((self.stance, "stance", base.stance),
                                      (self.claim_type, "claim_type", base.claim_type)):
            box.addItem("—", None)
            for item in scheme.values(attribute):
                box.addItem(item.label, item.value)
            box.setCurrentIndex(max(box.findData(value), 0) if value else 0)
        keep_narrow(self.stance, self.claim_type, chars=24)
        self.actor, self.target = QLineEdit(base.actor or "", self), QLineEdit(base.target or "", self)
        form = QFormLayout(self)
        form.addRow("Start (character)", self.start)
        form.addRow("End (character)", self.end)
        form.addRow("Stance", self.stance)
        form.addRow("Actor", self.actor)
        form.addRow("Claim type", self.claim_type)
        form.addRow("Target", self.target)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def changes(self) -> dict[str, Any]:
        return dict(start=self.start.value(), end=self.end.value(), stance=self.stance.currentData(),
                    claim_type=self.claim_type.currentData(), actor=self.actor.text().strip() or None,
                    target=self.target.text().strip() or None)

