"""brat standoff: a `NAME.txt` beside its `NAME.ann`. Offsets are code points of the .txt, as brat writes them.

- `T` text-bound annotations become spans; the type is the label (it goes to `label_as`).
- `A` attributes named Stance / ClaimType / Actor / Target fill those fields; any other attribute is kept in
  the span's note as `Name=Value` (or `Name` for a binary one).
- `#` notes: AnnotatorNotes go to the note; `Actor` / `Target` notes (what Stancemark's brat export writes,
  because brat attribute values cannot hold spaces) fill those fields; other note types join the note.
- `R` relations named Source, Cue, Relay or Target (any case; others through an import's relation map)
  between two T spans are attribution links, Arg1 the claim and Arg2 its mention or cue; `T` spans of type
  Mention or Cue are mentions and cues.
- Other `R` relations, `E` events, `N` normalisations, `*` equivalences and discontinuous `T` spans (`0 5;9 12`) have
  no place in Stancemark yet: they are counted in the summary and kept, verbatim, in the document's metadata
  (`meta.brat.kept`), so a brat export writes them back unchanged. A discontinuous span is never joined."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from storage.errors import InputError
from storage.importers.fields import Where, title_from
from storage.importers.incoming import IncomingAnnotation, IncomingDocument
from storage.importers.links import brat_relation, kind_from_label
from storage.text import OffsetMap

FIELD_ATTRIBUTES = {"stance": "stance", "claimtype": "claim_type", "claim_type": "claim_type",
                    "actor": "actor", "target": "target"}
KEPT_KINDS = {"R": "relations", "E": "events", "N": "normalisations", "*": "equivalences", "M": "modifications"}


def is_brat_text(path: Path) -> bool:
    return path.suffix.lower() == ".txt" and path.with_suffix(".ann").is_file()


def parse_brat(txt: Path, raw: str, ann_text: str, label_as: str, notes: list[str]) -> IncomingDocument:
    """One document from a .txt and the .ann beside it; every T span checked against the text it quotes."""
    ann_path = str(txt.with_suffix(".ann"))
    offsets = OffsetMap(raw)
    spans: dict[str, IncomingAnnotation] = {}
    ids: dict[str, list[Any]] = {}
    extras: dict[str, list[str]] = {}
    kept: list[str] = []
    relations: list[tuple[int, int, str, str]] = []
    counts: dict[str, int] = {}
    for number, line in enumerate(ann_text.split("\n"), start=1):
        line = line.rstrip("\r")
        if not line.strip():
            continue
        where = Where(ann_path, number)
        kind = line[0]
        fields = line.split("\t")
        if kind == "T":
            span = _text_bound(fields, raw, offsets, label_as, where)
            if span is None:  # discontinuous
                kept.append(line)
                counts["discontinuous spans"] = counts.get("discontinuous spans", 0) + 1
                continue
            spans[fields[0]] = span
            ids[fields[0]] = [span.start, span.end, fields[1].split(" ")[0]]
        elif kind == "A":
            _attribute(fields, spans, extras, kept, where)
        elif kind == "#":
            _note(fields, spans, extras, kept, where)
        elif kind == "R" and (relation := brat_relation(line, list(spans))) is not None:
            head, child, name, rid = relation
            relations.append((head, child, name, f"{ann_path} line {number} ({rid})"))
        elif kind in KEPT_KINDS:
            kept.append(line)
            counts[KEPT_KINDS[kind]] = counts.get(KEPT_KINDS[kind], 0) + 1
        else:
            raise where.error(f"not a brat standoff line (expected T, A, R, E, N, M, * or #): {line[:40]!r}")
    for brat_id, span in spans.items():
        span.note = "\n".join(extras.get(brat_id, []))
    if counts:
        found = ", ".join(f"{n} {what}" for what, n in sorted(counts.items()))
        notes.append(f"{ann_path}: kept in the document's meta.brat, not imported as spans: {found}")
    text = offsets.text
    meta: dict[str, Any] = {"format": "brat", "brat": {"file": txt.stem, "ids": ids, "kept": kept}}
    return IncomingDocument(path=str(txt), line=None, text=text, title=title_from(text, txt.stem),
                            source=str(txt), meta=meta, annotations=list(spans.values()), relations=relations)


def _text_bound(fields: list[str], raw: str, offsets: OffsetMap, label_as: str,
                where: Where) -> IncomingAnnotation | None:
    if len(fields) < 2 or " " not in fields[1]:
        raise where.error("a T line needs 'ID<TAB>TYPE START END<TAB>TEXT'")
    label, _, ranges = fields[1].partition(" ")
    if ";" in ranges:
        return None
    try:
        start, end = (int(x) for x in ranges.split(" "))
    except ValueError:
        raise where.error(f"{fields[0]}: offsets must be two whole numbers, not {ranges!r}") from None
    what = f"{fields[0]} [{start}, {end})"
    if not 0 <= start < end <= len(raw):
        raise where.error(f"{what}: outside the text ({len(raw)} characters) or empty")
    quote = fields[2] if len(fields) > 2 else None
    # brat writes a span's text with line breaks as spaces; anything else that differs is a wrong offset.
    if quote is not None and " ".join(raw[start:end].split()) != " ".join(quote.split()):
        raise where.error(f"{what}: the .txt has {raw[start:end][:40]!r} there, the .ann says {quote[:40]!r}")
    s, e = offsets.map_span(start, end)
    annotation = IncomingAnnotation(start=s, end=e, annotator=None, where=what).fill({label_as: label})
    kind_from_label(annotation, label)  # the Mention and Cue types Stancemark's brat export writes
    return annotation


def _attribute(fields: list[str], spans: dict[str, IncomingAnnotation], extras: dict[str, list[str]],
               kept: list[str], where: Where) -> None:
    parts = fields[1].split(" ") if len(fields) > 1 else []
    if len(parts) < 2:
        raise where.error("an A line needs 'ID<TAB>NAME TARGET [VALUE]'")
    name, target, value = parts[0], parts[1], " ".join(parts[2:])
    if target not in spans:
        kept.append("\t".join(fields))  # on an event or a discontinuous span: kept with it
        return
    attribute = FIELD_ATTRIBUTES.get(name.lower())
    if attribute is not None and value and getattr(spans[target], attribute) is None:
        setattr(spans[target], attribute, value)
    else:
        extras.setdefault(target, []).append(f"{name}={value}" if value else name)


def _note(fields: list[str], spans: dict[str, IncomingAnnotation], extras: dict[str, list[str]],
          kept: list[str], where: Where) -> None:
    head = fields[1].split(" ") if len(fields) > 1 else []
    if len(head) < 2:
        raise where.error("a # line needs 'ID<TAB>TYPE TARGET<TAB>TEXT'")
    kind, target, body = head[0], head[1], fields[2] if len(fields) > 2 else ""
    if target not in spans:
        kept.append("\t".join(fields))
        return
    attribute = FIELD_ATTRIBUTES.get(kind.lower())
    if attribute in ("actor", "target") and body and getattr(spans[target], attribute) is None:
        setattr(spans[target], attribute, body)
    elif kind == "AnnotatorNotes":
        extras.setdefault(target, []).insert(0, body)
    else:
        extras.setdefault(target, []).append(f"{kind}: {body}")


def check_pair(ann: Path) -> None:
    """An .ann named on its own must have its .txt; the pair is read when the .txt is."""
    if not ann.with_suffix(".txt").is_file():
        raise InputError(str(ann), None, "brat annotation file without its .txt beside it")
