"""The JSON Lines shapes that hold attribution as relations: doccano's relation extraction and Prodigy's
`relations` on a spans task.

- doccano (`--format doccano-relations`): one line per document and annotator, `entities` (`id`,
  `start_offset`, `end_offset`, `label`) and `relations` (`id`, `from_id`, `to_id`, `type`), as doccano's
  relation-extraction import reads them. A claim's label is its --label value, a mention's "mention", a cue's
  "cue"; a relation goes from the claim to its mention or cue and its type is the role (source, cue, relay,
  target). Each entity also carries Stancemark's own fields (stance, actor, ... and `stancemark_id`), which
  doccano ignores and Stancemark's import reads back.
- Prodigy (`--format spans`): a task holding mentions, cues or links also gets `tokens` (spaCy's blank("en")),
  `token_start` / `token_end` on every span and Prodigy's `relations` (`head`, `child`: the last token of each
  span, `head_span`, `child_span`, `label`: the role), the claim being the head."""
from __future__ import annotations

import re
from typing import Any

from storage.errors import StancemarkError

from storage.exporters.tally import LABEL_COLUMN, Tally, by_annotator, doccano_overlaps, untouched_document
from storage.exporters.links import KIND_LABELS, is_claim, kind_of, row_links
from storage.exporters.reading import ACTOR, CLAIM, END, ID, NOTE, QUOTE, STANCE, START, TARGET

FIELDS = (("stance", STANCE), ("actor", ACTOR), ("claim_type", CLAIM), ("target", TARGET), ("note", NOTE))


def span_label(row: Any, column: int) -> str | None:
    """What a one-label format calls a span: a claim its --label value, a mention "mention", a cue "cue"."""
    return row[column] if is_claim(row) else KIND_LABELS[kind_of(row)]


def own_fields(row: Any) -> dict[str, Any]:
    fields = {name: row[col] for name, col in FIELDS if row[col] not in (None, "")}
    if not is_claim(row):
        fields["kind"] = kind_of(row)
    return fields


def doccano_relation_lines(doc: Any, rows: list[Any], who: dict[str, str], label: str, include_empty: bool,
                           tally: Tally) -> list[dict[str, Any]]:
    doc_id, text = doc[0], doc[3]
    column = LABEL_COLUMN[label]
    untouched = untouched_document(
        doc_id, text, rows, who, include_empty, tally,
        lambda: {"text": text, "entities": [], "relations": [], "document_id": doc_id, "annotator": "",
                 "status": "untouched"})
    if untouched is not None:
        return untouched
    grouped = by_annotator(rows)
    lines = []
    for name in sorted(who.keys() | grouped.keys()):
        own = grouped.get(name, [])
        labelled = [r for r in own if span_label(r, column) is not None]
        tally.unlabelled += len(own) - len(labelled)
        tally.annotations += len(labelled)
        number = {r[ID]: n for n, r in enumerate(labelled)}
        entities = [{"id": number[r[ID]], "start_offset": r[START], "end_offset": r[END],
                     "label": span_label(r, column), **own_fields(r), "stancemark_id": r[ID]} for r in labelled]
        relations = [{"id": n, "from_id": number[claim[ID]], "to_id": number[linked[ID]], "type": role}
                     for n, (claim, role, linked) in enumerate(row_links(labelled))]
        tally.overlapping += doccano_overlaps([[r[START], r[END], None] for r in labelled])
        lines.append({"text": text, "entities": entities, "relations": relations, "document_id": doc_id,
                      "annotator": name, "status": who.get(name, "todo")})
    return lines


def prodigy_span(row: Any, column: int) -> dict[str, Any]:
    return {"start": row[START], "end": row[END], "label": span_label(row, column), "text": row[QUOTE],
            "id": row[ID], "stance": row[STANCE], "actor": row[ACTOR], "claim_type": row[CLAIM],
            "target": row[TARGET], "note": row[NOTE], **({} if is_claim(row) else {"kind": kind_of(row)})}


def with_prodigy_relations(task: dict[str, Any], own: list[Any]) -> None:
    """Adds tokens, token positions and `relations` to a task whose spans hold mentions, cues or links."""
    spans = task["spans"]
    kept = {s["id"] for s in spans}
    links = row_links(own, kept)
    if not links and all(is_claim(r) for r in own if r[ID] in kept):
        return
    tokens = _tokens(task["text"])
    task["tokens"] = [{"text": task["text"][a:b], "start": a, "end": b, "id": n, "ws": ws}
                      for n, (a, b, ws) in enumerate(tokens)]
    by_id = {}
    for span in spans:
        inside = [n for n, (a, b, _) in enumerate(tokens) if a < span["end"] and b > span["start"]]
        span["token_start"], span["token_end"] = inside[0], inside[-1]
        by_id[span["id"]] = span
    task["relations"] = []
    for claim, role, linked in links:
        head, child = by_id[claim[ID]], by_id[linked[ID]]
        task["relations"].append({
            "head": head["token_end"], "child": child["token_end"], "label": role,
            "head_span": _short(head), "child_span": _short(child)})


def _tokens(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, followed by whitespace) per token: spaCy's blank("en") when spaCy is installed, else words
    and single punctuation marks (Prodigy takes the `tokens` a task gives)."""
    try:
        from storage.tokens import blank_english
        doc = blank_english().make_doc(text)
        return [(t.idx, t.idx + len(t.text), bool(t.whitespace_)) for t in doc]
    except StancemarkError:
        found = [(m.start(), m.end()) for m in re.finditer(r"\w+|[^\w\s]", text)]
        return [(a, b, b < len(text) and text[b].isspace()) for a, b in found]


def _short(span: dict[str, Any]) -> dict[str, Any]:
    return {k: span[k] for k in ("start", "end", "token_start", "token_end", "label")}
