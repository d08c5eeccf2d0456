"""`agreement` and `role`: agreement figures (each with the units behind it) and who may adjudicate."""
from __future__ import annotations

import argparse
import csv
import json
import shutil
import sys
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any, TextIO

from cli.common import add_command, opened_database
from cli.terminal import progress_bar, write_table as write_rows
from storage.records import ROLES

if TYPE_CHECKING:
    from storage.agreement import AgreementReport, Figure, Unit

FORMATS = ("table", "csv", "json")
COLUMNS = ("scope", "measure", "attribute", "annotators", "value", "level", "items", "observed", "agreed",
           "disagreed", "single", "reason")


def register(subparsers: argparse._SubParsersAction) -> None:
    agreement = add_command(subparsers, "agreement",
                            "inter-annotator agreement for a document or the whole corpus: span F1, Cohen's "
                            "kappa, Krippendorff's alpha per attribute, boundary alpha, source actor, span F1 of "
                            "source mentions and cues; per pair and overall",
                            run_agreement)
    agreement.add_argument("--document", metavar="ID", help="one document (default: the whole corpus)")
    agreement.add_argument("--format", choices=FORMATS, default="table")
    agreement.add_argument("--units", action="store_true",
                           help="table: list the disagreed and single-annotator units behind each figure "
                                "(json always carries every unit)")
    role = add_command(subparsers, "role", "give an annotator a role (reviewers may adjudicate)", run_role)
    role.add_argument("name")
    role.add_argument("role", choices=ROLES)


def run_agreement(args: argparse.Namespace) -> int:
    """The corpus report keeps figures and unit keys, not units (storage.agreement.corpus): what json and
    --units print of each unit is written down as each document's units are made (json to a temporary file),
    so the whole corpus's records are never in memory at once."""
    listed = ListedUnits(json_file=tempfile.TemporaryFile("w+", encoding="utf-8") if args.format == "json" else None,
                         lines={} if args.units and args.format == "table" else None)
    wanted = listed.add if listed.json_file is not None or listed.lines is not None else None
    with opened_database(args) as db, progress_bar("comparing") as progress:
        report = db.review.agreement(args.document, progress=progress, each_document=wanted)
    if listed.json_file is not None:
        with listed.json_file:
            write_json(report, listed, sys.stdout)
    elif args.format == "csv":
        write_csv(report, sys.stdout)
    else:
        write_table(report, sys.stdout, listed.lines)
    return 0


@dataclass
class ListedUnits:
    """What the output needs of each unit, written down document by document: json text, or a table line."""

    json_file: IO[str] | None = None
    lines: dict[str, str] | None = None
    count: int = 0

    def add(self, units: Iterable[Unit]) -> None:
        for u in units:
            if self.json_file is not None:
                text = json.dumps(unit_json(u), indent=2, ensure_ascii=False).replace("\n", "\n    ")
                self.json_file.write(("," if self.count else "") + "\n    " + text)
            if self.lines is not None:
                self.lines[u.key] = unit_line(u)
            self.count += 1


def run_role(args: argparse.Namespace) -> int:
    with opened_database(args) as db:
        record = db.annotators.set_role(args.name, args.role)
    print(f"{record.name} is now {'a' if record.role == 'reviewer' else 'an'} {record.role}")
    return 0


def figure_row(f: Figure) -> dict[str, Any]:
    return {"scope": f.scope, "measure": f.measure, "attribute": f.attribute or "",
            "annotators": "+".join(f.annotators), "value": f.value, "level": f.level, "items": f.items,
            "observed": f.observed, "agreed": len(f.agreed), "disagreed": len(f.disagreed),
            "single": len(f.single), "reason": f.reason}


def unit_json(u: Unit) -> dict[str, Any]:
    return {"key": u.key, "document_id": u.document_id, "start": u.start, "end": u.end, "status": u.status,
            "differences": list(u.differences), "missing": list(u.missing),
            "spans": [{"annotation_id": s.id, "annotator": s.annotator, "start": s.start, "end": s.end,
                       "quote": s.quote, "stance": s.stance, "actor": s.actor, "claim_type": s.claim_type,
                       "target": s.target, "attribution": _attribution_json(u, s.id)} for s in u.spans]}


def _attribution_json(u: Unit, annotation_id: str) -> dict[str, Any]:
    """{role: the linked mention or cue}: what the source actor and source/cue F1 figures compare."""
    return {role: {"annotation_id": r.id, "start": r.start, "end": r.end, "quote": r.quote, "actor": r.actor}
            for role, r in u.attribution(annotation_id).items()}


def report_as_json(report: AgreementReport) -> dict[str, Any]:
    """Scope, annotators and figures (with their unit keys); `write_json` adds the units."""
    figures = []
    for f in report.figures:
        row = figure_row(f)
        row.update(annotators=list(f.annotators), attribute=f.attribute, agreed=list(f.agreed),
                   disagreed=list(f.disagreed), single=list(f.single))
        figures.append(row)
    return {"scope": report.scope, "annotators": list(report.annotators), "figures": figures}


def write_json(report: AgreementReport, listed: ListedUnits, out: TextIO) -> None:
    """As json.dump(indent=2) of the report with "units" last, the units copied from where `listed` wrote them."""
    head = json.dumps(report_as_json(report), indent=2, ensure_ascii=False)
    out.write(head[:-2] + ',\n  "units": [')
    assert listed.json_file is not None
    listed.json_file.seek(0)
    shutil.copyfileobj(listed.json_file, out)
    out.write("\n  ]\n}\n" if listed.count else "]\n}\n")


def write_csv(report: AgreementReport, out: TextIO) -> None:
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for f in report.figures:
        row = figure_row(f)
        row.update(value="" if f.value is None else f"{f.value:.6f}",
                   observed="" if f.observed is None else f"{f.observed:.6f}")
        writer.writerow(row)


def _linked(u: Unit, annotation_id: str) -> str:
    from storage.review_links import describe_attribution

    line = describe_attribution(u.attribution(annotation_id))
    return f" ({line})" if line else ""


def _number(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def unit_line(u: Unit) -> str:
    versions = "; ".join(f"{s.annotator} [{s.start},{s.end}) {s.stance or '-'}/{s.actor or '-'}/"
                         f"{s.claim_type or '-'}" + _linked(u, s.id) for s in u.spans)
    return f"  {u.document_id} [{u.start},{u.end}) {u.status}: {versions}"


def write_table(report: AgreementReport, out: TextIO, unit_lines: Mapping[str, str] | None = None) -> None:
    """The figures; with `unit_lines` (unit key -> line), the disagreed and single units behind each."""
    if not report.figures or not report.annotators:
        out.write(f"{report.scope}: no annotations to compare\n")
        return
    out.write(f"agreement for {report.scope}: {len(report.annotators)} annotator(s) "
              f"({', '.join(report.annotators)}), {report.unit_count} unit(s)\n")
    header = ("measure", "annotators", "value", "items", "agreed", "disagreed", "single", "note")
    rows = []
    for f in report.figures:
        label = f.label + (" (ordinal)" if f.level == "ordinal" else "")
        rows.append((label, "+".join(f.annotators), _number(f.value), str(f.items), str(len(f.agreed)),
                     str(len(f.disagreed)), str(len(f.single)), f.reason))
    out.flush()
    write_rows(out, header, rows, right_aligned=frozenset({2, 3, 4, 5, 6}))
    if unit_lines is not None:
        for f in report.figures:
            behind = [*f.disagreed, *f.single]
            if behind:
                out.write(f"\n{f.label} {'+'.join(f.annotators)}: disagreed or single\n")
                for key in behind:
                    out.write(unit_lines[key] + "\n")
