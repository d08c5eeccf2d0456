"""spaCy DocBin (.spacy) out, for `spacy train`: one Doc per document and annotator, tokenised by spaCy's
rule-based `blank("en")` tokenizer. Every span goes into `doc.spans["sc"]` (span groups may overlap, for the
span categorizer); the spans that do not overlap also become `doc.ents` (for the NER component). Alignment mode
"strict": a span that does not fall on token boundaries is left out and counted, never widened. The document id
and annotator are in `doc.user_data` (DocBin keeps it with store_user_data=True). Mentions and cues go to the span
groups "mention" and "cue" (never `ents`); DocBin itself holds no relations, so the links are in
`doc.user_data["relations"]` as [claim start, claim end, role, start, end] character offsets."""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from storage.exporters.formats import checked
from storage.exporters.peer import PeerExportSummary, atomic_binary, by_annotator
from storage.exporters.links import is_claim, kind_of, row_links
from storage.exporters.reading import ACTOR, CLAIM, END, ID, STANCE, START
from storage.tokens import ALIGNMENT_MODE, blank_english

LABEL_COLUMN = {"stance": STANCE, "claim_type": CLAIM, "actor": ACTOR}
SPANS_KEY = "sc"


def write(documents: Iterable[tuple[Any, list[Any]]], out: str | Path, label: str,
          summary: PeerExportSummary) -> None:
    nlp = blank_english()
    from spacy.tokens import DocBin
    from spacy.util import filter_spans

    column = LABEL_COLUMN[label]
    docbin = DocBin(store_user_data=True)
    overlapping = 0
    for doc, rows in documents:
        for annotator, own in by_annotator(rows).items():
            tokens = nlp.make_doc(doc[3])
            spans = []
            groups: dict[str, list[Any]] = {"mention": [], "cue": []}
            placed: set[str] = set()
            for r in own:
                checked(doc[3], r, doc[0])
                if not is_claim(r):
                    span = tokens.char_span(r[START], r[END], label=kind_of(r), alignment_mode=ALIGNMENT_MODE)
                    if span is None:
                        summary.leave_out("not on token boundaries (spaCy blank('en'), strict)")
                        continue
                    groups[kind_of(r)].append(span)
                    placed.add(r[ID])
                    continue
                if r[column] is None:
                    summary.leave_out("no value for the label")
                    continue
                span = tokens.char_span(r[START], r[END], label=r[column], alignment_mode=ALIGNMENT_MODE)
                if span is None:
                    summary.leave_out("not on token boundaries (spaCy blank('en'), strict)")
                    continue
                spans.append(span)
                placed.add(r[ID])
            tokens.spans[SPANS_KEY] = spans
            for key, group in groups.items():
                if group:
                    tokens.spans[key] = group
            # DocBin holds no relations; user_data does: [claim start, claim end, role, start, end] in characters.
            relations = [[c[START], c[END], role, m[START], m[END]] for c, role, m in row_links(own, placed)]
            if relations:
                tokens.user_data["relations"] = relations
            entities = filter_spans(spans)
            tokens.ents = entities
            overlapping += len(spans) - len(entities)
            tokens.user_data["document_id"] = doc[0]
            tokens.user_data["annotator"] = annotator
            docbin.add(tokens)
            summary.annotations += len(spans) + sum(len(g) for g in groups.values())
    if overlapping:
        summary.notes.append(f"{overlapping} overlapping spans are in doc.spans['{SPANS_KEY}'] but not in doc.ents")
    with atomic_binary(out) as temp:
        docbin.to_disk(temp)
