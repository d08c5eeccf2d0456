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

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt, Signal
from PySide6.QtGui import QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractButton, QButtonGroup, QComboBox, QCompleter, QFormLayout, QFrame, QHBoxLayout, QLabel, QLineEdit,
    QPushButton, QToolButton, QVBoxLayout, QWidget,
)

from gui.layout_limits import keep_narrow
from gui.plain_text import plain_tooltip
from storage import ActorRecord, AnnotationRecord, LabelValue, SchemeRecord

ACTOR_NAME_ROLE = Qt.ItemDataRole.UserRole + 1
QUOTE_PREVIEW = 140
MAX_ROW_WIDTH = 520  # px of label buttons in one row; more wrap to the next


def _folded(name: str) -> str:
    return " ".join(name.split()).casefold()


class TagEditor(QFrame):
    """Emits sig_accepted with {stance, claim_type, actor, target, note} (None or "" where unset), and
    `actor_kind` too when the analyst confirmed a new actor."""

    sig_accepted = Signal(object)
    """The analyst saved: the chosen values as a dict."""
    sig_cancelled = Signal()
    """The analyst cancelled; nothing is saved."""
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
        self.stance_group = _TagGroup(self)
        self.claim_group = _TagGroup(self)

        self.actor_box = QComboBox()
        self.actor_box.setEditable(True)
        self.actor_box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        keep_narrow(self.actor_box, chars=24)
        self.actor_box.lineEdit().setPlaceholderText("Who speaks: type to search, or a new name")
        self._actor_model = QStandardItemModel(self)
        self._completer = QCompleter(self._actor_model, self)
        self._completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self._completer.setCompletionRole(ACTOR_NAME_ROLE)
        self._completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.actor_box.setCompleter(self._completer)
        self.actor_box.lineEdit().textEdited.connect(self._suggest_actors)
        self.actor_box.lineEdit().textChanged.connect(self._show_resolution)
        self._completer.popup().installEventFilter(self)
        self._completions: tuple[str, list[ActorRecord]] = ("", [])
        self._resolved: ActorRecord | None = None
        self._new_confirmed = False
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
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.addWidget(self.quote_label)
        layout.addLayout(form)
        layout.addLayout(buttons)
        for field in (self.actor_box, self.actor_box.lineEdit(), self.target_edit, self.note_edit):
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
        margins = self.layout().contentsMargins()
        captions = max(self.fontMetrics().horizontalAdvance(c) for c in ("Stance", "Claim", "Actor", "Target", "Note"))
        room = width - margins.left() - margins.right() - captions - 24  # the form's spacing and the frame
        for group in (self.stance_group, self.claim_group):
            group.set_row_width(max(160, min(MAX_ROW_WIDTH, room)))

    def open_for(self, quote: str, anchor: QPoint, initial: AnnotationRecord | None = None) -> None:
        """Shows the editor for `quote` near `anchor` (global screen coordinates, e.g.
        view.viewport().mapToGlobal(view.selection_rect().bottomLeft())), prefilled from `initial`."""
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
        values = self.values()
        self.hide()
        self.sig_accepted.emit(values)

    def cancel(self) -> None:
        self.hide()
        self.sig_cancelled.emit()

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
        popup = self._completer.popup()
        if watched is self.new_kind_box and not self.new_kind_box.view().isVisible():
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._new_confirmed = True
                self.accept()
                return True
            if key == Qt.Key.Key_Escape:
                self.actor_box.setFocus(Qt.FocusReason.OtherFocusReason)
                return True
            return False
        if popup.isVisible() and watched in (popup, self.actor_box, self.actor_box.lineEdit()):
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
        popup = self._completer.popup()
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
        if self.parentWidget() is not None and not self.isWindow():
            area = self.parentWidget().rect()
            point = self.parentWidget().mapFromGlobal(anchor)
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


class _TagGroup(QObject):
    """A row of checkable buttons for one attribute; at most one checked, a second press unchecks."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.row = QWidget(parent)
        # A grid, not one row: a scheme with many imported labels must not make the editor wider than the
        # article (it would cover the panels, or the window).
        self._layout = QVBoxLayout(self.row)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(4)
        self._rows: list[QHBoxLayout] = []
        self._group = QButtonGroup(self)
        self._group.setExclusive(False)
        self._group.buttonClicked.connect(self._clicked)
        self._buttons: dict[str, QToolButton] = {}
        self._shortcuts: dict[str, str] = {}
        self._values: tuple[LabelValue, ...] = ()
        self._row_width = MAX_ROW_WIDTH

    def set_row_width(self, width: int) -> None:
        """Rows of at most `width` px; the buttons are laid out again if that changes."""
        if width != self._row_width:
            self._row_width = width
            chosen = self.value()
            self.set_values(self._values)
            self.select(chosen)

    def set_values(self, values: tuple[LabelValue, ...]) -> None:
        self._values = values
        for button in list(self._buttons.values()):
            self._group.removeButton(button)
            button.hide()  # not drawn over the new rows until it is deleted
            button.deleteLater()
        self._buttons.clear()
        self._shortcuts.clear()
        for old_row in self._rows:
            self._layout.removeItem(old_row)
            old_row.deleteLater()
        self._rows = []
        row_width = self._row_width + 1
        for value in values:
            button = QToolButton(self.row)
            label = value.label.replace("&", "&&")  # a label's "&" is a character, not a mnemonic
            button.setText(f"{label} ({value.shortcut})" if value.shortcut else label)
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)   # operated by its key or the mouse
            button.setToolTip(plain_tooltip(value.definition or value.label))
            button.setStyleSheet(f"QToolButton:checked {{ background: {value.colour}; color: white; "
                                 f"border: 1px solid {value.colour}; border-radius: 3px; }}")
            self._group.addButton(button)
            button.ensurePolished()  # measured as it will be drawn (the style sheet changes its size hint)
            width = button.sizeHint().width() + self._layout.spacing()
            if row_width + width > self._row_width:
                line = QHBoxLayout()
                line.setSpacing(4)
                line.addStretch(1)
                self._layout.addLayout(line)
                self._rows.append(line)
                row_width = 0
            self._rows[-1].insertWidget(self._rows[-1].count() - 1, button)   # before the closing stretch
            row_width += width
            self._buttons[value.value] = button
            if value.shortcut:
                self._shortcuts[value.shortcut.upper()] = value.value

    def value(self) -> str | None:
        return next((v for v, b in self._buttons.items() if b.isChecked()), None)

    def select(self, value: str | None) -> None:
        for v, button in self._buttons.items():
            button.setChecked(v == value)

    def button(self, value: str) -> QToolButton:
        return self._buttons[value]

    def toggle_shortcut(self, key: str) -> bool:
        """Presses the button whose shortcut is `key`; False if no button has it."""
        value = self._shortcuts.get(key)
        if value is None:
            return False
        self.select(None if self.value() == value else value)
        return True

    def _clicked(self, clicked: QAbstractButton) -> None:
        for button in self._buttons.values():
            if button is not clicked:
                button.setChecked(False)


def _is_text_field(widget: QWidget | None) -> bool:
    return isinstance(widget, QLineEdit) or (isinstance(widget, QComboBox) and widget.isEditable())
