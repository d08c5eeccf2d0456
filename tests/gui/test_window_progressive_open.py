"""Opening a long article: the first screen is painted from only the spans it needs, the rest follows.

Checked without letting the event loop run in between, so "at once" means before the rest was read."""
from __future__ import annotations

import random
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QTextCharFormat

from gui.highlighter import OWN_LAYERS
from gui.main_window import MainWindow
from gui.offsets import OffsetConverter
from storage import AnnotationDraft, open_with_samples
from storage.importers import import_paths
from window_driver import start_window, temporary_settings

TITLE = "Long article for a progressive open"
WORDS = "talks resumed after the summit while sanctions 🙂 négociations stayed on the table".split()


def own_layers_now(window: MainWindow, code_point: int) -> int:
    """Own layers painted over one character, read from the layout without running the event loop."""
    converter = OffsetConverter(window.controller.document.text)
    utf16 = converter.to_utf16(code_point)
    window.view.formats_at(code_point)  # works the block out if it was not yet (as a paint would)
    block = window.view.document().findBlock(utf16)
    relative = utf16 - block.position()
    formats = [QTextCharFormat(r.format) for r in block.layout().formats()
               if r.start <= relative < r.start + r.length]
    return int(formats[-1].property(OWN_LAYERS) or 0) if formats else 0


@pytest.fixture
def window(qtbot: QtBot, db_url: str, tmp_path: Path) -> MainWindow:
    rng = random.Random(5)
    paragraphs = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(20, 60))) + "." for _ in range(400)]
    (tmp_path / "long.txt").write_text(TITLE + "\n" + "\n".join(paragraphs), encoding="utf-8")
    setup = open_with_samples(db_url)
    import_paths(setup, [tmp_path / "long.txt"])
    document = next(d for d in setup.documents.list() if d.title == TITLE)
    drafts = [AnnotationDraft(document.id, start, start + rng.randint(3, 90), claim_type="factual")
              for start in range(0, document.length - 100, 45)]
    drafts += [AnnotationDraft(document.id, 5, 3_000, claim_type="policy"),       # reaches past the first screen
               AnnotationDraft(document.id, 30, document.length - 1, stance="oppose")]  # a very long one
    setup.annotations.add_many(drafts, by="alice")
    setup.close()
    return start_window(qtbot, db_url, temporary_settings(tmp_path))


def _open_without_events(window: MainWindow) -> str:
    model = window.documents.model
    document_id = next(model.summary_at(r).id for r in range(model.rowCount())
                       if model.summary_at(r).title == TITLE)
    window.documents.select(document_id)
    return document_id


def test_first_screen_is_painted_in_full_before_the_rest_is_read(qtbot: QtBot, window: MainWindow) -> None:
    document_id = _open_without_events(window)
    every = window.db.annotations.for_document(document_id, annotator="alice")
    assert window.controller.loading
    assert window.statusBar().currentMessage() == "Loading annotations…"
    shown_end = window.view.visible_end()
    assert 0 < shown_end < len(window.controller.document.text)
    assert window.panel.model.rowCount() < len(every)
    assert window.view.annotation(every[-1].id) is None  # the last span is read after the first paint
    text = window.controller.document.text
    on_screen = [c for c in range(0, shown_end, 7) if text[c] != "\n"]  # separators are not painted
    for code_point in on_screen:
        covering = sum(1 for a in every if a.start <= code_point < a.end)
        assert own_layers_now(window, code_point) == covering, f"character {code_point} of the first screen"
    first_screen = [own_layers_now(window, c) for c in on_screen]

    qtbot.waitUntil(lambda: not window.controller.loading)
    assert window.statusBar().currentMessage() == ""
    assert window.panel.model.records() == every
    assert all(window.view.annotation(a.id) == a for a in every)
    assert [own_layers_now(window, c) for c in on_screen] == first_screen
    deep = every[-2].start
    assert own_layers_now(window, deep) == sum(1 for a in every if a.start <= deep < a.end)
    assert window.last_error is None


class PaintLog(QObject):
    """Counts the paint events a widget receives."""

    def __init__(self) -> None:
        super().__init__()
        self.paints = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint:
            self.paints += 1
        return False


def test_the_event_loop_paints_the_first_screen_before_reading_the_rest(qtbot: QtBot, window: MainWindow) -> None:
    log = PaintLog()
    window.view.viewport().installEventFilter(log)
    paints_when_loaded: list[int] = []
    window.controller.sig_loading_changed.connect(lambda loading: loading or paints_when_loaded.append(log.paints))
    _open_without_events(window)
    assert log.paints == 0 and window.controller.loading
    qtbot.waitUntil(lambda: not window.controller.loading)
    assert paints_when_loaded and paints_when_loaded[0] >= 1
    window.view.viewport().removeEventFilter(log)


def test_an_add_before_the_rest_arrived_waits_for_it_and_undoes(qtbot: QtBot, window: MainWindow) -> None:
    document_id = _open_without_events(window)
    total = len(window.db.annotations.for_document(document_id, annotator="alice"))
    assert window.controller.loading
    added = window.controller.add(AnnotationDraft(document_id, 12, 20, claim_type="denial"))
    assert added is not None and not window.controller.loading
    assert window.panel.model.rowCount() == total + 1
    assert window.panel.selected_id() == added.id
    assert window.documents.model.summary(document_id).annotation_count == total + 1
    window.undo_stack.undo()
    assert window.panel.model.rowCount() == total and window.view.annotation(added.id) is None
    window.undo_stack.redo()
    assert window.view.annotation(added.id) is not None
    assert window.last_error is None
