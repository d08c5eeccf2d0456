"""Starting the window: the QApplication, the analyst's settings, who is annotating, which database."""
from __future__ import annotations

import sys
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from storage import Database, StancemarkError, open_database, seed_new_database

from gui.change_bus import ChangeBus, describe_failure
from gui.dialogs import AnnotatorDialog
from gui.main_window import MainWindow
from gui.plain_text import show_plain_message
from gui.resources import icon, stylesheet
from gui.settings import Settings

# Windows opened by this process; Qt does not own top-level windows, Python must keep them alive.
_windows: list[MainWindow] = []


def make_application(argv: list[str] | None = None) -> QApplication:
    """The one QApplication, named so QSettings finds the analyst's settings, styled from resources/."""
    QCoreApplication.setOrganizationName("Stancemark")
    QCoreApplication.setApplicationName("Stancemark")
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(argv if argv is not None else sys.argv)
    app.setStyle("Fusion")
    font = QFont("DejaVu Sans")
    font.setPointSizeF(10)
    app.setFont(font)
    app.setStyleSheet(stylesheet())
    app.setWindowIcon(icon("stancemark"))
    QGuiApplication.setDesktopFileName("stancemark")
    return app


class StartCancelled(Exception):
    """The analyst closed the first-start question without giving a name."""


def ask_annotator(db: Database, settings: Settings, parent: QWidget | None = None) -> str | None:
    """First start: ask who is annotating and remember it."""
    try:
        known = [a.name for a in db.annotators.list()]
    except StancemarkError:
        known = []
    dialog = AnnotatorDialog(known, settings.annotator, parent)
    if not dialog.exec() or not dialog.name():
        return None
    settings.annotator = dialog.name()
    return dialog.name()


def _team_identity(db: Database) -> str | None:
    try:
        return db.team_identity()
    except StancemarkError:
        return None


def open_window(location: str | None, annotator: str | None, settings: Settings,
                parent_for_errors: QWidget | None = None) -> MainWindow | None:
    """Opens the database and shows a window on it; a message (and None) if that cannot be done, and
    StartCancelled if the analyst closes the name question."""
    try:
        db = open_database(location or None)
        # The sample articles go only into a database the window opens for the first time with nothing in it.
        seed_new_database(db)
    except StancemarkError as exc:
        show_plain_message(QMessageBox.Icon.Critical, "Stancemark", "Cannot open the database.", str(exc),
                           parent_for_errors)
        return None
    # On a team server each analyst logs in as their own role, and the server only lets that role write
    # under its own name: the login is the identity, ahead of whatever name this machine remembers.
    name = annotator or _team_identity(db) or settings.annotator or ask_annotator(db, settings, parent_for_errors)
    if not name:
        db.close()
        raise StartCancelled()
    try:
        db.annotators.ensure(name)
    except Exception as exc:  # noqa: BLE001 - shown, then the window is not opened
        db.close()
        show_plain_message(QMessageBox.Icon.Critical, "Stancemark", f"Cannot start as {name}.",
                           describe_failure(exc), parent_for_errors)
        return None
    if location:
        settings.last_database = location
    # The application's one undo stack, on its change bus: the main window and review mode share it.
    window = MainWindow(db, location or "", name, settings, bus=ChangeBus())
    geometry, state = settings.geometry(), settings.window_state()
    if geometry is not None:
        window.restoreGeometry(geometry)
    if state is not None:
        window.restored_state = window.restoreState(state)  # then the saved dock sizes stand
    window.sig_open_database_requested.connect(lambda other: _switch(window, other))
    window.start()
    window.show()
    # Without a window manager (or with a strict one) a new window is not active until clicked, and the
    # first key press would be lost: ask for the keyboard now.
    window.raise_()
    window.activateWindow()
    _windows.append(window)
    window.destroyed.connect(lambda *_: _windows.remove(window) if window in _windows else None)
    return window


def _switch(window: MainWindow, location: str) -> None:
    """Another database in a new window; the old one closes only if the new one opened."""
    if open_window(location, window.annotator, window.settings, parent_for_errors=window) is not None:
        window.close()


def run_window(args: Any) -> int:
    """Entry point for `stancemark` without a subcommand: args has `.db` and `.annotator` (either may be None)."""
    app = make_application()
    settings = Settings()
    location = getattr(args, "db", None) or settings.last_database or None
    try:
        window = open_window(str(location) if location else None, getattr(args, "annotator", None), settings)
    except StartCancelled:
        print("stancemark: no name given, so no window was opened (stancemark --annotator NAME skips the question)",
              file=sys.stderr)
        return 0
    if window is None:
        return 1
    if getattr(args, "review", False):
        window.open_review()
    return app.exec()


def main() -> int:
    """`python -m gui.app [DB] [--annotator NAME]` without the full command line."""
    import argparse

    parser = argparse.ArgumentParser(prog="stancemark-window")
    parser.add_argument("db", nargs="?", default=None)
    parser.add_argument("--annotator", default=None)
    return run_window(parser.parse_args())


if __name__ == "__main__":
    sys.exit(main())
