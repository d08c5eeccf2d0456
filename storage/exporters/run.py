"""export_jsonl: the one export entry point for the window (worker thread) and the command line."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from storage.errors import StancemarkError
from storage.exporters import formats
from storage.exporters.gold import export_gold, native_gold_adder
from storage.exporters.output import atomic_text_output, json_line
from storage.exporters.peer import PEER_FORMATS, export_peer
from storage.exporters.reading import (
    ExportFilter,
    actor_entries,
    all_statuses,
    annotator_roles,
    document_count,
    documents_with_annotations,
)
from storage.records import ATTRIBUTES, STATUSES
from storage.scheme import current_row

if TYPE_CHECKING:
    from storage.database import Database

EXPORT_FORMATS = ("native", "doccano", "spans", "flat") + PEER_FORMATS
LABEL_ATTRIBUTES = ATTRIBUTES


@dataclass(frozen=True)
class ExportSummary:
    format: str
    target: str
    documents: int
    annotations: int
    lines: int
    unlabelled_skipped: int  # spans with no value for the --label attribute (doccano, spans)

    def lines_text(self) -> list[str]:
        out = [f"exported {self.documents} documents, {self.annotations} annotations as {self.format} "
               f"({self.lines} lines) to {self.target}"]
        if self.unlabelled_skipped:
            out.append(f"{self.unlabelled_skipped} annotations had no value for the label and were left out")
        return out


def export_jsonl(db: "Database", fmt: str, out: str | Path | TextIO, *, label: str = "claim_type",
                 annotators: tuple[str, ...] | list[str] = (), status: str | None = None,
                 document_ids: tuple[str, ...] | list[str] = (),
                 progress: Callable[[int, int], None] | None = None, gold: bool = False) -> ExportSummary:
    """Writes one export; `progress(documents done, documents total)`. Raises StancemarkError on bad options
    or a stored quote that no longer matches its text (then nothing is written).
    `gold`: the adjudicated layer instead of the annotators' work (see exporters/gold.py)."""
    if fmt not in EXPORT_FORMATS:
        raise StancemarkError(f"unknown export format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}")
    if fmt in PEER_FORMATS and not gold:
        return export_peer(db, fmt, out, label=label, annotators=annotators, status=status,  # type: ignore[return-value]
                           document_ids=document_ids, progress=progress)
    if gold and fmt != "native":
        return export_gold(db, fmt, out, label=label, document_ids=document_ids, progress=progress)
    if label not in LABEL_ATTRIBUTES:
        raise StancemarkError(f"--label must be one of {', '.join(LABEL_ATTRIBUTES)}, not {label!r}")
    if status is not None and status not in STATUSES:
        raise StancemarkError(f"--status must be one of {', '.join(STATUSES)}, not {status!r}")
    where = ExportFilter(annotators=tuple(annotators), document_ids=tuple(document_ids), status=status,
                         include_deleted=fmt == "native", with_times=fmt in ("native", "flat"))
    counts = {"documents": 0, "annotations": 0, "lines": 0, "skipped": 0}
    with db.sessions.read() as s, atomic_text_output(out) as stream:
        total = document_count(s, where) if progress else 0
        write_line = _line_writer(fmt, s, label)
        for doc, rows in documents_with_annotations(s, where):
            lines, skipped = write_line(doc, rows)
            for record in lines:
                stream.write(json_line(record) + "\n")
                counts["lines"] += 1
            counts["documents"] += 1
            counts["annotations"] += len(rows) - skipped
            counts["skipped"] += skipped
            if progress and (counts["documents"] % 50 == 0 or counts["documents"] == total):
                progress(counts["documents"], total)
    return ExportSummary(format=fmt, target=str(out) if isinstance(out, (str, Path)) else "stream",
                         documents=counts["documents"], annotations=counts["annotations"], lines=counts["lines"],
                         unlabelled_skipped=counts["skipped"])


LineWriter = Callable[[Any, list[Any]], tuple[list[dict[str, Any]], int]]


def _line_writer(fmt: str, s: Any, label: str) -> LineWriter:
    """A function from (document row, annotation rows) to (records, annotations left out)."""
    if fmt == "native":
        scheme = current_row(s)
        version = scheme.version if scheme else 0
        roles, actors, statuses = annotator_roles(s), actor_entries(s), all_statuses(s)
        with_gold = native_gold_adder(s)
        return lambda doc, rows: ([with_gold(formats.native_line(doc, rows, version, roles, actors,
                                                                 statuses.get(doc[0], {})))], 0)
    if fmt == "doccano":
        def doccano(doc: Any, rows: list[Any]) -> tuple[list[dict[str, Any]], int]:
            line, skipped = formats.doccano_line(doc, rows, label)
            return [line], skipped
        return doccano
    if fmt == "spans":
        def spans(doc: Any, rows: list[Any]) -> tuple[list[dict[str, Any]], int]:
            pairs = list(formats.spans_lines(doc, rows, label))
            return [line for line, _ in pairs], sum(n for _, n in pairs)
        return spans
    return lambda doc, rows: (list(formats.flat_lines(doc, rows)), 0)
