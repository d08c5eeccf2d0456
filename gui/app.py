"""Starting the window: the QApplication, the analyst's settings, who is annotating, which database.

The usual start (`launch_window`: a SQLite database and a name already known) paints the window's frame first
and opens the database straight after that paint: the database layer (SQLAlchemy above all) is most of the
start-up time, and nothing of it is imported before the window is on screen (tests/gui/test_window_start.py
checks both)."""
from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

import storage
from storage import StancemarkError

from gui.after_paint import after_first_paint
from gui.change_bus import ChangeBus, describe_failure
from gui.dialogs import AnnotatorDialog
from gui.main_window import MainWindow
from gui.plain_text import show_plain_message
from gui.resources import icon, stylesheet
from gui.settings import Settings

if TYPE_CHECKING:
    from storage import Database

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


def _open_database(location: str | None, parent_for_errors: QWidget | None) -> Database | None:
    """The database, with the sample articles if the window opens it for the first time with nothing in it;
    a message (and None) if it cannot be opened."""
    try:
        db = storage.open_database(location or None)
        storage.seed_new_database(db)
    except StancemarkError as exc:
        show_plain_message(QMessageBox.Icon.Critical, "Stancemark", "Cannot open the database.", str(exc),
                           parent_for_errors)
        return None
    return db


def _ensure_annotator(db: Database, name: str, parent_for_errors: QWidget | None) -> bool:
    try:
        db.annotators.ensure(name)
    except Exception as exc:  # noqa: BLE001 - shown, then the window is not opened
        db.close()
        show_plain_message(QMessageBox.Icon.Critical, "Stancemark", f"Cannot start as {name}.",
                           describe_failure(exc), parent_for_errors)
        return False
    return True


def _frame(location: str | None, settings: Settings) -> MainWindow:
    """The window before its database: where the analyst left it, with the docks as they were."""
    # The application's one undo stack, on its change bus: the main window and review mode share it.
    window = MainWindow(location or "", settings, bus=ChangeBus())
    geometry, state = settings.geometry(), settings.window_state()
    if geometry is not None:
        window.restoreGeometry(geometry)
    if state is not None:
        window.restored_state = window.restoreState(state)  # then the saved dock sizes stand
    window.sig_open_database_requested.connect(lambda other: _switch(window, other))
    _windows.append(window)
    window.destroyed.connect(lambda *_: _windows.remove(window) if window in _windows else None)
    return window


def _attach(window: MainWindow, db: Database, name: str, location: str | None) -> None:
    if location:
        window.settings.last_database = location
    window.attach(db, name)
    state = window.settings.window_state()
    if state is not None:  # again, now that the docks made with the database (Suggestions) exist too
        window.restored_state = window.restoreState(state)
    window.start()


def _show(window: MainWindow) -> None:
    window.show()
    # Without a window manager (or with a strict one) a new window is not active until clicked, and the
    # first key press would be lost: ask for the keyboard now.
    window.raise_()
    window.activateWindow()


def open_window(location: str | None, annotator: str | None, settings: Settings,
                parent_for_errors: QWidget | None = None) -> MainWindow | None:
    """Opens the database, then shows a window on it; a message (and None) if that cannot be done, and
    StartCancelled if the analyst closes the name question."""
    db = _open_database(location, parent_for_errors)
    if db is None:
        return None
    # On a team server each analyst logs in as their own role, and the server only lets that role write
    # under its own name: the login is the identity, ahead of whatever name this machine remembers.
    name = annotator or _team_identity(db) or settings.annotator or ask_annotator(db, settings, parent_for_errors)
    if not name:
        db.close()
        raise StartCancelled()
    if not _ensure_annotator(db, name, parent_for_errors):
        return None
    window = _frame(location, settings)
    _attach(window, db, name, location)
    _show(window)
    return window


def _is_server(location: str | None) -> bool:
    """A database server's URL (the login decides who annotates), as opposed to a SQLite file or URL."""
    return bool(location) and "://" in str(location) and not str(location).startswith("sqlite")


def launch_window(location: str | None, annotator: str | None, settings: Settings) -> MainWindow | None:
    """The application's start. With a SQLite database and a name already known, the window's frame is shown
    and painted first, and the database opens straight after that paint (`MainWindow.sig_ready` once the
    documents are on screen; if it cannot be opened the frame closes and the application exits with 1).
    Otherwise (a team server, or the first start's name question) as `open_window`."""
    name = annotator or settings.annotator
    if not name or _is_server(location):
        return open_window(location, annotator, settings)
    window = _frame(location, settings)
    _show(window)
    after_first_paint(window, lambda: _open_into(window, location, name), PAINT_WAIT_MS)
    return window


PAINT_WAIT_MS = 1000  # a window that is never painted (minimised, on no screen) still opens its database


def _open_into(window: MainWindow, location: str | None, name: str) -> None:
    db = _open_database(location, window)
    if db is None or not _ensure_annotator(db, name, window):
        window.sig_open_failed.emit()
        window.close()
        return
    _attach(window, db, name, location)


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
        window = launch_window(str(location) if location else None, getattr(args, "annotator", None), settings)
    except StartCancelled:
        print("stancemark: no name given, so no window was opened (stancemark --annotator NAME skips the question)",
              file=sys.stderr)
        return 0
    if window is None:
        return 1
    window.sig_open_failed.connect(lambda: app.exit(1))
    if getattr(args, "review", False):
        if window.attached:
            window.open_review()
        else:
            window.sig_ready.connect(window.open_review)
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
