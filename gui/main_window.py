"""The main window: menus, toolbar, docks, the one QUndoStack and the status bar. Wiring only.

Built in two steps so that it paints before the database is open: the frame (`MainWindow(location, settings)`,
no storage needed) and `attach(db, annotator)`. What happens on each action lives in gui.controller
(annotations, documents), gui.main_menus (the actions), gui.find (Ctrl+F) and gui.jobs (import, export in the
background).
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget, QLabel, QMainWindow, QMessageBox, QVBoxLayout, QWidget,
)


from gui.annotation_panel import AnnotationPanel
from gui.article_view import ArticleView
from gui.attribution import AttributionMarking
from gui.change_bus import ChangeBus, OpChanges, describe_failure
from gui.restored_undo import RestoredHistory
from gui.controller import AnnotationController
from gui.search_dock import SearchPanel
from gui.document_list import DocumentList
from gui.find import FindBar, FindController
from gui.focus_return import FocusReturn
from gui.gold_dock import GoldDock
from gui.jobs import JobRunner
from gui.layout_limits import LEFT_DOCK_MAX, RIGHT_DOCK_MAX, ArticleColumn, limit_dock
from gui import main_menus, window_dialogs
from gui.legend import ColourLegend
from gui.plain_text import make_plain, plain_tooltip
from gui.settings import Settings
from gui.suggestions_controller import install_suggestions
from gui.tag_editor import TagEditor

if TYPE_CHECKING:
    from storage import ActorRecord, Database, DocumentRecord, SchemeRecord, SearchHit

    from gui.review import ReviewWindow
    from gui.suggestions_controller import SuggestionController

class MainWindow(QMainWindow, main_menus.WindowActions):
    sig_open_database_requested = Signal(str)
    """File > Open Database chose this location: the application opens it in a new window."""
    sig_ready = Signal()
    """The database is attached, the documents are listed and the first one is shown (`start` has run)."""
    sig_open_failed = Signal()
    """The database could not be opened behind the painted frame (a message said why); the window closes."""

    # Made by attach(), once the database is open (the frame above is built without it).
    db: Database
    annotator: str
    scheme: SchemeRecord
    panel: AnnotationPanel
    tag_editor: TagEditor
    controller: AnnotationController
    attribution: AttributionMarking
    gold: GoldDock
    search: SearchPanel
    suggestions: SuggestionController

    def __init__(self, location: str, settings: Settings, bus: ChangeBus | None = None) -> None:
        """The window's frame (article column, document list, legend, docks, menus, toolbar, status bar), built
        before the database opens so that it paints at once; `attach` fills it. `bus` is the application's (gui.app
        makes one per database); the review window shares it."""
        super().__init__()
        self.setObjectName("mainWindow")
        self.location, self.settings = location, settings
        self.bus = bus if bus is not None else ChangeBus()
        if self.bus.parent() is None:
            self.bus.setParent(self)  # the first child: the stack goes before the actions that show its text
        self.undo_stack = self.bus.stack
        self.attached = False
        self.review_window: ReviewWindow | None = None
        self.import_report: QMessageBox | None = None
        self.shortcut_sheet: QWidget | None = None
        self.guidelines: QWidget | None = None
        self.last_error: str | None = None
        self._error_box: QMessageBox | None = None
        self.restored_state = False  # set when the dock layout of an earlier session was restored

        self.view = ArticleView(self)
        self.view.setObjectName("articleView")
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
        self.legend = ColourLegend(self)
        self.finder = FindController(self.view, self.find_bar, self._document_text, self)

        self.resize(self._first_size())  # first, so the docks below are sized against the real width
        self._build_docks()
        main_menus.build_actions(self)
        self._build_status_bar()
        self.setWindowTitle("Stancemark")
        self.identity_label.setText(f"Opening {Path(location).name if location else 'your database'}…")
        QTimer.singleShot(0, self._size_docks_once_shown)  # the frame paints with the docks at their widths

    @classmethod
    def on(cls, db: Database, location: str, annotator: str, settings: Settings,
           bus: ChangeBus | None = None) -> MainWindow:
        """A window attached to an open database at once (tests, benchmarks, and gui.app's usual path)."""
        window = cls(location, settings, bus)
        window.attach(db, annotator)
        return window

    def attach(self, db: Database, annotator: str) -> None:
        """The open database and who annotates: the scheme, the annotation list, the controller and every reader
        of the database come now; `start` then shows the documents."""
        self.db, self.annotator = db, annotator
        self.location = self.location or db.location
        self.scheme = db.scheme.current()
        self.view.set_scheme(self.scheme)
        self.panel = AnnotationPanel(self.scheme, self)
        self.annotations_dock.setWidget(self.panel)
        self.tag_editor = TagEditor(self.scheme, self._complete_actors, parent=self)
        self.tag_editor.sig_guidelines_requested.connect(lambda: self.show_guidelines())
        self.controller = AnnotationController(db, annotator, self.view, self.panel, self.documents,
                                               self.tag_editor, self.bus, self)
        self.attribution = AttributionMarking(self.controller, self)  # S, C, R, T: source, cue, relay, target
        main_menus.insert_attribution_menu(self)
        self.jobs = JobRunner(self, self.location)
        self._fill_docks()
        self._connect()
        self.focus_return = FocusReturn(self)  # the keyboard back in the article when a dialog closes
        self.suggestions = install_suggestions(self)  # the Suggestions dock, menu and keys
        self.attached = True
        self.controller.poll_timer.start()
        # Sizes apply once the window has its size: the legend gets room for every colour, the list the rest.
        QTimer.singleShot(0, self._size_docks_once_shown)

    def _first_size(self) -> QSize:
        """1360x860, or less on a smaller screen: the right-hand panel must never fall off the edge."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            return QSize(1360, 860)
        area = screen.availableGeometry()
        return QSize(min(1360, area.width()), min(860, area.height()))

    # -- layout ----------------------------------------------------------------------------------
    def _build_docks(self) -> None:
        """Every dock of the frame; those whose contents read the database get them in `_fill_docks`."""
        self.setDockNestingEnabled(True)
        self.documents_dock = self._dock("Documents", "documentsDock", self.documents,
                                         Qt.DockWidgetArea.LeftDockWidgetArea)
        self.legend_dock = self._dock("Legend", "legendDock", self.legend, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.annotations_dock = self._dock("Annotations", "annotationsDock", QWidget(self),
                                           Qt.DockWidgetArea.RightDockWidgetArea)
        self.splitDockWidget(self.documents_dock, self.legend_dock, Qt.Orientation.Vertical)
        # the reviewer's decisions beside mine, read-only
        self.gold_dock = self._dock("Gold", "goldDock", QWidget(self), Qt.DockWidgetArea.RightDockWidgetArea)
        self.tabifyDockWidget(self.gold_dock, self.annotations_dock)  # the annotation list stays on top
        for dock, maximum in ((self.documents_dock, LEFT_DOCK_MAX), (self.legend_dock, LEFT_DOCK_MAX),
                              (self.annotations_dock, RIGHT_DOCK_MAX), (self.gold_dock, RIGHT_DOCK_MAX)):
            limit_dock(dock, maximum)
        self.search_dock = self._dock("Search", "searchDock", QWidget(self), Qt.DockWidgetArea.BottomDockWidgetArea)
        self.search_dock.hide()  # Ctrl+Shift+F or View > Search brings it up
        self.actors_dock = self._dock("Actors", "actorsDock", QWidget(self), Qt.DockWidgetArea.BottomDockWidgetArea)
        self.actors_dock.hide()
        self.actors_dock.toggleViewAction().setShortcut(QKeySequence("Ctrl+Shift+P"))
        self.resizeDocks([self.documents_dock, self.annotations_dock], [290, 500], Qt.Orientation.Horizontal)

    def _fill_docks(self) -> None:
        self.gold = GoldDock(self.db, self.annotator, self, location=self.location)
        self.gold_dock.setWidget(self.gold)
        self.gold_dock.visibilityChanged.connect(self.gold.set_on_screen)
        self.search = SearchPanel(self.db, self.location, self.scheme, self)
        self.search_dock.setWidget(self.search)
        self.search.sig_open_hit.connect(self.open_search_hit)
        self.search.sig_leave.connect(lambda: self.view.setFocus(Qt.FocusReason.OtherFocusReason))
        self._fill_actors_dock()

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
        c.sig_saved.connect(self._saved)
        c.sig_failed.connect(self.show_error)
        c.sig_background_problem.connect(self._background_problem)
        c.sig_loading_changed.connect(lambda loading: self.statusBar().showMessage("Loading annotations…")
                                      if loading else self.statusBar().clearMessage())
        c.sig_progress_changed.connect(lambda done, total: self.progress_label.setText(f"{done} of {total} done"))
        c.sig_document_opened.connect(self._document_opened)
        c.sig_annotations_changed.connect(self._refresh_legend)
        c.sig_document_opened.connect(self.gold.show_document)
        c.sig_annotations_changed.connect(self.gold.refresh_soon)
        # a review decision (or its undo, from either window) changes the gold beside my annotations
        self.bus.sig_changed.connect(self._changes_committed)
        self.jobs.sig_imported.connect(self._imported)
        self.jobs.sig_imported.connect(lambda summary: window_dialogs.report_import(self, summary))
        self.jobs.sig_failed.connect(self.show_error)
        self.jobs.sig_message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        c.sig_hint.connect(lambda text: self.statusBar().showMessage(text, 10_000))
        self.attribution.sig_picking_changed.connect(lambda text: self.statusBar().showMessage(text)
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
        self.restored_undo = RestoredHistory(self.db, self.location, self.annotator, self.bus, self)
        self.restored_undo.start()  # in the background: Edit > Undo offers earlier sessions' changes
        self.sig_ready.emit()

    # -- slots -----------------------------------------------------------------------------------
    def show_error(self, action: str, message: str) -> None:
        """Non-modal: the analyst reads it, the window stays usable and nothing was half-done."""
        window_dialogs.show_error(self, action, message)

    def open_review(self) -> None:
        window_dialogs.open_review(self)

    def switch_database(self, location: str) -> None:
        window_dialogs.switch_database(self, location)

    def show_shortcuts(self) -> None:
        window_dialogs.show_shortcuts(self)

    def show_guidelines(self) -> None:
        window_dialogs.show_guidelines(self)

    def about(self) -> None:
        window_dialogs.about(self)

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

    def _changes_committed(self, changes: OpChanges) -> None:
        """The change bus: a review decision (or its undo, from either window) changes the gold beside mine."""
        if changes.gold is not None:
            self.gold.refresh_soon()

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
        document = self.controller.document if self.attached else None
        return document.text if document is not None else ""

    def _update_title(self) -> None:
        document = self.controller.document
        parts = [document.title] if document is not None else []
        parts += [self.db.display_name, self.annotator, "Stancemark"]
        self.setWindowTitle(" — ".join(parts))
        self.identity_label.setText(f"{self.annotator} · {self.db.display_name}")

    def _refresh_legend(self) -> None:
        attribute = self.view.colour_by
        actors = dict(self.view.colour_legend()) if attribute == "actor" else None
        self.legend.show_for(self.scheme, attribute, actors, self.controller.show_others)

    def colour_by(self, attribute: str) -> None:
        self.view.set_colour_by(attribute)
        self.colour_actions[attribute].setChecked(True)
        self.settings.colour_by = attribute
        self._refresh_legend()

    def show_others(self, on: bool) -> None:
        self.settings.show_others = on
        self.controller.set_show_others(on)
        self._refresh_legend()

    def export_jsonl(self) -> None:
        document = self.controller.document
        self.jobs.ask_and_export(self.db, self.annotator, document.id if document else None)

    def focus_search(self) -> None:
        self.search.refresh_choices()
        self.search_dock.show()
        self.search_dock.raise_()
        self.search.focus_box()

    def _fill_actors_dock(self) -> None:
        """View > Actors (Ctrl+Shift+P): the registry with its use, read when the dock is shown."""
        from gui.actors_dock import ActorsPanel

        self.actors = ActorsPanel(self.db, self.annotator, self.location, self.scheme, self.undo_stack, self)
        self.actors_dock.setWidget(self.actors)
        self.actors_dock.visibilityChanged.connect(lambda shown: self.actors.reload() if shown else None)
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

    # -- Qt events -------------------------------------------------------------------------------
    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow() and self.attached:
            QTimer.singleShot(0, self.controller.poll)
            QTimer.singleShot(0, self.gold.refresh)  # a reviewer may have decided meanwhile (reads only if shown)
        super().changeEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        if not self.attached:  # closed while its database was still opening (or failed to open)
            super().closeEvent(event)
            return
        self.controller.poll_timer.stop()
        self.controller.nudges.flush()  # a burst of boundary nudges still waiting for its pause
        self.jobs.cancel_all()
        self.settings.save_layout(self.saveGeometry(), self.saveState())
        self.settings.sync()
        super().closeEvent(event)
        self.db.close()
