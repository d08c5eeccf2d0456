"""Text logic behind the article view that needs no widget: word snapping and the hover description.

Everything here works in code points of the stored text.
"""
from __future__ import annotations

import html
import unicodedata

from storage import AnnotationRecord, SchemeRecord

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


def tooltip_html(plain: str) -> str:
    """Plain text made safe for QToolTip, which would otherwise render anything that looks like HTML."""
    return "<qt>" + html.escape(plain).replace("\n", "<br/>") + "</qt>"
