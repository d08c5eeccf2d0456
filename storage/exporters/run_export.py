"""export_jsonl: the one export entry point for the window (worker thread) and the command line."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from sqlalchemy import select

from storage.errors import StancemarkError
from storage.exporters import formats
from storage.exporters.formats import Tally
from storage.exporters.gold_export import export_gold, native_gold_adder
from storage.exporters.output import atomic_text_output, json_line, refuse_unsafe_target
from storage.exporters.choices import EXPORT_FORMATS, LABEL_ATTRIBUTES, PEER_FORMATS
from storage.exporters.peer import PeerExportSummary
from storage.exporters.peer_export import export_peer
from storage.exporters.summary import ExportSummary
from storage.exporters.reading import (
    DELETED,
    ExportFilter,
    actor_entries,
    all_statuses,
    annotator_roles,
    document_count,
    documents_with_annotations,
)
from storage.tables import Annotator, Document
from storage.records import KINDS, DOCUMENT_STATUSES
from storage.scheme import current_row

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from storage.database import Database



def export_jsonl(db: "Database", fmt: str, out: str | Path | TextIO, *, label: str = "claim_type",
                 annotators: tuple[str, ...] | list[str] = (), status: str | None = None,
                 document_ids: tuple[str, ...] | list[str] = (),
                 progress: Callable[[int, int], None] | None = None, gold: bool = False,
                 include_unfinished: bool = False, include_empty: bool = False,
                 include_unreviewed: bool = False, merge: bool = False,
                 kinds: tuple[str, ...] | list[str] = ("claim",)) -> ExportSummary | PeerExportSummary:
    """Writes one export; `progress(documents done, documents total)`. Raises StancemarkError on bad options,
    an unknown document or annotator, a target that is a database, or a stored quote that no longer matches
    its text (then nothing is written).
    `gold`: the adjudicated layer instead of the annotators' work (see exporters/gold_export.py).
    `include_unfinished` (spans): tasks not marked done, as `"answer": "ignore"`. `include_empty` (doccano,
    spans): documents none of the selected annotators touched. `merge` (doccano): one line per document.
    `kinds` (flat, csv): which kinds of annotation are rows (claims unless asked)."""
    if fmt not in EXPORT_FORMATS:
        raise StancemarkError(f"unknown export format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}")
    if label not in LABEL_ATTRIBUTES:
        raise StancemarkError(f"--label must be one of {', '.join(LABEL_ATTRIBUTES)}, not {label!r}")
    if status is not None and status not in DOCUMENT_STATUSES:
        raise StancemarkError(f"--status must be one of {', '.join(DOCUMENT_STATUSES)}, not {status!r}")
    if gold and fmt == "native":
        raise StancemarkError("--gold works with doccano, spans or flat; a native export always carries the gold "
                              "layer and the review status, so leave out --gold")
    kinds = tuple(kinds)
    if not kinds or any(k not in KINDS for k in kinds):
        raise StancemarkError(f"--kinds takes one or more of {', '.join(KINDS)}, not {','.join(kinds)!r}")
    if merge and fmt != "doccano":
        raise StancemarkError(f"--merge works only with --format doccano, not {fmt!r}")
    if fmt != "brat":  # brat writes a new directory and refuses an existing one itself
        refuse_unsafe_target(out, db.location if db.is_sqlite else None)
    with db.sessions.read() as s:
        _check_names(s, document_ids, () if gold else annotators)
    if fmt in PEER_FORMATS:
        if gold:
            raise StancemarkError(f"--gold works with doccano, spans or flat, not {fmt!r}")
        if not isinstance(out, (str, Path)):  # the peer writers open their own file (or stdout for "-")
            raise StancemarkError(f"--format {fmt} writes to a path or '-', not to an open stream")
        return export_peer(db, fmt, out, label=label, annotators=annotators, status=status,
                           document_ids=document_ids, progress=progress, kinds=kinds)
    if gold:
        return export_gold(db, fmt, out, label=label, document_ids=document_ids, progress=progress,
                           include_unreviewed=include_unreviewed, include_empty=include_empty)
    where = ExportFilter(annotators=tuple(annotators), document_ids=tuple(document_ids), status=status,
                         include_deleted=fmt == "native", with_times=fmt in ("native", "flat"))
    tally = Tally()
    with db.sessions.read() as s, atomic_text_output(out) as stream:
        total = document_count(s, where) if progress else 0
        write_line = _line_writer(fmt, s, label, where, tally, include_unfinished=include_unfinished,
                                  include_empty=include_empty, merge=merge, kinds=kinds)
        seen = 0
        for doc, rows in documents_with_annotations(s, where):
            lines = write_line(doc, rows)
            for record in lines:
                stream.write(json_line(record) + "\n")
            tally.lines += len(lines)
            tally.documents += bool(lines)
            seen += 1
            if progress and (seen % 50 == 0 or seen == total):
                progress(seen, total)
    notes: tuple[str, ...] = ()
    if tally.attribution:
        notes += (f"{tally.attribution} mentions and cues were left out: this shape holds no relations "
                  "(--format doccano-relations, spans, brat, labelstudio or native carry them)",)
    if fmt in ("doccano", "doccano-relations") and tally.overlapping:
        notes += (f"{tally.overlapping} spans overlap an earlier span of the same line: doccano's importer drops "
                 "them unless the project allows overlapping spans",)
    if merge:
        notes = ("--merge pours every annotator's spans into one line per document: doccano's importer drops "
                 "duplicates and overlapping spans (unless the project allows overlapping spans) and keeps no "
                 "annotator",) + notes
    return ExportSummary(format=fmt, target=str(out) if isinstance(out, (str, Path)) else "stream",
                         documents=tally.documents, annotations=tally.annotations, lines=tally.lines,
                         unlabelled_skipped=tally.unlabelled, unfinished_left_out=tally.unfinished,
                         empty_left_out=tally.empty, deleted_carried=tally.deleted, notes=notes)


def _check_names(s: "Session", document_ids: tuple[str, ...] | list[str],
                 annotators: tuple[str, ...] | list[str]) -> None:
    """A filter that names nothing in the database is a mistake, not a request for an empty file."""
    if document_ids:
        known = set(s.scalars(select(Document.id).where(Document.id.in_(list(document_ids)))))
        missing = [d for d in document_ids if d not in known]
        if missing:
            raise StancemarkError(f"no document with id {', '.join(map(repr, missing))}; nothing was exported")
    if annotators:
        known = set(s.scalars(select(Annotator.name).where(Annotator.name.in_(list(annotators)))))
        missing = [a for a in annotators if a not in known]
        if missing:
            names = sorted(s.scalars(select(Annotator.name)))
            raise StancemarkError(f"no annotator named {', '.join(map(repr, missing))} in this database "
                                  f"(known: {', '.join(names) or 'none'}); nothing was exported")


LineWriter = Callable[[Any, list[Any]], list[dict[str, Any]]]


def _line_writer(fmt: str, s: Any, label: str, where: ExportFilter, tally: Tally, *, include_unfinished: bool,
                 include_empty: bool, merge: bool, kinds: tuple[str, ...]) -> LineWriter:
    """A function from (document row, annotation rows) to the records to write; counts go to `tally`."""
    statuses = all_statuses(s)
    if fmt == "native":
        scheme = current_row(s)
        version = scheme.version if scheme else 0
        roles, actors = annotator_roles(s), actor_entries(s)
        with_gold = native_gold_adder(s)

        def native(doc: Any, rows: list[Any]) -> list[dict[str, Any]]:
            deleted = sum(r[DELETED] is not None for r in rows)
            tally.deleted += deleted
            tally.annotations += len(rows) - deleted
            return [with_gold(formats.native_line(doc, rows, version, roles, actors, statuses.get(doc[0], {})))]
        return native
    if fmt == "flat":
        def flat(doc: Any, rows: list[Any]) -> list[dict[str, Any]]:
            lines = list(formats.flat_lines(doc, rows, statuses.get(doc[0], {}), kinds))
            tally.annotations += len(lines)
            return lines
        return flat
    selected = frozenset(where.annotators)

    def people(doc: Any, rows: list[Any]) -> dict[str, str]:
        return formats.touched_by(rows, statuses.get(doc[0], {}), selected, where.status)

    if fmt == "doccano-relations":
        from storage.exporters.relation_formats import doccano_relation_lines
        return lambda doc, rows: doccano_relation_lines(doc, rows, people(doc, rows), label, include_empty, tally)
    if fmt == "doccano":
        return lambda doc, rows: formats.doccano_lines(doc, rows, people(doc, rows), label, merge, include_empty,
                                                       tally)
    return lambda doc, rows: formats.spans_lines(doc, rows, people(doc, rows), label, include_unfinished,
                                                 include_empty, tally)
