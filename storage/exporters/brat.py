"""brat standoff out: OUT/ANNOTATOR/DOCUMENT_ID.txt + .ann, one collection per annotator (brat has no
annotator field). The label attribute is the T type; stance and claim type (when not the label) are `A`
attributes, actor and target `#` notes of those types (attribute values cannot hold spaces), the note an
AnnotatorNotes. Mentions and cues are T lines of type Mention and Cue (a mention's actor a `#` Actor note), and
each attribution link an R line, `R1<TAB>Source Arg1:T4 Arg2:T1`: Arg1 the claim, Arg2 its mention or cue, the
type the role (Source, Cue, Relay, Target). Relations and other lines kept from a brat import are written back
with their T ids."""
from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from storage.exporters.formats import checked
from storage.exporters.peer import PeerExportSummary, atomic_directory, by_annotator
from storage.exporters.links import KIND_TYPES, is_claim, kind_of, row_links
from storage.exporters.reading import ACTOR, CLAIM, END, ID, NOTE, QUOTE, STANCE, START, TARGET

LABEL_COLUMN = {"stance": STANCE, "claim_type": CLAIM, "actor": ACTOR}
_TYPE_OK = re.compile(r"^[^\s;]+$")
_REFERENCE = re.compile(r"\b([TE]\d+)\b")


def safe_name(name: str) -> str:
    """A file name from an annotator's name or a document id: no separators, nothing hidden."""
    cleaned = re.sub(r"[^\w.@+-]", "_", name).lstrip(".")
    return cleaned or "_"


def write(documents: Iterable[tuple[Any, list[Any]]], out: str | Path, label: str,
          summary: PeerExportSummary) -> None:
    with atomic_directory(out) as root:
        for doc, rows in documents:
            for annotator, own in by_annotator(rows).items():
                folder = root / safe_name(annotator)
                folder.mkdir(exist_ok=True)
                ann = ann_lines(doc, own, label, summary)
                stem = safe_name(doc[0])
                (folder / f"{stem}.txt").write_text(doc[3], encoding="utf-8", newline="")
                (folder / f"{stem}.ann").write_text("".join(f"{line}\n" for line in ann), encoding="utf-8",
                                                    newline="")
                summary.files += 2


def ann_lines(doc: Any, rows: list[Any], label: str, summary: PeerExportSummary) -> list[str]:
    doc_id, text, meta = doc[0], doc[3], doc[5] or {}
    kept_brat = meta.get("brat")
    if not isinstance(kept_brat, dict):
        kept_brat = {}
    known = {(s, e, t): tid for tid, (s, e, t) in (kept_brat.get("ids") or {}).items()}
    kept = [line for line in kept_brat.get("kept") or [] if isinstance(line, str)]
    used = {line.split("\t")[0] for line in kept}
    numbers = [int(i[1:]) for i in list(known.values()) + list(used) if i[1:].isdigit()]
    counter = {"T": max(numbers, default=0), "A": 0, "#": 0}
    for line in kept:
        if line[:1] in counter and line.split("\t")[0][1:].isdigit():
            counter[line[0]] = max(counter[line[0]], int(line.split("\t")[0][1:]))

    def next_id(kind: str) -> str:
        counter[kind] += 1
        return f"{kind}{counter[kind]}"

    column = LABEL_COLUMN[label]
    lines: list[str] = []
    defined: set[str] = set()
    tids: dict[str, str] = {}
    for r in rows:
        checked(text, r, doc_id)
        value = r[column] if is_claim(r) else KIND_TYPES[kind_of(r)]
        if value is None:
            summary.leave_out("no value for the label")
            continue
        if not _TYPE_OK.match(value):
            summary.leave_out("label with spaces or ';' (not a brat type)")
            continue
        tid = known.get((r[START], r[END], value))
        if tid is None or tid in defined:
            tid = next_id("T")
        defined.add(tid)
        tids[r[ID]] = tid
        lines.append(f"{tid}\t{value} {r[START]} {r[END]}\t{r[QUOTE].replace(chr(10), ' ')}")
        for name, col in (("Stance", STANCE), ("ClaimType", CLAIM)):
            if col != column and r[col] is not None and _TYPE_OK.match(r[col]):
                lines.append(f"{next_id('A')}\t{name} {tid} {r[col]}")
        for name, col in (("Actor", ACTOR), ("Target", TARGET)):
            if col != column and r[col]:
                lines.append(f"{next_id('#')}\t{name} {tid}\t{_one_line(r[col])}")
        if r[NOTE]:
            lines.append(f"{next_id('#')}\tAnnotatorNotes {tid}\t{_one_line(r[NOTE])}")
        summary.annotations += 1
    used_r = [int(x[1:]) for x in used if x.startswith("R") and x[1:].isdigit()]
    counter["R"] = max(used_r, default=0)
    for claim, role, linked in row_links(rows, set(tids)):
        lines.append(f"{next_id('R')}\t{role.capitalize()} Arg1:{tids[claim[ID]]} Arg2:{tids[linked[ID]]}")
    defined |= {line.split("\t")[0] for line in kept if line[:1] in "TE"}
    for line in kept:
        own_id, _, rest = line.partition("\t")
        if set(_REFERENCE.findall(rest)) <= defined:
            lines.append(line)
        else:
            summary.kept_lines_dropped += 1
    return lines


def _one_line(value: str) -> str:
    return value.replace("\r", " ").replace("\n", " ").replace("\t", " ")
