"""The attribution finder: direct quotes and reported speech in English news, by documented rules.

Built on spaCy's rule-based `blank("en")` (tokens, the sentencizer, `PhraseMatcher` for the registry); no model
download, no regular expressions over the text. Each proposal is a claim with its content span, the source
mention, the cue, a claim-type guess and the source's registry actor. The rules, in the order they run:

Direct quotes (text between matching “…”, "…", ‘…’, '…', «…», „…“ in one paragraph; an unclosed one runs to
the end of its paragraph):
- D1 speaker after: `“…,” said X` / `“…,” X said` / `“…,” X, the minister, told reporters` / `“…,” according
  to X`. The quotation must end open (a comma, ? or ! inside, or a comma after it): a title or a scare quote
  followed by a verb does not.
- D2 speaker before: `X said: “…”`, `X said “…”`, `X said that “…”`, `X told reporters: “…”`, `X called for
  “…”`; a colon alone after a short name at the start of a sentence (`Lavrov: “…”`) makes the colon the cue.
- D4 a quoted judgement of at most six words: `X called the decision “deeply disappointing”`, `…, calling it
  “unjustified”` (evaluative; "so-called" is no cue).
- D3 continuation: a quotation that begins its sentence, right after a sentence of the same paragraph with a
  direct quote, has the same source and cue (`“…,” said X. “…”`).
A quotation with none of these (scare quotes: so-called “experts”; titles: the film “Gone with the Wind”) is
no claim.

Reported speech (a speech verb of `lexicon.py` outside any quotation and outside title-case headlines, not
already the cue of a direct quote):
- R1 `X said (that) …`, `X told reporters (on Tuesday) (that) …`, `X accused Y of …`, `X denied …`, `X warned
  (that) …`, `X called for …`, `X vowed to …`: the content runs from after the verb (and "that") to the end
  of the sentence, or to a comma before a new clause ("…, with", "…, adding"), or to "and" before another
  strong speech verb (`X said … and warned …`: the second verb is a claim of the same X). A weak verb
  ("added", "noted", "reported") needs "that"; vow / pledge / promise need "to" or "that" ("pledged $40
  million" is no statement).
- R2 inverted: `…, X said.` / `…, said X.` / `…, X said on Tuesday.`: the content is the sentence before the
  comma.
- R3 `according to X, …` / `…, according to X.` / `… according to X` (the clause before it).
- R4 after a comma, `…, saying (that) …` / `adding that` / `warning that`: a claim of the sentence's last
  speaker, or of the name the sentence opens with.
- Not a claim: the verb after "the", "a", a form of "be" ("is said to", "was told"), before "by" or
  "to" (say); other -ing forms except after "is/was" ("is vowing"); and the verb of a restrictive relative
  clause ("the man who said …", "a report that said …"): it picks out who is meant rather than reporting what
  they claim, and its end cannot be found without a parser. A non-restrictive one (`X, which has vowed to …`)
  is a claim of X, its content ending at the next comma; one between subject and verb (`X, who …, said`) is
  left out of the source.

The source's actor: the registry mention inside the source span, preferring the part before the first comma
and before "of" ("Hannah Osei of the Patients Association" is Osei, "its envoy, Alexander Lavrentiev" is
Lavrentiev), never a possessor unless the source is its spokesman, office, envoy… ("Okafor's spokesman" is
Okafor). "he" / "she" resolve to a person actor, "it" to an organisation or state, "the company" / "the
group" … to an organisation, each only when exactly one such actor is named before it in the same paragraph
(for pronouns, if none is there, in the paragraph before); otherwise the actor stays unresolved rather than
guessed.

Claim type: accuse/allege -> accusation; deny -> denial; warn/predict/expect -> predictive; urge/call
for/demand/vow/pledge/promise -> policy; a quoted judgement -> evaluative; else "will"/"shall" early in the
content -> predictive, "should"/"must" -> policy, else factual; mapped onto the scheme's values ("factual", or
None if the scheme lacks that too)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from storage.suggestions import lexicon as lx
from storage.suggestions.base import Proposal, ProposedSpan, SuggestionInput
from storage.suggestions.nlp import ActorIndex, actor_index, parse, parse_many
from storage.suggestions.parsed import (
    CLAUSE_MARKS, DETERMINERS, POSSESSIVE, SENTENCE_END, FoundClaim, ParsedText, content_end, inverted_tail,
    source_actor, source_after, subject_before,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

    from spacy.tokens import Doc, Token


def _forward_content(d: ParsedText, verb: int, lemma: str, stop_at_comma: bool) -> tuple[int, int] | None:
    k = d.cue_end(verb, lemma)
    end = d.sent_end[verb]
    if lemma == "tell":  # skip whom: "told reporters", "told the BBC", "told a news conference"
        named = False
        while k < end and (d.lower(k) in lx.AUDIENCE or d.doc[k].is_title or d.doc[k].is_upper) \
                and d.lower(k) != "that" and k - verb < 6:
            if d.lower(k) in DETERMINERS:
                if named:
                    break
            else:
                named = True
            k += 1
    has_that = False
    if d.lower(k) == "that":
        has_that, k = True, k + 1
    elif d.lower(k) in lx.TIME_OR_PLACE:
        for m in range(k + 1, min(k + 9, end)):
            if d.doc[m].is_punct and d.doc[m].text != ",":
                break
            if d.lower(m) == "that":
                has_that, k = True, m + 1
                break
    if d.lower(k) in {":", ","}:
        k += 1
    if not has_that and d.lower(k) in lx.TIME_OR_PLACE:  # "told a press conference in London."
        return None
    if lemma in lx.COMMITMENT_LEMMAS and not has_that and d.lower(k) != "to":
        return None  # "vowed to stay" is a commitment; "pledged $17.5 million", "the money promised" are not
    if not has_that and lemma not in lx.STRONG_LEMMAS and lemma != "call for":
        return None
    if lemma == "say" and d.lower(k) in {"to", "by", "so", "nothing", "no"}:
        return None
    if d.lower(k) == "by":
        return None
    span = d.trim(k, content_end(d, k, stop_at_comma))
    if span is None or span[1] - span[0] < 2 or any(d.in_quote[i] for i in range(*span)) and d.in_quote[span[0]]:
        return None
    return span


def _earlier_source(d: ParsedText, claims: list[FoundClaim], at: int) -> tuple[int, int] | None:
    """The source of the last claim whose cue stands before token `at` in the same sentence."""
    for claim in reversed(claims):
        if claim.cue and claim.cue[0] < at and d.sent_start[claim.cue[0]] == d.sent_start[at]:
            return claim.source
    return None


def _sentence_subject(d: ParsedText, at: int) -> tuple[int, int] | None:
    """The name a sentence opens with ("The Department of Health disputes …"), if it opens with one."""
    k = d.sent_start[at]
    while k < at and (d.doc[k].is_space or d.doc[k].is_punct):
        k += 1
    if d.lower(k) in lx.TIME_OR_PLACE:
        return None
    start = k
    while k < at and (d.doc[k].is_title or d.doc[k].is_upper or d.lower(k) in DETERMINERS
                      or d.lower(k) in {"of", "for", "and"} or d.lower(k) in POSSESSIVE):
        k += 1
    while k > start and not (d.doc[k - 1].is_title or d.doc[k - 1].is_upper):
        k -= 1
    return (start, k) if k > start else None


def _participle(d: ParsedText, verb: int, claims: list[FoundClaim]) -> FoundClaim | None:
    """R4 "…, saying (that) …": what the sentence's subject (or its last speaker) says."""
    lemma = lx.PARTICIPLES[d.lower(verb)]
    k = verb + 1
    if d.lower(k) == "that":
        k += 1
    elif lemma not in lx.STRONG_LEMMAS:
        return None
    content = d.trim(k, content_end(d, k))
    if content is None or content[1] - content[0] < 3 or d.in_quote[content[0]]:
        return None
    source = _earlier_source(d, claims, verb) or _sentence_subject(d, verb)
    return FoundClaim(content, source, (verb, verb + 1), lemma, "R4 …, saying …") if source else None


def _reported(d: ParsedText, verb: int, lemma: str, claims: list[FoundClaim]) -> FoundClaim | None:
    cue = (verb, d.cue_end(verb, lemma))
    subject, how = subject_before(d, verb)
    floor = d.sent_start[verb]
    if how == "none":
        return None
    j = verb - 1
    while j > floor and d.lower(j) in lx.VERB_PREFIX:
        j -= 1
    if subject is None and d.lower(j) == "and":  # "X said … and warned …": the same speaker
        subject = _earlier_source(d, claims, verb)
        content = _forward_content(d, verb, lemma, stop_at_comma=False) if subject else None
        return FoundClaim(content, subject, cue, lemma, "R1 X said … and warned …") if content else None
    if how == "verb-first":
        source = source_after(d, cue[1])
        content = d.trim(floor, verb - 1) if source else None
        if content is None or content[1] - content[0] < 3:
            return None
        return FoundClaim(content, source, cue, lemma, "R2 …, said X")
    if subject is None:
        return None
    if d.trim(*subject) is None:
        return None
    if subject[0] - 1 >= floor and d.doc[subject[0] - 1].text == "," and inverted_tail(d, cue[1]):
        content = d.trim(floor, subject[0] - 1)
        if content is not None and content[1] - content[0] >= 3:
            return FoundClaim(content, subject, cue, lemma, "R2 …, X said")
    content = _forward_content(d, verb, lemma, stop_at_comma=how == "relative")
    if content is None:
        return None
    rule = "R1 X, who said …" if how == "relative" else "R1 X said …"
    return FoundClaim(content, subject, cue, lemma, rule)


def _according(d: ParsedText, i: int) -> FoundClaim | None:
    cue = (i, i + 2)
    floor = d.sent_start[i]
    lead = d.trim(floor, i)
    initial = lead is None or (lead[1] - lead[0] <= 1 and d.lower(lead[0]) in {"but", "and", "yet", "so"})
    source = source_after(d, i + 2, any_start=True, stop_at_comma=initial)
    if source is None:
        return None
    if initial:
        k = source[1]
        if d.lower(k) != ",":
            return None
        content = d.trim(k + 1, content_end(d, k + 1))
        return FoundClaim(content, source, cue, "according to", "R3 according to X, …") if content else None
    if d.doc[i - 1].text == ",":
        content = d.trim(floor, i - 1)
        return FoundClaim(content, source, cue, "according to", "R3 …, according to X") if content else None
    start = i - 1
    while start > floor and d.doc[start - 1].text not in CLAUSE_MARKS:
        start -= 1
    content = d.trim(start, i)
    return FoundClaim(content, source, cue, "according to", "R3 … according to X") if content else None


def _direct(d: ParsedText, o: int, c: int | None, previous: FoundClaim | None,
            claims: list[FoundClaim]) -> FoundClaim | None:
    inner_end = c if c is not None else d._paragraph_end(o)
    content = d.trim(o + 1, inner_end)
    if content is None:
        return None
    floor = d.sent_start[o]
    # D2: the speaker before the quotation.
    p = o - 1
    if p >= floor and d.doc[p].text == ":":
        for v in range(p - 1, max(floor, p - 10) - 1, -1):
            if d.doc[v].text in lx.QUOTE_PAIRS or d.doc[v].text in SENTENCE_END:
                break
            lemma = d.verb_lemma(v)
            if lemma:
                subject, _ = subject_before(d, v)
                return FoundClaim(content, subject, (v, d.cue_end(v, lemma)), lemma, "D2 X said: “…”")
        head = d.trim(floor, p)
        if head and head[1] - head[0] <= 6 and head[0] == floor + (d.doc[floor].is_space or 0) \
                and any(d.doc[k].is_title for k in range(*head)):
            return FoundClaim(content, head, (p, p + 1), "", "D2 X: “…”")
    else:
        v = p - 1 if p >= floor and d.lower(p) in {"that", ","} else p
        lemma = d.verb_lemma(v) if v >= floor else None
        if lemma is None and v - 1 >= floor and d.lower(v) == "for":
            lemma, v = d.verb_lemma(v - 1), v - 1
        if lemma and lemma != "according to":
            subject, how = subject_before(d, v)
            if how != "none":
                return FoundClaim(content, subject, (v, d.cue_end(v, lemma)), lemma, "D2 X said “…”")
    # D1: the speaker after it.
    if c is not None:
        t = c + 1
        open_ended = d.doc[c - 1].text in lx.OPEN_ENDED or d.lower(t) == ","
        if d.lower(t) == ",":
            t += 1
        lemma = d.verb_lemma(t) if t < d.n and d.paragraph[t] == d.paragraph[c] else None
        if open_ended and lemma and not d.lower(t).endswith("ing"):
            source = source_after(d, d.cue_end(t, lemma))
            if source and d.lower(source[0]) not in {"that", "to"}:
                return FoundClaim(content, source, (t, d.cue_end(t, lemma)), lemma, "D1 “…,” said X")
        elif open_ended and d.lower(t) == "according" and d.lower(t + 1) == "to":
            source = source_after(d, t + 2)
            if source:
                return FoundClaim(content, source, (t, t + 2), "according to", "D1 “…,” according to X")
        elif open_ended and t < d.n:
            for v in range(t + 1, min(t + 10, d.sent_end[t] if t < d.n else t)):
                if d.doc[v].text in SENTENCE_END or d.doc[v].text in lx.QUOTE_PAIRS:
                    break
                lemma = d.verb_lemma(v)
                if lemma:
                    source = d.trim(t, v)
                    if source and all(not d.stops_subject(k) or d.doc[k].text == "," for k in range(*source)):
                        while source[1] > source[0] and d.lower(source[1] - 1) in lx.VERB_PREFIX:
                            source = (source[0], source[1] - 1)
                        return FoundClaim(content, source, (v, d.cue_end(v, lemma)), lemma, "D1 “…,” X said")
                    break
    # D4: a quoted judgement: `called the decision “deeply disappointing”`, `…, calling it “unjustified”`.
    words = content[1] - content[0]
    if c is not None and words <= 6:
        for v in range(o - 1, max(floor, o - 6) - 1, -1):
            if d.lower(v) in lx.LABELLING and d.lower(v - 1) not in {"-", "so"}:  # not "so-called “experts”"
                if d.lower(v).endswith("ing"):
                    source = _earlier_source(d, claims, v) or _sentence_subject(d, v)
                else:
                    source, how = subject_before(d, v)
                    source = source or (_earlier_source(d, claims, v) if how != "none" else None)
                if source:
                    return FoundClaim(content, source, (v, v + 1), "label", "D4 called it “…”")
                break
            if d.doc[v].is_punct:
                break
    # D3: a quotation that goes on from the previous sentence's.
    if previous is not None and previous.rule.startswith(("D1", "D2", "D3")) and previous.content[1] <= o:
        starts_sentence = d.trim(floor, o + 1) is None
        prev_sentence = d.sent_start[previous.content[0]]
        if starts_sentence and d.paragraph[previous.content[0]] == d.paragraph[o] and prev_sentence < floor:
            return FoundClaim(content, previous.source, previous.cue, previous.lemma, "D3 continuation")
    return None


def _claim_type(d: ParsedText, claim: FoundClaim, claim_types: tuple[str, ...]) -> str | None:
    guess = lx.CUE_CLAIM_TYPE.get(claim.lemma)
    if guess is None:
        start, end = claim.content
        words = [d.lower(i) for i in range(start, min(end, start + 8))]
        if any(w in lx.PREDICTIVE_MODALS for w in words) or "going" in words and "to" in words:
            guess = "predictive"
        elif any(w in lx.POLICY_MODALS for w in words):
            guess = "policy"
        else:
            guess = "factual"
    if not claim_types or guess in claim_types:
        return guess
    return "factual" if "factual" in claim_types else None


def find_claims(doc: "Doc", item: SuggestionInput, index: ActorIndex | None = None) -> list[tuple[FoundClaim, str | None, str | None]]:
    """Every claim the rules find in a parsed text, with its claim type and source actor."""
    d = ParsedText(doc, index or actor_index(item.actors))
    claims: list[FoundClaim] = []
    used_cues: set[int] = set()
    previous: FoundClaim | None = None
    for o, c in d.quotes:
        claim = _direct(d, o, c, previous, claims)
        previous = claim if claim is not None else (previous if c is None else None)
        if claim is not None:
            claims.append(claim)
            if claim.cue:
                used_cues.update(range(*claim.cue))
    for i in range(d.n):
        if i in used_cues or d.in_quote[i] or d.sent_start[i] in d.headline:
            continue
        if d.lower(i) == "according" and d.lower(i + 1) == "to":
            claim = _according(d, i)
        elif d.lower(i) in lx.PARTICIPLES and d.lower(i - 1) == ",":
            claim = _participle(d, i, claims)
        else:
            lemma = d.verb_lemma(i)
            claim = _reported(d, i, lemma, claims) if lemma else None
        if claim is not None:
            claims.append(claim)
    seen: set[tuple[int, int]] = set()
    found = []
    for claim in sorted(claims, key=lambda c: c.content):
        if claim.content in seen:
            continue
        seen.add(claim.content)
        found.append((claim, _claim_type(d, claim, item.claim_types), source_actor(d, claim.source)))
    return found


class AttributionFinder:
    """Suggester of attributed claims (direct and reported speech); see the module's docstring."""

    name = "attribution"
    version = "1"
    uses = frozenset({"text", "actors", "actor_kinds", "claim_types"})

    def suggest(self, item: SuggestionInput) -> list[Proposal]:
        return self._proposals(parse(item.text), item)

    def suggest_many(self, items: "Iterable[SuggestionInput]") -> list[list[Proposal]]:
        """Many texts through one `nlp.pipe` (the pipeline and each registry's matcher are built once)."""
        items = list(items)
        return [self._proposals(doc, item) for doc, item in zip(parse_many(i.text for i in items), items)]

    def _proposals(self, doc: "Doc", item: SuggestionInput) -> list[Proposal]:
        out = []
        for claim, claim_type, actor in find_claims(doc, item):
            start, end = _span_chars(doc, claim.content)
            out.append(Proposal(
                kind="claim", start=start, end=end, claim_type=claim_type, actor=actor,
                source=ProposedSpan(*_span_chars(doc, claim.source)) if claim.source else None,
                cue=ProposedSpan(*_span_chars(doc, claim.cue)) if claim.cue else None,
                suggester=self.name, version=self.version, rule=claim.rule))
        return out


def _span_chars(doc: "Doc", span: tuple[int, int]) -> tuple[int, int]:
    last: "Token" = doc[span[1] - 1]
    return doc[span[0]].idx, last.idx + len(last.text)
