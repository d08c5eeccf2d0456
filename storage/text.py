"""Text normalisation done once on import, and the offset map that carries spans through it.

Offsets everywhere in storage are Unicode code points of the stored text (Python str indices).
"""
from __future__ import annotations

import hashlib
import re
from bisect import bisect_right


def normalise_newlines(raw: str) -> str:
    return raw.replace("\r\n", "\n").replace("\r", "\n")


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def document_id_for(text: str) -> str:
    """Stable id derived from the content, so the same text gets the same id in every database."""
    return text_sha256(text)[:16]


class OffsetMap:
    """Maps code point offsets in the raw text to offsets in its normalised form.

    Only CRLF collapses (two code points become one); a lone CR becomes LF in place.
    """

    def __init__(self, raw: str) -> None:
        self._raw = raw
        # Raw positions of the LF in each CRLF pair: every one of them removes one code point.
        self._removed = [i + 1 for i in range(len(raw) - 1) if raw[i] == "\r" and raw[i + 1] == "\n"]
        self.text = normalise_newlines(raw)

    @property
    def identity(self) -> bool:
        return not self._removed

    def map(self, raw_offset: int) -> int:
        """An offset between code points; a boundary inside a CRLF pair maps to the LF's place."""
        if not self._removed:
            return raw_offset
        return raw_offset - bisect_right(self._removed, raw_offset - 1)

    def map_span(self, start: int, end: int) -> tuple[int, int]:
        new_start = self.map(start)
        # A span whose start sits between CR and LF starts at the collapsed newline.
        if 0 < start < len(self._raw) and self._raw[start - 1] == "\r" and self._raw[start] == "\n":
            new_start = self.map(start - 1)
        return new_start, self.map(end)


_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def unstorable_character(text: str) -> str | None:
    """Why `text` cannot be stored on every backend, or None. PostgreSQL refuses NUL in text and JSON, and a
    lone UTF-16 surrogate (a broken JSON `\\ud800` escape) is no character at all, so UTF-8 cannot hold it."""
    found = _UNSTORABLE.search(text)
    if found is None:
        return None
    char, at = found.group(), found.start()
    if char == "\x00":
        return f"a NUL character (\\u0000) at position {at}, which no database backend stores"
    return (f"a lone surrogate \\u{ord(char):04x} at position {at} (half of a UTF-16 pair: a broken JSON "
            f"escape), which is not a character and cannot be stored as UTF-8")
