"""Marking attribution with the keyboard and the mouse: with a claim selected, S picks its source, C its cue,
R its relay and T its target; a drag (or a click on a word) in the article marks the words, and a click on a
mention or cue already marked reuses it. A new mention gets its actor from a small prompt that proposes the
registry actor its words name (Enter accepts, Esc leaves it without actor). Esc cancels picking.

Also here: what the window does around links. Deleting a mention or cue that claims use asks what becomes of
them; editing a mention's actor brings its claims' new actor on screen; the panel says what a claim links to.
"""
from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QMouseEvent
from PySide6.QtWidgets import (
    QApplication, QCompleter, QFrame, QLabel, QLineEdit, QMenu, QMessageBox, QVBoxLayout, QWidget,
)

from storage import LINK_KINDS, LINK_ROLES, AnnotationChange, AnnotationDraft, AnnotationRecord

from gui import operations
from gui.change_bus import describe_failure
from gui.link_painter import LinkOverlay, link_summary
from gui.view_text import snap_to_words

ROLE_KEYS = {"source": "S", "cue": "C", "relay": "R", "target": "T"}
ROLE_TITLES = {"source": "Pick the &Source", "cue": "Pick the &Cue", "relay": "Pick the &Relay",
               "target": "Pick the &Target"}
ROLE_TIPS = {"source": "who holds the claim", "cue": "the words that signal it (said, according to)",
             "relay": "who passes it on", "target": "whom the stance is about"}
KEEP, DELETE_TOO = "keep", "delete"

if TYPE_CHECKING:
    from gui.controller import AnnotationController


def proposed_actor(words: str, candidates: list[Any]) -> str | None:
    """The registry actor whose name or an alias holds every word of the mention as a whole word (case and
    spacing ignored): "Lavrov" proposes Sergei Lavrov, "he" proposes no Stephen."""
    wanted = [w.strip(".,;:!?'\"“”‘’()").lower() for w in words.split()]
    wanted = [w for w in wanted if w]
    if not wanted:
        return None
    for actor in candidates:
        for name in (actor.name, *actor.aliases):
            parts = name.lower().split()
            if all(w in parts for w in wanted):
                return actor.name
    return None


class ActorPrompt(QFrame):
    """One line under the new mention: the proposed actor, editable, completed from the registry as typed."""

    sig_finished = Signal(object)
    """The actor name chosen, or None (Esc: no actor)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("actorPrompt")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.caption = QLabel(self)
        self.caption.setTextFormat(Qt.TextFormat.PlainText)  # the words come from the article
        self.edit = QLineEdit(self)
        self.edit.setObjectName("actorPromptEdit")
        self.edit.setPlaceholderText("Actor (Enter: keep, Esc: none)")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(2)
        layout.addWidget(self.caption)
        layout.addWidget(self.edit)
        self.edit.returnPressed.connect(self._accept)
        self.edit.installEventFilter(self)
        self.hide()

    def open_for(self, words: str, proposal: str | None, names: list[str], at: QPoint) -> None:
        completer = QCompleter(names, self.edit)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.InlineCompletion)
        self.edit.setCompleter(completer)
        self.caption.setText(f"Who is “{' '.join(words.split())[:60]}”? Enter keeps it, Esc: no actor")
        self.edit.setText(proposal or "")
        self.edit.selectAll()
        self.adjustSize()
        self.resize(max(self.width(), 300), self.height())
        parent = self.parentWidget()
        room = parent.size() if parent is not None else self.size()
        x = min(max(at.x(), 0), max(room.width() - self.width(), 0))
        self.move(x, min(at.y(), max(room.height() - self.height(), 0)))
        self.show()
        self.raise_()
        self.edit.setFocus(Qt.FocusReason.PopupFocusReason)

    def _accept(self) -> None:
        self._finish(" ".join(self.edit.text().split()) or None)

    def _finish(self, value: str | None) -> None:
        if self.isVisible():
            self.hide()
            self.sig_finished.emit(value)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) \
                and event.key() == Qt.Key.Key_Escape:
            self._finish(None)
            return True
        return False


class AttributionMarking(QObject):
    """Pick mode and the links' side effects, wired into the window's controller, article and panel."""

    sig_picking_changed = Signal(str)
    """What the status bar says while picking ("" once done)."""

    def __init__(self, controller: AnnotationController, window: QWidget) -> None:
        super().__init__(window)
        self.controller, self.view, self.panel = controller, controller.view, controller.panel
        self.role: str | None = None
        self.claim_id: str | None = None
        self._press: QPoint | None = None
        self._pending: AnnotationDraft | None = None
        self.prompt = ActorPrompt(window)
        self.prompt.sig_finished.connect(self._actor_chosen)
        self.overlay = LinkOverlay(self.view, self._to_utf16, self.view.annotation,
                                   lambda: self.view.selected_annotation_id)
        self.links_label = QLabel(self.panel.editor)
        self.links_label.setObjectName("editorLinks")
        self.links_label.setTextFormat(Qt.TextFormat.PlainText)  # quotes and actor names are typed by people
        self.links_label.setWordWrap(True)
        editor_layout = self.panel.editor.layout()
        assert isinstance(editor_layout, QVBoxLayout)  # the panel's editor is a column
        editor_layout.insertWidget(2, self.links_label)
        self.actions: dict[str, QAction] = {}
        scheme = self.view.scheme
        claim_keys = {v.shortcut.upper() for v in scheme.claim_types} if scheme is not None else set()
        for role in LINK_ROLES:
            action = QAction(ROLE_TITLES[role], self.view)
            if ROLE_KEYS[role] not in claim_keys:  # a scheme's claim key on a selected span comes first
                action.setShortcut(QKeySequence(ROLE_KEYS[role]))
            # Only while the article has the keyboard: the tag editor's S (Support) and typing stay untouched.
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.setStatusTip(f"Mark or pick {ROLE_TIPS[role]} of the selected claim")
            action.triggered.connect(lambda _=False, r=role: self.start(r))
            self.view.addAction(action)
            self.actions[role] = action
        # Esc is read from the article's own key presses (see eventFilter), not a shortcut: a window-wide Esc
        # would take the key from dialogs such as the import dialog.
        self.cancel_action = QAction("Cancel Picking\tEsc", self.view)
        self.cancel_action.setStatusTip("Stop picking (Esc in the article)")
        self.cancel_action.triggered.connect(self.cancel)
        self.view.viewport().installEventFilter(self)  # before the view's own mouse handling
        self.view.installEventFilter(self)
        controller.delete_guard = self.delete_guard
        controller.sig_annotation_shown.connect(self._annotation_shown)
        controller.sig_annotations_changed.connect(self._refresh_summary)
        controller.sig_annotations_changed.connect(self.overlay.update)
        controller.sig_document_opened.connect(lambda _document: self.cancel_all())
        self.panel.sig_record_shown.connect(self._show_summary)

    def menu(self, parent: QWidget) -> QMenu:
        menu = QMenu("A&ttribution", parent)
        for action in (*self.actions.values(), None, self.cancel_action):
            menu.addSeparator() if action is None else menu.addAction(action)
        return menu

    # -- picking ---------------------------------------------------------------------------------
    def start(self, role: str) -> None:
        claim = self.panel.selected_record()
        if self.prompt.isVisible():
            return
        if claim is None or claim.kind != "claim":
            self.controller.sig_hint.emit("Select a claim first, then press "
                                          f"{ROLE_KEYS[role]} to pick its {role}.")
            return
        if not self.controller.finish_loading():
            return
        self.role, self.claim_id = role, claim.id
        self.view.clear_span_selection()
        what = "a mention" if LINK_KINDS[role] == "mention" else "the cue words"
        self.sig_picking_changed.emit(f"Picking the {role} of “{claim.quote[:40]}”: drag over {what} or click a "
                                  f"word (a marked one is reused); Esc cancels.")

    def cancel(self) -> None:
        if self.prompt.isVisible():
            self.prompt._finish(None)
            return
        self._end()

    def cancel_all(self) -> None:
        """Another document opened: a half-made pick (and its prompt) belongs to the one left."""
        self._pending = None
        self.prompt.hide()
        self._end()

    @property
    def picking(self) -> bool:
        return self.role is not None

    def _end(self) -> None:
        was = self.role is not None
        self.role, self._press, self._pending = None, None, None
        self.view.clear_span_selection()
        if was:
            self.sig_picking_changed.emit("")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if self.role is None or self.prompt.isVisible():
            return False
        if watched is self.view and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) \
                and event.key() == Qt.Key.Key_Escape:
            self.cancel()
            return True
        if watched is self.view or not isinstance(event, QMouseEvent):
            return False
        kind, point = event.type(), event.position().toPoint()
        if kind == QEvent.Type.MouseButtonPress and event.button() == Qt.MouseButton.LeftButton:
            self._press = point
        elif kind == QEvent.Type.MouseMove and self._press is not None:
            start, end = self._dragged_span(self._press, point)
            if start < end:
                self.view.select_span(start, end)  # the analyst sees the words as they are picked
        elif kind == QEvent.Type.MouseButtonRelease and event.button() == Qt.MouseButton.LeftButton:
            pressed, self._press = self._press or point, None
            self._released(pressed, point)
        elif kind == QEvent.Type.MouseButtonDblClick:
            pass
        else:
            return False
        return True  # while picking, the mouse picks: no selection for tagging, no deselecting the claim

    def _dragged_span(self, begin: QPoint, end: QPoint) -> tuple[int, int]:
        a, b = sorted((self.view.offset_at(begin), self.view.offset_at(end)))
        return (a, b) if self.view.exact_selection else snap_to_words(self.controller.document.text, a, b)

    def _released(self, pressed: QPoint, point: QPoint) -> None:
        wanted = LINK_KINDS[self.role or "source"]
        if (point - pressed).manhattanLength() >= QApplication.startDragDistance():
            start, end = self._dragged_span(pressed, point)
        else:
            character = self.view.character_at(point)
            if character is None:
                return
            marked = self._marked(wanted, character)
            if marked is not None:
                self._link(marked.id)
                return
            start, end = snap_to_words(self.controller.document.text, character, character + 1)
        if start >= end:
            return
        same = next((a for a in self._own_at(start) if (a.start, a.end, a.kind) == (start, end, wanted)), None)
        if same is not None:
            self._link(same.id)
            return
        draft = AnnotationDraft(self.controller.document.id, start, end, kind=wanted)
        if wanted == "cue":
            self._link(None, draft)
            return
        self._pending = draft
        self.view.select_span(start, end)
        words = self.controller.document.text[start:end]
        rect = self.view.selection_rect()
        at = self.view.viewport().mapTo(self.prompt.parentWidget() or self.view.window(),
                                        QPoint(rect.left(), rect.bottom() + 4))
        self.prompt.open_for(words, self._proposal(words), self._actor_names(), at)
        self.sig_picking_changed.emit(f"Who is “{words[:40]}”? Enter keeps the proposed actor, Esc leaves none.")

    def _own_at(self, character: int) -> list[AnnotationRecord]:
        return [a for a in self.view.annotations_at(character) if self.view.annotation(a.id) is not None]

    def _marked(self, kind: str, character: int) -> AnnotationRecord | None:
        """The reader's shortest mention (or cue) under the click: reused instead of marking it again."""
        return next((a for a in self._own_at(character) if a.kind == kind), None)

    def _proposal(self, words: str) -> str | None:
        try:
            return proposed_actor(words, self.controller.db.actors.complete(words.split()[-1] if words.split()
                                                                             else words))
        except Exception:  # noqa: BLE001 - a proposal is a help; the analyst can still type the name
            return None

    def _actor_names(self) -> list[str]:
        try:
            return sorted({n for a in self.controller.db.actors.list() for n in (a.name, *a.aliases)}, key=str.lower)
        except Exception:  # noqa: BLE001
            return []

    def _actor_chosen(self, actor: str | None) -> None:
        draft = self._pending
        self._pending = None
        if draft is not None and self.role is not None:
            self._link(None, replace(draft, actor=actor))
        else:
            self._end()
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def _link(self, linked_id: str | None, new_span: AnnotationDraft | None = None) -> None:
        role, claim_id = self.role, self.claim_id
        self._end()
        c = self.controller
        claim = c.model.record(claim_id)
        if role is None or claim is None or not c.ready():
            return
        command = operations.link(c.session, claim, role, linked_id, new_span)
        c.select_annotation(claim.id)
        if command is not None:
            c.sig_hint.emit(link_summary(command.after, self.view.annotation))

    def _to_utf16(self, code_point: int) -> int:
        return self.view._converter.to_utf16(code_point)

    # -- around links ------------------------------------------------------------------------------
    def delete_guard(self, record: AnnotationRecord) -> bool:
        """Before a mention or cue goes: if claims use it, ask. True when handled here (or cancelled)."""
        if record.kind == "claim":
            return False
        c = self.controller
        try:
            claims = c.db.annotations.linked_claims(record.id)
        except Exception as exc:  # noqa: BLE001
            c.sig_failed.emit("Delete annotation", describe_failure(exc))
            return True
        if not claims:
            return False
        choice = ask_delete_choice(self.view.window(), record, claims)
        if choice == KEEP:
            return False  # the plain delete: the claims stay, their link to a deleted span counts as none
        if choice == DELETE_TOO:
            operations.delete_with_claims(c.session, record, claims)
        return True

    def _annotation_shown(self, record: AnnotationRecord) -> None:
        """A mention's actor moves its claims' actor in storage: bring those claims on screen as they are now.
        (Called before the panel shows the new record, so a mention whose actor stayed costs no read.)"""
        if record.kind != "mention" or record.deleted_at is not None:
            return
        c = self.controller
        shown = c.model.record(record.id)
        if shown is None or shown.actor == record.actor:
            return
        try:
            claims = c.db.annotations.linked_claims(record.id)
        except Exception as exc:  # noqa: BLE001
            c.sig_failed.emit("Read linked claims", describe_failure(exc))
            return
        c.model.apply(AnnotationChange(present=tuple(claims)))

    def _show_summary(self, record: AnnotationRecord | None) -> None:
        kind = record.kind if record is not None else "claim"
        # A mention or cue has no stance or claim type (storage refuses them); a cue names no actor either.
        for widget, allowed in ((self.panel.stance_combo, kind == "claim"), (self.panel.claim_combo, kind == "claim"),
                                (self.panel.actor_combo, kind != "cue"), (self.panel.target_edit, kind != "cue")):
            widget.setEnabled(allowed)
        text = link_summary(record, self.view.annotation)
        self.links_label.setText(text)
        self.links_label.setVisible(bool(text))
        self.overlay.update()

    def _refresh_summary(self) -> None:
        self._show_summary(self.panel.selected_record())


def ask_delete_choice(parent: QWidget, record: AnnotationRecord, claims: list[AnnotationRecord]) -> str | None:
    """KEEP, DELETE_TOO or None (cancel): what becomes of the claims that use a mention or cue being deleted."""
    count = f"{len(claims)} claim{'s' if len(claims) != 1 else ''}"
    box = QMessageBox(QMessageBox.Icon.Question, "Delete annotation",
                      f"“{' '.join(record.quote.split())[:60]}” is the {record.kind} of {count}.", parent=parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setInformativeText("Keep the claims without it, or delete them too? Undo brings everything back.")
    keep = box.addButton("&Keep the claims without it", QMessageBox.ButtonRole.AcceptRole)
    keep.setObjectName("keepClaims")
    both = box.addButton("&Delete the claims too", QMessageBox.ButtonRole.DestructiveRole)
    both.setObjectName("deleteClaims")
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    cancel.setObjectName("cancelDelete")
    box.setDefaultButton(cancel)
    box.exec()
    clicked = box.clickedButton()
    return KEEP if clicked is keep else DELETE_TOO if clicked is both else None
