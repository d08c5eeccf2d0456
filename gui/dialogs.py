"""Small dialogs: who am I, open a database by URL, export options; and the Ctrl+F find bar."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel,
    QLineEdit, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget,
)


class AnnotatorDialog(QDialog):
    """Asked once: the name every annotation of this analyst is filed under."""

    def __init__(self, known: Sequence[str] = (), current: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Who is annotating?")
        # The question is in the dialog itself: many window managers show no title bar.
        question = QLabel("Who is annotating?", self)
        question.setTextFormat(Qt.TextFormat.PlainText)
        font = question.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        question.setFont(font)
        self.name_edit = QComboBox(self)
        self.name_edit.setEditable(True)
        self.name_edit.addItems(list(known))
        self.name_edit.setEditText(current)
        line_edit = self.name_edit.lineEdit()
        assert line_edit is not None  # an editable combo box always has its line edit
        line_edit.setPlaceholderText("Your name, e.g. alice")
        explain = QLabel("Your annotations, progress and undo history are kept under this name.\n"
                         "You can start Stancemark with --annotator NAME to choose another.", self)
        explain.setTextFormat(Qt.TextFormat.PlainText)
        explain.setWordWrap(True)
        self.hint = QLabel("Type a name to continue.", self)
        self.hint.setTextFormat(Qt.TextFormat.PlainText)
        self.hint.setStyleSheet("color: palette(dark);")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self._ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self._ok.setText("Start")
        self.name_edit.editTextChanged.connect(self._name_changed)
        self._name_changed(current)
        layout = QVBoxLayout(self)
        layout.addWidget(question)
        layout.addWidget(explain)
        layout.addWidget(self.name_edit)
        layout.addWidget(self.hint)
        layout.addWidget(buttons)

    def _name_changed(self, text: str) -> None:
        """An empty name cannot start the window, and the dialog says so instead of a silent grey button."""
        has_name = bool(text.strip())
        self._ok.setEnabled(has_name)
        self.hint.setVisible(not has_name)

    def name(self) -> str:
        return " ".join(self.name_edit.currentText().split())


class OpenLocationDialog(QDialog):
    """A SQLite file or a database URL (postgresql://user@host/db for a team server)."""

    def __init__(self, current: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Open database")
        self.location_edit = QLineEdit(current, self)
        self.location_edit.setPlaceholderText("/path/to/annotations.db  or  postgresql://user@host/database")
        self.location_edit.setMinimumWidth(460)
        browse = QPushButton("Browse…", self)
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.location_edit, 1)
        row.addWidget(browse)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel,
                                   self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Database file or URL:", self))
        layout.addLayout(row)
        layout.addWidget(buttons)

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Open or create a database", self.location_edit.text(),
                                              "Stancemark databases (*.db *.sqlite);;All files (*)",
                                              options=QFileDialog.Option.DontConfirmOverwrite)
        if path:
            self.location_edit.setText(path)

    def location(self) -> str:
        return self.location_edit.text().strip()


@dataclass
class ExportChoice:
    path: Path
    fmt: str
    label: str
    annotators: list[str] = field(default_factory=list)
    status: str | None = None
    document_ids: list[str] | None = None
    gold: bool = False
    include_unfinished: bool = False
    include_empty: bool = False
    include_unreviewed: bool = False
    merge: bool = False


class ExportDialog(QDialog):
    """Format, label attribute and filters; the export itself runs in the background afterwards."""

    def __init__(self, formats: Sequence[str], labels: Sequence[str], annotators: Sequence[str], me: str,
                 current_document: str | None, start_dir: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export JSONL")
        self._current_document = current_document
        self.format_combo = QComboBox(self)
        self.format_combo.addItems(list(formats))
        self.label_combo = QComboBox(self)
        for label in labels:
            self.label_combo.addItem(label.replace("_", " "), label)
        # The same default as `stancemark export --label`: the claim type.
        self.label_combo.setCurrentIndex(max(0, self.label_combo.findData("claim_type")))
        self.annotator_list = QListWidget(self)
        self.annotator_list.setMaximumHeight(110)
        for name in annotators:
            item = QListWidgetItem(name, self.annotator_list)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if name == me else Qt.CheckState.Unchecked)
        self.status_combo = QComboBox(self)
        self.status_combo.addItem("Any status", None)
        self.status_combo.addItem("Done only", "done")
        self.status_combo.addItem("In progress", "in_progress")
        self.gold = QCheckBox("The adjudicated gold set (with provenance) instead of annotators' work", self)
        self.gold.toggled.connect(lambda on: self.annotator_list.setEnabled(not on))
        # What a dataset leaves out unless asked (the same options as `stancemark export`).
        self.include_unfinished = QCheckBox("Documents not marked done (spans: as \"ignore\", never \"accept\")",
                                            self)
        self.include_empty = QCheckBox("Documents nobody selected has annotated", self)
        self.include_unreviewed = QCheckBox("Gold: documents not yet adjudicated (with their undecided units)", self)
        self.merge = QCheckBox("doccano: one line per document for all annotators (doccano drops overlaps)", self)
        self.current_only = QCheckBox("Only the open document", self)
        self.current_only.setEnabled(current_document is not None)
        self.path_edit = QLineEdit(str(Path(start_dir or Path.home()) / "stancemark-export.jsonl"), self)
        browse = QPushButton("Browse…", self)
        browse.clicked.connect(self._browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(browse)

        form = QFormLayout()
        form.addRow("Format", self.format_combo)
        form.addRow("Label", self.label_combo)
        form.addRow("", self.gold)
        form.addRow("Annotators", self.annotator_list)
        form.addRow("Status", self.status_combo)
        form.addRow("", self.current_only)
        form.addRow("Also include", self.include_unfinished)
        for box in (self.include_empty, self.include_unreviewed, self.merge):
            form.addRow("", box)
        form.addRow("Save to", path_row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel,
                                   self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export to", self.path_edit.text(), "JSON Lines (*.jsonl)")
        if path:
            self.path_edit.setText(path)

    def choice(self) -> ExportChoice:
        checked = [self.annotator_list.item(i).text() for i in range(self.annotator_list.count())
                   if self.annotator_list.item(i).checkState() == Qt.CheckState.Checked]
        return ExportChoice(
            path=Path(self.path_edit.text().strip()).expanduser(), fmt=self.format_combo.currentText(),
            label=self.label_combo.currentData(), annotators=[] if self.gold.isChecked() else checked,
            status=self.status_combo.currentData(), gold=self.gold.isChecked(),
            include_unfinished=self.include_unfinished.isChecked(), include_empty=self.include_empty.isChecked(),
            include_unreviewed=self.include_unreviewed.isChecked(), merge=self.merge.isChecked(),
            document_ids=[self._current_document] if self.current_only.isChecked() and self._current_document
            else None,
        )
