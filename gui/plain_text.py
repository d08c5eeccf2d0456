"""Text other people typed (titles, quotes, notes, names, rationales, labels, file names) shown as text.

Qt guesses: a tooltip, a QLabel or a QMessageBox whose string *looks* like HTML (`Qt.mightBeRichText`) is
rendered as rich text, so `<font size=7>`, `<a href>` or `<img src=file:...>` in an article title or a
colleague's note would change what the analyst sees. Widgets built here never guess: labels and message
boxes are set to `Qt.TextFormat.PlainText`, and a tooltip (which has no text-format setting) is handed over
already escaped inside a paragraph that keeps white space and line breaks, so Qt shows it letter for letter.
"""
from __future__ import annotations

import html

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QMessageBox, QProgressDialog, QWidget

PLAIN = Qt.TextFormat.PlainText
_TIP_START, _TIP_END = '<p style="white-space:pre-wrap">', "</p>"


def plain_tooltip(text: str | None) -> str:
    """A tooltip string Qt renders exactly as `text` reads ("" for no tooltip)."""
    if not text:
        return ""
    return _TIP_START + html.escape(text, quote=False) + _TIP_END


def name_plainly(action: QAction, tip: str) -> None:
    """An action's tooltip from text that quotes others (the undo stack names the passage or title); a no-op
    once the action is gone (the stack may announce its last change while the window is torn down)."""
    if shiboken6.isValid(action):
        action.setToolTip(plain_tooltip(tip))


def plain_label(text: str = "", parent: QWidget | None = None) -> QLabel:
    """A QLabel that never reads its text as HTML."""
    label = QLabel(parent)
    label.setTextFormat(PLAIN)
    label.setText(text)
    return label


def make_plain(*labels: QLabel) -> None:
    """Switches existing labels to plain text (those built by Qt or by a layout helper)."""
    for label in labels:
        label.setTextFormat(PLAIN)


def plain_message_box(icon: QMessageBox.Icon, title: str, text: str, informative: str = "",
                      parent: QWidget | None = None) -> QMessageBox:
    """A message box whose text and informative text are plain (QMessageBox's static helpers guess)."""
    box = QMessageBox(icon, title, "", QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(PLAIN)
    box.setText(text)
    if informative:
        box.setInformativeText(informative)
    make_plain(*box.findChildren(QLabel))  # the informative label, on every Qt version
    return box


def show_plain_message(icon: QMessageBox.Icon, title: str, text: str, informative: str = "",
                       parent: QWidget | None = None) -> int:
    """The modal counterpart of QMessageBox.warning / critical / about, in plain text."""
    return plain_message_box(icon, title, text, informative, parent).exec()


def plain_progress_dialog(text: str, cancel: str, maximum: int, parent: QWidget | None = None) -> QProgressDialog:
    """A progress dialog whose label (often naming a file) is plain text."""
    dialog = QProgressDialog(parent)
    dialog.setLabel(plain_label(text, dialog))
    dialog.setCancelButtonText(cancel)
    dialog.setRange(0, maximum)
    return dialog
