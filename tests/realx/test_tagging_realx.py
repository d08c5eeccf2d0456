"""Tagging with the real pointer on a real X screen: the real `stancemark` process, a drag over a phrase of the
sample article, a stance key, a claim key and Enter, Ctrl+Q; then the database must hold that annotation.

Where the phrase is on screen is found by mirroring (see test_review_realx): the same main window, built by the
test from the same database at the real window's size (laid out, never shown), reports the phrase's points."""
from __future__ import annotations

import re
import time
from pathlib import Path

from PySide6.QtCore import QSettings, Qt

from test_review_realx import pytestmark, start_app, wait_for_window, xdotool  # noqa: F401 (the markers)


def test_drag_with_the_real_pointer_tag_by_keys_and_quit(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from gui.app import make_application
    from gui.main_window import MainWindow
    from gui.settings import Settings
    from storage import open_database

    db_path = str(tmp_path / "tagging.db")
    app = start_app(tmp_path, db_path)
    try:
        wait_for_window("rita")
        time.sleep(1.5)  # the first document opens from the event loop
        real = wait_for_window("rita")
        make_application()
        db = open_database(db_path)
        settings = Settings(QSettings(str(tmp_path / "mirror.ini"), QSettings.Format.IniFormat))
        mirror = MainWindow.on(db, db_path, "rita", settings)
        qtbot.addWidget(mirror)
        mirror.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
        mirror.resize(real["WIDTH"], real["HEIGHT"])
        mirror.start()
        mirror.show()
        mirror.controller.poll_timer.stop()
        qtbot.wait(300)
        document = mirror.controller.document
        assert document is not None
        words = [m.span() for m in re.finditer(r"[A-Za-z]{3,}", document.text)][3:6]
        start, end = words[0][0], words[-1][1]
        phrase = document.text[start:end]
        view = mirror.view
        begin, finish = view.point_for_offset(start), view.point_for_offset(end)
        assert view.viewport().rect().contains(begin) and view.viewport().rect().contains(finish)

        def on_screen(point, dx: int) -> tuple[str, str]:  # type: ignore[no-untyped-def]
            at = view.viewport().mapTo(mirror, point)
            return str(real["X"] + at.x() + dx), str(real["Y"] + at.y())

        xdotool("mousemove", "--sync", *on_screen(begin, 2))
        xdotool("mousedown", "1")
        for step in range(1, 6):
            x = begin.x() + 2 + (finish.x() - 2 - begin.x() - 2) * step // 5
            xdotool("mousemove", "--sync", *on_screen(type(begin)(x, begin.y()), 0))
            time.sleep(0.05)
        xdotool("mouseup", "1")
        time.sleep(0.6)
        for key in ("s", "1", "Return"):
            xdotool("key", key)
            time.sleep(0.3)
        xdotool("key", "ctrl+q")
        assert app.wait(30) == 0
        mine = [a for a in db.annotations.for_document(document.id) if a.annotator == "rita"]
        assert [(a.start, a.end, a.quote) for a in mine] == [(start, end, phrase)]
        assert mine[0].stance == "support" and mine[0].claim_type is not None
        db.close()
    finally:
        if app.poll() is None:
            app.terminate()
            app.wait(20)
