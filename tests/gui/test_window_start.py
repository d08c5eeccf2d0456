"""The application's start: the window's frame is painted before the database layer is even imported, then the
database opens and the documents appear; a database that cannot be opened says so and the start fails."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from pytestqt.qtbot import QtBot
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from storage import open_with_samples
from window_driver import temporary_settings

from gui.app import launch_window

ROOT = Path(__file__).resolve().parents[2]


def test_importing_the_window_loads_no_database_layer() -> None:
    """What the frame needs is all that loads before its first paint: no SQLAlchemy, Alembic or numpy."""
    probe = ("import sys, gui.app; heavy = sorted({m.split('.')[0] for m in sys.modules} & "
             "{'sqlalchemy', 'alembic', 'numpy', 'psycopg', 'spacy'}); "
             "print(heavy, sorted(m for m in sys.modules if m.startswith('storage.')))")
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True,
                         env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"})
    heavy, storage_modules = out.stdout.strip().split("] ")
    assert heavy == "["
    assert "storage.database" not in storage_modules and "storage.tables" not in storage_modules


class PaintWatch(QObject):
    """Notes, at the window's first Paint, whether its database was attached yet."""

    def __init__(self) -> None:
        super().__init__()
        self.attached_at_first_paint: list[bool] = []
        self.status_at_first_paint = ""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        window = getattr(watched, "window", lambda: None)()
        if event.type() == QEvent.Type.Paint and not self.attached_at_first_paint and hasattr(window, "attached"):
            self.attached_at_first_paint.append(window.attached)
            self.status_at_first_paint = window.identity_label.text()
        return False


def test_the_frame_paints_first_then_the_documents_arrive(qtbot: QtBot, sqlite_path: str, tmp_path: Path) -> None:
    open_with_samples(sqlite_path).close()
    settings = temporary_settings(tmp_path)
    settings.annotator = "alice"  # a returning analyst
    watch = PaintWatch()
    QApplication.instance().installEventFilter(watch)  # type: ignore[union-attr]
    try:
        window = launch_window(sqlite_path, None, settings)
        assert window is not None
        qtbot.addWidget(window)
        assert not window.attached and window.documents.model.rowCount() == 0
        with qtbot.waitSignal(window.sig_ready, timeout=20_000):
            pass
    finally:
        QApplication.instance().removeEventFilter(watch)  # type: ignore[union-attr]
    window.controller.poll_timer.stop()
    assert watch.attached_at_first_paint == [False]
    assert watch.status_at_first_paint == f"Opening {Path(sqlite_path).name}…"
    assert window.documents.model.rowCount() > 0 and window.controller.document is not None
    assert window.view.toPlainText().startswith(window.controller.document.text[:40])
    assert window.identity_label.text().startswith("alice · ")
    # the menus the attached window adds go before Help, which stays last
    assert [a.text().replace("&", "") for a in window.menuBar().actions()] == [
        "File", "Edit", "Document", "View", "Attribution", "Suggestions", "Help"]
    assert settings.last_database == sqlite_path


def test_a_database_that_cannot_be_opened_says_so_and_the_start_fails(qtbot: QtBot, tmp_path: Path) -> None:
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"this is not a database " * 200)
    settings = temporary_settings(tmp_path)
    settings.annotator = "alice"
    said: list[str] = []

    def read_and_close() -> None:
        box = next((w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()), None)
        if box is None:
            QTimer.singleShot(50, read_and_close)
            return
        said.append(f"{box.text()} {box.informativeText()}")
        box.accept()

    QTimer.singleShot(0, read_and_close)
    window = launch_window(str(broken), None, settings)
    assert window is not None
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.sig_open_failed, timeout=20_000):
        pass
    qtbot.waitUntil(lambda: not window.isVisible())
    assert said and "Cannot open the database." in said[0] and "not a Stancemark database" in said[0]
    assert not window.attached
    assert settings.last_database is None or settings.last_database != str(broken)
