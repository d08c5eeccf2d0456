"""Regenerates docs/import-dialog.png: the import's confirm step on a doccano file labelled with stances.

    python docs/make_import_dialog_screenshot.py [OUT.png]      # offscreen (no display needed)

The database and the input file are made in a temporary directory.
"""
from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402

from gui.app import make_application  # noqa: E402
from gui.import_dialog import ImportDialog  # noqa: E402
from storage import open_database, preview_import  # noqa: E402

TEXT = ("The minister said the party would support the reform, while the unions oppose it and the "
        "central bank stays neutral. Officials deny any wrongdoing; critics call it sarcasm.")
LABELS = [("support", "support"), ("oppose", "oppose"), ("neutral", "neutral"), ("deny", "Denial"),
          ("sarcasm", "irony"), ("The minister", "Minister")]


def main(out: Path) -> None:
    make_application([sys.argv[0]])
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(str(Path(folder) / "shot.db"))
        source = Path(folder) / "doccano-export.jsonl"
        spans = [[TEXT.index(w), TEXT.index(w) + len(w), label] for w, label in LABELS]
        source.write_text(json.dumps({"text": TEXT, "label": spans, "_annotator_id": "zoe"}) + "\n", encoding="utf-8")
        dialog = ImportDialog(db, [str(source)], preview_import(db, [source]))
        dialog.show()
        QApplication.processEvents()
        dialog.grab().save(str(out))
        db.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name("import-dialog.png"))
