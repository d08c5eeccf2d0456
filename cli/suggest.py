"""`suggest`: run the suggesters over documents and store their proposals for one analyst (`--annotator`, else
the team login or the name the window remembers); `--dry-run --format jsonl` writes them to stdout instead.

One JSON object a line: `document_id`, `start`, `end` (code points of the stored text), `quote`, `claim_type`,
`actor` (or null), `source` and `cue` as {"start", "end", "quote"} (or null), `suggester`; besides those
`kind` ("claim", or "mention" for the actor-mention suggester, whose lines have no claim type, source or
cue), the suggester's `version`, the `rule` that proposed it and a `stance` (repeated labels only)."""
from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from cli.common import add_command, annotator_name, opened_database
from cli.terminal import progress_bar
from storage.errors import NotFound

if TYPE_CHECKING:
    from storage.suggestions import Proposal, ProposedSpan, SuggestionInput

# The suggesters' names, for --suggester's choices without loading them (a test checks they agree).
SUGGESTER_NAMES = ("attribution", "actor_mentions", "repeat_labels")

FORMATS = ("jsonl",)
BATCH = 64  # documents read and parsed together (one nlp.pipe each)
NO_NAME = "whose suggestions? name the analyst with --annotator (or open the window once to be remembered)"


def register(subparsers: argparse._SubParsersAction) -> None:
    command = add_command(subparsers, "suggest",
                          "propose attributed claims, actor mentions and repeated labels for documents "
                          "(suggestions an analyst accepts or rejects; never annotations by themselves)",
                          run_suggest)
    command.add_argument("--document", metavar="ID", action="append", dest="documents",
                         help="one document (repeatable; default: every document)")
    command.add_argument("--suggester", metavar="NAME", action="append", dest="suggesters",
                         choices=SUGGESTER_NAMES, help=f"one of {', '.join(SUGGESTER_NAMES)} (repeatable; default: all); "
                         "repeat_labels reads the annotations of --annotator")
    command.add_argument("--dry-run", action="store_true", help="write the proposals to stdout, store nothing")
    command.add_argument("--rejected", action="store_true",
                         help="write the suggestions analysts rejected (of --annotator, else everyone's) as JSONL "
                         "negative examples, and store nothing")
    command.add_argument("--format", choices=FORMATS, default="jsonl", help="output of --dry-run")


def remembered_annotator() -> str | None:
    """The name the window remembers on this computer (its settings), as the window itself would use it."""
    from PySide6.QtCore import QSettings

    value = QSettings("Stancemark", "Stancemark").value("annotator", "")
    return str(value).strip() or None


def store_suggestions(args: argparse.Namespace) -> int:
    """Runs the suggesters and stores their proposals for one analyst; prints one line of what happened."""
    with opened_database(args) as db:
        annotator = annotator_name(args) or db.team_identity() or remembered_annotator()
        if not annotator:
            print(f"stancemark: error: {NO_NAME}", file=sys.stderr)
            return 2
        with progress_bar("suggesting") as progress:
            summary = db.suggestions.run(args.documents, args.suggesters, by=annotator, progress=progress)
        pending = sum(len(db.suggestions.for_document(d, annotator))
                      for d in (args.documents or [d.id for d in db.documents.list()]))
    print(f"{summary.documents} documents: {summary.computed} suggester runs ({summary.reused} unchanged, "
          f"not run again), {summary.added} suggestions added, {summary.retired} retired; "
          f"{pending} pending for {annotator}")
    return 0


def write_rejected(args: argparse.Namespace) -> int:
    with opened_database(args) as db:
        for row in db.suggestions.rejected(annotator_name(args), args.documents):
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
    return 0


def run_suggest(args: argparse.Namespace) -> int:
    if args.rejected:
        return write_rejected(args)
    if not args.dry_run:
        return store_suggestions(args)
    from storage.suggestions import SuggestionInput, run_suggesters_many

    annotator = annotator_name(args)
    with opened_database(args) as db, progress_bar("suggesting") as progress:
        known = [d.id for d in db.documents.list()]
        ids = list(dict.fromkeys(args.documents)) if args.documents else known
        missing = sorted(set(ids) - set(known))
        if missing:  # before any output: a script gets all of it or an error
            raise NotFound(f"no document with id {', '.join(map(repr, missing))}")
        actors = tuple(db.actors.list())
        claim_types = tuple(v.value for v in db.scheme.current().claim_types)
        for start in range(0, len(ids), BATCH):
            items = []
            for document_id in ids[start:start + BATCH]:
                document = db.documents.get(document_id)
                annotations = tuple(db.annotations.for_document(document_id, annotator)) if annotator else ()
                items.append(SuggestionInput(document_id, document.text, actors, annotations, claim_types))
            for item, proposals in zip(items, run_suggesters_many(items, args.suggesters)):
                for proposal in proposals:
                    sys.stdout.write(json.dumps(proposal_json(item, proposal), ensure_ascii=False) + "\n")
            progress(min(start + BATCH, len(ids)), len(ids))
    return 0


def _span(text: str, span: ProposedSpan | None) -> dict[str, Any] | None:
    return None if span is None else {"start": span.start, "end": span.end, "quote": text[span.start:span.end]}


def proposal_json(item: SuggestionInput, p: Proposal) -> dict[str, Any]:
    return {"document_id": item.document_id, "start": p.start, "end": p.end, "quote": item.text[p.start:p.end],
            "claim_type": p.claim_type, "actor": p.actor, "source": _span(item.text, p.source),
            "cue": _span(item.text, p.cue), "suggester": p.suggester, "kind": p.kind, "version": p.version,
            "rule": p.rule, "stance": p.stance}
