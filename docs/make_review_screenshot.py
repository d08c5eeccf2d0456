"""Regenerates docs/review.png: review mode on the sample article, two annotators who disagree, one decision made.

    xvfb-run -a -s '-screen 0 1440x900x24' python docs/make_review_screenshot.py [OUT.png] [WIDTHxHEIGHT]

Everything is made in a temporary directory (the database); nothing of the user's is touched."""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtTest import QTest  # noqa: E402

from gui.app import make_application  # noqa: E402
from gui.review import ReviewWindow  # noqa: E402
from storage import AnnotationDraft, open_with_samples  # noqa: E402

# (passage, alice's labels, bob's labels): None where that annotator did not mark it.
UNITS = [
    ("major opposition forces boycotted a summit", dict(stance="oppose", claim_type="factual"),
     dict(stance="oppose", claim_type="factual")),
    ("Russian Foreign Minister Sergei Lavrov was heckled", dict(claim_type="factual"),
     dict(claim_type="evaluative")),
    ("the Kremlin is trying to forge a settlement", dict(stance="support", claim_type="evaluative"),
     dict(stance="neutral", claim_type="evaluative")),
    ("accuse him of killing hundreds of thousands of civilians", None,
     dict(stance="oppose", claim_type="accusation")),
]


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name("review.png")
    width, height = (int(n) for n in (sys.argv[2] if len(sys.argv) > 2 else "1440x900").split("x"))
    app = make_application([])
    with tempfile.TemporaryDirectory() as tmp:
        db = open_with_samples(str(Path(tmp) / "review.db"))
        doc = next(d for d in db.documents.list() if "Sochi" in d.title or "Syria" in d.title)
        text = db.documents.get(doc.id).text
        db.annotators.ensure("rita", role="reviewer")
        first = None
        for passage, alice, bob in UNITS:
            start = text.index(passage)
            for who, labels in (("alice", alice), ("bob", bob)):
                if labels is not None:
                    record = db.annotations.add(AnnotationDraft(doc.id, start, start + len(passage), **labels), by=who)
                    first = first or record
        window = ReviewWindow(db, "rita")
        window.resize(width, height)
        window.show()
        window.document_box.setCurrentIndex(window.document_box.findData(doc.id))
        QTest.qWait(800)
        window.disagreements.go(0)
        window.accept_number(2)
        window.disagreements.go(1)
        window.decision.rationale.setPlainText("Reported speech: the Kremlin's aim as the reporter puts it")
        QTest.qWait(500)
        window.grab().save(str(out))
        print(out)
        window.close()
        db.close()
    app.quit()


if __name__ == "__main__":
    main()
