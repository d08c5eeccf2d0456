"""The Actors dock: the registry kept clean from the window.

Every actor with kind, aliases and how many annotations and documents use it; a filter as you type; rename,
kind, aliases, merge (undoable through the window's one undo stack: committed first, then pushed) and delete
of an actor nothing uses. Selecting an actor lists its passages across the corpus; Enter or a double-click on
one opens that document there. Reads (the overview, the passages) run in the thread pool on their own
connection (gui.workers.Job); an answer that arrives after the question changed is dropped. Every name is
shown as plain text (cells of item models, PlainText labels)."""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QFormLayout, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton,
    QSplitter, QTableView, QVBoxLayout, QWidget,
)

from storage import ActorMerge, ActorPassage, ActorUsage, SchemeRecord

from gui.undo_commands import StorageCommand, describe_failure
from gui.built_when_shown import BuiltWhenShown
from gui.workers import LatestRead

if TYPE_CHECKING:
    from storage import Database

Index = QModelIndex | QPersistentModelIndex
ACTOR_COLUMNS = ("Actor", "Kind", "Aliases", "Annotations", "Documents")
PASSAGE_COLUMNS = ("Document", "Annotator", "Passage")


def matches(usage: ActorUsage, needle: str) -> bool:
    """The filter: any part of the name or an alias, ignoring case and repeated spaces."""
    needle = " ".join(needle.split()).casefold()
    return not needle or any(needle in n.casefold() for n in (usage.name, *usage.aliases))


class _Table(QAbstractTableModel):
    """Rows of plain records shown through `cell`; Enter on a row of the view emits its row (see _RowView)."""

    columns: tuple[str, ...] = ()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[Any] = []

    def set_rows(self, rows: list[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 (Qt's name)
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 (Qt's name)
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 (Qt's name)
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.cell(self.rows[index.row()], index.column())
        if role == Qt.ItemDataRole.TextAlignmentRole and self.numeric(index.column()):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def cell(self, row: Any, column: int) -> str:
        raise NotImplementedError

    def numeric(self, column: int) -> bool:
        return False


class ActorUsageModel(_Table):
    columns = ACTOR_COLUMNS

    def cell(self, row: ActorUsage, column: int) -> str:
        return (row.name, row.kind, ", ".join(row.aliases), str(row.annotations), str(row.documents))[column]

    def numeric(self, column: int) -> bool:
        return column >= 3


class PassageModel(_Table):
    columns = PASSAGE_COLUMNS

    def cell(self, row: ActorPassage, column: int) -> str:
        return (row.title, row.annotator, " ".join(row.quote.split()))[column]


class _RowView(QTableView):
    """A read-only row table; Enter on the current row emits it, as a double-click does."""

    sig_chosen = Signal(int)
    """The row the analyst chose (Enter or a double-click)."""

    def __init__(self, model: _Table, parent: QWidget) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setWordWrap(False)
        self.verticalHeader().hide()
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.horizontalHeader().setStretchLastSection(True)
        self.doubleClicked.connect(lambda index: self.sig_chosen.emit(index.row()))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.sig_chosen.emit(self.currentIndex().row())
            return
        super().keyPressEvent(event)


class MergeActors(StorageCommand):
    """Merge is committed before the command is pushed; undo un-merges exactly what moved, redo merges again."""

    def __init__(self, db: Database, annotator: str, screen: "ActorsPanel", change: ActorMerge) -> None:
        super().__init__(f"Merge actor “{change.source_name}” into “{change.into_name}”", db, annotator, screen)
        self.change, self._panel = change, screen

    @classmethod
    def perform(cls, db: Database, annotator: str, screen: "ActorsPanel", source: int, into: int) -> "MergeActors":
        return cls(db, annotator, screen, db.actors.merge(source, into, by=annotator))

    def apply(self) -> None:
        self.change = self._db.actors.merge(self.change.source_id, self.change.into_id, by=self._annotator)
        self._panel.registry_changed(self.change.into_id)

    def revert(self) -> None:
        self._db.actors.unmerge(self.change, by=self._annotator)
        self._panel.registry_changed(self.change.source_id)


class ActorsPanel(BuiltWhenShown):
    """The dock's widget. `sig_open_passage` carries the chosen ActorPassage; `sig_registry_changed` says that
    names on screen may be stale (a rename or merge), so the window re-reads the open document."""

    sig_open_passage = Signal(object)
    """An ActorPassage to show in the article (it carries a hit's document and span)."""
    sig_registry_changed = Signal()
    """A rename, merge, alias or kind change was committed: names on screen may be stale."""
    sig_failed = Signal(str, str)
    """What was attempted, and why storage refused it."""
    sig_loaded = Signal(int)
    """The overview arrived: this many actor rows are shown."""
    sig_passages_loaded = Signal(int)
    """The chosen actor's passages arrived: this many are shown."""

    def __init__(self, db: Database, annotator: str, location: str, scheme: SchemeRecord, stack: QUndoStack,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.annotator, self.location, self.stack = db, annotator, location, stack
        self.usages: list[ActorUsage] = []
        self._asked_passages: int | None = None  # the actor whose passages are shown or on their way
        self._select_after_load: int | None = None
        # Background reads of which only the newest counts (another reload, another actor selected).
        self._overviews = self._reads("Reading actors", self._overview)
        self._passage_reads = self._reads("Reading passages", self._passages)

        self._actor_kinds = list(scheme.actor_kinds)

    def _reads(self, title: str, shown: Callable[[Any], None]) -> LatestRead:
        reads = LatestRead(self.location, title, parent=self)
        reads.sig_ready.connect(shown)
        reads.sig_failed.connect(lambda message: self._read_failed(title, message))
        return reads

    def _build(self) -> None:
        self.filter_box = QLineEdit(self)
        self.filter_box.setObjectName("actorsFilter")
        self.filter_box.setPlaceholderText("Filter actors by name or alias…")
        self.filter_box.setClearButtonEnabled(True)
        self.model = ActorUsageModel(self)
        self.table = _RowView(self.model, self)
        self.table.setObjectName("actorsTable")
        header = self.table.horizontalHeader()
        header.setResizeContentsPrecision(200)  # 5,000 actors: size columns from a sample, not every row
        header.setStretchLastSection(False)
        for column in range(len(ACTOR_COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch if column == 2
                                        else QHeaderView.ResizeMode.ResizeToContents)
        self.passage_model = PassageModel(self)
        self.passages = _RowView(self.passage_model, self)
        self.passages.setObjectName("actorPassages")

        self.name_edit = QLineEdit(self)
        self.name_edit.setToolTip("Enter renames the actor; the old name stays as an alias")
        self.kind_box = QComboBox(self)
        self.kind_box.addItems(self._actor_kinds)
        self.alias_edit = QLineEdit(self)
        self.alias_edit.setPlaceholderText("New alias, Enter to add")
        self.alias_box = QComboBox(self)
        self.remove_alias_button = QPushButton("Remove alias", self)
        self.merge_box = QComboBox(self)
        self.merge_box.setEditable(True)
        self.merge_box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        merge_line = self.merge_box.lineEdit()
        assert merge_line is not None  # an editable combo box has its line edit
        merge_line.setPlaceholderText("Merge into… (an actor's name)")
        self.merge_button = QPushButton("Merge", self)
        self.delete_button = QPushButton("Delete unused actor", self)
        self.status = QLabel(self)
        self.status.setTextFormat(Qt.TextFormat.PlainText)

        editor = QFormLayout()
        editor.addRow("Name", self.name_edit)
        editor.addRow("Kind", self.kind_box)
        editor.addRow("Add alias", self.alias_edit)
        editor.addRow("Aliases", _row(self.alias_box, self.remove_alias_button))
        editor.addRow("Merge into", _row(self.merge_box, self.merge_button))
        editor.addRow("", self.delete_button)
        upper = QWidget(self)
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addWidget(self.filter_box)
        upper_layout.addWidget(self.table, 1)
        upper_layout.addLayout(editor)
        lower = QWidget(self)
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        heading = QLabel("Where the actor occurs (Enter opens it)", lower)
        lower_layout.addWidget(heading)
        lower_layout.addWidget(self.passages, 1)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(upper)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status)

        self.filter_box.textChanged.connect(lambda _t: self._show(self.selected_id()))
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._selected())
        self.passages.sig_chosen.connect(self._open_passage)
        self.name_edit.returnPressed.connect(self.rename_selected)
        self.kind_box.activated.connect(lambda _i: self.set_kind_of_selected(self.kind_box.currentText()))
        self.alias_edit.returnPressed.connect(self.add_alias_to_selected)
        self.remove_alias_button.clicked.connect(self.remove_alias_of_selected)
        self.merge_button.clicked.connect(self.merge_selected)
        merge_line.returnPressed.connect(self.merge_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self._selected()

    # -- reading (off the UI thread) -------------------------------------------------------------
    def reload(self, select: int | None = None) -> None:
        """Reads the overview again in the background; `select` (an actor id) is selected when it arrives."""
        self._ensure_built()
        self._select_after_load = select if select is not None else self.selected_id()
        self._overviews.start(lambda db: db.actors.overview())

    def _overview(self, rows: list[ActorUsage]) -> None:
        self.usages = rows
        self.merge_box.clear()
        self.merge_box.addItems([u.name for u in rows])
        self.merge_box.setEditText("")
        self._show(self._select_after_load)
        self.sig_loaded.emit(self.model.rowCount())

    def _show(self, select: int | None) -> None:
        shown = [u for u in self.usages if matches(u, self.filter_box.text())]
        self.model.set_rows(shown)
        row = next((i for i, u in enumerate(shown) if u.id == select), 0 if shown else -1)
        if row >= 0:
            self.table.selectRow(row)
        self._selected()
        self.status.setText(f"{len(shown)} of {len(self.usages)} actors")

    def _selected(self) -> None:
        usage = self.selected()
        for widget in (self.name_edit, self.kind_box, self.alias_edit, self.alias_box, self.remove_alias_button,
                       self.merge_box, self.merge_button, self.delete_button):
            widget.setEnabled(usage is not None)
        self.name_edit.setText(usage.name if usage else "")
        self.kind_box.setCurrentText(usage.kind if usage else "")
        self.alias_box.clear()
        self.alias_box.addItems(list(usage.aliases) if usage else [])
        self.remove_alias_button.setEnabled(bool(usage and usage.aliases))
        self.delete_button.setEnabled(bool(usage and not usage.annotations and not usage.gold))
        if usage is None:
            self.passage_model.set_rows([])
            self._asked_passages = None
            self._passage_reads.drop_pending()
            return
        if usage.id == self._asked_passages:
            return
        self._asked_passages = actor_id = usage.id
        self._passage_reads.start(lambda db: db.actors.passages(actor_id))

    def _passages(self, rows: list[ActorPassage]) -> None:
        self.passage_model.set_rows(rows)
        if rows:
            self.passages.selectRow(0)
        self.sig_passages_loaded.emit(len(rows))

    def _read_failed(self, title: str, message: str) -> None:
        self._ensure_built()
        self.status.setText(f"{title}: {message}")
        self.sig_failed.emit(title, message)

    # -- choosing --------------------------------------------------------------------------------
    def selected(self) -> ActorUsage | None:
        self._ensure_built()
        index = self.table.currentIndex()
        return self.model.rows[index.row()] if index.isValid() and index.row() < len(self.model.rows) else None

    def selected_id(self) -> int | None:
        usage = self.selected()
        return usage.id if usage else None

    def select_actor(self, name: str) -> bool:
        self._ensure_built()
        for row, usage in enumerate(self.model.rows):
            if usage.name == name:
                self.table.selectRow(row)
                return True
        return False

    def _open_passage(self, row: int) -> None:
        if 0 <= row < len(self.passage_model.rows):
            self.sig_open_passage.emit(self.passage_model.rows[row])

    # -- changing (short writes on the UI thread, like every edit of the window) -------------------
    def _change(self, what: str, step: Callable[[], Any], select: int | None = None) -> bool:
        try:
            result = step()
        except Exception as exc:  # noqa: BLE001 - every refusal must reach the analyst
            self.status.setText(f"{what}: {describe_failure(exc)}")
            self.sig_failed.emit(what, describe_failure(exc))
            return False
        chosen = select if select is not None else getattr(result, "id", None)
        self.registry_changed(chosen)
        return True

    def registry_changed(self, select: int | None = None) -> None:
        self._asked_passages = None
        self.reload(select)
        self.sig_registry_changed.emit()

    def rename_selected(self) -> None:
        usage = self.selected()
        if usage is not None and " ".join(self.name_edit.text().split()) != usage.name:
            self._change("Rename actor", lambda: self.db.actors.rename(usage.id, self.name_edit.text(),
                                                                       by=self.annotator))

    def set_kind_of_selected(self, kind: str) -> None:
        usage = self.selected()
        if usage is not None and kind != usage.kind:
            self._change("Set actor kind", lambda: self.db.actors.set_kind(usage.id, kind, by=self.annotator))

    def add_alias_to_selected(self) -> None:
        usage, alias = self.selected(), self.alias_edit.text()
        if usage is not None and alias.strip() and \
                self._change("Add alias", lambda: self.db.actors.add_alias(usage.id, alias, by=self.annotator)):
            self.alias_edit.clear()

    def remove_alias_of_selected(self) -> None:
        usage, alias = self.selected(), self.alias_box.currentText()
        if usage is not None and alias:
            self._change("Remove alias", lambda: self.db.actors.remove_alias(usage.id, alias, by=self.annotator))

    def merge_selected(self) -> None:
        """Merges the selected actor into the one named in the merge box; one step on the undo stack."""
        usage, target = self.selected(), self.merge_box.currentText()
        if usage is None or not target.strip():
            return
        into = next((u for u in self.usages if u.name == target), None) or self._lookup(target)
        if into is None:
            self.status.setText(f"Merge: no actor named {target!r}")
            return
        try:
            command = MergeActors.perform(self.db, self.annotator, self, usage.id, into.id)
        except Exception as exc:  # noqa: BLE001
            self.status.setText(f"Merge actors: {describe_failure(exc)}")
            self.sig_failed.emit("Merge actors", describe_failure(exc))
            return
        self.stack.push(command)  # committed already: the first redo does nothing
        self.registry_changed(into.id)
        self.status.setText(f"Merged {command.change.source_name} into {command.change.into_name}: "
                            f"{len(command.change.annotations)} annotation(s) moved (Ctrl+Z undoes)")

    def _lookup(self, name: str) -> Any:
        try:
            return self.db.actors.lookup(name)
        except Exception:  # noqa: BLE001
            return None

    def delete_selected(self) -> None:
        usage = self.selected()
        if usage is not None:
            self._change("Delete actor", lambda: self.db.actors.delete(usage.id, by=self.annotator), select=-1)

    # -- where the undo commands report a refusal (gui.undo_commands.FailureReporter) -----------
    def report_failure(self, action: str, message: str, *, during_redo: bool) -> None:
        self._ensure_built()
        self.status.setText(f"{action}: {message}")
        self.sig_failed.emit(action, message)


def _row(*widgets: QWidget) -> QWidget:
    holder = QWidget()
    layout = QHBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        layout.addWidget(widget, 1 if isinstance(widget, QComboBox) else 0)
    return holder
