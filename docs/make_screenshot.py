"""Regenerates docs/screenshot.png: the real main window on the sample article, annotated as an analyst would.

    python docs/make_screenshot.py [OUT.png]                     # offscreen (no display needed)
    xvfb-run -a -s '-screen 0 1440x900x24' python docs/make_screenshot.py   # under a real X server

Everything is made in a temporary directory: the database, and the settings (the analyst's own are not touched).
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

ANALYST, COLLEAGUE = "alice", "bob"
# (passage, stance, actor, claim type, target): what an analyst might tag in the sample article.
TAGS = [
    ("major opposition forces boycotted a summit", "oppose", "Syrian opposition", "factual", "Sochi talks"),
    ("Russian Foreign Minister Sergei Lavrov was heckled", None, "Sergei Lavrov", "factual", None),
    ("Sergei Lavrov", None, "Sergei Lavrov", "factual", None),
    ("the Kremlin is trying to forge a settlement securing the success of its military campaign", "support",
     "Kremlin", "evaluative", "Assad government"),
    ("accuse him of killing hundreds of thousands of civilians", "oppose", "Syrian opposition", "accusation",
     "Bashar al-Assad"),
    ("the conference was an attempt to usurp the role of United Nations-led talks in Geneva", "oppose",
     "Syrian opposition", "accusation", "Sochi talks"),
    ("today all the conditions are in place to turn this tragic page in Syria’s history", "support",
     "Vladimir Putin", "predictive", "Sochi talks"),
    ("Russia will ask the UN to take the lead in discussions on a new constitution for Syria", "neutral",
     "Alexander Lavrentiev", "policy", "Syrian constitution"),
    ("withhold any reconstruction aid for regime-controlled areas", "oppose", "Western allies", "policy",
     "Assad government"),
    ("Russia isn’t accepted as a mediator", "oppose", "Alexander Shumilin", "evaluative", "Russia"),
]
COLLEAGUE_TAGS = [("vowed to maintain a long-term military presence", "neutral", "United States", "policy", None)]


def annotate(location: str) -> str:
    db = open_with_samples(location)
    try:
        document = db.documents.get(db.documents.list()[0].id)
        for who, tags in ((ANALYST, TAGS), (COLLEAGUE, COLLEAGUE_TAGS)):
            for passage, stance, actor, claim, target in tags:
                start = document.text.index(passage)
                db.annotations.add(AnnotationDraft(document.id, start, start + len(passage), stance=stance,
                                                   actor=actor, claim_type=claim, target=target), by=who)
        db.documents.set_status(document.id, "in_progress", by=ANALYST)
        return document.id
    finally:
        db.close()


def main(out: Path) -> None:
    app = make_application()
    with tempfile.TemporaryDirectory() as scratch:
        location = str(Path(scratch) / "stancemark.db")
        annotate(location)
        settings = Settings(QSettings(str(Path(scratch) / "settings.ini"), QSettings.Format.IniFormat))
        settings.show_others = True
        window = open_window(location, ANALYST, settings)
        assert window is not None
        window.controller.poll_timer.stop()
        window.resize(1440, 900)
        window.show()
        QTest.qWaitForWindowExposed(window)
        selected = next(a for a in window.panel.model.records() if a.claim_type == "accusation")
        window.panel.select(selected.id)
        window.view.verticalScrollBar().setValue(0)
        QTest.qWait(900)  # let the selection flash finish and every visible block paint
        # A fresh selection with the tag editor open on it: the moment the tool is built around.
        text = window.controller.document.text
        start = text.index("Kremlin invited 1,600 Syrians")
        end = start + len("Kremlin invited 1,600 Syrians to Sochi")
        window.view.select_span(start, end)
        window.view.sig_selection_released.emit(start, end)  # what the view sends when the mouse is released
        QTest.keyClick(window.tag_editor, "N")
        QTest.keyClick(window.tag_editor, "1")
        window.tag_editor.actor_box.setEditText("Kremlin")
        QTest.qWait(200)
        window.saved_label.setText("Saved 10:42:13")  # a fixed time, so the picture does not change each run
        app.processEvents()
        out.parent.mkdir(parents=True, exist_ok=True)
        if not window.grab().save(str(out)):
            raise SystemExit(f"could not write {out}")
        editor_shot = out.with_name("tag-editor.png")
        if not window.tag_editor.grab().save(str(editor_shot)):
            raise SystemExit(f"could not write {editor_shot}")
        print(f"wrote {editor_shot}")
        window.close()
        print(f"wrote {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent / "screenshot.png")
