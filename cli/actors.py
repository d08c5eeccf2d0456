"""`stancemark actors list|add|alias|unalias|rename|kind|merge|delete`: the actor registry from the terminal.

An actor is named by its name or any alias (case and repeated spaces do not matter). Every change is logged
in the name given with --annotator (on a team server: the login role's); the server decides who may rename,
merge and delete (reviewers and the administrator)."""
from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Callable
from dataclasses import asdict
from typing import TYPE_CHECKING, TextIO

from cli.common import GLOBAL_OPTIONS, annotator_name, fail, opened_database
from cli.terminal import write_table
from storage.records import ActorRecord, ActorUsage

if TYPE_CHECKING:
    from storage.database import Database

FORMATS = ("table", "csv", "json")
COLUMNS = ("id", "name", "kind", "aliases", "annotations", "documents", "gold")


def register(subparsers: argparse._SubParsersAction) -> None:
    group = subparsers.add_parser("actors", help="list and keep clean the actor registry",
                                  description="list and keep clean the actor registry: kinds, aliases, "
                                              "renames, merges, deletions", parents=[GLOBAL_OPTIONS])
    group.set_defaults(handler=_usage)
    commands = group.add_subparsers(dest="actors_command", metavar="ACTION")

    def command(name: str, help: str, handler: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
        parser = commands.add_parser(name, help=help, description=help, parents=[GLOBAL_OPTIONS])
        parser.set_defaults(handler=handler)
        return parser

    listing = command("list", "every actor with kind, aliases and how many annotations and documents use it",
                      run_list)
    listing.add_argument("--format", choices=FORMATS, default="table")
    listing.add_argument("--filter", metavar="TEXT", default="",
                         help="only actors whose name or an alias contains TEXT (any case)")
    add = command("add", "add an actor", run_add)
    add.add_argument("name")
    add.add_argument("--kind", default="other", help="person, organisation, state or other (the scheme's kinds)")
    add.add_argument("--alias", action="append", default=[], metavar="ALIAS", help="an alias (repeatable)")
    alias = command("alias", "give an actor aliases: other names that stand for it", run_alias)
    alias.add_argument("actor")
    alias.add_argument("aliases", nargs="+", metavar="ALIAS")
    unalias = command("unalias", "remove aliases of an actor", run_unalias)
    unalias.add_argument("actor")
    unalias.add_argument("aliases", nargs="+", metavar="ALIAS")
    rename = command("rename", "rename an actor (the old name stays as an alias)", run_rename)
    rename.add_argument("actor")
    rename.add_argument("new_name")
    kind = command("kind", "set an actor's kind", run_kind)
    kind.add_argument("actor")
    kind.add_argument("kind")
    merge = command("merge", "merge SOURCE into INTO: every annotation, mention, gold row and alias follows; "
                    "SOURCE's name becomes an alias", run_merge)
    merge.add_argument("source")
    merge.add_argument("into")
    delete = command("delete", "delete an actor nothing uses (not even a deleted annotation)", run_delete)
    delete.add_argument("actor")


def _usage(args: argparse.Namespace) -> int:
    return fail("actors needs an action: list, add, alias, unalias, rename, kind, merge or delete")


def _writer(args: argparse.Namespace, db: "Database") -> str | None:
    return annotator_name(args) or db.team_identity()


def run_list(args: argparse.Namespace) -> int:
    with opened_database(args) as db:
        actors = db.actors.overview(args.filter)
    write_actors(actors, args.format, sys.stdout)
    return 0


def write_actors(actors: list[ActorUsage], form: str, out: TextIO) -> None:
    if form == "json":
        json.dump([{**asdict(a), "aliases": list(a.aliases)} for a in actors], out, indent=2, ensure_ascii=False)
        out.write("\n")
        return
    rows = [(str(a.id), a.name, a.kind, "; ".join(a.aliases), str(a.annotations), str(a.documents), str(a.gold))
            for a in actors]
    if form == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(rows)
        return
    out.flush()
    write_table(out, COLUMNS, rows, right_aligned=frozenset({0, 4, 5, 6}))
    out.write(f"{len(actors)} actor(s)\n")


def _describe(record: ActorRecord | ActorUsage) -> str:
    return f"{record.name} ({record.kind})" + (f", aliases: {', '.join(record.aliases)}" if record.aliases else "")


def run_add(args: argparse.Namespace) -> int:
    with opened_database(args) as db:
        record = db.actors.create(args.name, kind=args.kind, aliases=tuple(args.alias), by=_writer(args, db))
    print(f"added {_describe(record)}")
    return 0


def run_alias(args: argparse.Namespace) -> int:
    return _change_aliases(args, adding=True)


def run_unalias(args: argparse.Namespace) -> int:
    return _change_aliases(args, adding=False)


def _change_aliases(args: argparse.Namespace, *, adding: bool) -> int:
    """Each alias named on the command line added to (or removed from) the actor, then the actor as it ends."""
    with opened_database(args) as db:
        by, record = _writer(args, db), db.actors.get(args.actor)
        change = db.actors.add_alias if adding else db.actors.remove_alias
        for alias in args.aliases:
            record = change(record.id, alias, by=by)
    print(_describe(record))
    return 0


def run_rename(args: argparse.Namespace) -> int:
    with opened_database(args) as db:
        record = db.actors.rename(args.actor, args.new_name, by=_writer(args, db))
    print(f"renamed: {_describe(record)}")
    return 0


def run_kind(args: argparse.Namespace) -> int:
    with opened_database(args) as db:
        record = db.actors.set_kind(args.actor, args.kind, by=_writer(args, db))
    print(_describe(record))
    return 0


def run_merge(args: argparse.Namespace) -> int:
    with opened_database(args) as db:
        change = db.actors.merge(args.source, args.into, by=_writer(args, db))
        into = db.actors.get(change.into_id)
    print(f"merged {change.source_name} into {change.into_name}: {len(change.annotations)} annotation(s), "
          f"{len(change.gold)} gold row(s) and {len(change.aliases)} alias(es) moved; {_describe(into)}")
    return 0


def run_delete(args: argparse.Namespace) -> int:
    with opened_database(args) as db:
        record = db.actors.delete(args.actor, by=_writer(args, db))
    print(f"deleted {record.name}")
    return 0
