"""The import's confirm step: where each single label goes, whose annotations the import makes; nothing is
written until Import is pressed. And a small editor that removes scheme labels nothing uses.

Every string that came from a file (labels, names, paths) is shown as plain text."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QButtonGroup, QComboBox, QDialog, QDialogButtonBox, QGridLayout, QGroupBox, QHBoxLayout,
    QLabel, QLineEdit, QPushButton, QRadioButton, QScrollArea, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

import storage
from storage import Database, ImportPreview, LabelFound

ATTRIBUTE_NAMES = (("claim_type", "Claim type"), ("stance", "Stance"), ("actor", "Actor"))
SKIP = "skip"
DEFAULT_IMPORT_ANNOTATOR = "import"


def plain_label(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


@dataclass(frozen=True)
class ImportChoice:
    """What import_paths is called with once the user confirms."""

    label_map: dict[str, tuple[str, str] | None]
    as_annotator: str | None  # everyone's annotations become this person's
    annotator: str  # spans the files give no name get this one


class LabelRow:
    """One file label: an attribute combo (or Skip) and a value combo (the existing match, or new)."""

    def __init__(self, found: LabelFound, preview: ImportPreview, parent: QWidget) -> None:
        self.found, self._preview = found, preview
        self.name = plain_label(found.label, parent)
        self.count = plain_label(f"{found.spans} span{'s' if found.spans != 1 else ''}", parent)
        self.attribute = QComboBox(parent)
        for key, text in ATTRIBUTE_NAMES:
            self.attribute.addItem(text, key)
        self.attribute.addItem("Skip (do not import)", SKIP)
        self.attribute.setAccessibleName(f"Attribute for {found.label}")
        self.value = QComboBox(parent)
        self.value.setAccessibleName(f"Value for {found.label}")
        self.attribute.setCurrentIndex(self.attribute.findData(found.attribute))
        self._fill_values()
        self.attribute.currentIndexChanged.connect(self._fill_values)

    def _fill_values(self) -> None:
        attribute = self.attribute.currentData()
        self.value.clear()
        self.value.setEnabled(attribute != SKIP)
        if attribute == SKIP:
            return
        self.value.addItem(f"new: {self.found.label}", self.found.label)
        for value in self._preview.existing_values(attribute):
            self.value.addItem(value, value)
        match = self.found.match_in(attribute)
        # Index 0 is "new" even when the label is spelt like an existing value: look past it for the match.
        existing = [self.value.itemData(i) for i in range(1, self.value.count())]
        self.value.setCurrentIndex(existing.index(match) + 1 if match in existing else 0)

    def choice(self) -> tuple[str, str] | None:
        attribute = self.attribute.currentData()
        return None if attribute == SKIP else (attribute, self.value.currentData())


class ImportDialog(QDialog):
    def __init__(self, db: Database, paths: list[str], preview: ImportPreview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import files")
        self._db, self._paths = db, paths
        self.labels_removed = False
        self.rows: list[LabelRow] = []
        layout = QVBoxLayout(self)
        self.summary = plain_label("", self)
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.labels_box = QGroupBox("Where the labels go", self)
        box_layout = QVBoxLayout(self.labels_box)
        # Not `self.scroll`: that is QWidget.scroll(dx, dy), which the attribute would hide.
        self.labels_scroll = QScrollArea(self.labels_box)
        self.labels_scroll.setWidgetResizable(True)
        box_layout.addWidget(self.labels_scroll)
        self.fixed = plain_label("", self.labels_box)
        self.fixed.setWordWrap(True)
        box_layout.addWidget(self.fixed)
        layout.addWidget(self.labels_box, 1)
        layout.addWidget(self._annotator_box(preview))
        buttons = QDialogButtonBox(self)
        self.import_button = buttons.addButton("&Import", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.edit_labels_button = buttons.addButton("&Remove Unused Labels…", QDialogButtonBox.ButtonRole.ActionRole)
        self.edit_labels_button.clicked.connect(self._edit_labels)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.import_button.setDefault(True)
        self.resize(640, 520)
        self.show_preview(preview)

    def _annotator_box(self, preview: ImportPreview) -> QGroupBox:
        box = QGroupBox("Whose annotations they become", self)
        grid = QGridLayout(box)
        names = ", ".join(preview.annotators)
        self.keep_names = QRadioButton(f"&The files' own annotators ({names})" if names else
                                       "The files' own annotators (the files name none)", box)
        self.one_name = QRadioButton("&All of them:", box)
        self.name_edit = QLineEdit(DEFAULT_IMPORT_ANNOTATOR, box)
        self.name_edit.setAccessibleName("Annotator name for the imported annotations")
        group = QButtonGroup(box)
        group.addButton(self.keep_names)
        group.addButton(self.one_name)
        self.keep_names.setEnabled(bool(preview.annotators))
        (self.keep_names if preview.annotators else self.one_name).setChecked(True)
        self.unnamed = plain_label("", box)
        grid.addWidget(self.keep_names, 0, 0, 1, 2)
        grid.addWidget(self.unnamed, 1, 0, 1, 2)
        grid.addWidget(self.one_name, 2, 0)
        grid.addWidget(self.name_edit, 2, 1)
        self.name_edit.textEdited.connect(lambda _text: self.one_name.setChecked(True))
        self.name_edit.textChanged.connect(self._update_ok)
        self.one_name.toggled.connect(self._update_ok)
        return box

    def show_preview(self, preview: ImportPreview) -> None:
        self.preview = preview
        present = f" ({preview.documents_present} already in the database)" if preview.documents_present else ""
        shapes = ", ".join(f"{n} {shape}" for shape, n in preview.shapes)
        self.summary.setText(f"{preview.documents} document{'s' if preview.documents != 1 else ''}{present} "
                             f"in {len(preview.files)} file{'s' if len(preview.files) != 1 else ''} ({shapes}); "
                             f"{preview.spans} span{'s' if preview.spans != 1 else ''}. Nothing is written "
                             f"until you press Import.")
        host = QWidget(self.labels_scroll)
        grid = QGridLayout(host)
        self.rows = [LabelRow(found, preview, host) for found in preview.single_labels]
        for header, column in (("Label in the file", 0), ("Spans", 1), ("Goes to", 2), ("Value", 3)):
            grid.addWidget(plain_label(header, host), 0, column)
        for n, row in enumerate(self.rows, start=1):
            for column, widget in enumerate((row.name, row.count, row.attribute, row.value)):
                grid.addWidget(widget, n, column)
        if not self.rows:
            grid.addWidget(plain_label("The files have no single labels to place.", host), 1, 0, 1, 4)
        grid.setRowStretch(len(self.rows) + 1, 1)
        self.labels_scroll.setWidget(host)
        fixed = [f for f in preview.labels if not f.single]
        self.fixed.setText("Labels the files assign themselves: " + "; ".join(
            f"{f.attribute.replace('_', ' ')} {f.label}{'' if not f.is_new else ' (new)'}" for f in fixed)
            if fixed else "")
        self.fixed.setVisible(bool(fixed))
        self.unnamed.setText(f"    {preview.spans_without_annotator} spans name nobody and become "
                             f"“{DEFAULT_IMPORT_ANNOTATOR}”'s" if preview.spans_without_annotator else "")
        self.unnamed.setVisible(bool(preview.spans_without_annotator) and bool(preview.annotators))
        if self.rows:
            self.rows[0].attribute.setFocus()

    def _update_ok(self) -> None:
        self.import_button.setEnabled(not self.one_name.isChecked() or bool(self.name_edit.text().strip()))

    def choice(self) -> ImportChoice:
        name = " ".join(self.name_edit.text().split())
        return ImportChoice(label_map={row.found.label: row.choice() for row in self.rows},
                            as_annotator=name if self.one_name.isChecked() else None,
                            annotator=DEFAULT_IMPORT_ANNOTATOR)

    def _edit_labels(self) -> None:
        dialog = SchemeLabelsDialog(self._db, self)
        dialog.exec()
        if dialog.removed:
            self.labels_removed = True
            try:  # the matches may have changed: read the files again
                self.show_preview(storage.preview_import(self._db, [Path(p) for p in self._paths]))
            except storage.StancemarkError as exc:
                self.summary.setText(f"The files cannot be read again: {exc}")
                self.import_button.setEnabled(False)


class SchemeLabelsDialog(QDialog):
    """The scheme's stance and claim type values with their use; one nothing uses can be removed."""

    def __init__(self, db: Database, parent: QWidget | None = None, by: str | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Label scheme")
        self._db, self._by = db, by
        self.removed: list[tuple[str, str]] = []
        self.table = QTableWidget(0, 4, self)
        self.table.setHorizontalHeaderLabels(["Attribute", "Value", "Label", "Used by"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.remove_button = QPushButton("&Remove Label", self)
        self.remove_button.clicked.connect(self.remove_selected)
        self.reason = plain_label("", self)
        self.reason.setWordWrap(True)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.remove_button)
        row.addStretch(1)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.reason)
        layout.addLayout(row)
        self.resize(520, 420)
        self.refresh()

    def refresh(self) -> None:
        self.uses = self._db.scheme.usage()
        self.table.setRowCount(len(self.uses))
        for n, use in enumerate(self.uses):
            used = f"{use.annotations} annotations" + (f", {use.gold} gold" if use.gold else "")
            for column, text in enumerate((use.attribute.replace("_", " "), use.value, use.label,
                                           used if use.used else "nothing")):
                self.table.setItem(n, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()

    def remove_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            self.reason.setText("Select a label first.")
            return
        use = self.uses[rows[0].row()]
        try:
            self._db.scheme.remove_label(use.attribute, use.value, by=self._by)
        except storage.StancemarkError as exc:
            self.reason.setText(str(exc))
            return
        self.removed.append((use.attribute, use.value))
        self.reason.setText(f"Removed {use.attribute.replace('_', ' ')} {use.value!r}.")
        self.refresh()
