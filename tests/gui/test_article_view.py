"""The article view driven like a user: real mouse and key events on the shown widget, offsets in code points."""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, timezone

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QHelpEvent, QMouseEvent, QTextCharFormat, QTextImageFormat
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QToolTip

from gui.article_view import ArticleView
from gui.highlighter import OTHER_LAYERS, OWN_LAYERS, SELECTED
from gui.plain_text import plain_tooltip
from gui.view_text import snap_to_words
from storage import AnnotationRecord, SchemeRecord
from storage.text import normalise_newlines

LEFT = Qt.MouseButton.LeftButton
# Emoji (a ZWJ sequence and a flag), a CRLF the importer normalised, Hebrew and Arabic, a combining mark: all
# before the passage the tests select.
RAW = ("Sochi \U0001F469\u200D\u2695\uFE0F talks \U0001F1FA\U0001F1F3 \u05e9\u05dc\u05d5\u05dd "
       "\u0633\u0644\u0627\u0645 cafe\u0301\r\n"
       "Russia’s hopes for an internationally backed peace plan were dealt a blow.\n"
       "Russian Foreign Minister Sergei Lavrov was heckled as he spoke.")
TEXT = normalise_newlines(RAW)


def record(start: int, end: int, ident: str, text: str = TEXT, **fields: object) -> AnnotationRecord:
    now = datetime.now(timezone.utc)
    values: dict[str, object] = dict(
        id=ident, document_id="doc", annotator="alice", start=start, end=end, quote=text[start:end],
        stance="support", actor="Sergei Lavrov", claim_type="factual", target=None, note="", scheme_version=1,
        revision=1, created_at=now, updated_at=now)
    values.update(fields)
    return AnnotationRecord(**values)  # type: ignore[arg-type]


@pytest.fixture
def view(qtbot, scheme: SchemeRecord) -> ArticleView:  # type: ignore[no-untyped-def]
    widget = ArticleView()
    qtbot.addWidget(widget)
    widget.set_scheme(scheme)
    widget.resize(700, 400)
    widget.set_document(TEXT, [])
    with qtbot.waitExposed(widget):   # a context manager: it waits on leaving
        widget.show()
    return widget


def drag(view: ArticleView, start: int, end: int,
         modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """Press on the boundary before `start`, move there in steps with the button held, release before `end`."""
    viewport = view.viewport()
    begin, finish = view.point_for_offset(start), view.point_for_offset(end)
    QTest.mousePress(viewport, LEFT, modifiers, begin)
    for step in range(1, 5):
        at = QPointF(begin + (finish - begin) * (step / 4))
        move = QMouseEvent(QEvent.Type.MouseMove, at, QPointF(viewport.mapToGlobal(at)), Qt.MouseButton.NoButton,
                           LEFT, modifiers)
        QApplication.sendEvent(viewport, move)
    QTest.mouseRelease(viewport, LEFT, modifiers, finish)


def inside(view: ArticleView, offset: int) -> QPoint:
    """A point over the middle of the character at `offset`."""
    left, right = view.point_for_offset(offset), view.point_for_offset(offset + 1)
    return QPoint((left.x() + right.x()) // 2, left.y())


def test_drag_after_emoji_snaps_to_words_in_code_points(view: ArticleView, qtbot) -> None:  # type: ignore[no-untyped-def]
    hopes, were = TEXT.index("hopes"), TEXT.index("were")
    with qtbot.waitSignal(view.sig_selection_released) as released:
        drag(view, hopes + 2, were + 2)          # from inside "hopes" to inside "were"
    assert released.args == [hopes, were + len("were")]
    assert view.selected_span() == (hopes, were + 4)
    assert view.textCursor().selectedText() == TEXT[hopes:were + 4]


def test_alt_drag_keeps_exact_characters(view: ArticleView, qtbot) -> None:  # type: ignore[no-untyped-def]
    hopes = TEXT.index("hopes")
    with qtbot.waitSignal(view.sig_selection_released) as released:
        drag(view, hopes + 1, hopes + 4, Qt.KeyboardModifier.AltModifier)
    assert released.args == [hopes + 1, hopes + 4]
    assert TEXT[released.args[0]:released.args[1]] == "ope"


def test_shift_click_extends_the_selection(view: ArticleView, qtbot) -> None:  # type: ignore[no-untyped-def]
    hopes, peace = TEXT.index("hopes"), TEXT.index("peace")
    drag(view, hopes, hopes + 5)
    with qtbot.waitSignal(view.sig_selection_released) as released:
        QTest.mouseClick(view.viewport(), LEFT, Qt.KeyboardModifier.ShiftModifier, inside(view, peace + 2))
    assert released.args == [hopes, peace + len("peace")]


def test_snapping_rules() -> None:
    text = "  don't  long-term e\u0301te "
    assert snap_to_words(text, 0, 5) == (2, 7)               # leading spaces trimmed, "don't" completed
    assert snap_to_words(text, 11, 13) == (9, 18)            # a hyphenated word is one word
    assert snap_to_words(text, 20, 21) == (19, 23)           # the combining mark belongs to its letter
    assert snap_to_words(text, 0, 2) == (2, 2)               # only spaces: nothing left


def test_overlapping_spans_stay_visible(view: ArticleView, scheme: SchemeRecord) -> None:
    hopes, plan = TEXT.index("hopes"), TEXT.index("plan")
    view.add_annotation(record(hopes, plan + 4, "outer", claim_type="evaluative"))
    view.add_annotation(record(TEXT.index("peace"), plan + 4, "inner", claim_type="factual"))
    only_outer, both = view.formats_at(hopes), view.formats_at(plan)
    assert len(only_outer) == len(both) == 1
    assert only_outer[0].property(OWN_LAYERS) == 1 and both[0].property(OWN_LAYERS) == 2
    evaluative = scheme.colour_of("claim_type", "evaluative")
    factual = scheme.colour_of("claim_type", "factual")
    outer_fill, both_fill = only_outer[0].background().color(), both[0].background().color()
    assert _hue_near(outer_fill, evaluative)
    assert both_fill.alpha() > outer_fill.alpha()                  # two layers are visibly denser
    assert both_fill.blueF() > outer_fill.blueF()                  # and mix in the inner (blue) colour
    assert both[0].underlineStyle() == QTextCharFormat.UnderlineStyle.SingleUnderline
    assert _hue_near(both[0].underlineColor(), evaluative)          # the outer span shows as the underline
    assert both_fill.name() not in (outer_fill.name(), QColor(factual).name())
    view.add_annotation(record(TEXT.index("plan"), plan + 4, "third", claim_type="policy"))
    assert view.formats_at(plan)[0].underlineStyle() == QTextCharFormat.UnderlineStyle.WaveUnderline
    assert [a.id for a in view.annotations_at(plan)] == ["third", "inner", "outer"]


def test_update_and_remove_repaint_the_span(view: ArticleView, scheme: SchemeRecord) -> None:
    lavrov = TEXT.index("Lavrov")
    annotation = record(lavrov, lavrov + 6, "a1", claim_type="factual")
    view.add_annotation(annotation)
    assert _hue_near(view.formats_at(lavrov)[0].background().color(), scheme.colour_of("claim_type", "factual"))
    view.update_annotation(replace(annotation, claim_type="denial", revision=2))
    assert _hue_near(view.formats_at(lavrov)[0].background().color(), scheme.colour_of("claim_type", "denial"))
    moved = replace(annotation, start=lavrov - 7, end=lavrov - 1, claim_type="denial", revision=3)
    view.update_annotation(moved)
    assert view.formats_at(lavrov) == [] and len(view.formats_at(lavrov - 7)) == 1
    view.remove_annotation("a1")
    assert view.formats_at(lavrov - 7) == [] and view.annotations_at(lavrov - 7) == []


def test_click_on_a_highlight_selects_the_shortest_annotation(view: ArticleView, qtbot) -> None:  # type: ignore[no-untyped-def]
    hopes, plan = TEXT.index("hopes"), TEXT.index("plan")
    view.set_document(TEXT, [record(hopes, plan + 4, "outer"), record(plan, plan + 4, "inner")])
    with qtbot.waitSignal(view.sig_annotation_clicked) as clicked:
        QTest.mouseClick(view.viewport(), LEFT, Qt.KeyboardModifier.NoModifier, inside(view, plan + 1))
    assert clicked.args == ["inner"]
    assert view.selected_annotation_id == "inner"
    assert view.formats_at(plan)[0].property(SELECTED) is True
    assert view.formats_at(hopes)[0].property(SELECTED) is False
    with qtbot.waitSignal(view.sig_annotation_clicked) as clicked:
        QTest.mouseClick(view.viewport(), LEFT, Qt.KeyboardModifier.NoModifier, inside(view, hopes + 1))
    assert clicked.args == ["outer"]
    with qtbot.assertNotEmitted(view.sig_annotation_clicked):
        QTest.mouseClick(view.viewport(), LEFT, Qt.KeyboardModifier.NoModifier, inside(view, TEXT.index("heckled")))
    assert view.selected_span() is None


def test_keyboard_selection_and_claim_shortcut(view: ArticleView, qtbot) -> None:  # type: ignore[no-untyped-def]
    flag = TEXT.index("\U0001F1FA")
    QTest.mouseClick(view.viewport(), LEFT, Qt.KeyboardModifier.NoModifier, view.point_for_offset(flag))
    for _ in range(3):   # the flag is one character on screen (two code points, four UTF-16 units), then " ש"
        QTest.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert view.selected_span() == (flag, flag + 4)
    with qtbot.assertNotEmitted(view.sig_claim_shortcut):
        QTest.keyClicks(view, "x")           # not a claim shortcut, and read-only: nothing happens
    with qtbot.waitSignal(view.sig_claim_shortcut) as shortcut:
        QTest.keyClick(view, Qt.Key.Key_2)
    # Snapped like a drag: the selection ends inside the Hebrew word, so the word is taken whole.
    assert shortcut.args == ["evaluative", *snap_to_words(TEXT, flag, flag + 4)]
    assert shortcut.args[2] > flag + 4
    assert view.toPlainText() == TEXT


def test_shortcut_without_selection_does_nothing(view: ArticleView, qtbot) -> None:  # type: ignore[no-untyped-def]
    view.clear_span_selection()
    with qtbot.assertNotEmitted(view.sig_claim_shortcut):
        QTest.keyClick(view, Qt.Key.Key_1)


def test_others_are_dotted_without_fill_and_can_be_hidden(view: ArticleView) -> None:
    lavrov = TEXT.index("Lavrov")
    view.set_others([record(lavrov, lavrov + 6, "theirs", annotator="bob")])
    painted = view.formats_at(lavrov)[0]
    assert painted.property(OTHER_LAYERS) == 1 and painted.property(OWN_LAYERS) == 0
    assert painted.underlineStyle() == QTextCharFormat.UnderlineStyle.DotLine
    assert painted.background().style() == Qt.BrushStyle.NoBrush
    assert "bob (read-only)" in view.tooltip_text(lavrov)
    view.set_others([])
    assert view.formats_at(lavrov) == []


def test_select_annotation_scrolls_to_it(qtbot, scheme: SchemeRecord) -> None:  # type: ignore[no-untyped-def]
    long_text = "\n".join(f"Paragraph {n} about the summit in Sochi." for n in range(400))
    target = long_text.index("Paragraph 350")
    view = ArticleView()
    qtbot.addWidget(view)
    view.set_scheme(scheme)
    view.resize(500, 300)
    view.set_document(long_text, [record(target, target + 13, "far", text=long_text)])
    with qtbot.waitExposed(view):   # a context manager: it waits on leaving
        view.show()
    assert not view.viewport().rect().contains(view.point_for_offset(target))
    view.select_annotation("far")
    assert view.viewport().rect().contains(view.point_for_offset(target))
    assert view.formats_at(target)[0].property(SELECTED) is True
    view.select_annotation(None)
    assert view.formats_at(target)[0].property(SELECTED) is False


def test_html_looking_text_is_shown_literally(view: ArticleView) -> None:
    text = "<b>bold</b> <img src=x> &amp; <script>alert(1)</script>"
    view.set_document(text, [record(3, 7, "b", text=text)])
    assert view.toPlainText() == text
    block = view.document().begin()
    while block.isValid():
        fragments = block.begin()
        while not fragments.atEnd():
            fmt = fragments.fragment().charFormat()
            assert not fmt.isImageFormat() and not QTextImageFormat(fmt).name()
            assert not fmt.isAnchor()
            fragments += 1
        block = block.next()
    assert view.annotations_at(3)[0].quote == "bold"


def test_tooltip_lists_every_attribute_as_plain_text(view: ArticleView, qtbot) -> None:  # type: ignore[no-untyped-def]
    lavrov = TEXT.index("Lavrov")
    view.add_annotation(record(lavrov, lavrov + 6, "t", stance="oppose", claim_type="accusation",
                               target="<i>the U.S.</i>", note="check <b>source</b>"))
    text = view.tooltip_text(lavrov + 2)
    for expected in ("“Lavrov”", "Claim type: Accusation", "Stance: Oppose", "Actor: Sergei Lavrov",
                     "Target: <i>the U.S.</i>", "Note: check <b>source</b>", "Annotator: alice"):
        assert expected in text
    point = inside(view, lavrov + 2)
    event = QHelpEvent(QEvent.Type.ToolTip, point, view.viewport().mapToGlobal(point))
    QApplication.sendEvent(view.viewport(), event)
    qtbot.waitUntil(QToolTip.isVisible)
    assert QToolTip.text() == plain_tooltip(text)
    assert "&lt;b&gt;source&lt;/b&gt;" in QToolTip.text() and "<b>" not in QToolTip.text()


def test_colour_by_stance_and_actor(view: ArticleView, scheme: SchemeRecord) -> None:
    lavrov = TEXT.index("Lavrov")
    view.add_annotation(record(lavrov, lavrov + 6, "c", stance="oppose", claim_type="factual"))
    view.set_colour_by("stance")
    assert _hue_near(view.formats_at(lavrov)[0].background().color(), scheme.colour_of("stance", "oppose"))
    assert [label for label, _ in view.colour_legend()] == [v.label for v in scheme.stances]
    view.set_colour_by("actor")
    assert _hue_near(view.formats_at(lavrov)[0].background().color(), view.actor_colours.colour("Sergei Lavrov"))
    assert view.colour_legend() == [("Sergei Lavrov", view.actor_colours.colour("Sergei Lavrov"))]
    with pytest.raises(ValueError, match="cannot colour by"):
        view.set_colour_by("note")


def test_spans_stay_on_their_characters_in_every_block(view: ArticleView) -> None:
    """Each highlighted run covers exactly the characters of its span, in UTF-16 after the emoji."""
    spans = {"sochi": (0, 5), "talks": (TEXT.index("talks"), TEXT.index("talks") + 5),
             "cafe": (TEXT.index("cafe"), TEXT.index("cafe") + 5), "blow": (TEXT.index("blow"), TEXT.index("blow") + 4),
             "spoke": (TEXT.index("spoke"), TEXT.index("spoke") + 5)}
    view.set_document(TEXT, [record(s, e, name) for name, (s, e) in spans.items()])
    painted = {i for i in range(len(TEXT)) if view.formats_at(i)}
    assert painted == {i for s, e in spans.values() for i in range(s, e)}


def _hue_near(colour, expected: str) -> bool:  # type: ignore[no-untyped-def]
    """A translucent fill keeps the hue of its label colour (within a few degrees)."""
    want = QColor(expected)
    return abs(colour.hslHue() - want.hslHue()) <= 6


def test_character_under_the_mouse_in_ltr_and_rtl_runs(view: ArticleView) -> None:
    """Hover and click ask which character is under the mouse: right-to-left runs are laid out mirrored."""
    y = view.point_for_offset(0).y()
    hits = {view.character_at(QPoint(x, y)) for x in range(0, view.viewport().width())}
    for word in ("Sochi", "talks", "\u05e9\u05dc\u05d5\u05dd", "cafe"):
        start = TEXT.index(word)
        assert set(range(start, start + len(word))) <= hits, word
    salam = TEXT.index("\u0633\u0644\u0627\u0645")        # its lam-alef is one glyph: one hit for two letters
    assert {salam, salam + 1, salam + 3} <= hits
    for offset in range(TEXT.index("hopes"), TEXT.index("hopes") + 5):
        assert view.character_at(inside(view, offset)) == offset
    end_of_first_line = view.point_for_offset(TEXT.index("\n"))
    assert view.character_at(QPoint(end_of_first_line.x() + 30, end_of_first_line.y())) is None


def test_many_others_at_once_are_loaded_in_bulk_and_removed(view: ArticleView) -> None:
    words = [(m, m + 5) for m in range(len(TEXT) - 5)]
    many = [record(s, e, f"o{n}", annotator="bob", claim_type="policy") for n, (s, e) in enumerate(words)]
    view.add_annotation(record(TEXT.index("Lavrov"), TEXT.index("Lavrov") + 6, "mine"))
    view.set_others(many)
    lavrov = view.formats_at(TEXT.index("Lavrov"))[0]
    assert lavrov.property(OWN_LAYERS) == 1 and lavrov.property(OTHER_LAYERS) == 5
    view.set_others([])
    assert view.formats_at(TEXT.index("Lavrov"))[0].property(OTHER_LAYERS) == 0
    assert [a.id for a in view.annotations_at(TEXT.index("Lavrov"))] == ["mine"]


def test_double_click_selects_a_word_and_releases_it(view: ArticleView, qtbot) -> None:  # type: ignore[no-untyped-def]
    lavrov = TEXT.index("Lavrov")
    with qtbot.waitSignal(view.sig_selection_released) as released:
        QTest.mouseDClick(view.viewport(), LEFT, Qt.KeyboardModifier.NoModifier, inside(view, lavrov + 2))
        QTest.mouseRelease(view.viewport(), LEFT, Qt.KeyboardModifier.NoModifier, inside(view, lavrov + 2))
    assert released.args == [lavrov, lavrov + 6]


def test_selecting_from_the_list_flashes_the_span_then_settles(view: ArticleView, qtbot) -> None:  # type: ignore[no-untyped-def]
    lavrov = TEXT.index("Lavrov")
    view.add_annotation(record(lavrov, lavrov + 6, "f"))
    view.select_annotation("f")
    alphas: set[int] = set()

    def settled() -> bool:
        alphas.add(view.formats_at(lavrov)[0].background().color().alpha())
        return not view.busy

    qtbot.waitUntil(settled, timeout=3000)
    settled_alpha = view.formats_at(lavrov)[0].background().color().alpha()
    assert len(alphas) >= 2 and max(alphas) > settled_alpha       # it pulsed, then came back to "selected"
    assert view.formats_at(lavrov)[0].property(SELECTED) is True


def test_lazily_painted_blocks_are_ready_whenever_they_are_shown(qtbot, scheme: SchemeRecord) -> None:  # type: ignore[no-untyped-def]
    """Painting is deferred to when a block is shown: every block on screen must have its formats, after
    opening, scrolling far and switching colours; blocks never shown may stay unpainted."""
    long_text = "\n".join(f"Paragraph {n}: the minister said talks would resume." for n in range(600))
    starts = [i for i in range(len(long_text)) if long_text.startswith("minister", i)]
    view = ArticleView()
    qtbot.addWidget(view)
    view.set_scheme(scheme)
    view.resize(500, 300)
    view.set_document(long_text, [record(s, s + 8, f"m{k}", text=long_text) for k, s in enumerate(starts)])
    with qtbot.waitExposed(view):   # a context manager: it waits on leaving
        view.show()

    def shown_blocks_painted() -> bool:
        block = view.firstVisibleBlock()
        bottom = view.viewport().height()
        shown = 0
        while block.isValid() and view.blockBoundingGeometry(block).translated(view.contentOffset()).top() < bottom:
            if not block.layout().formats():     # what Qt will draw, read without asking the view to paint
                return False
            shown += 1
            block = block.next()
        return shown > 3

    assert shown_blocks_painted()
    assert not view.is_block_painted(590)
    view.verticalScrollBar().setValue(view.verticalScrollBar().maximum() * 3 // 4)
    qtbot.waitUntil(shown_blocks_painted)
    view.set_colour_by("stance")
    view.viewport().repaint()
    assert shown_blocks_painted()
    support = QColor(scheme.colour_of("stance", "support"))
    ranges = view.firstVisibleBlock().layout().formats()   # held: each range's format dies with the list
    assert _hue_near(ranges[0].format.background().color(), support.name())


@pytest.mark.parametrize("text", [
    "one\rtwo\r\nthree \U0001F600 four",                 # carriage returns the importer would have removed
    "para\u2029graph\u2028line \ufdd0 frame\ufdd1end",  # Unicode paragraph/line separators, frame markers
])
def test_separators_keep_offsets_in_step(view: ArticleView, text: str) -> None:
    """Every character QTextDocument turns into a block break still counts as one position."""
    words = [(m.start(), m.end()) for m in re.finditer(r"\w+", text)]
    view.set_document(text, [record(s, e, f"w{s}", text=text) for s, e in words])
    painted = {i for i in range(len(text)) if view.formats_at(i)}
    assert painted == {i for s, e in words for i in range(s, e)}


def test_colour_by_actor_gives_every_actor_of_the_article_its_own_colour(view: ArticleView) -> None:
    """More actors than the palette holds: a hash of the name gave three actors of the sample article one yellow."""
    names = ["Sergei Lavrov", "Vladimir Putin", "Bashar al-Assad", "Alexander Shumilin", "Kremlin",
             "Syrian Negotiation Commission", "Staffan de Mistura", "Ahmad Ramadan", "Recep Erdogan",
             "Hassan Rouhani", "Donald Trump", "Rex Tillerson", "Emmanuel Macron", "Angela Merkel"]
    view.set_colour_by("actor")
    for i, name in enumerate(names):
        view.add_annotation(record(i, i + 1, f"a{i}", actor=name))
    colours = [colour for _, colour in view.colour_legend()]
    assert len(colours) == len(names) and len(set(colours)) == len(names)
