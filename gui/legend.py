"""The colour legend: what each highlight colour means, built from the label scheme (data, not code)."""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QGridLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from storage import SchemeRecord

from gui.layout_limits import ElidedLabel, empty_layout
from gui.plain_text import make_plain, plain_tooltip

ATTRIBUTE_TITLES = {"claim_type": "Claim type", "stance": "Stance", "actor": "Actor"}


@dataclass(frozen=True)
class LegendEntry:
    colour: str
    label: str
    shortcut: str = ""
    definition: str = ""


def entries_for(scheme: SchemeRecord, attribute: str, actor_colours: dict[str, str] | None = None) -> list[LegendEntry]:
    """Legend rows for the attribute the article is coloured by; actors come from the open document."""
    if attribute == "actor":
        colours = actor_colours or {}
        if not colours:
            return [LegendEntry(scheme.actor_colour, "No actors tagged yet")]
        return [LegendEntry(colour, name) for name, colour in sorted(colours.items(), key=lambda kv: kv[0].lower())]
    return [LegendEntry(v.colour, v.label, v.shortcut, v.definition) for v in scheme.values(attribute)]


class Swatch(QWidget):
    """A rounded colour chip, painted like the highlight it stands for (translucent fill, solid edge)."""

    def __init__(self, colour: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._colour = QColor(colour)
        self.setFixedSize(QSize(18, 14))

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        fill = QColor(self._colour)
        fill.setAlphaF(0.45)
        painter.setBrush(fill)
        painter.setPen(self._colour)
        painter.drawRoundedRect(self.rect().adjusted(1, 1, -1, -1), 3, 3)


class ColourLegend(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("colourLegend")
        self.title = ElidedLabel("", self)  # elides rather than widen the dock at 1024 px
        self.title.setObjectName("legendTitle")
        self._grid_host = QWidget(self)
        self._grid = QGridLayout(self._grid_host)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(8)
        self._grid.setVerticalSpacing(4)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 10)
        layout.setSpacing(6)
        layout.addWidget(self.title)
        layout.addWidget(self._grid_host)
        self.note = QLabel(self)
        self.note.setObjectName("legendNote")
        self.note.setWordWrap(True)
        self.note.hide()
        make_plain(self.note)
        layout.addWidget(self.note)
        layout.addStretch(1)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self._entries: list[LegendEntry] = []
        self._shown: tuple[str, list[LegendEntry], str] | None = None

    def show_for(self, scheme: SchemeRecord, attribute: str, actor_colours: dict[str, str] | None,
                 others_shown: bool) -> None:
        """What the article's colours mean now. Rebuilt only when that changed: new legend widgets relayout the
        whole left dock column and repaint the window, which after every add cost more than the add itself."""
        entries = entries_for(scheme, attribute, actor_colours)
        note = ("Dotted underline: other annotators (read-only). Underline: overlapping spans."
                if others_shown else "Underline: overlapping spans.")
        note += " No fill: mentions (underlined in the actor's colour) and cues (dotted)."
        if (attribute, entries, note) == self._shown:
            return
        self._shown = (attribute, entries, note)
        self.show_entries(attribute, entries)
        self.set_note(note)

    def show_entries(self, attribute: str, entries: list[LegendEntry]) -> None:
        self._entries = list(entries)
        self.title.setText(f"Colours: {ATTRIBUTE_TITLES.get(attribute, attribute)}")
        empty_layout(self._grid)
        for row, entry in enumerate(entries):
            swatch = Swatch(entry.colour, self._grid_host)
            label = ElidedLabel(entry.label, self._grid_host)  # a long actor name must not widen the dock
            key = QLabel(entry.shortcut, self._grid_host)
            key.setTextFormat(Qt.TextFormat.PlainText)
            key.setObjectName("legendKey")
            key.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            for widget in (swatch, key):
                widget.setToolTip(plain_tooltip(entry.definition))
            label.set_tip(entry.definition)
            self._grid.addWidget(swatch, row, 0)
            self._grid.addWidget(label, row, 1)
            self._grid.addWidget(key, row, 2)
        self._grid.setColumnStretch(1, 1)
        self._keep_room()

    def _keep_room(self) -> None:
        """Asks the dock for the height every row needs: the note under the colours (show others) used to
        squeeze the last rows until 'Support' was cut off."""
        QTimer.singleShot(0, self._fit_height)  # once the new rows are polished and laid out

    def _fit_height(self) -> None:
        layout = self.layout()
        if layout is None:
            return
        layout.invalidate()
        width = max(self.width(), 160)
        needed = layout.totalHeightForWidth(width) if layout.hasHeightForWidth() else layout.sizeHint().height()
        self.setMinimumHeight(max(needed, layout.sizeHint().height()))

    def set_note(self, text: str) -> None:
        """A line under the colours, e.g. how other annotators' spans are drawn when they are shown."""
        self.note.setText(text)
        self.note.setVisible(bool(text))
        self._keep_room()

    def labels(self) -> list[str]:
        return [entry.label for entry in self._entries]
