"""The main window's menu bar and toolbar, laid out from the actions the window made (gui.main_window)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QToolBar

from gui.plain_text import name_plainly, plain_tooltip

if TYPE_CHECKING:
    from gui.main_window import MainWindow


def build_menus_and_toolbar(window: MainWindow) -> tuple[QAction, QAction]:
    """Menus in their order (the Attribution menu before Help), then the toolbar; returns its Undo and Redo,
    which show the action's name in their tooltips only, so the bar keeps its width."""
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
        if title == "&Help":
            bar.addMenu(window.attribution.menu(window))
        menu = bar.addMenu(title)
        for entry in actions:
            menu.addSeparator() if entry is None else menu.addAction(entry)

    toolbar = QToolBar("Main", window)
    toolbar.setObjectName("mainToolbar")
    toolbar.setMovable(False)
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    # The menu's Undo/Redo carry the action's name; on the toolbar that text would make the bar jump.
    toolbar_undo = window.make_action("Undo", window.undo_stack.undo, None, "undo")
    toolbar_redo = window.make_action("Redo", window.undo_stack.redo, None, "redo")
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
