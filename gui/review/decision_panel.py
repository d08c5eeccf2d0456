"""The current unit's versions side by side, the gold decision, and the reviewer's controls.

Key n accepts the n-th annotator's version (the window owns the shortcuts); the rationale box is optional and
goes with whichever decision comes next. Tab leaves the rationale box, and so do Ctrl+Enter and Escape, which
hand the keys back to the window (1-9, E, R decide with the rationale just written)."""
from __future__ import annotations

from typing import Mapping, Sequence

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QGridLayout, QGroupBox, QHBoxLayout, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from gui.plain_text import plain_label
from gui.palette import NEUTRAL, UNIT_STATUS_LABELS as STATUS_LABELS
from gui.review.item_models import ASPECT_LABELS
from gui.review.review_view import swatch
from gui.layout_limits import empty_layout
from storage import AnnotationRecord, GoldRecord, ReviewUnit, describe_attribution

NOT_A_REVIEWER = "Only reviewers adjudicate. You see the gold version and its rationale beside each annotator's."


def _names(names: Sequence[str]) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def describe_differences(unit: ReviewUnit, participants: Sequence[str]) -> str:
    """What the annotators disagree on, as a sentence: "the stance and claim type differ; only bob marked it"."""
    labels = [ASPECT_LABELS[a].lower() for a in unit.differences if a != "missing"]
    parts = []
    if labels:
        singular = len(labels) == 1 and labels[0] != "boundaries"
        parts.append(f"the {_names(labels)} differ{'s' if singular else ''}")
    if "missing" in unit.differences:
        marked = [name for name in participants if unit.version(name) is not None]
        absent = [name for name in participants if unit.version(name) is None]
        parts.append(f"only {_names(marked)} marked it" if len(marked) <= len(absent) else
                     f"{_names(absent)} did not mark it")
    return "; ".join(parts) or "everyone agrees"


class RationaleBox(QPlainTextEdit):
    """Takes letters and digits for itself; Tab moves on; Ctrl+Enter and Escape give the keys back."""

    sig_done = Signal()
    """Ctrl+Enter or Escape: the reviewer is done typing and the decision keys work again."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if watched is self and event.type() in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) \
                and isinstance(event, QKeyEvent) and self._is_done_key(event):
            if event.type() == QEvent.Type.ShortcutOverride:
                event.accept()  # ours, not the window's Escape (which closes it)
            else:
                self.sig_done.emit()
            return True
        return super().eventFilter(watched, event)

    @staticmethod
    def _is_done_key(event: QKeyEvent) -> bool:
        if event.key() == Qt.Key.Key_Escape:
            return True
        return event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) \
            and bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)


def describe(record: AnnotationRecord | GoldRecord,
             attribution: Mapping[str, AnnotationRecord | GoldRecord] | None = None) -> str:
    """One version as plain text; its source, cue and relay (if linked) on a second line."""
    quote = " ".join(record.quote.split())
    quote = quote if len(quote) <= 90 else quote[:89] + "…"
    parts = [f"[{record.start}–{record.end}) “{quote}”", f"stance {record.stance or '—'}",
             f"actor {record.actor or '—'}", f"claim {record.claim_type or '—'}"]
    if record.target:
        parts.append(f"target {record.target}")
    linked = describe_attribution(attribution or {})
    return " · ".join(parts) + (f"\n{linked}" if linked else "")


class DecisionPanel(QWidget):
    sig_accept_requested = Signal(str)
    """The annotation id of the version to take into gold."""
    sig_edit_requested = Signal(str)
    """The annotation id of the version an edited gold version starts from."""
    sig_reject_requested = Signal()
    """The reviewer leaves the current unit out of the dataset."""

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
        self.rationale = RationaleBox(self)
        self.rationale.setPlaceholderText("Rationale (optional): why this version wins. Ctrl+Enter when done")
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
        self.reject_button.clicked.connect(self.sig_reject_requested)

    def set_may_adjudicate(self, may: bool) -> None:
        self._may_adjudicate = may
        self.rationale.setReadOnly(not may)
        self.notice.setText("" if may else NOT_A_REVIEWER)
        for button in (self.edit_button, self.reject_button):
            button.setToolTip("" if may else NOT_A_REVIEWER)
        self._update_enabled()

    def rationale_text(self) -> str:
        return self.rationale.toPlainText().strip()

    def show_unit(self, unit: ReviewUnit | None, participants: Sequence[str], colours: dict[str, str]) -> None:
        if unit is None or self._unit is None or unit.key != self._unit.key:
            self.rationale.clear()
        self._unit = unit
        empty_layout(self._grid)
        self.accept_buttons = []
        if unit is None:
            self.heading.setText("No unit selected")
            self.gold_label.setText("")
            self._update_enabled()
            return
        self.heading.setText(f"{STATUS_LABELS[unit.status]} · characters {unit.start}–{unit.end} · "
                             f"{describe_differences(unit, participants)}")
        for row, name in enumerate(participants):
            version = unit.version(name)
            self._grid.addWidget(swatch(colours.get(name, NEUTRAL)), row, 0)
            self._grid.addWidget(plain_label(f"{row + 1}  {name}"), row, 1)
            text = plain_label(describe(version, unit.attribution(version.id)) if version else
                               "did not mark this passage")
            text.setWordWrap(True)
            self._grid.addWidget(text, row, 2)
            button = QPushButton(f"Accept ({row + 1})" if row < 9 else "Accept")
            button.setEnabled(version is not None and self._may_adjudicate)
            if not self._may_adjudicate:
                button.setToolTip(NOT_A_REVIEWER)
            if version is not None:
                button.clicked.connect(lambda _=False, i=version.id: self.sig_accept_requested.emit(i))
            self._grid.addWidget(button, row, 3)
            self.accept_buttons.append(button)
        self._grid.setColumnStretch(2, 1)
        gold = unit.gold
        self.gold_label.setText("Not decided yet" if gold is None else
                                f"{gold.decision} by {gold.reviewer} at {gold.updated_at:%Y-%m-%d %H:%M}: "
                                f"{describe(gold, unit.gold_links) if gold.decision != 'rejected' else 'not in the dataset'}"
                                + (f"\nRationale: {gold.rationale}" if gold.rationale else ""))
        self._update_enabled()

    def _update_enabled(self) -> None:
        on = self._unit is not None and self._may_adjudicate
        self.edit_button.setEnabled(on)
        self.reject_button.setEnabled(on)

    def _edit_first(self) -> None:
        if self._unit is not None:
            self.sig_edit_requested.emit(self._unit.spans[0].id)
