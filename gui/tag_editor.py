"""The compact popup that tags a fresh selection: stance, claim type, actor, target and note.

Made for the keyboard: after releasing the mouse the analyst presses a stance key (O/N/S in the default
scheme) and a claim key (1-6), Tab into the actor field, types a few letters, Enter. Single keys act as
shortcuts only while the focus is not in a text field; Enter saves and Escape cancels from anywhere in it.
Every label, colour and shortcut comes from the label scheme.

The actor field never makes an actor by accident: Tab and Enter take the highlighted completion (the first
one when none is highlighted); a typed alias shows what it stands for ("Putin → Vladimir Putin") and saves the
actor; case and repeated spaces do not matter. A name that matches nothing is saved only after Enter on the
"New actor" row, which also sets its kind (Escape there goes back to the name).
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt, Signal
from PySide6.QtGui import QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,     QComboBox, QCompleter, QFormLayout, QFrame, QHBoxLayout, QLabel, QLineEdit,
    QPushButton, QVBoxLayout, QWidget,
)

from gui.layout_limits import keep_narrow
from gui.tag_group import MAX_ROW_WIDTH, TagGroup
from storage import ActorRecord, AnnotationRecord, SchemeRecord

ACTOR_NAME_ROLE = Qt.ItemDataRole.UserRole + 1
QUOTE_PREVIEW = 140


def _folded(name: str) -> str:
    return " ".join(name.split()).casefold()


@dataclass(frozen=True)
class TagRequest:
    """What the editor is asked to label: a new span of a document, or an existing record (`record`). It comes
    back in sig_request_accepted with `values` filled in, so nobody waits for the answer in state of their own."""

    document_id: str
    start: int
    end: int
    quote: str
    record: AnnotationRecord | None = None
    values: Mapping[str, Any] | None = None

    @classmethod
    def for_record(cls, record: AnnotationRecord) -> "TagRequest":
        return cls(record.document_id, record.start, record.end, record.quote, record)


class TagEditor(QFrame):
    """Emits sig_accepted with {stance, claim_type, actor, target, note} (None or "" where unset), and
    `actor_kind` too when the analyst confirmed a new actor."""

    sig_accepted = Signal(object)
    """The analyst saved: the chosen values as a dict."""
    sig_cancelled = Signal()
    """The analyst cancelled; nothing is saved."""
    sig_request_accepted = Signal(object)
    """The TagRequest the editor was opened with, handed back with the chosen `values`."""
    sig_request_cancelled = Signal(object)
    """The TagRequest the editor was opened with, cancelled."""
    sig_guidelines_requested = Signal()
    """The analyst asked what a label means (the Guidelines button; F1 anywhere in the window)."""

    def __init__(self, scheme: SchemeRecord, complete_actors: Callable[[str], list[ActorRecord]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        if parent is None:
            self.setWindowFlags(Qt.WindowType.Tool | Qt.WindowType.FramelessWindowHint)
        self.setObjectName("TagEditor")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        # A default look; the application's style sheet may restyle #TagEditor and #TagEditorQuote.
        self.setStyleSheet("#TagEditor { background: palette(base); border: 1px solid palette(mid); "
                           "border-radius: 6px; } #TagEditorQuote { color: palette(dark); font-style: italic; }")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._complete_actors = complete_actors
        self._scheme = scheme

        self.quote_label = QLabel()
        self.quote_label.setTextFormat(Qt.TextFormat.PlainText)   # article text is untrusted
        self.quote_label.setWordWrap(True)
        self.quote_label.setObjectName("TagEditorQuote")
        self.stance_group = TagGroup(self)
        self.claim_group = TagGroup(self)

        self.actor_box = QComboBox()
        self.actor_box.setEditable(True)
        self.actor_box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        keep_narrow(self.actor_box, chars=24)
        actor_line = self.actor_box.lineEdit()
        assert actor_line is not None  # an editable combo box has its line edit
        self._actor_line = actor_line
        actor_line.setPlaceholderText("Who speaks: type to search, or a new name")
        self._actor_model = QStandardItemModel(self)
        self._completer = QCompleter(self._actor_model, self)
        self._completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self._completer.setCompletionRole(ACTOR_NAME_ROLE)
        self._completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.actor_box.setCompleter(self._completer)
        actor_line.textEdited.connect(self._suggest_actors)
        actor_line.textChanged.connect(self._show_resolution)
        popup = self._completer.popup()
        assert popup is not None  # a completer always has its popup view
        self._popup: QAbstractItemView = popup
        popup.installEventFilter(self)
        self._completions: tuple[str, list[ActorRecord]] = ("", [])
        self._resolved: ActorRecord | None = None
        self._new_confirmed = False
        self._request: TagRequest | None = None  # handed back on accept or cancel
        self.actor_hint = QLabel()
        self.actor_hint.setTextFormat(Qt.TextFormat.PlainText)   # names are typed by people
        self.actor_hint.setObjectName("TagEditorActorHint")
        self.actor_hint.hide()
        self.new_kind_box = QComboBox()
        self.new_kind_box.setToolTip("The new actor's kind; Enter creates it, Escape goes back to the name")
        self.new_kind_box.installEventFilter(self)
        self.new_actor_row = QWidget()
        new_row = QHBoxLayout(self.new_actor_row)
        new_row.setContentsMargins(0, 0, 0, 0)
        self.new_actor_label = QLabel("New actor:")
        self.new_actor_label.setTextFormat(Qt.TextFormat.PlainText)
        new_row.addWidget(self.new_actor_label)
        new_row.addWidget(self.new_kind_box)
        new_row.addWidget(QLabel("Enter to create · Esc back"))
        new_row.addStretch(1)
        self.new_actor_row.hide()
        self.target_edit = QLineEdit()
        self.target_edit.setPlaceholderText("What or whom the stance is about (optional)")
        self.note_edit = QLineEdit()
        self.note_edit.setPlaceholderText("Note (optional)")

        save = QPushButton("Save  ⏎")
        save.setDefault(True)
        save.clicked.connect(self.accept)
        cancel = QPushButton("Cancel  Esc")
        cancel.clicked.connect(self.cancel)
        guidelines = QPushButton("Guidelines  F1")
        guidelines.setToolTip("What each label means, with its colour and key")
        guidelines.clicked.connect(self.sig_guidelines_requested)
        for button in (save, cancel, guidelines):
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.addRow("Stance", self.stance_group.row)
        form.addRow("Claim", self.claim_group.row)
        form.addRow("Actor", self.actor_box)
        form.addRow("", self.actor_hint)
        form.addRow("", self.new_actor_row)
        form.addRow("Target", self.target_edit)
        form.addRow("Note", self.note_edit)
        buttons = QHBoxLayout()
        buttons.addWidget(guidelines)
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(save)
        layout = self._layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.addWidget(self.quote_label)
        layout.addLayout(form)
        layout.addLayout(buttons)
        for field in (self.actor_box, self._actor_line, self.target_edit, self.note_edit):
            field.installEventFilter(self)
        QWidget.setTabOrder(self.actor_box, self.new_kind_box)
        QWidget.setTabOrder(self.new_kind_box, self.target_edit)
        QWidget.setTabOrder(self.target_edit, self.note_edit)
        QWidget.setTabOrder(self.note_edit, save)
        QWidget.setTabOrder(save, cancel)
        self.set_scheme(scheme)
        self.hide()

    # -- public --------------------------------------------------------------------------------
    def set_scheme(self, scheme: SchemeRecord) -> None:
        """Rebuilds the stance and claim buttons from the scheme (labels, colours, shortcuts)."""
        self._scheme = scheme
        self.stance_group.set_values(scheme.stances)
        self.claim_group.set_values(scheme.claim_types)
        self.new_kind_box.clear()
        self.new_kind_box.addItems(list(scheme.actor_kinds))
        if "other" in scheme.actor_kinds:
            self.new_kind_box.setCurrentText("other")

    def fit_width(self, width: int) -> None:
        """Label rows wrap so that the editor is no wider than `width` px (the article's): in a narrow window it
        covered the annotation panel."""
        margins = self._layout.contentsMargins()
        captions = max(self.fontMetrics().horizontalAdvance(c) for c in ("Stance", "Claim", "Actor", "Target", "Note"))
        room = width - margins.left() - margins.right() - captions - 24  # the form's spacing and the frame
        for group in (self.stance_group, self.claim_group):
            group.set_row_width(max(160, min(MAX_ROW_WIDTH, room)))

    def open_request(self, request: TagRequest, anchor: QPoint) -> None:
        """Shows the editor for `request` (prefilled from its record, if any); it comes back with the values."""
        self.open_for(request.quote, anchor, initial=request.record)
        self._request = request

    def open_for(self, quote: str, anchor: QPoint, initial: AnnotationRecord | None = None) -> None:
        """Shows the editor for `quote` near `anchor` (global screen coordinates, e.g.
        view.viewport().mapToGlobal(view.selection_rect().bottomLeft())), prefilled from `initial`."""
        self._request = None
        preview = " ".join(quote.split())
        self.quote_label.setText(f"“{preview[:QUOTE_PREVIEW - 1]}…”" if len(preview) > QUOTE_PREVIEW
                                 else f"“{preview}”")
        self.stance_group.select(initial.stance if initial else None)
        self.claim_group.select(initial.claim_type if initial else None)
        self._fill_actor_list("")
        self.actor_box.clear()
        self.actor_box.addItems(self.actor_suggestions())   # the drop-down: the registry's first names
        self.actor_box.setEditText((initial.actor or "") if initial else "")
        self._show_resolution(self.actor_box.currentText())
        self.target_edit.setText((initial.target or "") if initial else "")
        self.note_edit.setText((initial.note or "") if initial else "")
        self.adjustSize()
        self._place(anchor)
        self.show()
        self.raise_()
        if self.isWindow():
            self.activateWindow()
        self.setFocus(Qt.FocusReason.PopupFocusReason)

    def values(self) -> dict[str, Any]:
        """What the editor holds now, in the shape sig_accepted carries."""
        typed = " ".join(self.actor_box.currentText().split())
        values: dict[str, Any] = {
            "stance": self.stance_group.value(),
            "claim_type": self.claim_group.value(),
            "actor": (self._resolved.name if self._resolved is not None else typed) or None,
            "target": self.target_edit.text().strip() or None,
            "note": self.note_edit.text().strip(),
        }
        if typed and self._resolved is None and self._new_confirmed:
            values["actor_kind"] = self.new_kind_box.currentText()
        return values

    def needs_new_actor_confirmation(self) -> bool:
        """A typed name that matches no actor and was not confirmed as a new one yet."""
        return bool(self.actor_box.currentText().strip()) and self._resolved is None and not self._new_confirmed

    def accept(self) -> None:
        if self.needs_new_actor_confirmation():
            self.new_actor_row.show()
            self.new_kind_box.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        values, request, self._request = self.values(), self._request, None
        self.hide()
        self.sig_accepted.emit(values)
        if request is not None:
            self.sig_request_accepted.emit(replace(request, values=values))

    def cancel(self) -> None:
        request, self._request = self._request, None
        self.hide()
        self.sig_cancelled.emit()
        if request is not None:
            self.sig_request_cancelled.emit(request)

    # -- keys ----------------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        """Reached by keys the focused child did not use: Enter, Escape and the scheme's single keys."""
        if self._enter_or_escape(event):
            return
        if not event.modifiers() & ~(Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier) \
                and not _is_text_field(self.focusWidget()) and self.focusWidget() is not self.new_kind_box \
                and len(event.text()) == 1:
            key = event.text().upper()
            if self.stance_group.toggle_shortcut(key) or self.claim_group.toggle_shortcut(key):
                event.accept()
                return
        super().keyPressEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """Enter and Escape inside a text field save and cancel; with the actor list open, Tab and Enter take
        the highlighted completion and Escape closes the list; on the new actor's kind, Enter confirms."""
        if event.type() != QEvent.Type.KeyPress:
            return super().eventFilter(watched, event)
        key = event.key()  # type: ignore[attr-defined]
        popup = self._popup
        if watched is self.new_kind_box and not self.new_kind_box.view().isVisible():
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._new_confirmed = True
                self.accept()
                return True
            if key == Qt.Key.Key_Escape:
                self.actor_box.setFocus(Qt.FocusReason.OtherFocusReason)
                return True
            return False
        if popup.isVisible() and watched in (popup, self.actor_box, self._actor_line):
            if key in (Qt.Key.Key_Tab, Qt.Key.Key_Return, Qt.Key.Key_Enter) and self._take_completion():
                if key == Qt.Key.Key_Tab:
                    self.target_edit.setFocus(Qt.FocusReason.TabFocusReason)
                return True
            if key == Qt.Key.Key_Escape and watched is not popup:
                popup.hide()
                return True
            return False
        if watched is popup or popup.isVisible():
            return False
        return self._enter_or_escape(event)  # type: ignore[arg-type]

    def _take_completion(self) -> bool:
        """Puts the highlighted completion (else the first) into the actor field; False if there is none."""
        popup = self._popup
        index = popup.currentIndex()
        if not index.isValid():
            index = self._completer.completionModel().index(0, 0)
        if not index.isValid():
            return False
        popup.hide()
        self.actor_box.setEditText(index.data(ACTOR_NAME_ROLE))
        return True

    def _enter_or_escape(self, event: QKeyEvent) -> bool:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.accept()
        elif event.key() == Qt.Key.Key_Escape:
            self.cancel()
        else:
            return False
        event.accept()
        return True

    # -- actors --------------------------------------------------------------------------------
    def _suggest_actors(self, text: str) -> None:
        self._fill_actor_list(text)
        if text.strip() and self._actor_model.rowCount():
            self._completer.setCompletionPrefix(text)
            self._completer.complete()

    def _candidates(self, prefix: str) -> list[ActorRecord]:
        """The registry's completions for a prefix; the last answer is kept (typing asks once per key)."""
        key = " ".join(prefix.split())
        if self._completions[0] != key or not key:
            self._completions = (key, self._complete_actors(key))
        return self._completions[1]

    def _show_resolution(self, text: str) -> None:
        """What the typed name stands for: an actor (shown when reached by an alias, case or spaces) or a new
        one (the kind row, confirmed with Enter)."""
        self._new_confirmed = False
        typed = _folded(text)
        self._resolved = None
        if typed:
            for actor in self._candidates(text):
                if typed in (_folded(n) for n in (actor.name, *actor.aliases)):
                    exact = _folded(actor.name) == typed
                    if self._resolved is None or exact:
                        self._resolved = actor
                    if exact:
                        break
        shown = " ".join(text.split())
        if self._resolved is not None and self._resolved.name != shown:
            self.actor_hint.setText(f"{shown} → {self._resolved.name}")
            self.actor_hint.show()
        else:
            self.actor_hint.hide()
        if typed and self._resolved is None:
            self.new_actor_label.setText(f"New actor “{shown[:60]}”:")
            self.new_actor_row.show()
        else:
            self.new_actor_row.hide()

    def _fill_actor_list(self, prefix: str) -> None:
        """Completion rows from the registry: the name to insert, shown with aliases that matched."""
        self._actor_model.clear()
        for actor in self._candidates(prefix):
            shown = f"{actor.name}  ({', '.join(actor.aliases)})" if actor.aliases else actor.name
            item = QStandardItem(shown)
            item.setData(actor.name, ACTOR_NAME_ROLE)
            item.setEditable(False)
            self._actor_model.appendRow(item)

    @property
    def actor_completer(self) -> QCompleter:
        return self._completer

    def actor_suggestions(self) -> list[str]:
        """Names the completer offers now (for tests and accessibility)."""
        return [self._actor_model.item(row).data(ACTOR_NAME_ROLE) for row in range(self._actor_model.rowCount())]

    # -- placement -----------------------------------------------------------------------------
    def _place(self, anchor: QPoint) -> None:
        """Puts the editor just below-right of the anchor, kept inside the parent (or the screen)."""
        size = self.sizeHint().expandedTo(self.minimumSizeHint())
        parent = self.parentWidget()
        if parent is not None and not self.isWindow():
            area = parent.rect()
            point = parent.mapFromGlobal(anchor)
        else:
            screen = self.screen()
            area = screen.availableGeometry() if screen is not None else QRect(0, 0, 1920, 1080)
            point = anchor
        x = min(max(point.x(), area.left()), max(area.right() - size.width(), area.left()))
        y = point.y() + 4
        if y + size.height() > area.bottom():
            y = max(point.y() - size.height() - 28, area.top())
        self.resize(size)
        self.move(x, y)


def _is_text_field(widget: QWidget | None) -> bool:
    return isinstance(widget, QLineEdit) or (isinstance(widget, QComboBox) and widget.isEditable())
