"""Writes docs/layout-1024x768.png and docs/layout-1920x1080.png: the main window at those sizes with a
300-character document title and a long actor name, to check that the article column stays readable.

    xvfb-run -a -s '-screen 0 1920x1080x24' python docs/make_layout_screenshots.py   # or offscreen
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
from storage import AnnotationDraft, import_paths, open_with_samples  # noqa: E402

LONG_TITLE = ("Harbour strike " * 20)[:-1] + "s"
LONG_ACTOR = "Federation of " + "Harbour" * 40


def main(out_dir: Path) -> None:
    app = make_application()
    with tempfile.TemporaryDirectory() as scratch:
        location = str(Path(scratch) / "stancemark.db")
        db = open_with_samples(location)
        (Path(scratch) / "long.txt").write_text(f"{LONG_TITLE}\n\nUnions said talks resume next week.\n",
                                               encoding="utf-8")
        import_paths(db, [Path(scratch) / "long.txt"])
        doc = next(d for d in db.documents.list() if d.title == LONG_TITLE)
        db.annotations.add(AnnotationDraft(doc.id, 0, 6, actor=LONG_ACTOR, stance="oppose"), by="alice")
        db.close()
        settings = Settings(QSettings(str(Path(scratch) / "settings.ini"), QSettings.Format.IniFormat))
        settings.colour_by = "actor"
        window = open_window(location, "alice", settings)
        assert window is not None
        window.controller.poll_timer.stop()
        window.documents.select(doc.id)
        for width, height in ((1024, 768), (1920, 1080)):
            window.resize(width, height)
            window.show()
            QTest.qWaitForWindowExposed(window)
            QTest.qWait(500)
            window.saved_label.setText("Saved 10:42:13")
            app.processEvents()
            out = out_dir / f"layout-{width}x{height}.png"
            if not window.grab().save(str(out)):
                raise SystemExit(f"could not write {out}")
            print(f"wrote {out}: window {window.width()} px, article column {window.view.width()} px")
        window.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent)
