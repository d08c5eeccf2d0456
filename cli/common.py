"""What every sub-command shares: the global options, opening the database, and failing in one line.

A group of sub-commands is a module with `register(subparsers)`, which calls `add_command(...)` for each
sub-command it offers; each handler takes the parsed args and returns an exit code."""
from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from storage.paths import default_database_path

if TYPE_CHECKING:
    from storage.database import Database

Handler = Callable[[argparse.Namespace], int]


def _global_options() -> argparse.ArgumentParser:
    # SUPPRESS as default: the options may stand before or after the sub-command without one
    # parser's default overwriting what the other parsed.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="PATH_OR_URL", default=argparse.SUPPRESS,
                        help="database file, or a SQLAlchemy URL such as postgresql+psycopg://host/db "
                             "(default: $STANCEMARK_DB, else stancemark.db in your data directory)")
    common.add_argument("--annotator", metavar="NAME", action="append", dest="annotators",
                        default=argparse.SUPPRESS,
                        help="who you are; export takes it several times as a filter")
    return common


GLOBAL_OPTIONS = _global_options()


def add_command(subparsers: argparse._SubParsersAction, name: str, help: str,
                handler: Handler) -> argparse.ArgumentParser:
    command = subparsers.add_parser(name, help=help, description=help, parents=[GLOBAL_OPTIONS])
    command.set_defaults(handler=handler)
    return command


def database_target(args: argparse.Namespace) -> str:
    return getattr(args, "db", None) or os.environ.get("STANCEMARK_DB") or str(default_database_path())


def annotator_name(args: argparse.Namespace) -> str | None:
    names = getattr(args, "annotators", None) or []
    return names[-1] if names else None


@contextmanager
def opened_database(args: argparse.Namespace) -> Iterator["Database"]:
    from storage.database import open_database

    db = open_database(database_target(args))
    try:
        yield db
    finally:
        db.close()


def fail(message: str) -> int:
    """One line on stderr and a non-zero exit code: what a script calling us can act on."""
    print(f"stancemark: error: {' '.join(message.split())}", file=sys.stderr)
    return 1

