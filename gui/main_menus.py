"""The main window's actions, menu bar and toolbar (gui.main_window builds the window, this lays out its commands).

They are made with the window's frame, before the database is open, so the first paint already shows the menus
and the toolbar; what an action does is looked up when it is triggered (`window.controller` exists from
`MainWindow.attach` on, and nothing can be triggered before: the opening runs straight after the first paint)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu, QToolBar

from gui import window_dialogs
from gui.plain_text import name_plainly, plain_tooltip
from gui.resources import icon

if TYPE_CHECKING:
    from gui.main_window import MainWindow

COLOUR_BY_TITLES = (("claim_type", "Claim type", "Ctrl+1"), ("stance", "Stance", "Ctrl+2"), ("actor", "Actor", "Ctrl+3"))
NUDGES = (("Move Start a Word &Left", "start", -1, True, "Alt+Left"),
          ("Move Start a Word &Right", "start", 1, True, "Alt+Right"),
          ("Move End a Word L&eft", "end", -1, True, "Alt+Shift+Left"),
          ("Move End a Word Ri&ght", "end", 1, True, "Alt+Shift+Right"),
          ("Move Start One Character Left", "start", -1, False, None),
          ("Move Start One Character Right", "start", 1, False, None),
          ("Move End One Character Left", "end", -1, False, None),
          ("Move End One Character Right", "end", 1, False, None))


class WindowActions:
    """The actions `build_actions` sets on the main window, declared here for the reader and the type checker."""

    open_action: QAction
    open_url_action: QAction
    import_action: QAction
    export_action: QAction
    labels_action: QAction
    samples_action: QAction
    quit_action: QAction
    undo_action: QAction
    redo_action: QAction
    find_action: QAction
    find_next_action: QAction
    find_previous_action: QAction
    edit_popup_action: QAction
    delete_action: QAction
    nudge_actions: list[QAction]
    exact_action: QAction
    done_action: QAction
    next_action: QAction
    previous_action: QAction
    colour_group: QActionGroup
    colour_actions: dict[str, QAction]
    others_action: QAction
    about_action: QAction
    shortcuts_action: QAction
    guidelines_action: QAction
    search_action: QAction
    review_action: QAction
    toolbar_undo: QAction
    toolbar_redo: QAction
    help_menu: QMenu


def make_action(window: MainWindow, text: str, slot: object,
                shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
                icon_name: str | None = None, tip: str = "") -> QAction:
    """An action of the window (its shortcut works wherever the window has the focus)."""
    action = QAction(text, window)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    if icon_name:
        action.setIcon(icon(icon_name))
    if tip:
        action.setStatusTip(tip)
        action.setToolTip(f"{tip} ({action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)})"
                          if shortcut else tip)
    action.triggered.connect(slot)
    window.addAction(action)
    return action


def build_actions(w: MainWindow) -> None:
    """Every action of the main window, as attributes of it (tests and the menus find them there)."""
    def act(*args: object) -> QAction:
        return make_action(w, *args)  # type: ignore[arg-type]

    w.open_action = act("&Open Database…", lambda: window_dialogs.open_database_file(w),
                        QKeySequence.StandardKey.Open, "open", "Open or create a database file")
    w.open_url_action = act("Open Database &URL…", lambda: window_dialogs.open_database_url(w), "Ctrl+Shift+O")
    w.import_action = act("&Import Files…", lambda: window_dialogs.import_files(w), "Ctrl+I", "import",
                          "Import articles and annotations")
    w.export_action = act("&Export JSONL…", w.export_jsonl, "Ctrl+E", "export", "Export annotations as JSON Lines")
    w.labels_action = act("Label &Scheme…", lambda: window_dialogs.edit_scheme_labels(w), None, None,
                          "The scheme's labels and their use; remove one nothing uses")
    w.samples_action = act("Load &Sample Articles", lambda: window_dialogs.load_samples(w), None, None,
                           "Import the sample articles that come with Stancemark")
    w.quit_action = act("&Quit", w.close, QKeySequence.StandardKey.Quit)
    w.undo_action = w.undo_stack.createUndoAction(w, "&Undo")
    w.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
    w.undo_action.setIcon(icon("undo"))
    w.redo_action = w.undo_stack.createRedoAction(w, "&Redo")
    w.redo_action.setShortcuts([QKeySequence(QKeySequence.StandardKey.Redo), QKeySequence("Ctrl+Y")])
    w.redo_action.setIcon(icon("redo"))
    w.addActions([w.undo_action, w.redo_action])
    w.find_action = act("&Find…", w.finder.open, QKeySequence.StandardKey.Find, "find", "Find in the article")
    w.find_next_action = act("Find &Next", w.finder.next, QKeySequence.StandardKey.FindNext)
    w.find_previous_action = act("Find Pre&vious", w.finder.previous, QKeySequence.StandardKey.FindPrevious)
    w.edit_popup_action = act("&Edit Annotation…", lambda: w.controller.edit_selected_in_tag_editor(), "F2", None,
                              "Edit the selected annotation with the keyboard")
    w.delete_action = act("&Delete Annotation", lambda: w.controller.delete(), QKeySequence.StandardKey.Delete,
                          "delete", "Delete the selected annotation")
    # By a word with the keys (one press, one stored revision); by a character from the menu.
    w.nudge_actions = [act(text, lambda _=False, e=which, d=delta, b=by_word: w.controller.nudge_selected(e, d, b), key)
                       for text, which, delta, by_word, key in NUDGES]
    w.exact_action = act("E&xact Characters", w.set_exact_selection, "Ctrl+Shift+X", None,
                         "Keep selections as made instead of snapping them to whole words")
    w.exact_action.setCheckable(True)
    w.done_action = act("Mark Document &Done", lambda: w.controller.toggle_done(), "Ctrl+Return", "done",
                        "Mark this document done (again to reopen it)")
    w.done_action.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
    w.next_action = act("&Next Document", lambda: w.documents.step(1), "Ctrl+PgDown", "next", "Next document")
    w.previous_action = act("&Previous Document", lambda: w.documents.step(-1), "Ctrl+PgUp", "previous",
                            "Previous document")
    w.colour_group = QActionGroup(w)
    w.colour_actions = {}
    for attribute, title, key in COLOUR_BY_TITLES:
        action = act(f"Colour by {title}", lambda _=False, a=attribute: w.colour_by(a), key)
        action.setCheckable(True)
        w.colour_group.addAction(action)
        w.colour_actions[attribute] = action
    w.others_action = act("Show &Other Annotators", w.show_others, "Ctrl+Shift+A", "others",
                          "Show colleagues' annotations, read-only")
    w.others_action.setCheckable(True)
    w.about_action = act("&About Stancemark", w.about)
    w.shortcuts_action = act("&Keyboard Shortcuts", w.show_shortcuts, "Ctrl+/", None, "Every key of this window")
    w.guidelines_action = act("Annotation &Guidelines", w.show_guidelines, "F1", None,
                              "Each label of the scheme with its definition, colour and key")
    w.search_action = act("&Search Corpus…", w.focus_search, "Ctrl+Shift+F", None,
                          "Search titles, text and annotations of every document")
    w.review_action = act("&Review Mode…", w.open_review, "Ctrl+Shift+R", None,
                          "Compare annotators and adjudicate into the gold set")
    w.toolbar_undo, w.toolbar_redo = build_menus_and_toolbar(w)


def build_menus_and_toolbar(window: MainWindow) -> tuple[QAction, QAction]:
    """Menus in their order, then the toolbar; returns its Undo and Redo, which show the action's name in their
    tooltips only, so the bar keeps its width. The Attribution menu goes before Help once the window is attached
    (`insert_attribution_menu`)."""
    bar = window.menuBar()
    menus = {
        "&File": [window.open_action, window.open_url_action, None, window.import_action, window.export_action, None,
                  window.labels_action, window.samples_action, None, window.quit_action],
        "&Edit": [window.undo_action, window.redo_action, None, window.find_action, window.find_next_action,
                  window.find_previous_action, None, window.edit_popup_action, window.delete_action, *window.nudge_actions,
                  None, window.exact_action],
        "&Document": [window.done_action, None, window.next_action, window.previous_action, None,
                      window.review_action],
        "&View": [*window.colour_actions.values(), None, window.others_action, None,
                  window.documents_dock.toggleViewAction(), window.annotations_dock.toggleViewAction(),
                  window.legend_dock.toggleViewAction(), window.gold_dock.toggleViewAction(),
                  window.search_dock.toggleViewAction(), window.search_action, window.actors_dock.toggleViewAction()],
        "&Help": [window.guidelines_action, window.shortcuts_action, None, window.about_action],
    }
    for title, actions in menus.items():
        menu = bar.addMenu(title)
        for entry in actions:
            menu.addSeparator() if entry is None else menu.addAction(entry)
    window.help_menu = menu

    toolbar = QToolBar("Main", window)
    toolbar.setObjectName("mainToolbar")
    toolbar.setMovable(False)
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    # The menu's Undo/Redo carry the action's name; on the toolbar that text would make the bar jump.
    toolbar_undo = make_action(window, "Undo", window.undo_stack.undo, None, "undo")
    toolbar_redo = make_action(window, "Redo", window.undo_stack.redo, None, "redo")
    window.undo_stack.canUndoChanged.connect(toolbar_undo.setEnabled)
    window.undo_stack.canRedoChanged.connect(toolbar_redo.setEnabled)
    window.undo_stack.undoTextChanged.connect(lambda text: toolbar_undo.setToolTip(
        plain_tooltip(f"Undo {text} (Ctrl+Z)")))
    window.undo_stack.redoTextChanged.connect(lambda text: toolbar_redo.setToolTip(
        plain_tooltip(f"Redo {text}")))
    window.undo_stack.undoTextChanged.connect(lambda text: name_plainly(window.undo_action, f"Undo {text}"))
    window.undo_stack.redoTextChanged.connect(lambda text: name_plainly(window.redo_action, f"Redo {text}"))
    toolbar_undo.setEnabled(False)
    toolbar_redo.setEnabled(False)
    for entry in (window.open_action, window.import_action, window.export_action, None, toolbar_undo,
                  toolbar_redo, None, window.previous_action, window.next_action, window.done_action, None,
                  window.find_action, window.others_action):
        toolbar.addSeparator() if entry is None else toolbar.addAction(entry)
    window.addToolBar(toolbar)
    return toolbar_undo, toolbar_redo


def insert_attribution_menu(window: MainWindow) -> QMenu:
    """The Attribution menu (it needs the window's annotations, so it comes with `attach`), before Help."""
    menu = window.attribution.menu(window)
    window.menuBar().insertMenu(window.help_menu.menuAction(), menu)
    return menu
