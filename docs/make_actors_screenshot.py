"""Regenerates docs/actors.png: the Actors dock (widget.grab()) on the sample article with a few actors, one
selected with its passages listed.

    python docs/make_actors_screenshot.py [OUT.png]    # offscreen (no display needed)

Everything is made in a temporary directory: the database and the settings.
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402

from gui.app import make_application, open_window  # noqa: E402
from gui.settings import Settings  # noqa: E402
from storage import AnnotationDraft, open_with_samples  # noqa: E402

# (passage, actor, annotator)
TAGS = [("Russian Foreign Minister Sergei Lavrov", "Sergei Lavrov", "alice"),
        ("Sergei Lavrov", "Lavrov", "bob"),
        ("the Kremlin", "Kremlin", "alice"),
        ("Moscow", "Kremlin", "bob"),
        ("said Alexander Shumilin", "Alexander Shumilin", "alice"),
        ("Putin", "Putin", "alice"),
        ("Putin", "V. Putin", "bob")]


def main(out: Path) -> None:
    app = make_application([])
    with tempfile.TemporaryDirectory() as tmp:
        location = str(Path(tmp) / "stancemark.db")
        db = open_with_samples(location)
        doc = db.documents.list()[0]
        text = db.documents.get(doc.id).text
        db.actors.create("Sergei Lavrov", "person", ("Lavrov", "Russian FM"), by="alice")
        db.actors.create("Vladimir Putin", "person", ("Putin",), by="alice")
        db.actors.create("Kremlin", "state", ("the Kremlin", "Moscow"), by="alice")
        db.actors.create("Alexander Shumilin", "person", by="alice")
        for passage, actor, who in TAGS:
            start = text.index(passage)
            db.annotations.add(AnnotationDraft(doc.id, start, start + len(passage), actor=actor), by=who)
        db.close()
        settings = Settings(QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat))
        window = open_window(location, "alice", settings)
        assert window is not None
        window.resize(1360, 860)
        window.actors_dock.show()
        panel = window.actors
        panel.resize(900, 560)
        for _ in range(100):
            QTest.qWait(30)
            if panel.model.rowCount():
                break
        panel.select_actor("Sergei Lavrov")
        for _ in range(100):
            QTest.qWait(30)
            if panel.passage_model.rowCount():
                break
        window.actors_dock.setFloating(True)
        window.actors_dock.resize(900, 600)
        QTest.qWait(200)
        window.actors_dock.grab().save(str(out))
        window.close()
    app.quit()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name("actors.png"))
