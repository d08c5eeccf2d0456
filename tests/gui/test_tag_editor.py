"""The tag editor used from the keyboard, as an analyst does right after releasing the mouse."""
from __future__ import annotations

from copy import deepcopy
from datetime import datetime, timezone

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from gui.tag_editor import TagEditor
from storage import ActorRecord, AnnotationRecord, SchemeRecord
from storage.scheme import to_record

ACTORS = [ActorRecord(1, "Sergei Lavrov", "person", ("Lavrov",)), ActorRecord(2, "Vladimir Putin", "person", ())]


def complete_from_list(prefix: str) -> list[ActorRecord]:
    """The same contract as db.actors.complete, over a fixed list (the real one is tested below)."""
    needle = prefix.lower()
    return [a for a in ACTORS if any(needle in n.lower() for n in (a.name, *a.aliases))]


@pytest.fixture
def editor(qtbot, host: QWidget, scheme: SchemeRecord) -> TagEditor:  # type: ignore[no-untyped-def]
    widget = TagEditor(scheme, complete_from_list, host)
    widget.open_for("Russia’s hopes were dealt a blow", host.mapToGlobal(QPoint(40, 60)))
    qtbot.waitUntil(widget.hasFocus)
    return widget


def test_keyboard_flow_stance_claim_actor_enter(editor: TagEditor, qtbot) -> None:  # type: ignore[no-untyped-def]
    QTest.keyClick(editor, Qt.Key.Key_S)
    QTest.keyClick(editor, Qt.Key.Key_1)
    assert editor.stance_group.value() == "support" and editor.claim_group.value() == "factual"
    QTest.keyClick(editor, Qt.Key.Key_Tab)
    assert editor.focusWidget() is editor.actor_box
    QTest.keyClicks(editor.focusWidget(), "Vladimir Putin")
    QTest.keyClick(editor.focusWidget(), Qt.Key.Key_Tab)
    assert editor.focusWidget() is editor.target_edit
    QTest.keyClicks(editor.target_edit, "the opposition")
    QTest.keyClick(editor.target_edit, Qt.Key.Key_Tab)
    QTest.keyClicks(editor.note_edit, "said in Sochi")
    emitted: list[dict] = []
    editor.sig_accepted.connect(emitted.append)
    QTest.keyClick(editor.note_edit, Qt.Key.Key_Return)
    assert emitted == [{"stance": "support", "claim_type": "factual", "actor": "Vladimir Putin",
                        "target": "the opposition", "note": "said in Sochi"}]      # once: one annotation
    assert not editor.isVisible()


def test_enter_right_after_the_shortcuts_saves(editor: TagEditor, qtbot) -> None:  # type: ignore[no-untyped-def]
    QTest.keyClick(editor, Qt.Key.Key_O)
    QTest.keyClick(editor, Qt.Key.Key_5)
    with qtbot.waitSignal(editor.sig_accepted) as accepted:
        QTest.keyClick(editor, Qt.Key.Key_Enter)
    assert accepted.args == [{"stance": "oppose", "claim_type": "accusation", "actor": None, "target": None,
                              "note": ""}]


def test_escape_cancels_from_a_text_field(editor: TagEditor, qtbot) -> None:  # type: ignore[no-untyped-def]
    QTest.keyClick(editor, Qt.Key.Key_Tab)
    QTest.keyClicks(editor.focusWidget(), "Pu")
    editor.target_edit.setFocus()
    with qtbot.assertNotEmitted(editor.sig_accepted), qtbot.waitSignal(editor.sig_cancelled):
        QTest.keyClick(editor.target_edit, Qt.Key.Key_Escape)
    assert not editor.isVisible()


def test_letters_in_a_text_field_are_text_not_shortcuts(editor: TagEditor) -> None:
    editor.target_edit.setFocus()
    QTest.keyClicks(editor.target_edit, "S1O")
    assert editor.target_edit.text() == "S1O"
    assert editor.stance_group.value() is None and editor.claim_group.value() is None


def test_pressing_a_shortcut_again_clears_it_and_another_replaces_it(editor: TagEditor) -> None:
    QTest.keyClick(editor, Qt.Key.Key_N)
    QTest.keyClick(editor, Qt.Key.Key_N)
    assert editor.stance_group.value() is None
    QTest.keyClick(editor, Qt.Key.Key_2)
    QTest.keyClick(editor, Qt.Key.Key_6)
    assert editor.claim_group.value() == "denial"
    assert editor.claim_group.button("denial").isChecked() and not editor.claim_group.button("evaluative").isChecked()


def test_labels_and_shortcuts_come_from_the_scheme(editor: TagEditor, scheme: SchemeRecord) -> None:
    body = deepcopy(scheme.body)
    body["stance"]["values"] = [{"value": "pro", "label": "In favour", "colour": "#2e9e5b", "shortcut": "F"},
                                {"value": "contra", "label": "Against", "colour": "#d1495b", "shortcut": "A"}]
    editor.set_scheme(to_record(2, body))
    assert editor.stance_group.button("pro").text() == "In favour (F)"
    QTest.keyClick(editor, Qt.Key.Key_S)            # the old shortcut means nothing now
    assert editor.stance_group.value() is None
    QTest.keyClick(editor, Qt.Key.Key_A)
    assert editor.stance_group.value() == "contra"


def test_open_for_an_existing_annotation_prefills_every_field(editor: TagEditor, host: QWidget) -> None:
    now = datetime.now(timezone.utc)
    existing = AnnotationRecord(
        id="a", document_id="d", annotator="alice", start=0, end=5, quote="hopes", stance="neutral",
        actor="Sergei Lavrov", claim_type="predictive", target="talks", note="n", scheme_version=1, revision=1,
        created_at=now, updated_at=now)
    editor.open_for(existing.quote, host.mapToGlobal(QPoint(10, 10)), existing)
    assert editor.values() == {"stance": "neutral", "claim_type": "predictive", "actor": "Sergei Lavrov",
                               "target": "talks", "note": "n"}
    assert editor.quote_label.text() == "“hopes”"
    assert [editor.actor_box.itemText(i) for i in range(editor.actor_box.count())] == [a.name for a in ACTORS]


def test_quote_is_plain_text_and_editor_stays_inside_its_parent(qtbot, host: QWidget, scheme: SchemeRecord) -> None:  # type: ignore[no-untyped-def]
    widget = TagEditor(scheme, complete_from_list, host)
    widget.open_for("<b>bold</b> <img src=x>", host.mapToGlobal(QPoint(880, 590)))
    assert widget.quote_label.textFormat() == Qt.TextFormat.PlainText
    assert widget.quote_label.text() == "“<b>bold</b> <img src=x>”"
    assert host.rect().contains(widget.geometry())


def test_actor_completion_uses_the_registry_with_aliases(db, qtbot, host: QWidget) -> None:  # type: ignore[no-untyped-def]
    db.actors.create("Sergei Lavrov", "person", ("Lavrov", "Foreign Minister"))
    db.actors.create("Bashar al-Assad", "person", ("Assad",))
    widget = TagEditor(db.scheme.current(), db.actors.complete, host)
    widget.open_for("quote", host.mapToGlobal(QPoint(20, 20)))
    QTest.keyClick(widget, Qt.Key.Key_Tab)
    field = widget.focusWidget()
    assert field is widget.actor_box
    QTest.keyClicks(field, "foreign")                # matches an alias, not the name
    assert widget.actor_suggestions() == ["Sergei Lavrov"]
    popup = widget.actor_completer.popup()
    qtbot.waitUntil(popup.isVisible)
    QTest.keyClick(popup, Qt.Key.Key_Down)
    QTest.keyClick(popup, Qt.Key.Key_Return)
    assert field.currentText() == "Sergei Lavrov"
    assert widget.isVisible()                          # choosing a completion does not save yet
    emitted: list[dict] = []
    widget.sig_accepted.connect(emitted.append)
    QTest.keyClick(field, Qt.Key.Key_Return)          # Enter in the actor field (a combo box) saves, once
    assert [values["actor"] for values in emitted] == ["Sergei Lavrov"]


def test_many_labels_wrap_so_the_editor_stays_narrower_than_the_article(qtbot) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from PySide6.QtWidgets import QWidget

    from gui.tag_editor import TagEditor
    from storage import LabelValue, open_database

    db = open_database(":memory:")
    scheme = db.scheme.current()
    many = tuple(LabelValue(f"label{i}", f"Imported label number {i}", "", "#336699", "") for i in range(14))
    parent = QWidget()
    parent.resize(1024, 768)
    qtbot.addWidget(parent)
    editor = TagEditor(replace(scheme, claim_types=scheme.claim_types + many), lambda prefix: [], parent=parent)
    editor.open_for("a passage", parent.mapToGlobal(parent.rect().topLeft()))
    assert editor.width() < 700  # 20 labels in one row made it wider than a 1024-pixel window
    db.close()
