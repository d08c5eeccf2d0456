"""File > Import asks where single labels go and whose annotations they become, before writing anything."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog

import storage
from gui.import_dialog import ImportDialog, SchemeLabelsDialog
from gui.main_window import MainWindow

TEXT = "They support it, oppose that, stay neutral and deny the rest."


def doccano_file(folder: Path) -> Path:
    spans = [[TEXT.index(w), TEXT.index(w) + len(w), label] for w, label in
             [("support", "support"), ("oppose", "oppose"), ("neutral", "neutral"), ("deny", "Denial")]]
    path = folder / "stances.jsonl"
    path.write_text(json.dumps({"text": TEXT, "label": spans, "_annotator_id": "zoe"}) + "\n", encoding="utf-8")
    return path


def press(qtbot: QtBot, key: Qt.Key) -> None:
    """A key press where the focus is, as a person's would land."""
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    qtbot.keyClick(widget, key)


def test_import_dialog_maps_labels_and_names_the_annotator(
        qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = doccano_file(tmp_path)
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *args, **kwargs: ([str(path)], ""))
    documents_before, scheme_before = window.db.documents.count(), window.db.scheme.current()
    qtbot.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)   # File > Import Files…
    dialog = window.jobs.import_dialog
    assert isinstance(dialog, ImportDialog)
    qtbot.waitUntil(lambda: dialog.isVisible() and dialog.isActiveWindow())
    assert window.db.documents.count() == documents_before       # nothing written before the user confirms
    rows = {row.found.label: row for row in dialog.rows}
    assert list(rows) == ["Denial", "neutral", "oppose", "support"]
    assert all(row.name.textFormat() == Qt.TextFormat.PlainText for row in dialog.rows)
    assert (rows["Denial"].choice(), rows["support"].choice()) == (("claim_type", "denial"), ("stance", "support"))
    assert rows["Denial"].value.currentText() == "denial"          # the existing value, not "new: Denial"
    assert rows["support"].value.currentText() == "support" and rows["support"].value.currentIndex() > 0
    assert dialog.keep_names.isChecked() and "zoe" in dialog.keep_names.text()

    assert QApplication.focusWidget() is rows["Denial"].attribute  # the keyboard starts on the first label
    for _ in range(4):
        press(qtbot, Qt.Key.Key_Tab)                                # Denial's value, neutral's two, to oppose
    assert QApplication.focusWidget() is rows["oppose"].attribute
    press(qtbot, Qt.Key.Key_Down)                                   # Stance -> Actor
    press(qtbot, Qt.Key.Key_Tab)
    press(qtbot, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is rows["support"].attribute
    press(qtbot, Qt.Key.Key_End)                                    # Skip
    assert not rows["support"].value.isEnabled()

    qtbot.mouseClick(dialog.one_name, Qt.MouseButton.LeftButton)
    dialog.name_edit.setFocus()
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(dialog.name_edit, "bob")
    with qtbot.waitSignal(window.jobs.sig_imported, timeout=20_000) as finished:
        qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)         # the default button: Import
    summary = finished.args[0]
    assert summary.spans_skipped_by_label == 1 and summary.labels_added == {}

    db = window.db
    assert db.scheme.current().version == scheme_before.version     # no near-duplicate labels added
    doc = next(d for d in db.documents.list() if d.title.startswith("They support"))
    found = sorted((a.quote, a.stance, a.actor, a.claim_type, a.annotator) for a in db.annotations.for_document(doc.id))
    assert found == [("deny", None, None, "denial", "bob"), ("neutral", "neutral", None, None, "bob"),
                     ("oppose", None, "oppose", None, "bob")]


def test_cancel_writes_nothing_and_bad_files_fail_before_the_dialog(
        qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    before = window.db.documents.count()
    dialog = window.jobs.ask_and_import(window.db, [str(doccano_file(tmp_path))])
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert window.db.documents.count() == before
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"text": \n', encoding="utf-8")
    with qtbot.waitSignal(window.jobs.sig_failed) as failed:
        assert window.jobs.ask_and_import(window.db, [str(broken)]) is None
    assert "broken.jsonl" in failed.args[1]


def test_scheme_dialog_removes_an_unused_label_and_refuses_a_used_one(qtbot: QtBot, db_url: str,
                                                                      tmp_path: Path) -> None:
    db = storage.open_database(db_url)
    try:
        storage.import_paths(db, [doccano_file(tmp_path)], label_map={"Denial": ("claim_type", "denial")})
        dialog = SchemeLabelsDialog(db)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        values = [(u.attribute, u.value) for u in dialog.uses]

        def select(attribute: str, value: str) -> None:
            row = values.index((attribute, value))
            rect = dialog.table.visualRect(dialog.table.model().index(row, 1))
            qtbot.mouseClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())

        select("claim_type", "denial")
        qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
        assert dialog.reason.text() == "cannot remove claim type 'denial': 1 annotation uses it"
        assert "denial" in {v.value for v in db.scheme.current().claim_types}
        select("claim_type", "policy")
        qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
        assert "policy" not in {v.value for v in db.scheme.current().claim_types}
        assert dialog.removed == [("claim_type", "policy")]
    finally:
        db.close()


def test_the_label_scheme_dialog_opens_from_the_file_menu(qtbot, seeded_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from gui.import_dialog import SchemeLabelsDialog
    from window_driver import start_window, temporary_settings

    window = start_window(qtbot, seeded_db.location, temporary_settings(tmp_path))
    seen: list[str] = []

    def close_it() -> None:
        dialog = next((w for w in QApplication.topLevelWidgets()
                       if isinstance(w, SchemeLabelsDialog) and w.isVisible()), None)
        if dialog is None:
            QTimer.singleShot(50, close_it)
            return
        seen.append(dialog.windowTitle())
        dialog.reject()

    QTimer.singleShot(0, close_it)
    window.labels_action.trigger()
    assert seen == ["Label scheme"]
