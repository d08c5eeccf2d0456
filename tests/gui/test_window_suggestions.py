"""Suggestions in the real window: computed in the background, outlined (never filled), stepped through with
the keyboard, accepted (once with a changed label), rejected, all accepted at once, and undone."""
from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from PySide6.QtCore import Qt

from storage import export_jsonl, open_database, open_with_samples
from gui.main_window import MainWindow
from window_driver import layers_at, open_document, start_window, temporary_settings

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "storage"))
from suggestion_helpers import article  # noqa: E402

CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def window(qtbot: QtBot, db_url: str, tmp_path: Path) -> MainWindow:
    setup = open_with_samples(db_url)
    article(setup, tmp_path)
    setup.close()
    window = start_window(qtbot, db_url, temporary_settings(tmp_path))
    open_document(qtbot, window, "Talks")
    qtbot.waitUntil(lambda: not window.suggestions.computing, timeout=120_000)
    assert window.suggestions.suggestions, window.statusBar().currentMessage()
    return window


def press(qtbot: QtBot, window: MainWindow, key: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(window.view, key, modifiers)


def _export(location: str) -> str:
    db = open_database(location)
    try:
        out = io.StringIO()
        export_jsonl(db, "native", out)
        spans = io.StringIO()
        export_jsonl(db, "spans", spans, include_unfinished=True, include_empty=True)
        return out.getvalue() + spans.getvalue()
    finally:
        db.close()


def _step_to(qtbot: QtBot, window: MainWindow, quote: str) -> None:
    for _ in range(len(window.suggestions.suggestions) + 1):
        chosen = window.suggestions.selected()
        if chosen is not None and chosen.quote == quote:
            return
        press(qtbot, window, Qt.Key.Key_F6)
    raise AssertionError(f"no suggestion {quote!r}")


def test_step_accept_with_changed_label_reject_accept_all_and_undo(qtbot: QtBot, window: MainWindow,
                                                                   db_url: str) -> None:
    s, db, doc = window.suggestions, window.db, window.controller.document.id
    pending = list(s.suggestions)
    assert len(pending) == 4 and s.panel.list.count() == len(pending)
    # The mentions proposed where a claim proposes its source come with that claim, not as items of their own.
    stored = db.suggestions.for_document(doc, "alice")
    assert {x.kind for x in stored} == {"claim", "mention"} and {x.kind for x in pending} == {"claim"}
    exported = _export(db_url)  # suggestions computed and stored already: none of them in the export
    assert '"the report on Tuesday"' not in exported and "Talks" in exported
    # Outlined, not painted: nothing of a suggestion is an annotation layer in the article.
    first = pending[0]
    assert any(span[1:3] == (first.start, first.end) for span in s.overlay.spans())
    assert s.overlay.rects(first.start, first.end)
    assert layers_at(window, first.start) == (0, 0)
    press(qtbot, window, Qt.Key.Key_S, CTRL | SHIFT)
    assert s.overlay.spans() == []
    press(qtbot, window, Qt.Key.Key_S, CTRL | SHIFT)
    assert s.overlay.spans()
    # F6 / Shift+F6 step through them; the current one is marked, its source and cue outlined too.
    press(qtbot, window, Qt.Key.Key_F6)
    assert s.current == 0 and any(span[3] for span in s.overlay.spans())
    assert {span[0] for span in s.overlay.spans() if span[3]} == {"claim", "source", "cue"}
    press(qtbot, window, Qt.Key.Key_F6)
    assert s.current == 1 and s.panel.list.currentRow() == 1
    press(qtbot, window, Qt.Key.Key_F6, SHIFT)
    assert s.current == 0
    press(qtbot, window, Qt.Key.Key_F6, SHIFT)
    assert s.current == len(pending) - 1  # round the end
    # Shift+F7: the tag editor with the proposed labels; change the claim type (5: accusation), add a stance.
    _step_to(qtbot, window, "the report on Tuesday")
    proposal = s.selected()
    press(qtbot, window, Qt.Key.Key_F7, SHIFT)
    editor = window.tag_editor
    qtbot.waitUntil(editor.isVisible)
    assert editor.values()["claim_type"] == "denial" and editor.values()["actor"] == "NATO"
    qtbot.keyClick(editor, Qt.Key.Key_5)
    qtbot.keyClick(editor, Qt.Key.Key_O)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    mine = db.annotations.for_document(doc, "alice")
    [claim] = [r for r in mine if r.kind == "claim"]
    assert (claim.quote, claim.claim_type, claim.stance, claim.actor) == \
        ("the report on Tuesday", "accusation", "oppose", "NATO")
    assert {r.kind for r in mine} == {"claim", "mention", "cue"} and claim.source_id and claim.cue_id
    assert {db.suggestions.origin(r.id) for r in mine} == {proposal.id}
    assert proposal.id not in {x.id for x in s.suggestions}
    assert window.documents.model.summary(doc).annotation_count == 1  # the list counts claims, not their mentions and cues
    assert _export(db_url) != exported
    # F9 rejects the current one: hidden, nothing added.
    _step_to(qtbot, window, "the ceasefire was holding")
    rejected = s.selected()
    press(qtbot, window, Qt.Key.Key_F9)
    assert rejected.id not in {x.id for x in s.suggestions}
    assert [n["quote"] for n in db.suggestions.rejected(by="alice")] == [rejected.quote]
    assert len(db.annotations.for_document(doc, "alice")) == 3
    # Undo the reject, then the accept: back to where we started.
    press(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert rejected.id in {x.id for x in s.suggestions} and db.suggestions.rejected() == []
    press(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert db.annotations.for_document(doc, "alice") == [] and window.view.annotations_at(claim.start) == []
    assert {x.id for x in s.suggestions} == {x.id for x in pending}
    # Ctrl+Shift+F7 accepts every one as proposed, in one undo step; the document is not done by it.
    press(qtbot, window, Qt.Key.Key_F7, CTRL | SHIFT)
    assert s.suggestions == [] and s.panel.list.count() == 0
    made = db.annotations.for_document(doc, "alice")
    assert sorted(r.quote for r in made if r.kind == "claim") == sorted(x.quote for x in pending if x.kind == "claim")
    assert window.panel.model.rowCount() == len(made)
    assert db.documents.status(doc, "alice") != "done"
    press(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert db.annotations.for_document(doc, "alice") == [] and len(s.suggestions) == len(pending)
    window.redo_action.trigger()  # as the editing tests do: Ctrl+Y is also bound elsewhere in the window
    assert window.last_error is None
    assert len(db.annotations.for_document(doc, "alice")) == len(made) and s.suggestions == []


def test_the_window_does_not_wait_for_the_suggesters(qtbot: QtBot, window: MainWindow) -> None:
    """A new alias: the recomputation runs in the pool and the window answers meanwhile."""
    s = window.suggestions
    holding = next(x for x in s.suggestions if x.quote == "the ceasefire was holding")
    assert holding.actor is None
    window.db.actors.update("Sergei Lavrov", add_aliases=("the minister",))
    with qtbot.waitSignal(s.sig_computed, timeout=120_000):
        press(qtbot, window, Qt.Key.Key_G, CTRL | SHIFT)
        assert s.computing  # the key returned before the suggesters finished
    qtbot.waitUntil(lambda: not s.computing, timeout=120_000)
    assert next(x for x in s.suggestions if x.quote == "the ceasefire was holding").actor == "Sergei Lavrov"


def test_a_claim_key_accepts_the_current_suggestion_with_that_claim_type(qtbot: QtBot, window: MainWindow) -> None:
    s, db, doc = window.suggestions, window.db, window.controller.document.id
    _step_to(qtbot, window, "the talks would continue next week")
    chosen = s.selected()
    assert chosen.claim_type == "factual"
    press(qtbot, window, Qt.Key.Key_3)  # predictive
    [claim] = [r for r in db.annotations.for_document(doc, "alice") if r.kind == "claim"]
    assert (claim.quote, claim.claim_type, claim.actor) == ("the talks would continue next week", "predictive",
                                                            "Kremlin")
    assert db.suggestions.origin(claim.id) == chosen.id
    nxt = s.selected()
    assert nxt is not None and nxt.kind == "claim" and nxt.start > chosen.start  # the next claim is current
    # With a passage selected the claim key tags the passage, as always, and accepts nothing.
    window.view.select_span(0, 5)
    press(qtbot, window, Qt.Key.Key_1)
    assert nxt.id in {x.id for x in s.suggestions}
    assert any(r.quote == "Talks" for r in db.annotations.for_document(doc, "alice"))
