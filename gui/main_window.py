"""The main window: menus, toolbar, docks, the one QUndoStack and the status bar. Wiring only.

What happens on each action lives in gui.controller (annotations, documents), gui.find (Ctrl+F) and
gui.jobs (import, export in the background).
"""
from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QEvent, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QGuiApplication, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QDockWidget, QFileDialog, QLabel, QMainWindow, QMessageBox, QToolBar, QVBoxLayout, QWidget,
)

from storage import ActorRecord, Database, DocumentRecord, SearchHit, StancemarkError, load_sample_articles

from gui.annotation_panel import AnnotationPanel
from gui.article_view import ArticleView
from gui.attribution import AttributionMarking
from gui.commands import describe_failure
from gui.controller import AnnotationController
from gui.search_dock import SearchPanel
from gui.dialogs import FindBar, OpenLocationDialog
from gui.document_list import DocumentList
from gui.find import FindController
from gui.focus_return import FocusReturn
from gui.gold_dock import GoldDock
from gui.jobs import JobRunner
from gui.layout_limits import LEFT_DOCK_MAX, RIGHT_DOCK_MAX, ArticleColumn, limit_dock
from gui.legend import ColourLegend, LegendEntry, entries_for
from gui.plain_text import make_plain, name_plainly, plain_message_box, plain_tooltip, show_plain_message
from gui.resources import icon
from gui.settings import Settings
from gui.suggestions_controller import install_suggestions
from gui.tag_editor import TagEditor

COLOUR_BY_TITLES = (("claim_type", "Claim type", "Ctrl+1"), ("stance", "Stance", "Ctrl+2"), ("actor", "Actor", "Ctrl+3"))


class MainWindow(QMainWindow):
    def __init__(self, db: Database, location: str, annotator: str, settings: Settings) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.db, self.location, self.annotator, self.settings = db, location, annotator, settings
        self.scheme = db.scheme.current()
        self.undo_stack = QUndoStack(self)
        self.last_error: str | None = None
        self._error_box: QMessageBox | None = None
        self._legend_shown: tuple[str, list[LegendEntry], str] | None = None
        self.restored_state = False  # set when the dock layout of an earlier session was restored

        self.view = ArticleView(self)
        self.view.setObjectName("articleView")
        self.view.set_scheme(self.scheme)
        self.find_bar = FindBar(self)
        centre = ArticleColumn(self.view, self)  # docks give way before the article does
        centre.setObjectName("centre")
        column = QVBoxLayout(centre)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.find_bar)
        column.addWidget(self.view, 1)
        self.setCentralWidget(centre)

        self.documents = DocumentList(self)
        self.panel = AnnotationPanel(self.scheme, self)
        self.legend = ColourLegend(self)
        self.tag_editor = TagEditor(self.scheme, self._complete_actors, parent=self)
        self.tag_editor.sig_guidelines_requested.connect(lambda: self.show_guidelines())
        self.controller = AnnotationController(db, annotator, self.view, self.panel, self.documents,
                                               self.tag_editor, self.undo_stack, self)
        self.finder = FindController(self.view, self.find_bar, self._document_text, self)
        self.attribution = AttributionMarking(self.controller, self)  # S, C, R, T: source, cue, relay, target
        self.jobs = JobRunner(self, location)

        self.resize(self._first_size())  # first, so the docks below are sized against the real width
        self._build_docks()
        self._build_actions()
        self._build_status_bar()
        self._connect()
        self.focus_return = FocusReturn(self)  # the keyboard back in the article when a dialog closes
        self.suggestions = install_suggestions(self)  # the Suggestions dock, menu and keys
        self.controller.poll_timer.start()

    def _first_size(self) -> QSize:
        """1360x860, or less on a smaller screen: the right-hand panel must never fall off the edge."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            return QSize(1360, 860)
        area = screen.availableGeometry()
        return QSize(min(1360, area.width()), min(860, area.height()))

    # -- layout ----------------------------------------------------------------------------------
    def _build_docks(self) -> None:
        self.setDockNestingEnabled(True)
        self.documents_dock = self._dock("Documents", "documentsDock", self.documents,
                                         Qt.DockWidgetArea.LeftDockWidgetArea)
        self.legend_dock = self._dock("Legend", "legendDock", self.legend, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.annotations_dock = self._dock("Annotations", "annotationsDock", self.panel,
                                           Qt.DockWidgetArea.RightDockWidgetArea)
        self.splitDockWidget(self.documents_dock, self.legend_dock, Qt.Orientation.Vertical)
        # the reviewer's decisions beside mine, read-only
        self.gold = GoldDock(self.db, self.annotator, self, location=self.location or self.db.location)
        self.gold_dock = self._dock("Gold", "goldDock", self.gold, Qt.DockWidgetArea.RightDockWidgetArea)
        self.tabifyDockWidget(self.gold_dock, self.annotations_dock)  # the annotation list stays on top
        self.gold_dock.visibilityChanged.connect(self.gold.set_on_screen)
        for dock, maximum in ((self.documents_dock, LEFT_DOCK_MAX), (self.legend_dock, LEFT_DOCK_MAX),
                              (self.annotations_dock, RIGHT_DOCK_MAX), (self.gold_dock, RIGHT_DOCK_MAX)):
            limit_dock(dock, maximum)
        self.search = SearchPanel(self.db, self.location or self.db.location, self.scheme, self)
        self.search_dock = self._dock("Search", "searchDock", self.search, Qt.DockWidgetArea.BottomDockWidgetArea)
        self.search_dock.hide()  # Ctrl+Shift+F or View > Search brings it up
        self.search.sig_open_hit.connect(self.open_search_hit)
        self.search.sig_leave.connect(lambda: self.view.setFocus(Qt.FocusReason.OtherFocusReason))
        self._build_actors_dock()
        self.resizeDocks([self.documents_dock, self.annotations_dock], [290, 500], Qt.Orientation.Horizontal)
        # Sizes apply once the window has its size: the legend gets room for every colour, the list the rest.
        QTimer.singleShot(0, self._size_docks_once_shown)

    def _size_docks_once_shown(self) -> None:
        """Once the window has its real size: the side docks at their working widths (the article keeps its
        minimum), the legend with room for every colour and the document list the rest."""
        if not self.restored_state:
            self.resizeDocks([self.documents_dock, self.annotations_dock], [290, 500], Qt.Orientation.Horizontal)
        self.resizeDocks([self.legend_dock], [self.legend.sizeHint().height() + 30], Qt.Orientation.Vertical)

    def _dock(self, title: str, name: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetClosable)
        self.addDockWidget(area, dock)
        return dock

    def _action(self, text: str, slot: object, shortcut: QKeySequence | str | None = None,
                icon_name: str | None = None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if icon_name:
            action.setIcon(icon(icon_name))
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(f"{tip} ({action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)})"
                              if shortcut else tip)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        c = self.controller
        self.open_action = self._action("&Open Database…", self.open_database_file, QKeySequence.StandardKey.Open,
                                        "open", "Open or create a database file")
        self.open_url_action = self._action("Open Database &URL…", self.open_database_url, "Ctrl+Shift+O")
        self.import_action = self._action("&Import Files…", self.import_files, "Ctrl+I", "import",
                                          "Import articles and annotations")
        self.export_action = self._action("&Export JSONL…", self.export_jsonl, "Ctrl+E", "export",
                                          "Export annotations as JSON Lines")
        self.labels_action = self._action("Label &Scheme…", self.edit_scheme_labels, None, None,
                                          "The scheme's labels and their use; remove one nothing uses")
        self.samples_action = self._action("Load &Sample Articles", self.load_samples, None, None,
                                           "Import the sample articles that come with Stancemark")
        self.quit_action = self._action("&Quit", self.close, QKeySequence.StandardKey.Quit)
        self.undo_action = self.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.undo_action.setIcon(icon("undo"))
        self.redo_action = self.undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts([QKeySequence(QKeySequence.StandardKey.Redo), QKeySequence("Ctrl+Y")])
        self.redo_action.setIcon(icon("redo"))
        self.addActions([self.undo_action, self.redo_action])
        self.find_action = self._action("&Find…", self.finder.open, QKeySequence.StandardKey.Find, "find",
                                        "Find in the article")
        self.find_next_action = self._action("Find &Next", self.finder.next, QKeySequence.StandardKey.FindNext)
        self.find_previous_action = self._action("Find Pre&vious", self.finder.previous,
                                                 QKeySequence.StandardKey.FindPrevious)
        self.edit_popup_action = self._action("&Edit Annotation…", c.edit_selected_in_tag_editor, "F2", None,
                                              "Edit the selected annotation with the keyboard")
        self.delete_action = self._action("&Delete Annotation", lambda: c.delete(), QKeySequence.StandardKey.Delete,
                                          "delete", "Delete the selected annotation")
        # By a word with the keys (one press, one stored revision); by a character from the menu.
        self.nudge_actions = [
            self._action(text, lambda _=False, w=which, d=delta, b=by_word: c.nudge_selected(w, d, b), key)
            for text, which, delta, by_word, key in (
                ("Move Start a Word &Left", "start", -1, True, "Alt+Left"),
                ("Move Start a Word &Right", "start", 1, True, "Alt+Right"),
                ("Move End a Word L&eft", "end", -1, True, "Alt+Shift+Left"),
                ("Move End a Word Ri&ght", "end", 1, True, "Alt+Shift+Right"),
                ("Move Start One Character Left", "start", -1, False, None),
                ("Move Start One Character Right", "start", 1, False, None),
                ("Move End One Character Left", "end", -1, False, None),
                ("Move End One Character Right", "end", 1, False, None))]
        self.exact_action = self._action("E&xact Characters", self.set_exact_selection, "Ctrl+Shift+X", None,
                                         "Keep selections as made instead of snapping them to whole words")
        self.exact_action.setCheckable(True)
        self.done_action = self._action("Mark Document &Done", c.toggle_done, "Ctrl+Return", "done",
                                        "Mark this document done (again to reopen it)")
        self.done_action.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
        self.next_action = self._action("&Next Document", lambda: self.documents.step(1), "Ctrl+PgDown", "next",
                                        "Next document")
        self.previous_action = self._action("&Previous Document", lambda: self.documents.step(-1), "Ctrl+PgUp",
                                            "previous", "Previous document")
        self.colour_group = QActionGroup(self)
        self.colour_actions: dict[str, QAction] = {}
        for attribute, title, key in COLOUR_BY_TITLES:
            action = self._action(f"Colour by {title}", lambda _=False, a=attribute: self.colour_by(a), key)
            action.setCheckable(True)
            self.colour_group.addAction(action)
            self.colour_actions[attribute] = action
        self.others_action = self._action("Show &Other Annotators", self.show_others, "Ctrl+Shift+A", "others",
                                          "Show colleagues' annotations, read-only")
        self.others_action.setCheckable(True)
        self.about_action = self._action("&About Stancemark", self.about)
        self.shortcuts_action = self._action("&Keyboard Shortcuts", self.show_shortcuts, "Ctrl+/", None,
                                             "Every key of this window")
        self.guidelines_action = self._action("Annotation &Guidelines", self.show_guidelines, "F1", None,
                                              "Each label of the scheme with its definition, colour and key")
        self.search_action = self._action("&Search Corpus…", self.focus_search, "Ctrl+Shift+F", None,
                                          "Search titles, text and annotations of every document")
        self.review_action = self._action("&Review Mode…", self.open_review, "Ctrl+Shift+R", None,
                                          "Compare annotators and adjudicate into the gold set")

        bar = self.menuBar()
        menus = {
            "&File": [self.open_action, self.open_url_action, None, self.import_action, self.export_action, None,
                      self.labels_action, self.samples_action, None, self.quit_action],
            "&Edit": [self.undo_action, self.redo_action, None, self.find_action, self.find_next_action,
                      self.find_previous_action, None, self.edit_popup_action, self.delete_action, *self.nudge_actions,
                      None, self.exact_action],
            "&Document": [self.done_action, None, self.next_action, self.previous_action, None,
                          self.review_action],
            "&View": [*self.colour_actions.values(), None, self.others_action, None,
                      self.documents_dock.toggleViewAction(), self.annotations_dock.toggleViewAction(),
                      self.legend_dock.toggleViewAction(), self.gold_dock.toggleViewAction(),
                      self.search_dock.toggleViewAction(), self.search_action, self.actors_dock.toggleViewAction()],
            "&Help": [self.guidelines_action, self.shortcuts_action, None, self.about_action],
        }
        for title, actions in menus.items():
            if title == "&Help":
                bar.addMenu(self.attribution.menu(self))
            menu = bar.addMenu(title)
            for action in actions:
                menu.addSeparator() if action is None else menu.addAction(action)

        toolbar = QToolBar("Main", self)
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        # The menu's Undo/Redo carry the action's name; on the toolbar that text would make the bar jump.
        self.toolbar_undo = self._action("Undo", self.undo_stack.undo, None, "undo")
        self.toolbar_redo = self._action("Redo", self.undo_stack.redo, None, "redo")
        self.undo_stack.canUndoChanged.connect(self.toolbar_undo.setEnabled)
        self.undo_stack.canRedoChanged.connect(self.toolbar_redo.setEnabled)
        self.undo_stack.undoTextChanged.connect(lambda text: self.toolbar_undo.setToolTip(
            plain_tooltip(f"Undo {text} (Ctrl+Z)")))
        self.undo_stack.redoTextChanged.connect(lambda text: self.toolbar_redo.setToolTip(
            plain_tooltip(f"Redo {text}")))
        self.undo_stack.undoTextChanged.connect(lambda text: name_plainly(self.undo_action, f"Undo {text}"))
        self.undo_stack.redoTextChanged.connect(lambda text: name_plainly(self.redo_action, f"Redo {text}"))
        self.toolbar_undo.setEnabled(False)
        self.toolbar_redo.setEnabled(False)
        for action in (self.open_action, self.import_action, self.export_action, None, self.toolbar_undo,
                       self.toolbar_redo, None, self.previous_action, self.next_action, self.done_action, None,
                       self.find_action, self.others_action):
            toolbar.addSeparator() if action is None else toolbar.addAction(action)
        self.addToolBar(toolbar)

    def _build_status_bar(self) -> None:
        self.progress_label = QLabel(self)
        self.progress_label.setObjectName("progressLabel")
        self.saved_label = QLabel("No changes yet", self)
        self.saved_label.setObjectName("savedLabel")
        self.problem_label = QLabel(self)
        self.problem_label.setObjectName("problemLabel")
        self.problem_label.hide()
        self.identity_label = QLabel(self)
        self.identity_label.setObjectName("identityLabel")
        make_plain(self.progress_label, self.saved_label, self.problem_label, self.identity_label)
        self.statusBar().addWidget(self.identity_label)
        self.statusBar().addPermanentWidget(self.problem_label)
        self.statusBar().addPermanentWidget(self.saved_label)
        self.statusBar().addPermanentWidget(self.progress_label)

    def _connect(self) -> None:
        c = self.controller
        c.saved.connect(self._saved)
        c.failed.connect(self.show_error)
        c.background_problem.connect(self._background_problem)
        c.loading_changed.connect(lambda loading: self.statusBar().showMessage("Loading annotations…")
                                  if loading else self.statusBar().clearMessage())
        c.progress_changed.connect(lambda done, total: self.progress_label.setText(f"{done} of {total} done"))
        c.document_opened.connect(self._document_opened)
        c.annotations_changed.connect(self._refresh_legend)
        c.document_opened.connect(self.gold.show_document)
        c.annotations_changed.connect(self.gold.refresh_soon)
        self.jobs.sig_imported.connect(self._imported)
        self.jobs.sig_imported.connect(self._report_import)
        self.jobs.sig_failed.connect(self.show_error)
        self.jobs.sig_message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        c.sig_hint.connect(lambda text: self.statusBar().showMessage(text, 10_000))
        self.attribution.picking_changed.connect(lambda text: self.statusBar().showMessage(text)
                                                 if text else self.statusBar().clearMessage())

    # -- start -----------------------------------------------------------------------------------
    def start(self) -> None:
        """Loads the document list and opens the last document (or the first)."""
        self.colour_by(self.settings.colour_by)
        self.others_action.setChecked(self.settings.show_others)
        self.controller.show_others = self.settings.show_others
        try:
            self.controller.reload_documents()
        except Exception as exc:  # noqa: BLE001
            self.show_error("Load documents", describe_failure(exc))
        if not (self.settings.last_document and self.documents.select(self.settings.last_document)):
            self.documents.step(1)
        self._update_title()
        # The article has the keyboard from the start: the first Shift+arrow or claim key is not lost.
        self.view.setFocus(Qt.FocusReason.ActiveWindowFocusReason)

    # -- slots -----------------------------------------------------------------------------------
    def _report_import(self, summary: object) -> None:
        """The whole summary in a window of its own (the status bar cut it off): what came in, what was left
        out and why. Not modal: the analyst reads it while working."""
        from gui.plain_text import plain_message_box

        lines = list(getattr(summary, "lines", lambda: [])())
        if not lines:
            return
        self.import_report = plain_message_box(QMessageBox.Icon.Information, "Import finished", lines[0],
                                               "\n".join(lines[1:]), self)
        self.import_report.setModal(False)
        self.import_report.show()

    def _imported(self, _summary: object) -> None:
        """New documents, and perhaps new labels the import added to the scheme."""
        try:
            self.scheme = self.db.scheme.current()
            self.controller.reload_documents()
        except Exception as exc:  # noqa: BLE001
            self.show_error("Reload after import", describe_failure(exc))
            return
        for widget in (self.view, self.panel, self.tag_editor):
            widget.set_scheme(self.scheme)
        self._refresh_legend()

    def _background_problem(self, message: str) -> None:
        self.problem_label.setText(message)
        self.problem_label.setToolTip(plain_tooltip(message))
        self.problem_label.setVisible(bool(message))

    def _saved(self, when: datetime) -> None:
        self.saved_label.setText(f"Saved {when:%H:%M:%S}")

    def _document_opened(self, document: DocumentRecord | None) -> None:
        if document is not None:
            self.settings.last_document = document.id
        self.finder.refresh()
        self._update_title()

    def _complete_actors(self, prefix: str) -> list[ActorRecord]:
        """Completion while typing: a database hiccup shows in the status bar and offers nothing."""
        try:
            return self.db.actors.complete(prefix)
        except Exception as exc:  # noqa: BLE001
            self.statusBar().showMessage(f"Actor completion unavailable: {describe_failure(exc)}", 8000)
            return []

    def _document_text(self) -> str:
        document = self.controller.document
        return document.text if document is not None else ""

    def _update_title(self) -> None:
        document = self.controller.document
        parts = [document.title] if document is not None else []
        parts += [self.db.display_name, self.annotator, "Stancemark"]
        self.setWindowTitle(" — ".join(parts))
        self.identity_label.setText(f"{self.annotator} · {self.db.display_name}")

    def _refresh_legend(self) -> None:
        """Rebuilds the legend only when what it says changed: new legend widgets relayout the whole left
        dock column and repaint the window, which after every add cost more than the add itself."""
        attribute = self.view.colour_by
        actors = dict(self.view.colour_legend()) if attribute == "actor" else None
        entries = entries_for(self.scheme, attribute, actors)
        note = ("Dotted underline: other annotators (read-only). Underline: overlapping spans."
                if self.controller.show_others else "Underline: overlapping spans.")
        note += " No fill: mentions (underlined in the actor's colour) and cues (dotted)."
        if (attribute, entries, note) == self._legend_shown:
            return
        self._legend_shown = (attribute, entries, note)
        self.legend.show_entries(attribute, entries)
        self.legend.set_note(note)

    def colour_by(self, attribute: str) -> None:
        self.view.set_colour_by(attribute)
        self.colour_actions[attribute].setChecked(True)
        self.settings.colour_by = attribute
        self._refresh_legend()

    def show_others(self, on: bool) -> None:
        self.settings.show_others = on
        self.controller.set_show_others(on)
        self._refresh_legend()

    def show_error(self, action: str, message: str) -> None:
        """Non-modal: the analyst reads it, the window stays usable and nothing was half-done."""
        self.last_error = f"{action}: {message}"
        self.statusBar().showMessage(f"{action} failed: {message}", 15000)
        if self._error_box is not None and self._error_box.isVisible():
            self._error_box.setInformativeText(message)
            self._error_box.setText(f"{action} failed.")
            return
        box = plain_message_box(QMessageBox.Icon.Warning, "Stancemark", f"{action} failed.", message, self)
        box.setWindowModality(Qt.WindowModality.NonModal)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.destroyed.connect(lambda *_: setattr(self, "_error_box", None))
        self._error_box = box
        box.show()

    def open_database_file(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Open or create a database", self.settings.last_directory,
                                              "Stancemark databases (*.db *.sqlite);;All files (*)",
                                              options=QFileDialog.Option.DontConfirmOverwrite)
        if path:
            self.switch_database(path)

    def open_database_url(self) -> None:
        dialog = OpenLocationDialog(self.location, self)
        if dialog.exec() and dialog.location():
            self.switch_database(dialog.location())

    def switch_database(self, location: str) -> None:
        """Opens another database in a new window; this one closes only if that worked."""
        from gui.app import open_window

        window = open_window(location, self.annotator, self.settings, parent_for_errors=self)
        if window is not None:
            self.close()

    def import_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "Import files", self.settings.last_directory,
                                                "Articles and annotations (*.txt *.md *.jsonl *.json *.html *.htm);;"
                                                "All files (*)")
        if paths:  # a confirm step shows the labels and where they go; nothing is written before it
            self.jobs.ask_and_import(self.db, paths, on_scheme_changed=lambda: self._imported(None))

    def edit_scheme_labels(self) -> None:
        from gui.import_dialog import SchemeLabelsDialog

        SchemeLabelsDialog(self.db, self, by=self.annotator).exec()
        self._imported(None)  # the scheme may have lost a label: every widget takes the current one

    def load_samples(self) -> None:
        """The sample articles on request (a database made by the command line starts without them)."""
        try:
            summary = load_sample_articles(self.db)
        except StancemarkError as exc:
            show_plain_message(QMessageBox.Icon.Warning, "Stancemark", "Cannot load the sample articles.", str(exc),
                               self)
            return
        self.controller.reload_documents()
        self.statusBar().showMessage(" ".join(summary.lines()), 10_000)

    def export_jsonl(self) -> None:
        document = self.controller.document
        self.jobs.ask_and_export(self.db, self.annotator, document.id if document else None)

    def open_review(self) -> None:
        """Review mode in its own window, with its own undo stack (read-only for non-reviewers)."""
        from gui.review import ReviewWindow

        self.review_window = ReviewWindow(self.db, self.annotator, parent=self, location=self.location)
        area = (self.screen() or QGuiApplication.primaryScreen()).availableGeometry()
        self.review_window.resize(min(1300, area.width()), min(850, area.height()))  # within a small screen
        self.review_window.show()
        self.review_window.activateWindow()

    def focus_search(self) -> None:
        self.search.refresh_choices()
        self.search_dock.show()
        self.search_dock.raise_()
        self.search.focus_box()

    def _build_actors_dock(self) -> None:
        """View > Actors (Ctrl+Shift+P): the registry with its use, read when the dock is shown."""
        from gui.actors_dock import ActorsPanel

        self.actors = ActorsPanel(self.db, self.annotator, self.location or self.db.location, self.scheme,
                                  self.undo_stack, self)
        self.actors_dock = self._dock("Actors", "actorsDock", self.actors, Qt.DockWidgetArea.BottomDockWidgetArea)
        self.actors_dock.hide()
        self.actors_dock.toggleViewAction().setShortcut(QKeySequence("Ctrl+Shift+P"))
        self.actors_dock.visibilityChanged.connect(lambda shown: shown and self.actors.reload())
        self.actors.sig_open_passage.connect(self.open_search_hit)  # a passage has a hit's document and span
        self.actors.sig_registry_changed.connect(self._actor_names_changed)

    def _actor_names_changed(self) -> None:
        """A rename or merge changes names on screen: the open document is read again."""
        if self.controller.document is not None:
            self.controller.open_document(self.controller.document.id)

    def open_search_hit(self, hit: SearchHit) -> None:
        """Opens the hit's document through the usual path, then selects the annotation or the passage."""
        if self.controller.document is None or self.controller.document.id != hit.document_id:
            self.controller.open_document(hit.document_id)
        if self.controller.document is None or self.controller.document.id != hit.document_id:
            return  # the open failed and said why
        if hit.annotation_id is not None and self.controller.finish_loading() \
                and self.view.annotation(hit.annotation_id) is not None:
            self.controller.select_annotation(hit.annotation_id)
        else:
            self.view.select_span(hit.start, hit.end)
            self.view.ensureCursorVisible()
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def set_exact_selection(self, on: bool) -> None:
        """Selections kept as made, without Alt+drag (which many desktops take to move the window)."""
        self.view.exact_selection = on
        self.statusBar().showMessage("Selections keep exact characters." if on else
                                     "Selections snap to whole words.", 5000)

    def show_shortcuts(self) -> None:
        """The sheet is read from the menus as they are now, so it cannot go out of date."""
        from gui.help import ShortcutSheet, shortcut_rows

        groups = [(menu_action.text().replace("&", ""), menu_action.menu().actions())
                  for menu_action in self.menuBar().actions() if menu_action.menu() is not None]
        self.shortcut_sheet = ShortcutSheet(shortcut_rows(groups, self.scheme), self)
        self.shortcut_sheet.show()
        self.shortcut_sheet.activateWindow()  # Esc closes it at once

    def show_guidelines(self) -> None:
        from gui.help import GuidelinesDialog

        self.guidelines = GuidelinesDialog(self.scheme, self)
        self.guidelines.show()
        self.guidelines.activateWindow()

    def about(self) -> None:
        box = plain_message_box(QMessageBox.Icon.Information, "About Stancemark",
                                "Stancemark — highlight passages of news articles and tag stance, actor and claim "
                                f"type.\n\nDatabase: {self.db.display_name}\nAnnotator: {self.annotator}\n"
                                f"Label scheme: {self.scheme.name} (version {self.scheme.version})", parent=self)
        box.setIconPixmap(self.windowIcon().pixmap(64, 64))
        box.exec()

    # -- Qt events -------------------------------------------------------------------------------
    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            QTimer.singleShot(0, self.controller.poll)
            QTimer.singleShot(0, self.gold.refresh)  # a reviewer may have decided meanwhile (reads only if shown)
        super().changeEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        self.controller.poll_timer.stop()
        self.controller.nudges.flush()  # a burst of boundary nudges still waiting for its pause
        self.jobs.cancel_all()
        self.settings.save_layout(self.saveGeometry(), self.saveState())
        self.settings.sync()
        super().closeEvent(event)
        self.db.close()
