"""Regenerates docs/attribution.png: the sample article with the relayed claim (Putin's message read out by
Lavrov) linked to its source, cue and relay, marked with the keys and clicks an analyst uses.

    xvfb-run -a -s '-screen 0 1440x900x24' python docs/make_attribution_screenshot.py [OUT.png] [WIDTHxHEIGHT]

Everything is made in a temporary directory (database, settings); nothing of the user's is touched."""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPoint, QSettings, Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from gui.app import make_application, open_window  # noqa: E402
from gui.settings import Settings  # noqa: E402
from storage import AnnotationDraft, open_with_samples  # noqa: E402

SENTENCE = "In a message to the participants"
QUOTE = "“today all the conditions are in place to turn this tragic page in Syria’s history.”"


def _click(window, offset: int, key: Qt.Key) -> None:  # type: ignore[no-untyped-def]
    view = window.view
    view.setFocus()
    QTest.keyClick(view, key)
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     view.point_for_offset(offset) + QPoint(2, 0))
    QApplication.processEvents()


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name("attribution.png")
    width, height = (int(n) for n in (sys.argv[2] if len(sys.argv) > 2 else "1440x900").split("x"))
    app = make_application([])
    with tempfile.TemporaryDirectory() as tmp:
        location = str(Path(tmp) / "attribution.db")
        db = open_with_samples(location)
        for name in ("Vladimir Putin", "Sergei Lavrov"):
            db.actors.create(name, kind="person")
        doc = next(d for d in db.documents.list() if "Syria" in d.title)
        text = db.documents.get(doc.id).text
        other = text.index("boycotted a summit")  # a plain claim nearby, for contrast
        db.annotations.add(AnnotationDraft(doc.id, other, other + len("boycotted a summit"), stance="oppose",
                                           claim_type="factual"), by="alice")
        db.close()
        settings = Settings(QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat))
        window = open_window(location, "alice", settings)
        assert window is not None
        window.controller.poll_timer.stop()
        window.resize(width, height)
        QTest.qWait(600)
        window.documents.select(doc.id)
        QTest.qWait(300)
        start = text.index(QUOTE)
        claim = window.controller.add(AnnotationDraft(doc.id, start, start + len(QUOTE), stance="support",
                                                      claim_type="predictive"))
        assert claim is not None
        sentence = text.index(SENTENCE)
        for word, key in (("Putin", Qt.Key.Key_S), ("Lavrov", Qt.Key.Key_R)):
            _click(window, text.index(word, sentence) + 1, key)
            QTest.keyClick(window.attribution.prompt.edit, Qt.Key.Key_Return)  # the proposed actor
        _click(window, text.index("said", sentence) + 1, Qt.Key.Key_C)
        window.controller.select_annotation(claim.id)
        window.view.clear_span_selection()
        window.view.ensureCursorVisible()
        QTest.qWait(900)  # the selection's flash is over
        window.grab().save(str(out))
        print(f"wrote {out}")
        window.close()
    app.processEvents()


if __name__ == "__main__":
    main()
