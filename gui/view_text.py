"""Text logic behind the article view that needs no widget: word snapping, the hover description,
paragraph starts and actor colours.

Everything here works in code points of the stored text.
"""
from __future__ import annotations

import re
import unicodedata
import colorsys

from storage import AnnotationRecord, SchemeRecord

from gui.palette import ACTOR_PALETTE, UNSET_COLOUR  # noqa: F401 - UNSET_COLOUR is read from here too
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


def _joined(text: str, i: int) -> bool:
    """Whether the characters at i - 1 and i belong to one token (a word, or a word with its joiners)."""
    return _in_word(text, i - 1) and _in_word(text, i)


def is_token_start(text: str, i: int) -> bool:
    return i < len(text) and not text[i].isspace() and (i == 0 or text[i - 1].isspace() or not _joined(text, i))


def is_token_end(text: str, i: int) -> bool:
    return 0 < i <= len(text) and not text[i - 1].isspace() and (
        i == len(text) or text[i].isspace() or not _joined(text, i))


def step_boundary(text: str, offset: int, direction: int, edge: str) -> int:
    """The next token edge from `offset` in `direction` (+1 or -1): a word's start (edge "start") or end (edge
    "end"), a punctuation mark counting as a token of its own. Boundary nudges move by these, so that
    widening a passage by a word is one key press and one stored revision, not one per character."""
    is_edge = is_token_start if edge == "start" else is_token_end
    i = offset + direction
    while 0 <= i <= len(text):
        if is_edge(text, i):
            return i
        i += direction
    return offset


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
    kind = getattr(annotation, "kind", "claim")
    if kind != "claim":  # a mention or cue: part of a claim's attribution, with no labels of its own
        named = f"Actor: {annotation.actor or UNSET}" if kind == "mention" else "Cue of an attribution"
        return "\n".join([f"“{quote}”", f"{kind.capitalize()} · {named}", f"Annotator: {who}"])
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


class ActorColours:
    """A distinct colour per actor of the open article: the palette in order of first appearance, then
    hues spread by the golden ratio. A hash of the name gave three actors of the sample article one yellow."""

    def __init__(self) -> None:
        self._colours: dict[str, str] = {}

    def reset(self, names_in_order: list[str]) -> None:
        self._colours.clear()
        for name in names_in_order:
            self.colour(name)

    def colour(self, name: str) -> str:
        colour = self._colours.get(name)
        if colour is None:
            n = len(self._colours)
            if n < len(ACTOR_PALETTE):
                colour = ACTOR_PALETTE[n]
            else:
                hue = (n - len(ACTOR_PALETTE)) * 0.618033988749895 % 1.0
                r, g, b = colorsys.hsv_to_rgb(hue, 0.55, 0.85)
                colour = f"#{int(r * 255):02x}{int(g * 255):02x}{int(b * 255):02x}"
            self._colours[name] = colour
        return colour
