"""The Suggestions dock: this analyst's pending suggestions for the open document, in text order."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QSizePolicy, QVBoxLayout, QWidget

from storage import SchemeRecord

from gui.plain_text import make_plain

HINT = ("F6 / Shift+F6 next / previous claim (Ctrl+F6: any kind) · F7 accept · a claim key: accept as that type · "
        "Shift+F7 change labels, then accept · F9 reject · Ctrl+Shift+F7 accept all · Ctrl+Shift+S show or hide")


def describe(suggestion: object, scheme: SchemeRecord | None) -> str:
    """One line: what it proposes and the words it covers (shown as plain text)."""
    kind = getattr(suggestion, "kind")
    labels = {v.value: v.label for v in scheme.claim_types} if scheme is not None else {}
    parts = [labels.get(getattr(suggestion, "claim_type") or "", getattr(suggestion, "claim_type") or "claim")
             if kind == "claim" else "mention"]
    if getattr(suggestion, "actor"):
        parts.append(getattr(suggestion, "actor"))
    quote = " ".join(getattr(suggestion, "quote").split())
    return f"{' · '.join(parts)} — “{quote[:70]}{'…' if len(quote) > 70 else ''}”"


class SuggestionPanel(QWidget):
    sig_current_changed = Signal(int)
    """The current row of the list changed (the article goes to that suggestion)."""
    sig_activated = Signal(int)
    """Enter or a double-click on a row (accept that suggestion)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("suggestionPanel")
        self.count_label = QLabel("No suggestions", self)
        self.count_label.setObjectName("suggestionCount")
        self.list = QListWidget(self)
        self.list.setObjectName("suggestionList")
        self.hint = QLabel(HINT, self)
        self.hint.setWordWrap(True)
        # The dock shares the annotation column: its texts wrap or elide instead of widening that column and
        # squeezing the article (a long count line took 64 px from it at 1024x768).
        self.count_label.setWordWrap(True)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Its rows' widths must not ask for a wider column when suggestions arrive before the docks are sized.
        self.list.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Expanding)
        make_plain(self.count_label, self.hint)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.count_label)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.hint)
        self.list.currentRowChanged.connect(self.sig_current_changed)
        self.list.itemActivated.connect(lambda item: self.sig_activated.emit(self.list.row(item)))

    def show_suggestions(self, lines: list[str], current: int, computing: bool = False) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for line in lines:
            self.list.addItem(QListWidgetItem(line))
        if 0 <= current < len(lines):
            self.list.setCurrentRow(current)
        self.list.blockSignals(False)
        count = f"{len(lines)} suggestion{'s' if len(lines) != 1 else ''}" if lines else "No suggestions"
        self.count_label.setText(count + (" (looking for more…)" if computing else ""))

    def select_row(self, row: int) -> None:
        self.list.blockSignals(True)
        self.list.setCurrentRow(row)
        self.list.blockSignals(False)
