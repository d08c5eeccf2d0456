"""The `stancemark` command: a sub-command runs in the terminal; no sub-command opens the window.

This layer sits above storage (and above gui, which it loads only when the window is wanted); storage knows
nothing of argparse, printing or exit codes. Sub-command groups are listed here, statically."""
from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from cli import admin, review, suggest, transfer
from cli.common import GLOBAL_OPTIONS, Handler, fail
from storage.errors import StancemarkError

COMMAND_GROUPS = (transfer, review, admin, suggest)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="stancemark", parents=[GLOBAL_OPTIONS],
                                     description="Annotate stance, actors and claims in news articles. "
                                                 "Without a command, opens the window.")
    parser.add_argument("--review", action="store_true", help="open review mode on the window's start")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for group in COMMAND_GROUPS:
        group.register(subparsers)
    return parser


def run(args: argparse.Namespace) -> int:
    """Runs the parsed sub-command; every failure we know of becomes one line on stderr and exit code 1."""
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        return fail("no command given; see stancemark --help")
    try:
        return int(handler(args) or 0)
    except StancemarkError as exc:
        return fail(str(exc))
    except BrokenPipeError:
        # The reader went away (`stancemark export | head`): not an error of ours. Point stdout at devnull
        # so that the interpreter's final flush does not complain again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:
        return fail(f"{exc.filename or ''}: {exc.strerror or exc}")
    except KeyboardInterrupt:
        return fail("interrupted; nothing of the unfinished step was kept") + 129


def window_options(args: argparse.Namespace) -> argparse.Namespace:
    """What the window needs from the shared command line: `--annotator` is repeatable there (an export
    filter), so the last one given names the person; `--db` falls back to STANCEMARK_DB like every command."""
    names = getattr(args, "annotators", None) or []
    return argparse.Namespace(db=getattr(args, "db", None) or os.environ.get("STANCEMARK_DB") or None,
                              annotator=names[-1] if names else None, review=getattr(args, "review", False))


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help (0) or a usage error (2): argparse has printed why
        return exc.code if isinstance(exc.code, int) else 2
    if getattr(args, "command", None) is None:
        from gui.app import run_window  # Qt is loaded only when the window is wanted

        return run_window(window_options(args))
    return run(args)
