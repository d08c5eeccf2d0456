"""Attribution in the real window: with a claim selected, S/C/R/T pick its source, cue, relay and target by a
drag or a click on the viewport; a new mention's actor comes from a prompt (Enter keeps, Esc none); links
show in the article and the panel, and survive undo, redo, deleting a used mention, and colleagues' changes."""
from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from storage import AnnotationDraft, open_database, open_with_samples
from gui.highlighter import MARK, OWN_LAYERS
from gui.main_window import MainWindow
from window_driver import click, drag, formats_over, open_document, start_window, temporary_settings

ME = "alice"
SAMPLE = "Putin Stages Syria Peace Talks"
RELAYED = "In a message to the participants"
QUOTE = "“today all the conditions are in place to turn this tragic page in Syria’s history.”"


@pytest.fixture
def window(qtbot: QtBot, db_url: str, tmp_path: Path) -> MainWindow:
    setup = open_with_samples(db_url)
    for name in ("Vladimir Putin", "Sergei Lavrov"):
        setup.actors.create(name, kind="person")
    setup.close()
    win = start_window(qtbot, db_url, temporary_settings(tmp_path), annotator=ME)
    win.resize(1360, 900)
    return win


def _span(text: str, words: str, after: str = "") -> tuple[int, int]:
    start = text.index(words, text.index(after) if after else 0)
    return start, start + len(words)


def _show(window: MainWindow, offset: int) -> None:
    window.view.select_span(offset, offset)
    window.view.ensureCursorVisible()
    QApplication.processEvents()


def _tag_claim(qtbot: QtBot, window: MainWindow, start: int, end: int) -> str:
    """Drags over the content and saves it with claim key 3 (predictive) and stance S from the tag editor."""
    _show(window, start)
    drag(qtbot, window, start, end)
    editor = window.tag_editor
    qtbot.waitUntil(editor.isVisible)
    qtbot.keyClick(editor, Qt.Key.Key_S)  # Support: the attribution S must not take the tag editor's key
    qtbot.keyClick(editor, Qt.Key.Key_3)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not editor.isVisible())
    claim = window.panel.selected_record()
    assert claim is not None and (claim.start, claim.end, claim.stance) == (start, end, "support")
    return claim.id


def _pick(qtbot: QtBot, window: MainWindow, key: Qt.Key, start: int, end: int | None = None) -> None:
    """Presses the role key in the article, then drags over [start, end) (or clicks the word at start)."""
    window.view.setFocus()
    qtbot.keyClick(window.view, key)
    assert window.attribution.picking
    assert "Picking" in window.statusBar().currentMessage()
    if end is None:
        click(qtbot, window, start)
    else:
        drag(qtbot, window, start, end)


def _answer_prompt(qtbot: QtBot, window: MainWindow, typed: str | None = None, escape: bool = False) -> None:
    prompt = window.attribution.prompt
    qtbot.waitUntil(prompt.isVisible)
    edit = prompt.edit
    if typed is not None:
        edit.clear()
        qtbot.keyClicks(edit, typed)
    qtbot.keyClick(edit, Qt.Key.Key_Escape if escape else Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not prompt.isVisible())


def _stored(window: MainWindow, annotation_id: str):  # type: ignore[no-untyped-def]
    return window.db.annotations.get(annotation_id)


def test_tag_a_claim_then_link_source_and_cue_by_keys_and_drags(qtbot: QtBot, window: MainWindow) -> None:
    open_document(qtbot, window, SAMPLE)
    text = window.controller.document.text
    claim_id = _tag_claim(qtbot, window, *_span(text, QUOTE))
    putin = _span(text, "Putin", RELAYED)
    _pick(qtbot, window, Qt.Key.Key_S, putin[0] + 1, putin[1] - 1)  # inside the word: snaps to "Putin"
    assert window.attribution.prompt.edit.text() == "Vladimir Putin"  # proposed from the registry
    _answer_prompt(qtbot, window)
    said = _span(text, "said", RELAYED)
    _pick(qtbot, window, Qt.Key.Key_C, said[0])  # a click on a word marks the word
    claim = _stored(window, claim_id)
    source, cue = _stored(window, claim.source_id), _stored(window, claim.cue_id)
    assert (source.kind, source.quote, source.actor) == ("mention", "Putin", "Vladimir Putin")
    assert (cue.kind, cue.quote, cue.actor) == ("cue", "said", None)
    assert claim.actor == "Vladimir Putin"  # the claim's actor follows its source
    assert not window.attribution.picking
    assert window.statusBar().currentMessage() == "Source: 'Putin' → Vladimir Putin · cue: 'said'"
    # drawn apart from claims: underlined, no fill; the panel says it in words
    mention_format = formats_over(window, putin[0])[-1]
    assert mention_format.property(MARK) == "mention" and int(mention_format.property(OWN_LAYERS) or 0) == 0
    assert formats_over(window, said[0])[-1].property(MARK) == "cue"
    assert window.panel.selected_id() == claim_id
    assert window.attribution.links_label.text() == "Source: 'Putin' → Vladimir Putin · cue: 'said'"
    roles = [role for role, _linked, rects in window.attribution.overlay.outlines() if rects]
    assert roles == ["source", "cue"]
    # counts say claims: two mentions/cues more, still one claim
    assert window.panel.model.rowCount() == 3 and window.panel.model.claim_count == 1
    summary = window.documents.model.summary(window.controller.document.id)
    assert summary.annotation_count == 1


def test_the_relayed_message_with_source_putin_and_relay_lavrov(qtbot: QtBot, window: MainWindow) -> None:
    open_document(qtbot, window, SAMPLE)
    text = window.controller.document.text
    claim_id = _tag_claim(qtbot, window, *_span(text, QUOTE))
    putin, lavrov, said = (_span(text, w, RELAYED) for w in ("Putin", "Lavrov", "said"))
    _pick(qtbot, window, Qt.Key.Key_S, putin[0])
    _answer_prompt(qtbot, window)
    _pick(qtbot, window, Qt.Key.Key_R, *lavrov)
    assert window.attribution.prompt.edit.text() == "Sergei Lavrov"
    _answer_prompt(qtbot, window)
    _pick(qtbot, window, Qt.Key.Key_C, *said)
    claim = _stored(window, claim_id)
    assert (_stored(window, claim.source_id).actor, _stored(window, claim.relay_id).actor) == \
        ("Vladimir Putin", "Sergei Lavrov")
    assert claim.actor == "Vladimir Putin" and _stored(window, claim.cue_id).quote == "said"
    assert window.attribution.links_label.text() == \
        "Source: 'Putin' → Vladimir Putin · cue: 'said' · relay: 'Lavrov' → Sergei Lavrov"


def test_clicking_a_marked_mention_reuses_it(qtbot: QtBot, window: MainWindow) -> None:
    open_document(qtbot, window, SAMPLE)
    text = window.controller.document.text
    first = _tag_claim(qtbot, window, *_span(text, QUOTE))
    putin = _span(text, "Putin", RELAYED)
    _pick(qtbot, window, Qt.Key.Key_S, *putin)
    _answer_prompt(qtbot, window, typed="Vladimir Putin")
    mention_id = _stored(window, first).source_id
    second = _tag_claim(qtbot, window, *_span(text, "tragic page"))
    _pick(qtbot, window, Qt.Key.Key_S, putin[0] + 2)  # a click on the marked name: no prompt, reused
    assert not window.attribution.prompt.isVisible()
    assert _stored(window, second).source_id == mention_id
    mentions = [a for a in window.db.annotations.for_document(window.controller.document.id) if a.kind == "mention"]
    assert [m.id for m in mentions] == [mention_id]


def test_escape_cancels_picking_and_esc_in_the_prompt_leaves_no_actor(qtbot: QtBot, window: MainWindow) -> None:
    open_document(qtbot, window, SAMPLE)
    text = window.controller.document.text
    claim_id = _tag_claim(qtbot, window, *_span(text, QUOTE))
    qtbot.keyClick(window.view, Qt.Key.Key_S)
    assert window.attribution.picking
    qtbot.keyClick(window.view, Qt.Key.Key_Escape)
    assert not window.attribution.picking and window.statusBar().currentMessage() == ""
    assert window.panel.selected_id() == claim_id and window.undo_stack.count() == 1
    _pick(qtbot, window, Qt.Key.Key_T, *_span(text, "Syria’s history"))
    _answer_prompt(qtbot, window, escape=True)
    claim = _stored(window, claim_id)
    target = _stored(window, claim.target_id)
    assert (target.quote, target.actor, claim.target) == ("Syria’s history", None, "Syria’s history")


def test_undo_and_redo_of_a_link_with_its_new_mention_are_one_step(qtbot: QtBot, window: MainWindow) -> None:
    document_id = open_document(qtbot, window, SAMPLE)
    text = window.controller.document.text
    claim_id = _tag_claim(qtbot, window, *_span(text, QUOTE))
    _pick(qtbot, window, Qt.Key.Key_S, _span(text, "Putin", RELAYED)[0])
    _answer_prompt(qtbot, window)
    linked = _stored(window, claim_id)
    assert window.undo_stack.count() == 2
    window.undo_action.trigger()
    undone = _stored(window, claim_id)
    assert undone.source_id is None and undone.actor is None
    assert [a.kind for a in window.db.annotations.for_document(document_id)] == ["claim"]
    assert window.panel.model.rowCount() == 1 and window.attribution.overlay.outlines() == []
    window.redo_action.trigger()
    redone = _stored(window, claim_id)
    assert (redone.source_id, redone.actor) == (linked.source_id, "Vladimir Putin")
    assert window.view.annotation(linked.source_id) is not None and window.panel.model.rowCount() == 2


def _answer_delete(qtbot: QtBot, button_name: str) -> None:
    def press() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, press)
            return
        button = box.findChild(QPushButton, button_name)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    QTimer.singleShot(0, press)


@pytest.mark.parametrize("choice", ["keepClaims", "deleteClaims", "cancelDelete"])
def test_deleting_a_used_mention_asks_and_undo_brings_everything_back(qtbot: QtBot, window: MainWindow,
                                                                       choice: str) -> None:
    document_id = open_document(qtbot, window, SAMPLE)
    text = window.controller.document.text
    claim_id = _tag_claim(qtbot, window, *_span(text, QUOTE))
    _pick(qtbot, window, Qt.Key.Key_S, _span(text, "Putin", RELAYED)[0])
    _answer_prompt(qtbot, window)
    mention_id = _stored(window, claim_id).source_id
    window.controller.select_annotation(mention_id)
    steps = window.undo_stack.count()
    _answer_delete(qtbot, choice)
    window.delete_action.trigger()
    live = {a.id: a for a in window.db.annotations.for_document(document_id)}
    expected = {"keepClaims": {claim_id}, "deleteClaims": set(), "cancelDelete": {claim_id, mention_id}}[choice]
    assert set(live) == expected and set(a.id for a in window.panel.model.records()) == expected
    if choice == "cancelDelete":
        assert window.undo_stack.count() == steps
        return
    if choice == "keepClaims":
        window.controller.select_annotation(claim_id)
        assert window.attribution.links_label.text().startswith("No source")  # a deleted mention is no link
    assert window.undo_stack.count() == steps + 1
    window.undo_action.trigger()
    live = {a.id: a for a in window.db.annotations.for_document(document_id)}
    assert set(live) == {claim_id, mention_id} and live[claim_id].source_id == mention_id
    assert window.panel.model.rowCount() == 2
    window.controller.select_annotation(claim_id)
    assert window.attribution.links_label.text() == "Source: 'Putin' → Vladimir Putin"


def test_editing_the_mentions_actor_moves_its_claims_actor_on_screen(qtbot: QtBot, window: MainWindow) -> None:
    open_document(qtbot, window, SAMPLE)
    text = window.controller.document.text
    claim_id = _tag_claim(qtbot, window, *_span(text, QUOTE))
    _pick(qtbot, window, Qt.Key.Key_S, _span(text, "Putin", RELAYED)[0])
    _answer_prompt(qtbot, window)
    mention_id = _stored(window, claim_id).source_id
    window.controller.edit(mention_id, {"actor": "The Kremlin"})
    assert window.panel.model.record(claim_id).actor == "The Kremlin"
    window.undo_action.trigger()
    assert window.panel.model.record(claim_id).actor == "Vladimir Putin"


def test_a_colleagues_link_appears(qtbot: QtBot, window: MainWindow, db_url: str) -> None:
    """The same analyst in another program links a claim: the open window shows the mention and the link."""
    document_id = open_document(qtbot, window, SAMPLE)
    text = window.controller.document.text
    claim_id = _tag_claim(qtbot, window, *_span(text, QUOTE))
    other = open_database(db_url)
    try:
        lavrov = other.annotations.add(AnnotationDraft(document_id, *_span(text, "Lavrov", RELAYED), kind="mention",
                                                       actor="Sergei Lavrov"), by=ME)
        other.annotations.edit(claim_id, ME, relay_id=lavrov.id)
    finally:
        other.close()
    window.controller.poll()
    assert window.view.annotation(lavrov.id) is not None
    assert window.panel.model.record(claim_id).relay_id == lavrov.id
    window.controller.select_annotation(claim_id)
    assert window.attribution.links_label.text() == "Relay: 'Lavrov' → Sergei Lavrov"
    assert formats_over(window, lavrov.start)[-1].property(MARK) == "mention"


def test_the_shortcut_sheet_lists_the_pick_keys_and_they_clash_with_nothing(qtbot: QtBot, window: MainWindow) -> None:
    from gui.help import shortcut_rows

    groups = [(m.text().replace("&", ""), m.menu().actions()) for m in window.menuBar().actions() if m.menu()]
    rows = shortcut_rows(groups, window.scheme)
    picks = {r.action: r.keys for r in rows if r.group == "Attribution"}
    assert picks == {"Pick the Source": "S", "Pick the Cue": "C", "Pick the Relay": "R", "Pick the Target": "T"}
    window_keys = [r.keys for r in rows if r.group != "Tag editor"]
    assert len(window_keys) == len(set(window_keys)), "two actions of the window share a key"


def test_a_mentions_panel_offers_no_stance_or_claim_type(qtbot: QtBot, window: MainWindow) -> None:
    open_document(qtbot, window, SAMPLE)
    text = window.controller.document.text
    claim_id = _tag_claim(qtbot, window, *_span(text, QUOTE))
    _pick(qtbot, window, Qt.Key.Key_S, _span(text, "Putin", RELAYED)[0])
    _answer_prompt(qtbot, window)
    window.controller.select_annotation(_stored(window, claim_id).source_id)
    panel = window.panel
    assert not panel.stance_combo.isEnabled() and not panel.claim_combo.isEnabled()
    assert panel.actor_combo.isEnabled()
    assert window.attribution.links_label.text() == "Mention of Vladimir Putin"
    assert panel.model.data(panel.model.index(panel.model.row_of(panel.selected_id()), 0)) == "◦ mention: Putin"


def test_hovering_a_claim_outlines_its_links(qtbot: QtBot, window: MainWindow) -> None:
    from PySide6.QtCore import QPoint
    from PySide6.QtTest import QTest

    open_document(qtbot, window, SAMPLE)
    text = window.controller.document.text
    claim_id = _tag_claim(qtbot, window, *_span(text, QUOTE))
    _pick(qtbot, window, Qt.Key.Key_C, _span(text, "said", RELAYED)[0])
    window.panel.select(None)
    window.view.select_annotation(None)
    overlay = window.attribution.overlay
    assert overlay.outlines() == []
    middle = window.view.point_for_offset(_span(text, "tragic", RELAYED)[0] + 2)
    QTest.mouseMove(window.view.viewport(), middle)
    qtbot.waitUntil(lambda: overlay.hovered_id == claim_id)
    assert [(role, linked.quote) for role, linked, rects in overlay.outlines() if rects] == [("cue", "said")]
    QTest.mouseMove(window.view.viewport(), QPoint(2, 2))
    qtbot.waitUntil(lambda: overlay.outlines() == [])
    assert "Cue · Cue of an attribution" in window.view.tooltip_text(_span(text, "said", RELAYED)[0])
