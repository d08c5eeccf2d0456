"""Keystrokes: the sample article's attributed claims tagged through the real window, once from scratch and once
by accepting and correcting suggestions, counting key presses (a chord counts once) and mouse actions (a drag
or a click counts once).

Gold: the sample article's claims in bench/data/attribution_dev.jsonl (content, claim type, source actor; its
registry goes into the database first). Both runs end with every gold claim stored with its gold content
span, claim type and actor; the script checks that in the database and stops otherwise.

From scratch: drag over the content, the claim key, Tab, the actor's name typed in full, Enter. The window has
no way yet to make the source mention and the cue by hand, so that run tags claims only; the suggestion run
gets mentions and cues with each accepted claim as well (reported beside the counts).
With suggestions: F6 to the next suggested claim, F7 to accept one as proposed, the right claim key to accept
it with that claim type instead, Shift+F7 when the actor is wrong (the claim key if that is wrong too, Tab,
Ctrl+A and the actor, Enter), a Shift+click per wrong content boundary; a gold claim no suggestion found is
tagged as from scratch. A suggestion matches a gold claim when they overlap by half the longer of the two.
Typing an actor: the shortest start of its name or an alias that the completion list narrows to it alone,
then Down and Enter (both runs).

    QT_QPA_PLATFORM=offscreen python bench/bench_keystrokes.py
"""
from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, QPoint, QPointF, QSettings, Qt  # noqa: E402
from PySide6.QtGui import QMouseEvent  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from bench_suggest import Gold, load  # noqa: E402
from gui.app import open_window  # noqa: E402
from gui.main_window import MainWindow  # noqa: E402
from gui.settings import Settings  # noqa: E402
from storage import open_with_samples  # noqa: E402

DATA = ROOT / "bench" / "data" / "attribution_dev.jsonl"
NONE = Qt.KeyboardModifier.NoModifier
SHIFT, CTRL = Qt.KeyboardModifier.ShiftModifier, Qt.KeyboardModifier.ControlModifier


@dataclass
class Tally:
    keys: int = 0
    mouse: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.keys + self.mouse


class Analyst:
    """Drives the window with real events and counts each one."""

    def __init__(self, window: MainWindow, tally: Tally) -> None:
        self.window, self.tally = window, tally

    def settle(self) -> None:
        for _ in range(3):
            QApplication.processEvents()

    def key(self, key: Qt.Key, modifiers: Qt.KeyboardModifier = NONE, widget: object = None) -> None:
        target = widget or QApplication.focusWidget() or self.window.view
        QTest.keyClick(target, key, modifiers)
        self.tally.keys += 1
        self.settle()

    def type(self, text: str) -> None:
        for ch in text:
            QTest.keyClicks(QApplication.focusWidget(), ch)
            self.tally.keys += 1
        self.settle()

    def _point(self, offset: int, dx: int) -> QPoint:
        view = self.window.view
        point = view.point_for_offset(offset)
        return QPoint(point.x() + dx, point.y())

    def _show(self, offset: int) -> None:
        view = self.window.view
        cursor = view.textCursor()
        cursor.setPosition(self.window.suggestions.overlay.utf16(offset))
        view.setTextCursor(cursor)  # scrolling into view: free (the wheel is not counted either way)
        view.ensureCursorVisible()
        self.settle()

    def drag(self, start: int, end: int) -> None:
        self._show(end)
        self._show(start)
        viewport = self.window.view.viewport()
        begin, finish = self._point(start, 2), self._point(end, -2)
        QTest.mousePress(viewport, Qt.MouseButton.LeftButton, NONE, begin)
        for step in range(1, 6):
            at = begin + (finish - begin) * step / 5
            QApplication.sendEvent(viewport, QMouseEvent(QEvent.Type.MouseMove, QPointF(at),
                                                         QPointF(viewport.mapToGlobal(at)), Qt.MouseButton.NoButton,
                                                         Qt.MouseButton.LeftButton, NONE))
        QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, NONE, finish)
        self.tally.mouse += 1
        self.settle()

    def shift_click(self, offset: int) -> None:
        self._show(offset)
        QTest.mouseClick(self.window.view.viewport(), Qt.MouseButton.LeftButton, SHIFT, self._point(offset, 1))
        self.tally.mouse += 1
        self.settle()


def claim_key(window: MainWindow, claim_type: str) -> Qt.Key:
    value = next(v for v in window.scheme.claim_types if v.value == claim_type)
    return Qt.Key(ord(str(value.shortcut).upper()))


def tag_from_scratch(analyst: Analyst, gold: Gold) -> None:
    window = analyst.window
    analyst.drag(gold.start, gold.end)
    editor = window.tag_editor
    if not editor.isVisible():
        raise SystemExit(f"the tag editor did not open for {gold}")
    analyst.key(claim_key(window, gold.claim_type), widget=editor)
    if gold.actor:
        analyst.key(Qt.Key.Key_Tab)
        choose_actor(analyst, gold.actor)
    analyst.key(Qt.Key.Key_Return)
    fix_boundaries(analyst, gold)


def fix_boundaries(analyst: Analyst, gold: Gold) -> None:
    """The new claim is selected: a Shift+click moves its nearer boundary to where gold has it."""
    record = analyst.window.panel.selected_record()
    if record is None or record.kind != "claim":
        raise SystemExit(f"no claim selected after tagging {gold}")
    if record.start != gold.start:
        analyst.shift_click(gold.start)
    record = analyst.window.panel.selected_record()
    if record is not None and record.end != gold.end:
        analyst.shift_click(gold.end)


def choose_actor(analyst: Analyst, name: str) -> None:
    """Types the first letters of the name (or an alias) until the completion list offers only it, then Down
    and Enter take it."""
    editor = analyst.window.tag_editor
    registry = analyst.window.db.actors
    [actor] = [a for a in registry.list() if a.name == name]
    # What a practised analyst types: the shortest start of the name or an alias that only this actor matches.
    typed_word = min((word[:n] for word in (name, *actor.aliases) for n in range(1, len(word) + 1)
                      if [a.name for a in registry.complete(word[:n])] == [name]), key=len, default=name)
    for typed in range(1, len(typed_word) + 1):
        analyst.type(typed_word[typed - 1])
        if editor.actor_suggestions() == [name] and editor.actor_completer.popup().isVisible():
            analyst.key(Qt.Key.Key_Down, widget=editor.actor_completer.popup())
            analyst.key(Qt.Key.Key_Return, widget=editor.actor_completer.popup())
            break
    popup = editor.actor_completer.popup()
    if popup.isVisible():
        popup.hide()
    if editor.actor_box.currentText().strip() != name:
        raise SystemExit(f"the actor box holds {editor.actor_box.currentText()!r}, not {name!r}")


def overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def matches(gold: Gold, start: int, end: int) -> bool:
    """The benchmark's matching rule: overlap of at least half of the longer of the two."""
    return overlap((gold.start, gold.end), (start, end)) * 2 >= max(gold.end - gold.start, end - start)


def with_suggestions(analyst: Analyst, golds: list[Gold]) -> None:
    window, s = analyst.window, analyst.window.suggestions
    left = list(golds)
    seen: set[str] = set()
    analyst.key(Qt.Key.Key_F6, widget=window.view)
    while s.selected() is not None and s.selected().id not in seen:
        chosen = s.selected()
        seen.add(chosen.id)
        gold = next((g for g in left if chosen.kind == "claim" and matches(g, chosen.start, chosen.end)), None)
        if gold is None:
            analyst.key(Qt.Key.Key_F6, widget=window.view)
            continue
        left.remove(gold)
        if (chosen.claim_type, chosen.actor) == (gold.claim_type, gold.actor):
            analyst.key(Qt.Key.Key_F7, widget=window.view)
        elif chosen.actor == gold.actor:  # only the claim type is wrong: its key accepts with the right one
            analyst.key(claim_key(window, gold.claim_type), widget=window.view)
        else:
            analyst.key(Qt.Key.Key_F7, SHIFT, widget=window.view)
            editor = window.tag_editor
            if chosen.claim_type != gold.claim_type:
                analyst.key(claim_key(window, gold.claim_type), widget=editor)
            if chosen.actor != gold.actor:
                analyst.key(Qt.Key.Key_Tab)
                analyst.key(Qt.Key.Key_A, CTRL)
                if gold.actor:
                    choose_actor(analyst, gold.actor)
                else:
                    analyst.key(Qt.Key.Key_Delete)
            analyst.key(Qt.Key.Key_Return)
        fix_boundaries(analyst, gold)
        if s.selected() is not None and s.selected().id in seen:
            break
    for gold in left:
        analyst.tally.notes.append(f"not suggested, tagged by hand: {gold.start}-{gold.end}")
        tag_from_scratch(analyst, gold)


def check(window: MainWindow, golds: list[Gold], run: str) -> tuple[int, int]:
    """Every gold claim stored as gold says; returns (mentions, cues) stored besides."""
    mine = window.db.annotations.for_document(window.controller.document.id, window.annotator)
    claims = {(r.start, r.end): r for r in mine if r.kind == "claim"}
    for gold in golds:
        found = claims.get((gold.start, gold.end))
        if found is None or (found.claim_type, found.actor) != (gold.claim_type, gold.actor):
            near = [(r.start, r.end, r.quote[-12:]) for r in claims.values() if overlap((r.start, r.end), (gold.start, gold.end))]
            raise SystemExit(f"{run}: gold claim {gold} stored as {found}; overlapping: {near}")
    linked = [r for r in claims.values() if r.source_id and r.cue_id]
    return sum(r.kind == "mention" for r in mine), len(linked)


def run(mode: str, folder: Path) -> tuple[Tally, tuple[int, int]]:
    article = next(a for a in load(DATA) if a.id == "sample-sochi")
    location = str(folder / f"{mode}.db")
    db = open_with_samples(location)
    for actor in article.item.actors:
        db.actors.create(actor.name, kind=actor.kind, aliases=actor.aliases)
    [document] = db.documents.list()
    if db.documents.get(document.id).text != article.item.text:
        raise SystemExit("the stored sample article differs from the benchmark's text")
    db.close()
    settings = Settings(QSettings(str(folder / f"{mode}.ini"), QSettings.Format.IniFormat))
    window = open_window(location, "analyst", settings)
    assert window is not None
    window.controller.poll_timer.stop()
    window.resize(1400, 900)
    window.activateWindow()
    QApplication.processEvents()
    while window.suggestions.computing:  # the background job: waited for, not counted
        QApplication.processEvents()
    tally = Tally()
    analyst = Analyst(window, tally)
    golds = sorted(article.gold, key=lambda g: g.start)
    if mode == "scratch":
        for gold in golds:
            tag_from_scratch(analyst, gold)
    else:
        with_suggestions(analyst, golds)
    stored = check(window, golds, mode)
    window.close()
    return tally, stored


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as tmp:
        scratch, (m0, c0) = run("scratch", Path(tmp))
        suggested, (m1, c1) = run("suggestions", Path(tmp))
    del app
    print("sample article, 11 attributed claims (bench/data/attribution_dev.jsonl, sample-sochi)")
    print(f"{'':24}{'keys':>6}{'mouse':>7}{'total':>7}   stored besides the claims")
    print(f"{'from scratch':24}{scratch.keys:>6}{scratch.mouse:>7}{scratch.total:>7}   "
          f"{m0} source mentions, {c0} claims linked to source and cue")
    print(f"{'accepting suggestions':24}{suggested.keys:>6}{suggested.mouse:>7}{suggested.total:>7}   "
          f"{m1} source mentions, {c1} claims linked to source and cue")
    ratio = suggested.total / scratch.total if scratch.total else 0.0
    print(f"ratio {ratio:.2f} (target: 0.50 or less) -> {'met' if ratio <= 0.5 else 'NOT met'}")
    for note in suggested.notes:
        print(f"  {note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
