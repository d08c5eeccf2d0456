"""CoNLL / BIO (IOB2) out: one `TOKEN<TAB>TAG` line per token, tags B-LABEL / I-LABEL / O for the label
attribute, a blank line at each line break of the text (and between documents). Each document and annotator
starts with `# document_id = ID` and `# annotator = NAME` comment lines (the CoNLL-U convention).

Tokens come from spaCy's rule-based `blank("en")` tokenizer (storage/tokens.py); whitespace tokens are not
written. A span that does not start and end on token boundaries (alignment mode "strict"), or that overlaps
a span already written (BIO holds one label per token), is left out and counted, never shifted. Mentions and cues
are left out and counted, and a warning says how many attribution links CoNLL could not hold."""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from storage.exporters.formats import checked
from storage.exporters.links import dropped_links, is_claim
from storage.exporters.output import atomic_text_output
from storage.exporters.peer import PeerExportSummary, by_annotator
from storage.exporters.reading import ACTOR, CLAIM, END, STANCE, START
from storage.tokens import ALIGNMENT_MODE, blank_english

LABEL_COLUMN = {"stance": STANCE, "claim_type": CLAIM, "actor": ACTOR}


def write(documents: Iterable[tuple[Any, list[Any]]], out: str | Path, label: str,
          summary: PeerExportSummary) -> None:
    nlp = blank_english()
    links = 0
    with atomic_text_output(out) as stream:
        for doc, rows in documents:
            tokens = nlp.make_doc(doc[3])
            links += dropped_links(rows)
            for annotator, own in by_annotator(rows).items():
                tags = bio_tags(doc, tokens, own, label, summary)
                stream.write(f"# document_id = {doc[0]}\n# annotator = {annotator}\n")
                stream.write(conll_block(tokens, tags))
                stream.write("\n")
    if links:
        summary.notes.append(f"warning: CoNLL cannot hold relations: {links} attribution links (source, cue, "
                             "relay, target) were not written; native, doccano-relations, spans, brat or "
                             "labelstudio carry them")


def bio_tags(doc: Any, tokens: Any, rows: list[Any], label: str, summary: PeerExportSummary) -> list[str]:
    tags = ["O"] * len(tokens)
    column = LABEL_COLUMN[label]
    for r in rows:
        checked(doc[3], r, doc[0])
        if not is_claim(r):
            summary.leave_out("a mention or cue (CoNLL holds one label per token and no relations)")
            continue
        value = r[column]
        if value is None:
            summary.leave_out("no value for the label")
            continue
        span = tokens.char_span(r[START], r[END], alignment_mode=ALIGNMENT_MODE)
        if span is None:
            summary.leave_out("not on token boundaries (spaCy blank('en'), strict)")
            continue
        if any(tags[i] != "O" for i in range(span.start, span.end)):
            summary.leave_out("overlaps a span already written (BIO holds one label per token)")
            continue
        for i in range(span.start, span.end):
            tags[i] = ("B-" if i == span.start else "I-") + "_".join(value.split())
        summary.annotations += 1
    return tags


def conll_block(tokens: Any, tags: list[str]) -> str:
    lines: list[str] = []
    for token, tag in zip(tokens, tags):
        if token.is_space:
            if "\n" in token.text and lines and lines[-1] != "":
                lines.append("")
            continue
        lines.append(f"{token.text}\t{tag}")
        if "\n" in token.whitespace_:
            lines.append("")
    while lines and lines[-1] == "":
        lines.pop()
    return "\n".join(lines) + "\n"
