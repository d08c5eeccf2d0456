"""A text parsed for the attribution rules: tokens, sentences, paragraphs, quotations and registry mentions,
and the noun-phrase walks the rules share (who speaks, where the content ends, which actor a source names).

Without a tagger or parser (spaCy's `blank("en")` has neither) a noun phrase is found by walking from the verb
to a stop word or punctuation; the word lists are in `lexicon.py`."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from storage.suggestions import lexicon as lx
from storage.suggestions.nlp import ActorIndex

if TYPE_CHECKING:
    from spacy.tokens import Doc

CLAUSE_MARKS = frozenset({",", "--", "—", "–", ";", ":"})
MINOR_WORDS = frozenset({"a", "an", "the", "of", "as", "by", "to", "in", "on", "for", "and", "or", "at", "with",
                         "from", "over", "after"})
POSSESSIVE = frozenset({"’s", "'s", "’", "'"})
SENTENCE_END = frozenset({".", "!", "?", "…"})
OPENERS = frozenset({"“", "«", "„", "‘", "‹", '"'})
#: Where the antecedent of ", which said" ends when walking back: "tensions have risen with | the U.S.".
ANTECEDENT_STOP = frozenset({"with", "of", "in", "on", "at", "to", "for", "from", "by", "against", "about",
                             "into", "over", "under", "between", "among", "have", "has", "had", "is", "are",
                             "was", "were", "risen", "met", "said"})
DETERMINERS = frozenset({"the", "a", "an", "its", "his", "her", "their", "our", "one", "two", "some", "many",
                         "several", "both", "most", "other", "another", "those", "these"})


@dataclass
class FoundClaim:
    content: tuple[int, int]  # tokens [start, end)
    source: tuple[int, int] | None
    cue: tuple[int, int] | None
    lemma: str
    rule: str
    content_chars: tuple[int, int] | None = None


class ParsedText:
    """One parsed text with the per-token facts every rule needs."""

    def __init__(self, doc: "Doc", index: ActorIndex) -> None:
        self.doc = doc
        self.n = len(doc)
        self.sent_start = [0] * self.n
        self.sent_end = [0] * self.n
        self.paragraph = [0] * self.n
        paragraph = 0
        for start, end in self._sentences():
            if start and ("\n" in doc[start - 1].text or "\n" in doc[start - 1].whitespace_):
                paragraph += 1
            for i in range(start, end):
                self.sent_start[i], self.sent_end[i], self.paragraph[i] = start, end, paragraph
        self.opener_of: dict[int, int] = {}
        self.quotes = self._pair_quotes()
        self.opener_of = {c: o for o, c in self.quotes if c is not None}
        self.in_quote = [False] * self.n
        for o, c in self.quotes:
            for i in range(o, c + 1 if c is not None else self._paragraph_end(o)):
                self.in_quote[i] = True
        self.mentions = index.mentions(doc)
        self.headline = {start for start, end in self._sentences() if self._is_headline(start, end)}

    def _is_headline(self, start: int, end: int) -> bool:
        """A title-case line without a full stop ("Mayor Denies Wrongdoing as Port Inquiry Widens")."""
        words = [t for t in self.doc[start:end] if t.is_alpha and t.lower_ not in MINOR_WORDS]
        if len(words) < 4 or any(t.text in SENTENCE_END for t in self.doc[start:end]):
            return False
        return sum(t.is_title or t.is_upper for t in words) >= 0.7 * len(words)

    def _sentences(self) -> list[tuple[int, int]]:
        """The sentencizer's sentences, except that an opening quotation mark it left at the end of one
        sentence ("… Moscow. “Its goal …") begins the next."""
        bounds = [sent.start for sent in self.doc.sents] + [self.n]
        for k in range(1, len(bounds) - 1):
            b = bounds[k]
            while b - 1 > bounds[k - 1] and self.doc[b - 1].text in OPENERS and not self.doc[b - 1].whitespace_:
                b -= 1
            bounds[k] = b
        return [(a, b) for a, b in zip(bounds, bounds[1:]) if a < b]

    def _paragraph_end(self, o: int) -> int:
        """The token after the last one of token o's paragraph."""
        i = o
        while i < self.n and self.paragraph[i] == self.paragraph[o] and not (
                self.doc[i].is_space and "\n" in self.doc[i].text):
            i += 1
        return i

    def _pair_quotes(self) -> list[tuple[int, int | None]]:
        quotes: list[tuple[int, int | None]] = []
        open_at: int | None = None
        closers: tuple[str, ...] = ()
        for i, tok in enumerate(self.doc):
            if open_at is not None and self.paragraph[i] != self.paragraph[open_at]:
                quotes.append((open_at, None))
                open_at = None
            if open_at is None:
                if tok.text in lx.QUOTE_PAIRS:
                    open_at, closers = i, lx.QUOTE_PAIRS[tok.text]
                elif tok.text == "'" and self._straight_opens(i):
                    open_at, closers = i, ("'",)
            elif tok.text in closers and (tok.text != "'" or not self.doc[i - 1].whitespace_):
                quotes.append((open_at, i))
                open_at = None
        if open_at is not None:
            quotes.append((open_at, None))
        return quotes

    def _straight_opens(self, i: int) -> bool:
        """A straight ' opens a quotation when it stands before a word after a space or a line's start (not
        the apostrophe of "Patients' groups", which follows its word)."""
        if self.doc[i].whitespace_ or i + 1 >= self.n or not self.doc[i + 1].is_alpha:
            return False
        return i == 0 or bool(self.doc[i - 1].whitespace_) or self.doc[i - 1].is_space

    # -- token tests ---------------------------------------------------------------------------------------
    def lower(self, i: int) -> str:
        return self.doc[i].lower_ if 0 <= i < self.n else ""

    def verb_lemma(self, i: int) -> str | None:
        """The speech-verb lemma at token i ("call for" spans two tokens), else None."""
        word = self.lower(i)
        if word in lx.CALL_FORMS and self.lower(i + 1) == "for":
            return "call for"
        return lx.LEMMA_OF.get(word)

    def cue_end(self, i: int, lemma: str) -> int:
        return i + 2 if lemma in ("call for", "according to") else i + 1

    def stops_subject(self, i: int) -> bool:
        tok = self.doc[i]
        if tok.is_space or tok.lower_ in lx.SUBJECT_STOP or tok.text in lx.QUOTE_PAIRS:
            return True
        if tok.text in {"-", "&", "/", "'", "’", "."}:
            return False
        return tok.is_punct or not any(ch.isalnum() for ch in tok.text)  # symbols and emoji end a name too

    def trim(self, start: int, end: int) -> tuple[int, int] | None:
        """Tokens [start, end) without the spaces, punctuation and quotation marks at either edge."""
        while start < end and (self.doc[start].is_space or self.doc[start].is_punct or self.doc[start].text == "•"):
            start += 1
        while end > start and (self.doc[end - 1].is_space or self.doc[end - 1].is_punct):
            last = self.doc[end - 1].text
            if last in ("?", "!") or start <= self.opener_of.get(end - 1, -1):
                break  # a question stays one; a quotation inside the span keeps its closing mark
            end -= 1
        if not any(self.doc[k].is_alpha for k in range(start, end)):
            return None
        return start, end

    def chars(self, span: tuple[int, int]) -> tuple[int, int]:
        last = self.doc[span[1] - 1]
        return self.doc[span[0]].idx, last.idx + len(last.text)


def walk_back(d: ParsedText, j: int, floor: int, limit: int = 12) -> int:
    """The first token of the noun phrase ending at token j (inclusive), walking back to a stop word."""
    k = j
    while k >= floor and j - k < limit and not d.stops_subject(k) and d.doc[k].text != ",":
        k -= 1
    return k + 1


def subject_before(d: ParsedText, verb: int) -> tuple[tuple[int, int] | None, str]:
    """The source before a verb: (span, how) where how is "plain", "apposition", "relative", "verb-first" or
    "none" (no speech act of a subject: a restrictive relative clause, a passive, an article)."""
    floor = d.sent_start[verb]
    j = verb - 1
    if j >= floor and d.lower(j) in lx.NOT_SPEECH_BEFORE and not d.doc[verb].lower_.endswith("ing"):
        return None, "none"
    if d.doc[verb].lower_.endswith("ing"):
        while j >= floor and d.lower(j) in lx.VERB_PREFIX:
            j -= 1
        if d.lower(j) not in {"is", "are", "was", "were"}:
            return None, "none"
        j -= 1
    while j >= floor and d.lower(j) in lx.VERB_PREFIX:
        j -= 1
    if j < floor:
        return None, "none"
    if d.lower(j) in lx.RELATIVE:
        if d.lower(j) != "that" and j - 1 >= floor and d.doc[j - 1].text == ",":
            start = walk_back(d, j - 2, floor)
            for k in range(j - 2, start - 1, -1):
                if d.lower(k) in ANTECEDENT_STOP:
                    start = k + 1
                    break
            return (start, j - 1) if start < j - 1 else None, "relative"
        return None, "none"
    if d.doc[j].text == ",":
        comma = next((k for k in range(j - 1, floor - 1, -1) if d.doc[k].text == ","), None)
        if comma is not None and d.lower(comma + 1) in {"who", "which", "whose"}:
            # "X, who asked not to be named because …, said": the relative clause is no part of the source.
            start = walk_back(d, comma - 1, floor)
            return ((start, comma) if start < comma else None), "plain"
        inner_start = max(walk_back(d, j - 1, floor, limit=8), j - 8)
        before = inner_start - 1
        if inner_start < j and before >= floor and d.doc[before].text == ",":
            outer_start = walk_back(d, before - 1, floor, limit=8)
            at_clause_start = outer_start == floor or d.stops_subject(outer_start - 1) or d.lower(outer_start - 1) == ","
            if outer_start < before and at_clause_start:
                return (outer_start, j), "apposition"
        return None, "verb-first"
    if d.doc[j].text in ("”", "’", '"', "»", "'") and j in {c for _, c in d.quotes}:
        return None, "none"
    start = walk_back(d, j, floor)
    return ((start, j + 1) if start <= j else None), "plain"


def source_after(d: ParsedText, start: int, any_start: bool = False,
                  stop_at_comma: bool = False) -> tuple[int, int] | None:
    """The source after a verb or "according to": up to the end of the sentence, a quotation or ", who"."""
    end = d.sent_end[start] if start < d.n else start
    k = start
    while k < end and k - start < 20:
        tok = d.doc[k]
        if tok.text in lx.QUOTE_PAIRS or tok.text in SENTENCE_END or (tok.is_space and "\n" in tok.text):
            break
        if tok.text == "," and (stop_at_comma or d.lower(k + 1) in {"who", "which", "whose", "where"}):
            break
        k += 1
    span = d.trim(start, k)
    if span is None:
        return None
    first = d.doc[span[0]]
    if not any_start and not (first.is_title or first.is_upper or first.lower_ in DETERMINERS or first.lower_ in lx.PRONOUNS_PERSON
            or first.lower_ in {"they", "it", "officials", "analysts", "experts", "sources"}):
        return None
    return span


def content_end(d: ParsedText, start: int, stop_at_comma: bool = False) -> int:
    end = d.sent_end[start] if start < d.n else start
    k = start
    while k < end:
        tok = d.doc[k]
        if tok.is_space and "\n" in tok.text or tok.text == ";":
            break
        if tok.text == "," and (stop_at_comma or d.lower(k + 1) in lx.CONTENT_CUT_AFTER_COMMA):
            break
        if tok.lower_ == "and" and (d.verb_lemma(k + 1 + (d.lower(k + 1) in lx.VERB_PREFIX)) or "") in lx.STRONG_LEMMAS:
            break  # "said X was … and warned …": the second verb has its own content
        k += 1
    return k


def inverted_tail(d: ParsedText, after: int) -> bool:
    """True when what follows the verb up to the end of the sentence is a short place or time (or nothing)."""
    end = d.sent_end[after - 1]
    words = [i for i in range(after, end) if not (d.doc[i].is_punct or d.doc[i].is_space)]
    if not words:
        return True
    return d.lower(words[0]) in lx.TIME_OR_PLACE and len(words) <= 12 and not any(d.lower(i) == "that" for i in words)


def source_actor(d: ParsedText, source: tuple[int, int] | None) -> str | None:
    if source is None:
        return None
    start, end = source
    if end - start == 1 and d.lower(start) in lx.PRONOUNS_PERSON:
        return resolve_back(d, start, ("person",))
    if end - start == 1 and d.lower(start) == "it":  # what speaks as "it" is an organisation or a state
        return resolve_back(d, start, ("organisation", "state"))
    words = [d.lower(k) for k in range(start, end)]
    if words[0] == "the" and 2 <= len(words) <= 3 and all(d.doc[k].is_lower for k in range(start + 1, end)):
        if words[-1] in lx.ORGANISATION_NOUNS:
            return resolve_back(d, start, ("organisation",), paragraphs=1)
        if words[-1] in lx.STATE_NOUNS:
            return resolve_back(d, start, ("state",), paragraphs=1)
    inside = [m for m in d.mentions if start <= m.start and m.end <= end]
    if not inside:
        return None
    first_comma = next((k for k in range(start, end) if d.doc[k].text == ","), end)
    first_of = next((k for k in range(start, first_comma) if d.lower(k) == "of"), first_comma)
    for part in ([m for m in inside if m.end <= first_of], [m for m in inside if m.start > first_comma],
                 [m for m in inside if first_of < m.end <= first_comma]):
        free = [m for m in part if d.lower(m.end) not in POSSESSIVE]
        if free:
            return free[-1].actor.name
    speaks_for = [m for m in inside if d.lower(m.end) in POSSESSIVE and d.lower(m.end + 1) in lx.REPRESENTATIVES]
    return speaks_for[-1].actor.name if speaks_for else None


def resolve_back(d: ParsedText, at: int, kinds: tuple[str, ...], paragraphs: int = 2) -> str | None:
    """The one actor of `kinds` named before token `at` in its paragraph (or, if none is, in the paragraph
    before, when `paragraphs` is 2); two different ones there make it ambiguous, and it stays unresolved."""
    paragraph = d.paragraph[at]
    for wanted in range(paragraph, paragraph - paragraphs, -1):
        named = {m.actor.name for m in d.mentions
                 if m.end <= at and m.actor.kind in kinds and d.paragraph[m.start] == wanted}
        if named:
            return named.pop() if len(named) == 1 else None
    return None

