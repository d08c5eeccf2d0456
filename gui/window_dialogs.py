"""The main window's dialogs and other windows: another database, import and its report, the label scheme,
the sample articles, the shortcut sheet, the guidelines, About, the error box and review mode. Each opens, waits
or reports; none touches the open document (that is gui.controller's)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox

import storage
from storage import StancemarkError

from gui.dialogs import OpenLocationDialog
from gui.plain_text import plain_message_box, show_plain_message

if TYPE_CHECKING:
    from gui.main_window import MainWindow


def report_import(window: MainWindow, summary: object) -> None:
    """The whole summary in a window of its own (the status bar cut it off): what came in, what was left
    out and why. Not modal: the analyst reads it while working."""
    from gui.plain_text import plain_message_box

    lines = list(getattr(summary, "lines", lambda: [])())
    if not lines:
        return
    window.import_report = plain_message_box(QMessageBox.Icon.Information, "Import finished", lines[0],
                                           "\n".join(lines[1:]), window)
    window.import_report.setModal(False)
    window.import_report.show()


def open_database_file(window: MainWindow) -> None:
    path, _ = QFileDialog.getSaveFileName(window, "Open or create a database", window.settings.last_directory,
                                          "Stancemark databases (*.db *.sqlite);;All files (*)",
                                          options=QFileDialog.Option.DontConfirmOverwrite)
    if path:
        window.switch_database(path)


def open_database_url(window: MainWindow) -> None:
    dialog = OpenLocationDialog(window.location, window)
    if dialog.exec() and dialog.location():
        window.switch_database(dialog.location())


def switch_database(window: MainWindow, location: str) -> None:
    """Asks the application for another database in a new window (gui.app opens it and closes this one only
    if that worked): the window knows nothing of how windows are made."""
    window.sig_open_database_requested.emit(location)


def import_files(window: MainWindow) -> None:
    paths, _ = QFileDialog.getOpenFileNames(window, "Import files", window.settings.last_directory,
                                            "Articles and annotations (*.txt *.md *.jsonl *.json *.html *.htm);;"
                                            "All files (*)")
    if paths:  # a confirm step shows the labels and where they go; nothing is written before it
        window.jobs.ask_and_import(window.db, paths, on_scheme_changed=lambda: window._imported(None))


def edit_scheme_labels(window: MainWindow) -> None:
    from gui.import_dialog import SchemeLabelsDialog

    SchemeLabelsDialog(window.db, window, by=window.annotator).exec()
    window._imported(None)  # the scheme may have lost a label: every widget takes the current one


def load_samples(window: MainWindow) -> None:
    """The sample articles on request (a database made by the command line starts without them)."""
    try:
        summary = storage.load_sample_articles(window.db)
    except StancemarkError as exc:
        show_plain_message(QMessageBox.Icon.Warning, "Stancemark", "Cannot load the sample articles.", str(exc),
                           window)
        return
    window.controller.reload_documents()
    window.statusBar().showMessage(" ".join(summary.lines()), 10_000)


def show_shortcuts(window: MainWindow) -> None:
    """The sheet is read from the menus as they are now, so it cannot go out of date."""
    from gui.help import ShortcutSheet, shortcut_rows

    groups = [(menu_action.text().replace("&", ""), menu.actions())
              for menu_action in window.menuBar().actions() if isinstance(menu := menu_action.menu(), QMenu)]
    window.shortcut_sheet = ShortcutSheet(shortcut_rows(groups, window.scheme), window)
    window.shortcut_sheet.show()
    window.shortcut_sheet.activateWindow()  # Esc closes it at once


def show_guidelines(window: MainWindow) -> None:
    from gui.help import GuidelinesDialog

    window.guidelines = GuidelinesDialog(window.scheme, window)
    window.guidelines.show()
    window.guidelines.activateWindow()


def about(window: MainWindow) -> None:
    box = plain_message_box(QMessageBox.Icon.Information, "About Stancemark",
                            "Stancemark — highlight passages of news articles and tag stance, actor and claim "
                            f"type.\n\nDatabase: {window.db.display_name}\nAnnotator: {window.annotator}\n"
                            f"Label scheme: {window.scheme.name} (version {window.scheme.version})", parent=window)
    box.setIconPixmap(window.windowIcon().pixmap(64, 64))
    box.exec()


def show_error(window: MainWindow, action: str, message: str) -> None:
    """Non-modal: the analyst reads it, the window stays usable and nothing was half-done."""
    window.last_error = f"{action}: {message}"
    window.statusBar().showMessage(f"{action} failed: {message}", 15000)
    if window._error_box is not None and window._error_box.isVisible():
        window._error_box.setInformativeText(message)
        window._error_box.setText(f"{action} failed.")
        return
    box = plain_message_box(QMessageBox.Icon.Warning, "Stancemark", f"{action} failed.", message, window)
    box.setWindowModality(Qt.WindowModality.NonModal)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.destroyed.connect(lambda *_: setattr(window, "_error_box", None))
    window._error_box = box
    box.show()


def open_review(window: MainWindow) -> None:
    """Review mode in its own window, on the app's undo stack (read-only for non-reviewers)."""
    from gui.review import ReviewWindow

    window.review_window = ReviewWindow(window.db, window.annotator, window.bus, parent=window,
                                        location=window.location)
    area = (window.screen() or QGuiApplication.primaryScreen()).availableGeometry()
    window.review_window.resize(min(1300, area.width()), min(850, area.height()))  # within a small screen
    window.review_window.show()
    window.review_window.activateWindow()
