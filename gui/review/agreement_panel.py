"""Agreement at a glance: the pairwise matrix for a chosen measure, and every measure for this document
beside the corpus, drawn as bars (a bar reads faster than a column of decimals).

Clicking a matrix cell asks the window to show all of that pair's disagreements (labels, boundaries and passages
only one of them marked), whatever the measure: a low figure is explained by any of them."""
from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, Signal
from PySide6.QtGui import QBrush, QColor, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel, QStyledItemDelegate, QStyleOptionViewItem,
    QTableView, QVBoxLayout, QWidget,
)

from gui.plain_text import make_plain
from gui.review.item_models import FIGURE_ROLE, FIGURE_ROWS, FigureTableModel, PairMatrixModel
from storage import AgreementReport

class BarDelegate(QStyledItemDelegate):
    """Draws a figure as a horizontal bar from 0 to 1 under its number (negative values: an empty bar)."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        figure = index.data(FIGURE_ROLE)
        if figure is not None and figure.value is not None:
            share = min(max(figure.value, 0.0), 1.0)
            rect: QRect = option.rect.adjusted(2, 3, -2, -3)
            bar = QRect(rect.left(), rect.top(), int(rect.width() * share), rect.height())
            colour = QColor.fromHsvF(share / 3, 0.5, 0.9)
            painter.save()
            painter.fillRect(bar, colour)
            painter.restore()
        super().paint(painter, option, index)

    def initStyleOption(self, option: QStyleOptionViewItem,  # noqa: N802 (Qt's name)
                        index: QModelIndex | QPersistentModelIndex) -> None:
        super().initStyleOption(option, index)
        option.backgroundBrush = QBrush(QColor(0, 0, 0, 0))  # the bar is the background


class AgreementPanel(QWidget):
    sig_pair_chosen = Signal(str, str, object)
    """Annotator a, annotator b and the aspect (or None) of the matrix cell clicked."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._document: AgreementReport | None = None
        self._corpus: AgreementReport | None = None
        self.measure_box = QComboBox(self)
        for measure, attribute, label in FIGURE_ROWS:
            self.measure_box.addItem(label, (measure, attribute))
        self.measure_box.setCurrentIndex(1)  # span F1 by overlap: the first question is "did we mark the same?"
        self.scope_box = QComboBox(self)
        self.scope_box.addItem("This document", "document")
        self.scope_box.addItem("Corpus", "corpus")
        self.matrix_model = PairMatrixModel(self)
        self.matrix = QTableView(self)
        self.matrix.setModel(self.matrix_model)
        self.matrix.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.matrix.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.matrix.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.figures_model = FigureTableModel(self)
        self.figures = QTableView(self)
        self.figures.setModel(self.figures_model)
        self.figures.setItemDelegate(BarDelegate(self.figures))
        self.figures.verticalHeader().hide()
        self.figures.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.figures.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.figures.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)  # names whole
        self.hint = QLabel("Click a cell to list that pair's disagreements. Hover for the units behind a number.",
                           self)
        self.hint.setWordWrap(True)
        self.corpus_state = QLabel(self)
        self.corpus_state.setObjectName("corpusState")
        make_plain(self.hint, self.corpus_state)  # a failure message may quote what others typed
        self.corpus_state.hide()

        choose = QHBoxLayout()
        choose.addWidget(self.measure_box)
        choose.addWidget(self.scope_box)
        left = QVBoxLayout()
        left.addLayout(choose)
        left.addWidget(self.matrix)
        left.addWidget(self.hint)
        left.addWidget(self.corpus_state)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(left, 1)
        layout.addWidget(self.figures, 1)

        self.measure_box.currentIndexChanged.connect(lambda _: self._apply_measure())
        self.scope_box.currentIndexChanged.connect(lambda _: self._show_matrix())
        self.matrix.clicked.connect(self._cell_clicked)

    def set_reports(self, document: AgreementReport | None, corpus: AgreementReport | None) -> None:
        self._document, self._corpus = document, corpus
        self.figures_model.set_reports(document, corpus)
        self._show_matrix()

    def set_document_report(self, document: AgreementReport | None) -> None:
        self.set_reports(document, self._corpus)

    def show_corpus_computing(self) -> None:
        """The corpus column stays as it was (empty at first) until the background computation reports."""
        self.corpus_state.setText("Computing corpus agreement…")
        self.corpus_state.show()

    def set_corpus_report(self, corpus: AgreementReport) -> None:
        self.corpus_state.hide()
        self.set_reports(self._document, corpus)

    def show_corpus_failed(self, message: str) -> None:
        self.corpus_state.setText(f"Corpus agreement unavailable: {message}")
        self.corpus_state.show()

    def _show_matrix(self) -> None:
        report = self._document if self.scope_box.currentData() == "document" else self._corpus
        self.matrix_model.set_report(report)
        self._apply_measure()

    def _apply_measure(self) -> None:
        measure, attribute = self.measure_box.currentData()
        self.matrix_model.set_measure(measure, attribute)

    def _cell_clicked(self, index: QModelIndex) -> None:
        names = self.matrix_model.names()
        if not index.isValid() or index.row() == index.column():
            return
        self.sig_pair_chosen.emit(names[index.row()], names[index.column()], None)

