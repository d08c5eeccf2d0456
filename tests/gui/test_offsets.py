"""UTF-16 (Qt) <-> code point (storage) conversion, checked by hand and against Qt's own document positions."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtGui import QTextCursor, QTextDocument

from gui.offsets import OffsetConverter
from storage.text import normalise_newlines

WOMAN_HEALTH_WORKER = "\U0001F469\u200D\u2695\uFE0F"   # ZWJ sequence: 4 code points, 5 UTF-16 units
UN_FLAG = "\U0001F1FA\U0001F1F3"                      # two regional indicators: 2 code points, 4 units


def utf16_units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def test_single_emoji_shifts_later_offsets_by_one_unit() -> None:
    converter = OffsetConverter("a😀b")
    assert [converter.to_utf16(i) for i in range(4)] == [0, 1, 3, 4]
    assert [converter.to_code_point(u) for u in range(5)] == [0, 1, 1, 2, 3]   # 2 is inside the pair
    assert converter.utf16_length == 4 and not converter.identity


def test_zwj_sequence_and_flag() -> None:
    text = f"{WOMAN_HEALTH_WORKER} {UN_FLAG} talks"
    converter = OffsetConverter(text)
    talks = text.index("talks")
    assert talks == 4 + 1 + 2 + 1
    assert converter.to_utf16(talks) == 5 + 1 + 4 + 1
    assert converter.to_code_point(converter.to_utf16(talks)) == talks
    # Every boundary inside the flag's pairs rounds down to the code point it belongs to.
    flag = text.index(UN_FLAG)
    flag_utf16 = converter.to_utf16(flag)
    assert [converter.to_code_point(flag_utf16 + k) for k in range(5)] == [flag, flag, flag + 1, flag + 1, flag + 2]


def test_combining_marks_and_rtl_are_one_unit_per_code_point() -> None:
    text = "Cafe\u0301 \u0645\u0641\u0627\u0648\u0636\u0627\u062a \u05e9\u05d9\u05d7\u05d5\u05ea end"
    converter = OffsetConverter(text)
    assert converter.identity
    assert all(converter.to_utf16(i) == i and converter.to_code_point(i) == i for i in range(len(text) + 1))


def test_crlf_normalised_text_keeps_one_position_per_newline() -> None:
    text = normalise_newlines(f"Title 😀\r\nBody {UN_FLAG}\r\nend")
    converter = OffsetConverter(text)
    end = text.index("end")
    assert text[end - 1] == "\n"
    assert converter.to_utf16(end) == end + 1 + 2


def test_offsets_outside_the_text_are_clamped() -> None:
    converter = OffsetConverter("a😀")
    assert converter.to_utf16(-5) == 0 and converter.to_utf16(99) == 3
    assert converter.to_code_point(-1) == 0 and converter.to_code_point(99) == 2


def test_empty_text() -> None:
    converter = OffsetConverter("")
    assert converter.to_utf16(0) == 0 and converter.to_code_point(0) == 0 and converter.utf16_length == 0


@pytest.mark.parametrize("text", [
    f"Before {WOMAN_HEALTH_WORKER}{UN_FLAG} Russia’s hopes\nwere dealt a blow.",
    "\u05e9\u05dc\u05d5\u05dd 😀 \u0633\u0644\u0627\u0645 e\u0301\u0301 𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
])
def test_qt_document_selects_exactly_the_converted_span(qapp, text: str) -> None:  # type: ignore[no-untyped-def]
    """The same spans, selected in a real QTextDocument by converted positions, give the same characters."""
    document = QTextDocument()
    document.setPlainText(text)
    converter = OffsetConverter(text)
    assert document.characterCount() - 1 == converter.utf16_length
    for start in range(len(text)):
        for end in range(start + 1, min(len(text), start + 6) + 1):
            cursor = QTextCursor(document)
            cursor.setPosition(converter.to_utf16(start))
            cursor.setPosition(converter.to_utf16(end), QTextCursor.MoveMode.KeepAnchor)
            assert cursor.selectedText().replace("\u2029", "\n") == text[start:end]


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_round_trip_matches_python_utf16_encoding(text: str) -> None:
    converter = OffsetConverter(text)
    assert converter.utf16_length == utf16_units(text)
    for i in range(len(text) + 1):
        units = utf16_units(text[:i])
        assert converter.to_utf16(i) == units
        assert converter.to_code_point(units) == i
