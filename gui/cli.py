"""The `stancemark` entry point: a sub-command runs in the terminal; no sub-command opens the window."""
from __future__ import annotations

import os
from argparse import Namespace
from collections.abc import Sequence

from storage import build_parser, run_command


def window_options(args: Namespace) -> Namespace:
    """What the window needs from the shared command line: `--annotator` is repeatable there (an export
    filter), so the last one given names the person; `--db` falls back to STANCEMARK_DB like every command."""
    names = getattr(args, "annotators", None) or []
    return Namespace(db=getattr(args, "db", None) or os.environ.get("STANCEMARK_DB") or None,
                     annotator=names[-1] if names else None)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help (0) or a usage error (2): argparse has printed why
        return exc.code if isinstance(exc.code, int) else 2
    if getattr(args, "command", None) is None:
        from gui.app import run_window  # Qt is loaded only when the window is wanted

        return run_window(window_options(args))
    return run_command(args)


if __name__ == "__main__":
    raise SystemExit(main())
