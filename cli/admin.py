"""`backup`, `check`, `team-setup`, `add-user`: what an administrator runs, rarely, against a database or server."""
from __future__ import annotations

import argparse
import os

from cli.common import add_command, fail, opened_database
from cli.terminal import progress_bar


def register(subparsers: argparse._SubParsersAction) -> None:
    backup = add_command(subparsers, "backup", "write a consistent copy of the database, even while others work "
                         "in it (SQLite: online backup; PostgreSQL: pg_dump custom format)", run_backup)
    backup.add_argument("out", metavar="OUT", help="the new file (never overwritten)")
    add_command(subparsers, "check", "check the database: file integrity (SQLite) and that the event log "
                "rebuilds the annotation table exactly; exit status 1 if not", run_check)
    add_command(subparsers, "team-setup", "PostgreSQL, once per database (again after an upgrade): roles, grants "
                "and row-level security so each annotator may change only their own work", run_team_setup)
    user = add_command(subparsers, "add-user", "PostgreSQL: a login role for one annotator (its name is the "
                       "annotator name), with the grants team-setup prepared", run_add_user)
    user.add_argument("name")
    user.add_argument("--reviewer", action="store_true", help="may also write the gold layer")
    user.add_argument("--password-env", metavar="VAR",
                      help="take the new role's password from this environment variable (not from the "
                           "command line, where others could read it); without it the role gets no password")


def run_backup(args: argparse.Namespace) -> int:
    from storage.backup import backup_database

    with opened_database(args) as db:
        with progress_bar("backing up", counted=False) as progress:
            result = backup_database(db, args.out, progress=progress)
        print(f"{db.display_name} -> {result.path} ({result.size:,} bytes, {result.method})")
    return 0


def run_check(args: argparse.Namespace) -> int:
    from storage.backup import sqlite_integrity
    from storage.replay import differences_from_log

    with opened_database(args) as db:
        problems = []
        if db.is_sqlite:
            with progress_bar("checking the file", counted=False) as progress:
                progress(0, 1)
                verdict = sqlite_integrity(db.engine.url.database or "")
                progress(1, 1)
            print(f"file integrity: {verdict}")
            problems += [] if verdict == "ok" else [verdict]
        with progress_bar("replaying the event log") as progress:
            compared, differences = differences_from_log(db, progress=progress)
        print(f"event log: {compared} annotations compared, {len(differences) or 'no'} difference(s)")
        for line in differences:
            print(f"  {line}")
    return 1 if problems or differences else 0


def run_team_setup(args: argparse.Namespace) -> int:
    from storage.team import setup_team

    with opened_database(args) as db:
        for line in setup_team(db):
            print(line)
    return 0


def run_add_user(args: argparse.Namespace) -> int:
    from storage.team import add_user

    password = None
    if args.password_env:
        password = os.environ.get(args.password_env)
        if not password:
            return fail(f"the environment variable {args.password_env} is not set or empty")
    with opened_database(args) as db:
        print(add_user(db, args.name, reviewer=args.reviewer, password=password))
    return 0
