"""`import`, `export` and `stats`: getting articles and annotations in and out from a terminal."""
from __future__ import annotations

import argparse
import sys

from cli.common import add_command, annotator_name, opened_database
from cli.terminal import progress_bar, write_table
from storage.exporters.choices import EXPORT_FORMATS, LABEL_ATTRIBUTES
from storage.records import DOCUMENT_STATUSES


def register(subparsers: argparse._SubParsersAction) -> None:
    importing = add_command(subparsers, "import", "import .txt, .md, .html, .jsonl, brat (.txt + .ann), Label "
                                                  "Studio .json and CoNLL .conll/.bio/.iob files or directories "
                                                  "(one transaction: any error and nothing is imported)",
                            run_import)
    importing.add_argument("paths", nargs="+", metavar="FILE_OR_DIR")
    importing.add_argument("--label-as", choices=LABEL_ATTRIBUTES, default="claim_type",
                           help="the attribute a single span label (doccano, Prodigy) is stored in "
                                "(default: claim_type)")
    importing.add_argument("--as", dest="as_annotator", metavar="NAME",
                           help="store every imported annotation as NAME's (default: the file's own annotator "
                                "field, native 'annotator' or Prodigy '_annotator_id'/'_session_id', else 'import')")
    importing.add_argument("--keep-rejected", action="store_true",
                           help="also import Prodigy tasks answered reject or ignore, as annotator NAME:rejected "
                                "or NAME:ignored (default: counted and left out)")
    importing.add_argument("--relation-map", action="append", default=[], type=_relation_pair, metavar="TYPE=ROLE",
                           help="a file's relation type as an attribution role (source, cue, relay, target) or "
                                "'skip'; repeatable. Types named by a role need no entry; any other is refused")

    exporting = add_command(subparsers, "export", "export annotations as JSON Lines", run_export)
    exporting.add_argument("--format", choices=EXPORT_FORMATS, required=True)
    exporting.add_argument("-o", "--output", default="-", metavar="OUT.jsonl", help="'-' for stdout (default)")
    exporting.add_argument("--label", choices=LABEL_ATTRIBUTES, default="claim_type",
                           help="the attribute written as the single label (doccano, spans)")
    exporting.add_argument("--status", choices=DOCUMENT_STATUSES,
                           help="only annotations of annotators who gave their document this status")
    exporting.add_argument("--document", action="append", default=[], metavar="ID", dest="documents",
                           help="only this document (repeatable)")
    exporting.add_argument("--gold", action="store_true",
                           help="export the adjudicated gold layer with its provenance (doccano, spans, flat); "
                                "native always carries it, so --gold is refused there")
    exporting.add_argument("--include-unfinished", action="store_true",
                           help="spans: also tasks of annotators who have not marked the document done, written "
                                "with \"answer\": \"ignore\" (default: left out)")
    exporting.add_argument("--include-empty", action="store_true",
                           help="doccano, spans: also documents none of the selected annotators touched")
    exporting.add_argument("--include-unreviewed", action="store_true",
                           help="with --gold: also documents not adjudicated (their review status in every line)")
    exporting.add_argument("--merge", action="store_true",
                           help="doccano: one line per document with every annotator's spans (doccano's importer "
                                "then drops duplicates and overlaps)")
    exporting.add_argument("--kinds", default="claim", type=lambda v: tuple(x.strip() for x in v.split(",") if x.strip()),
                           help="flat and csv: which kinds are rows, comma-separated from claim, mention, cue "
                                "(default: claim; each claim's source, cue, relay and target are its columns)")

    add_command(subparsers, "stats", "count documents, and annotations per annotator and per label", run_stats)


def _relation_pair(value: str) -> tuple[str, str]:
    name, sep, role = value.partition("=")
    if not sep or not name.strip() or not role.strip():
        raise argparse.ArgumentTypeError(f"expected TYPE=ROLE (e.g. saidBy=source), not {value!r}")
    return name.strip(), role.strip()


def run_import(args: argparse.Namespace) -> int:
    from storage.importers import import_paths

    with opened_database(args) as db, progress_bar("importing", counted=False) as progress:
        summary = import_paths(db, args.paths, label_as=args.label_as, annotator=annotator_name(args),
                               as_annotator=args.as_annotator, keep_rejected=args.keep_rejected,
                               progress=progress, relation_map=dict(args.relation_map))
    print("\n".join(summary.lines()))
    return 0


def run_export(args: argparse.Namespace) -> int:
    from storage.exporters import export_jsonl

    with opened_database(args) as db, progress_bar("exporting") as progress:
        summary = export_jsonl(db, args.format, args.output, label=args.label,
                               annotators=tuple(getattr(args, "annotators", None) or ()), status=args.status,
                               document_ids=tuple(args.documents), progress=progress, gold=args.gold,
                               include_unfinished=args.include_unfinished, include_empty=args.include_empty,
                               include_unreviewed=args.include_unreviewed, merge=args.merge,
                               kinds=args.kinds)
    print("\n".join(summary.lines_text()), file=sys.stderr)
    return 0


def run_stats(args: argparse.Namespace) -> int:
    from storage.exporters import collection_stats

    with opened_database(args) as db:
        stats = collection_stats(db)
    print(f"documents: {stats.documents}")
    print(f"annotations: {stats.annotations}")
    _table("per annotator", stats.per_annotator)
    for attribute, counts in stats.per_label.items():
        _table(f"per {attribute.replace('_', ' ')}", counts)
    return 0


def _table(title: str, rows: tuple[tuple[str, int], ...]) -> None:
    print(f"{title}:")
    if not rows:
        print("  (none)")
        return
    sys.stdout.flush()
    write_table(sys.stdout, ("name", "count"), [(name, str(count)) for name, count in rows],
                right_aligned=frozenset({1}))
