"""Text logic behind the article view that needs no widget: word snapping, the hover description,
paragraph starts and actor colours.

Everything here works in code points of the stored text.
"""
from __future__ import annotations

import re
import unicodedata
import zlib

from storage import AnnotationRecord, SchemeRecord

UNSET_COLOUR = "#a0a4ab"
# Colours for actors, chosen by a stable hash of the name so an actor keeps its colour across sessions.
ACTOR_PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
                 "#9c755f", "#86bcb6", "#d37295", "#8cd17d")
# Characters QTextDocument turns into block separators (one UTF-16 unit each, like the character they replace).
_BLOCK_SEPARATORS = re.compile("[\n\r\u2029\ufdd0\ufdd1]")

# Characters that join two word characters into one word ("don't", "long-term") but do not start one.
_JOINERS = frozenset("'’-‐_")
QUOTE_PREVIEW = 90
UNSET = "—"


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or unicodedata.category(ch)[0] == "M"   # letters, digits, combining marks


def _in_word(text: str, i: int) -> bool:
    ch = text[i]
    if _is_word_char(ch):
        return True
    return ch in _JOINERS and 0 < i < len(text) - 1 and _is_word_char(text[i - 1]) and _is_word_char(text[i + 1])


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Trims white space at the edges of [start, end), then widens each edge that cuts a word to the whole word.

    Never narrows a selection except by its outer white space; an all-space selection comes back empty.
    """
    start, end = max(0, min(start, end)), min(len(text), max(start, end))
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        return start, end
    while start > 0 and _in_word(text, start - 1) and _in_word(text, start):
        start -= 1
    while end < len(text) and _in_word(text, end) and _in_word(text, end - 1):
        end += 1
    return start, end


def _label(scheme: SchemeRecord | None, attribute: str, value: str | None) -> str:
    if value is None or value == "":
        return UNSET
    if scheme is not None:
        for item in scheme.values(attribute):
            if item.value == value:
                return item.label
    return value


def describe(annotation: AnnotationRecord, scheme: SchemeRecord | None, own: bool = True) -> str:
    """Every attribute of an annotation and who made it, as plain lines for a tooltip."""
    quote = " ".join(annotation.quote.split())
    if len(quote) > QUOTE_PREVIEW:
        quote = quote[:QUOTE_PREVIEW - 1] + "…"
    who = annotation.annotator if own else f"{annotation.annotator} (read-only)"
    lines = [
        f"“{quote}”",
        f"Claim type: {_label(scheme, 'claim_type', annotation.claim_type)}",
        f"Stance: {_label(scheme, 'stance', annotation.stance)}",
        f"Actor: {annotation.actor or UNSET}",
        f"Target: {annotation.target or UNSET}",
    ]
    if annotation.note:
        lines.append(f"Note: {annotation.note}")
    lines.append(f"Annotator: {who}")
    return "\n".join(lines)


def block_starts(text: str) -> list[int]:
    """Code point offset of each block (paragraph) QTextDocument will make of `text`."""
    if any(separator in text for separator in "\r\u2029\ufdd0\ufdd1"):
        return [0] + [m.end() for m in _BLOCK_SEPARATORS.finditer(text)]
    starts = [0]
    at = text.find("\n")
    while at != -1:
        starts.append(at + 1)
        at = text.find("\n", at + 1)
    return starts


def actor_colour(name: str) -> str:
    return ACTOR_PALETTE[zlib.crc32(name.encode("utf-8")) % len(ACTOR_PALETTE)]
