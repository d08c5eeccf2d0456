"""The one place where Qt's UTF-16 positions meet storage's code point offsets.

Qt counts UTF-16 code units: every character outside the Basic Multilingual Plane (most emoji, some CJK and
historic scripts) takes two units, a surrogate pair. Storage and exports count code points (Python str indices).
Only characters above U+FFFF differ, so the converter remembers where those are and shifts by their count.
Combining marks, ZWJ sequences and RTL text need nothing special: each of their code points is one or two units.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right


class OffsetConverter:
    """Converts offsets between code points (storage) and UTF-16 units (Qt) for one text."""

    def __init__(self, text: str) -> None:
        self._code_point_length = len(text)
        # Code point index of each astral character, and the UTF-16 index where its surrogate pair starts.
        self._astral_code_points = _astral_positions(text)
        self._astral_utf16 = [cp + k for k, cp in enumerate(self._astral_code_points)]
        self.utf16_length = self._code_point_length + len(self._astral_code_points)

    @property
    def identity(self) -> bool:
        """True when both counts agree everywhere (no character above U+FFFF)."""
        return not self._astral_code_points

    def to_utf16(self, code_point: int) -> int:
        """UTF-16 position of the boundary before code point `code_point` (clamped to the text)."""
        code_point = min(max(code_point, 0), self._code_point_length)
        return code_point + bisect_left(self._astral_code_points, code_point)

    def to_code_point(self, utf16: int) -> int:
        """Code point offset of a UTF-16 position; a position inside a surrogate pair rounds down."""
        utf16 = min(max(utf16, 0), self.utf16_length)
        # Pairs starting at or before utf16 - 2 lie wholly before the position: each counts one unit too many.
        whole_pairs = bisect_right(self._astral_utf16, utf16 - 2)
        inside_pair = whole_pairs < len(self._astral_utf16) and self._astral_utf16[whole_pairs] == utf16 - 1
        return utf16 - whole_pairs - (1 if inside_pair else 0)

    def span_to_code_points(self, start: int, end: int) -> tuple[int, int]:
        return self.to_code_point(start), self.to_code_point(end)


def _astral_positions(text: str) -> list[int]:
    """Code point indices of the characters above U+FFFF, found in C: a 2 MB article takes a few ms."""
    if len(text.encode("utf-16-le")) == 2 * len(text):
        return []
    import numpy as np  # only for a text that has such characters: most never load numpy at start-up

    code_points = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    return np.flatnonzero(code_points > 0xFFFF).tolist()
