"""Screenshots of the whole screen at one size, to look for what clips, overlaps or is cut: the main window with
the tag editor open, the review window, and (with --dialogs) every dialog over the main window: export, import
preview, label scheme, shortcuts, guidelines, the search dock with results.

    xvfb-run -a -s '-screen 0 1024x768x24' python docs/make_size_screenshots.py OUT_DIR --dialogs
    xvfb-run -a -s '-screen 0 1920x1080x24' python docs/make_size_screenshots.py OUT_DIR

Each picture is the X screen itself (what an analyst with that screen sees), named NAME-WIDTHxHEIGHT.png.
Everything is made in a temporary directory; nothing of the user's is touched.
"""
from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from gui.app import make_application, open_window
from gui.settings import Settings
from storage import AnnotationDraft, open_with_samples, preview_import

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_screenshot import annotate  # noqa: E402  (the same annotated sample article)


def shoot(out_dir: Path, name: str, wait_ms: int = 400) -> Path:
    QTest.qWait(wait_ms)
    screen = QGuiApplication.primaryScreen()
    size = screen.geometry()
    out = out_dir / f"{name}-{size.width()}x{size.height()}.png"
    if not screen.grabWindow(0).save(str(out)):
        raise SystemExit(f"could not write {out}")
    print(f"wrote {out}")
    return out


def fill_screen(window: QWidget) -> None:
    """What maximising does under a window manager (Xvfb has none): the whole screen."""
    window.setGeometry(QGuiApplication.primaryScreen().availableGeometry())
    QTest.qWait(300)


def show_over(window: QWidget, dialog: QWidget, out_dir: Path, name: str) -> None:
    dialog.show()
    QTest.qWaitForWindowExposed(dialog)
    shoot(out_dir, name)
    dialog.close()
    window.activateWindow()


def main(out_dir: Path, dialogs: bool) -> None:
    app = make_application()
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        location = str(Path(scratch) / "stancemark.db")
        document_id = annotate(location)
        db = open_with_samples(location)
        db.annotators.set_role("alice", "reviewer")
        text = db.documents.get(document_id).text
        passage = "the Kremlin is trying to forge a settlement"
        start = text.index(passage)
        db.annotations.add(AnnotationDraft(document_id, start, start + len(passage), stance="neutral",
                                           claim_type="factual"), by="bob")
        db.close()
        settings = Settings(QSettings(str(Path(scratch) / "settings.ini"), QSettings.Format.IniFormat))
        settings.show_others = True
        window = open_window(location, "alice", settings)
        assert window is not None
        window.controller.poll_timer.stop()
        window.show()
        QTest.qWaitForWindowExposed(window)
        fill_screen(window)
        QTest.qWait(900)
        start = text.index("Kremlin invited 1,600 Syrians")
        end = start + len("Kremlin invited 1,600 Syrians to Sochi")
        window.view.select_span(start, end)
        window.view.sig_selection_released.emit(start, end)
        QTest.keyClick(window.tag_editor, "N")
        QTest.keyClick(window.tag_editor, "1")
        window.tag_editor.actor_box.setEditText("Kremlin")
        shoot(out_dir, "main")
        window.tag_editor.cancel()

        window.open_review()
        review = window.review_window
        QTest.qWaitForWindowExposed(review)
        fill_screen(review)
        review.document_box.setCurrentIndex(review.document_box.findData(document_id))
        QTest.qWait(800)
        review.disagreements.go(0)
        shoot(out_dir, "review", 600)
        review.close()
        window.activateWindow()

        if dialogs:
            from gui.dialogs import ExportDialog
            from gui.help import GuidelinesDialog
            from gui.import_dialog import ImportDialog, SchemeLabelsDialog
            from storage import EXPORT_FORMATS, LABEL_ATTRIBUTES

            show_over(window, ExportDialog(EXPORT_FORMATS, LABEL_ATTRIBUTES, ["alice", "bob"], "alice",
                                           document_id, parent=window), out_dir, "export")
            source = Path(scratch) / "doccano-export.jsonl"
            sample = "The minister said the party would support the reform, while the unions oppose it."
            spans = [[sample.index(w), sample.index(w) + len(w), w] for w in ("support", "oppose", "The minister")]
            source.write_text(json.dumps({"text": sample, "label": spans, "_annotator_id": "zoe"}) + "\n",
                              encoding="utf-8")
            show_over(window, ImportDialog(window.db, [str(source)], preview_import(window.db, [source]), window),
                      out_dir, "import")
            show_over(window, SchemeLabelsDialog(window.db, window, by="alice"), out_dir, "labels")
            window.show_shortcuts()
            show_over(window, window.shortcut_sheet, out_dir, "shortcuts")
            show_over(window, GuidelinesDialog(window.scheme, window), out_dir, "guidelines")
            window.focus_search()
            QApplication.processEvents()
            window.search.box.setText("Lavrov")
            shoot(out_dir, "search", 3000)
        window.close()
    app.quit()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp()), "--dialogs" in sys.argv)
