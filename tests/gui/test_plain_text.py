"""Everything others typed is shown letter for letter: HTML in a title, quote, note, target, actor, annotator
name, rationale, label or file name is never rendered, in any label, tooltip, dialog or item model.

The data goes in through storage (an import, the services); the test then opens the main window, the gold
dock, the review window and the dialogs, and walks every widget, action and model it can reach."""
from __future__ import annotations

import json
from pathlib import Path

from pytestqt.qtbot import QtBot
from PySide6.QtCore import QAbstractItemModel, QEvent, QPoint, Qt, QTimer
from PySide6.QtGui import QHelpEvent, QTextDocument
from PySide6.QtGui import Qt as QtGuiNamespace  # Qt.mightBeRichText lives in QtGui
from PySide6.QtWidgets import QAbstractItemView, QApplication, QComboBox, QLabel, QMessageBox, QToolTip, QWidget

from gui.plain_text import plain_tooltip
from storage import AnnotationDraft, Database
from storage.importers import import_paths
from window_driver import error_box, open_document, start_window, temporary_settings

# marker -> the HTML it travels in; the marker shows wherever the field is shown, the tags must show with it.
PAYLOADS = {
    "Xtitle": "<b>Xtitle</b>",
    "Xquote": "<font size=7>Xquote</font>",
    "Xnote": "<img src=file:///etc/hostname>Xnote",
    "Xtarget": "<font color=red>Xtarget</font>",
    "Xactor": "<a href='http://example.org'>Xactor</a>",
    "Xme": "<u>Xme</u>",
    "Xbob": "<i>Xbob</i>",
    "Xrationale": "<b>Xrationale</b>",
    "Xlabel": "<i>Xlabel</i>",
    "Xfile": "<img src=x>Xfile",
}
P = PAYLOADS
ME, BOB = P["Xme"], P["Xbob"]


def rendered(text: str, fmt: Qt.TextFormat = Qt.TextFormat.AutoText) -> str:
    """What Qt puts on screen for `text` in a widget of this text format."""
    rich = fmt == Qt.TextFormat.RichText or (fmt == Qt.TextFormat.AutoText and QtGuiNamespace.mightBeRichText(text))
    if not rich:
        return text
    document = QTextDocument()
    document.setHtml(text)
    return document.toPlainText()


class Walk:
    """Collects every shown string: where it was, and whether a payload lost its tags on the way."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.seen: set[str] = set()

    def check(self, where: str, text: object, fmt: Qt.TextFormat = Qt.TextFormat.AutoText) -> None:
        if not isinstance(text, str) or not text:
            return
        shown = rendered(text, fmt)
        for marker, payload in PAYLOADS.items():
            if marker in shown:
                self.seen.add(marker)
                if payload not in shown:
                    self.problems.append(f"{where}: {text!r} shows as {shown!r}")

    def model(self, where: str, model: QAbstractItemModel) -> None:
        from PySide6.QtCore import QModelIndex

        root = QModelIndex()
        columns = next(c for c in range(100) if not model.index(0, c).isValid()) if model.rowCount(root) else 0
        for row in range(model.rowCount(root)):
            for column in range(columns):
                index = model.index(row, column)
                self.check(f"{where}[{row},{column}] display", index.data(Qt.ItemDataRole.DisplayRole),
                           Qt.TextFormat.PlainText)
                self.check(f"{where}[{row},{column}] tooltip", index.data(Qt.ItemDataRole.ToolTipRole))
        for column in range(columns):
            self.check(f"{where} header {column}", model.headerData(column, Qt.Orientation.Horizontal,
                                                                    Qt.ItemDataRole.ToolTipRole))

    def widget_tree(self, top: QWidget) -> None:
        for widget in [top, *top.findChildren(QWidget)]:
            name = f"{type(widget).__name__}#{widget.objectName()}"
            self.check(f"{name} tooltip", widget.toolTip())
            if isinstance(widget, QLabel):
                self.check(f"{name} text", widget.text(), widget.textFormat())
            if isinstance(widget, QAbstractItemView) and widget.model() is not None:
                self.model(name, widget.model())
            if isinstance(widget, QComboBox):
                self.model(f"{name} items", widget.model())
            for action in widget.actions():
                self.check(f"{name} action {action.text()!r} tooltip", action.toolTip())


def fill_with_html(db: Database, folder: Path) -> str:
    """An article, annotations, a label, a gold decision and two annotators, each field carrying HTML."""
    text = f"Unions said {P['Xquote']} on Monday, and talks resume next week."
    line = {"title": f"{P['Xtitle']} harbour strike", "text": text,
            "label": [[0, 6, P["Xlabel"]]]}  # doccano: a label the scheme lacks is added to it
    (folder / "article.jsonl").write_text(json.dumps(line) + "\n", encoding="utf-8")
    import_paths(db, [folder / "article.jsonl"], annotator=ME)
    doc = db.documents.list()[0].id
    db.annotators.set_role(ME, "reviewer")
    start = text.index(P["Xquote"])
    end = start + len(P["Xquote"])
    db.annotations.add(AnnotationDraft(doc, start, end, stance="oppose", claim_type="factual", actor=P["Xactor"],
                                       target=P["Xtarget"], note=P["Xnote"]), by=ME)
    bobs = db.annotations.add(AnnotationDraft(doc, start, end, stance="support", actor=P["Xactor"]), by=BOB)
    db.review.accept(bobs.id, by=ME, rationale=P["Xrationale"])
    return doc


def test_nothing_others_typed_is_rendered_as_html(qtbot: QtBot, db: Database, db_url: str,  # type: ignore[no-untyped-def]
                                                  tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    doc = fill_with_html(db, folder)
    settings = temporary_settings(tmp_path)
    settings.colour_by = "actor"  # the legend lists actor names
    window = start_window(qtbot, db_url, settings, annotator=ME)
    open_document(qtbot, window, P["Xtitle"])
    window.controller.set_show_others(True)
    window.gold_dock.raise_()
    qtbot.waitUntil(lambda: window.gold.on_screen and window.gold.model.rowCount() == 2)
    window.controller.toggle_done()  # the undo command names the document title
    assert window.controller.document is not None and window.controller.document.id == doc

    # "Importing failed", naming a file with HTML in its name
    bad = folder / f"{P['Xfile']}.jsonl"
    bad.write_text("{not json\n", encoding="utf-8")
    with qtbot.waitSignal(window.jobs.sig_failed, timeout=20_000):
        window.jobs.start_import([str(bad)])
    qtbot.waitUntil(lambda: error_box(window) is not None)

    window.open_review()
    review = window.review_window
    qtbot.waitExposed(review)
    qtbot.waitUntil(lambda: review.agreement.matrix_model.rowCount() == 2)
    review.disagreements.show_all.setChecked(True)
    review.disagreements.go(0)

    walk = Walk()
    for top in QApplication.topLevelWidgets():
        if top.isVisible():
            walk.widget_tree(top)
    walk.check("main window title", window.windowTitle(), Qt.TextFormat.PlainText)
    qtbot.waitUntil(lambda: not review.loading, timeout=20_000)
    for fmt in review.text_view.all_formats():
        walk.check("review text format tooltip", fmt.toolTip())

    # the article's own hover tooltip, shown by a real help event over the quote
    quote_at = window.controller.document.text.index("Xquote")
    point = window.view.point_for_offset(quote_at) + QPoint(2, 0)
    QApplication.sendEvent(window.view.viewport(),
                           QHelpEvent(QEvent.Type.ToolTip, point, window.view.viewport().mapToGlobal(point)))
    qtbot.waitUntil(QToolTip.isVisible)
    walk.check("article hover tooltip", QToolTip.text())

    # the About box names the annotator
    def read_about() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            walk.widget_tree(box)
            box.accept()

    QTimer.singleShot(200, read_about)
    window.about()

    assert walk.problems == [], "\n".join(walk.problems)
    assert walk.seen == set(PAYLOADS), f"never shown: {set(PAYLOADS) - walk.seen}"


def test_a_tooltip_shows_its_text_letter_for_letter() -> None:
    for text in ("<b>bold</b>", "a  b\n<font size=7>c</font> &amp; d", "<img src=file:///x>", "plain"):
        tip = plain_tooltip(text)
        assert QtGuiNamespace.mightBeRichText(tip)  # so Qt never guesses: it reads the escaped paragraph
        assert rendered(tip) == text
    assert plain_tooltip("") == plain_tooltip(None) == ""
